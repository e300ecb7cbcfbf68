"""Writes the .npy files of test/BadInput/npy.test into WORKDIR: every way a
file can fail to be an array that a model takes, most of them byte by byte
(numpy cannot write them), and a few valid arrays of the wrong dtype or shape.

usage: make_npy_cases.py WORKDIR
"""

import os
import struct
import sys

import numpy as np

d = sys.argv[1]
os.makedirs(d, exist_ok=True)

MAGIC = b"\x93NUMPY"


def raw(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def npy(header, data=b"", major=1, minor=0, pad=True):
    """A .npy file with the header text given as is (str or bytes)."""
    if isinstance(header, str):
        header = header.encode("latin-1")
    length_size = 2 if major == 1 else 4
    if pad:
        total = len(MAGIC) + 2 + length_size + len(header) + 1
        header = header + b" " * ((64 - total % 64) % 64) + b"\n"
    length = struct.pack("<H" if length_size == 2 else "<I", len(header))
    return MAGIC + bytes([major, minor]) + length + header + data


def dict_header(descr="'<f4'", order="False", shape="(3, 64)"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, order, shape)


ZEROS = bytes(3 * 64 * 4)

# The preamble.
raw("empty.npy", b"")
raw("zip.npy", b"PK\x03\x04 a zip file, not an array")
raw("text.npy", b"0.5, 1.5, 2.5\n")
raw("magic-only.npy", MAGIC)
raw("version-0.npy", npy(dict_header(), ZEROS, major=0))
raw("version-4.npy", npy(dict_header(), ZEROS, major=4))
raw("version-1.1.npy", npy(dict_header(), ZEROS, minor=1))
raw("cut-in-length.npy", MAGIC + b"\x01\x00\x76")
raw("header-past-end.npy", MAGIC + b"\x01\x00\x00\x01" + b"{'descr': '<f4'")
raw("header-4gib.npy", MAGIC + b"\x02\x00\xff\xff\xff\xff" + b"{" + b" " * 100)

# The header dict.
raw("list-header.npy", npy("[1, 2, 3]", ZEROS))
raw("unterminated-dict.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64)", ZEROS, pad=False))
raw("unterminated-string.npy", npy("{'descr': '<f4, 'fortran_order': False}", ZEROS))
raw("no-shape.npy", npy("{'descr': '<f4', 'fortran_order': False, }", ZEROS))
raw("extra-key.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), 'align': True, }", ZEROS))
raw("duplicate-key.npy", npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), }", ZEROS))
raw("int-key.npy", npy("{1: 2}", ZEROS))
raw("descr-not-string.npy", npy(dict_header(descr="4"), ZEROS))
raw("order-not-bool.npy", npy(dict_header(order="0"), ZEROS))
raw("shape-not-tuple.npy", npy(dict_header(shape="'3, 64'"), ZEROS))
raw("shape-string-dim.npy", npy(dict_header(shape="(3, 'a')"), ZEROS))
raw("shape-float-dim.npy", npy(dict_header(shape="(3.0, 64)"), ZEROS))
raw("negative-dim.npy", npy(dict_header(shape="(-3, 64)"), ZEROS))
raw("dim-overflow.npy", npy(dict_header(shape="(99999999999999999999, 64)"), ZEROS))
raw("deep-nesting.npy", npy(dict_header(shape="(" * 40 + ")" * 40), ZEROS))
raw("python-call.npy", npy(dict_header(descr="dtype('float32')"), ZEROS))
raw("latin1-header.npy", npy(dict_header(descr="'<f4\xe9'"), ZEROS))
raw("utf8-header.npy", npy(dict_header(descr="'<f4\u00e9'").encode("utf-8"), ZEROS, major=3))

# Sizes.
raw("count-overflow.npy", npy(dict_header(shape="(4294967296, 4294967296, 64)")))
raw("too-large.npy", npy(dict_header(shape="(1000000000000, 64)")))
raw("truncated-data.npy", npy(dict_header(shape="(100000, 64)"), ZEROS))
raw("trailing-data.npy", npy(dict_header(), ZEROS + b"\0" * 8))

# Dtypes and orders that numpy writes and the tools do not read.
np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(np.zeros((3, 64), "<f4")))
np.save(os.path.join(d, "big-endian.npy"), np.zeros((3, 64), ">f4"))
np.save(os.path.join(d, "float64.npy"), np.zeros((3, 64), "<f8"))
np.save(os.path.join(d, "float16.npy"), np.zeros((3, 64), "<f2"))
np.save(os.path.join(d, "uint8.npy"), np.zeros((3, 64), "u1"))
np.save(os.path.join(d, "complex.npy"), np.zeros((3, 64), "<c8"))
np.save(os.path.join(d, "unicode.npy"), np.array(["abc"] * 3))
np.save(os.path.join(d, "structured.npy"), np.zeros(3, [("a", "<f4"), ("b", "<i8")]))

# Valid arrays of the wrong dtype or shape for the input they are given as.
np.save(os.path.join(d, "x-int32.npy"), np.zeros((3, 64), "<i4"))
np.save(os.path.join(d, "x-0d.npy"), np.float32(1.5))
np.save(os.path.join(d, "x-1d.npy"), np.zeros(64, "<f4"))
np.save(os.path.join(d, "x-3d.npy"), np.zeros((3, 8, 8), "<f4"))

np.save(os.path.join(d, "x.npy"), np.zeros((3, 64), "<f4"))
np.save(os.path.join(d, "label-0d.npy"), np.int64(3))
np.save(os.path.join(d, "label-float.npy"), np.zeros(3, "<f4"))
np.save(os.path.join(d, "label-2d.npy"), np.zeros((3, 1), "<i8"))
