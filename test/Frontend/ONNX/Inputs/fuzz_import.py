"""Feeds truncated and random files to a tool; each must exit with 1 and
print an error, never crash or succeed.

usage: fuzz_import.py TOOL MODEL.onnx SCRATCH_PREFIX
"""
import random
import subprocess
import sys

tool, model, prefix = sys.argv[1:4]
data = open(model, "rb").read()
cases = []
step = max(1, len(data) // 16)
for cut in list(range(1, len(data), step)) + [len(data) - 1]:
    cases.append((f"prefix of {cut} bytes", data[:cut]))
rng = random.Random(1)
for i in range(5):
    cases.append((f"random bytes #{i}",
                  bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))))
# Flipped bytes inside a valid model: may still parse; must not crash.
flipped = []
for i in range(6):
    b = bytearray(data)
    for _ in range(8):
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    flipped.append((f"flipped bits #{i}", bytes(b)))

failures = []
for name, payload in cases + flipped:
    path = prefix + ".onnx"
    with open(path, "wb") as f:
        f.write(payload)
    proc = subprocess.run([tool, path, "--emit=nn", "-o", prefix + ".mlir"],
                          capture_output=True, timeout=120)
    must_fail = (name, payload) in cases
    if proc.returncode < 0 or proc.returncode > 1:
        failures.append(f"{name}: exit code {proc.returncode}\n"
                        f"{proc.stderr.decode(errors='replace')}")
    elif must_fail and (proc.returncode != 1 or b"error:" not in proc.stderr):
        failures.append(f"{name}: exit code {proc.returncode}, stderr:\n"
                        f"{proc.stderr.decode(errors='replace')}")
if failures:
    sys.exit("\n".join(failures))
print(f"{len(cases) + len(flipped)} files refused or imported without a crash")
