"""Round-trips NumPy-written .npy files through adjoint-npy copy.

For every array and format version, numpy writes IN, `adjoint-npy copy IN OUT`
reads and rewrites it, and the check is that numpy loads OUT as the same array
(dtype, shape, bits) and that OUT is byte-identical to numpy.save's output.
Usage: npy_roundtrip.py WORKDIR
"""

import io
import os
import subprocess
import sys

import numpy as np

rng = np.random.default_rng(0)
ARRAYS = {
    "f32_scalar": np.array(3.5, dtype="<f4"),
    "f32_vector": rng.standard_normal(7).astype("<f4"),
    "f32_3d": rng.standard_normal((2, 3, 4)).astype("<f4"),
    "f32_empty": np.zeros((0, 5), dtype="<f4"),
    "f32_special": np.array([np.inf, -np.inf, np.nan, -0.0, 1e-45], dtype="<f4"),
    "f64_matrix": rng.standard_normal((3, 2)),
    "i64_labels": rng.integers(-(2**62), 2**62, size=9, dtype="<i8"),
    "i32_matrix": rng.integers(-(2**31), 2**31 - 1, size=(4, 2), dtype="<i4"),
    "f32_long_dim": np.zeros((123456789012, 0), dtype="<f4"),
}

workdir = sys.argv[1]
failures = []
for name, array in ARRAYS.items():
    for version in [(1, 0), (2, 0), (3, 0)]:
        src = os.path.join(workdir, "in", f"{name}_v{version[0]}.npy")
        dst = os.path.join(workdir, "out", f"{name}_v{version[0]}.npy")
        os.makedirs(os.path.dirname(src), exist_ok=True)
        with open(src, "wb") as f:
            np.lib.format.write_array(f, array, version=version)
        result = subprocess.run(["adjoint-npy", "copy", src, dst, "--mkdir"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"{src}: adjoint-npy failed: {result.stderr}")
            continue
        back = np.load(dst)
        if back.dtype != array.dtype or back.shape != array.shape:
            failures.append(f"{dst}: {back.dtype}{back.shape} != "
                            f"{array.dtype}{array.shape}")
        elif back.tobytes() != array.tobytes():
            failures.append(f"{dst}: values differ")
        expected = io.BytesIO()
        np.save(expected, array)
        with open(dst, "rb") as f:
            if f.read() != expected.getvalue():
                failures.append(f"{dst}: bytes differ from numpy.save")

for failure in failures:
    print(failure)
print(f"checked {len(ARRAYS) * 3} files, {len(failures)} failures")
sys.exit(1 if failures else 0)
