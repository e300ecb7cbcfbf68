"""Writes .npy files that adjoint-npy must refuse, with numpy where it can.
Usage: make_bad_npy.py WORKDIR"""

import os
import sys

import numpy as np

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
np.save(os.path.join(d, "big_endian.npy"), np.arange(6, dtype=">f4"))
np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(np.ones((2, 3), "<f4")))
np.save(os.path.join(d, "half.npy"), np.ones(4, dtype="<f2"))
np.save(os.path.join(d, "bool.npy"), np.ones(4, dtype=bool))
np.save(os.path.join(d, "object.npy"), np.array([1, "a"], dtype=object),
        allow_pickle=True)
np.save(os.path.join(d, "structured.npy"),
        np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
np.save(os.path.join(d, "float64.npy"), np.arange(3, dtype="<f8"))

np.save(os.path.join(d, "good.npy"), np.arange(12, dtype="<f4").reshape(3, 4))
data = open(os.path.join(d, "good.npy"), "rb").read()
open(os.path.join(d, "truncated.npy"), "wb").write(data[:-4])
open(os.path.join(d, "trailing.npy"), "wb").write(data + b"\0\0")
open(os.path.join(d, "not_npy.npy"), "wb").write(b"PK\x03\x04zip file")
