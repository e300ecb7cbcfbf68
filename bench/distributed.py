#!/usr/bin/python3
"""Steps per second of data-parallel training (issue 11): the MNIST MLP
(bench/models/mnist_mlp.nn) trained by `adjoint-run --train` with 1 process
and with `mpirun -np 2 ... --distributed`, batch 128, on synthetic
MNIST-shaped data. The rate is the trainer's own (samples per second of an
epoch, compile time excluded) divided by the batch size; the median over the
epochs. Writes bench/DISTRIBUTED.md.

usage: bench/distributed.py [--build DIR] [--epochs E] [--samples N]
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit("distributed.py: %s failed:\n%s%s" %
                 (" ".join(command), result.stdout, result.stderr))
    return result.stdout


def rates(output, batch):
    found = [float(m) for m in re.findall(r"\((\d+) samples/s\)", output)]
    if not found:
        sys.exit("distributed.py: no epoch lines in:\n" + output)
    return [r / batch for r in found]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=4096)
    args = parser.parse_args()
    batch = 128
    tool = os.path.join(args.build, "bin", "adjoint-run")
    model = os.path.join(ROOT, "bench", "models", "mnist_mlp.nn")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(0)
        np.save(os.path.join(tmp, "x.npy"),
                rng.random((args.samples, 784), dtype=np.float32))
        np.save(os.path.join(tmp, "label.npy"),
                rng.integers(0, 10, args.samples).astype(np.int64))
        common = [model, "--train", "--epochs", str(args.epochs),
                  "--batch-size", str(batch),
                  "--input", "x=" + os.path.join(tmp, "x.npy"),
                  "--input", "label=" + os.path.join(tmp, "label.npy")]
        one = rates(run([tool] + common, env), batch)
        two_cmd = ["mpirun", "--oversubscribe", "-np", "2", tool] + common + [
            "--distributed"]
        two = rates(run(two_cmd, env), batch)
    load = os.getloadavg()
    lines = [
        "# Data-parallel training: steps per second (issue 11)", "",
        "Made by `/usr/bin/python3 bench/distributed.py` on %s. MNIST MLP "
        "784-512-512-10, batch 128 (global), SGD with momentum, %d synthetic "
        "samples, %d epochs; the rate is the trainer's samples per second "
        "divided by the batch size, median over the epochs (compile time "
        "excluded). Load average after the run: %.2f %.2f %.2f." %
        (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), args.samples,
         args.epochs, *load), "",
        "| processes | steps/s (median) | per epoch |",
        "|---|---|---|",
        "| 1 | %.1f | %s |" % (statistics.median(one),
                              ", ".join("%.1f" % r for r in one)),
        "| 2 (mpirun, one machine) | %.1f | %s |" % (
            statistics.median(two), ", ".join("%.1f" % r for r in two)),
        "",
        "Each of the 2 ranks computes half of every batch, then the ranks sum "
        "the gradients (about 670k parameters, 5.3 MB in doubles) with "
        "MPI_Allreduce over shared memory. On this 2-core machine the ranks "
        "also compete with each other and with anything else running, so "
        "the ratio says what the allreduce costs more than what a cluster "
        "would gain (docs/distributed.md, \"What scales\").", ""]
    with open(os.path.join(ROOT, "bench", "DISTRIBUTED.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
