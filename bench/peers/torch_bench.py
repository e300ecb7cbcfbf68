#!/usr/bin/python3
"""The PyTorch-eager peer of the benchmark (bench/README.md).

    torch_bench.py --threads T [--case NAME] [--reps R] [--min-rep-ms MS]

Times, for each case, the training step (zero_grad, forward, softmax
cross-entropy, backward, torch.optim.SGD step) and the inference pass
(torch.inference_mode) and prints one JSON line per measurement, in the
format of eigen_step. The thread count is set with torch.set_num_threads;
run.py also sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for the process,
since Debian's torch does its matmuls in the system BLAS (OpenBLAS once
libopenblas0 is installed), whose threads torch.set_num_threads does not
govern.
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The networks of bench/models/*.nn (and examples/digits_mlp.nn): parameter
# names and optimizer settings as in the .nn files.
CASES = [
    {"name": "digits_mlp", "input_shape": (64,), "train_batch": 32,
     "infer_batches": [1, 128], "lr": 0.1, "momentum": 0.9},
    {"name": "mnist_mlp", "input_shape": (784,), "train_batch": 128,
     "infer_batches": [1, 128], "lr": 0.01, "momentum": 0.9},
    {"name": "lenet5", "input_shape": (1, 28, 28), "train_batch": 64,
     "infer_batches": [], "lr": 0.01, "momentum": 0.9},
]


class DigitsMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = nn.Linear(64, 128)
        self.logits = nn.Linear(128, 10)

    def forward(self, x):
        return self.logits(F.relu(self.h(x)))


class MnistMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.h1 = nn.Linear(784, 512)
        self.h2 = nn.Linear(512, 512)
        self.logits = nn.Linear(512, 10)

    def forward(self, x):
        return self.logits(F.relu(self.h2(F.relu(self.h1(x)))))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.f1 = nn.Linear(256, 120)
        self.f2 = nn.Linear(120, 84)
        self.logits = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = torch.flatten(x, 1)
        return self.logits(F.relu(self.f2(F.relu(self.f1(x)))))


def make_model(name):
    return {"digits_mlp": DigitsMlp, "mnist_mlp": MnistMlp,
            "lenet5": LeNet5}[name]()


def time_it(f, reps, min_rep_ms):
    """Median and minimum milliseconds of one call of f (as eigen_step)."""
    start = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - start < 0.05:
        f()
        warm += 1
    each = (time.perf_counter() - start) * 1e3 / warm
    iters = max(1, int(-(-min_rep_ms // each)))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            f()
        samples.append((time.perf_counter() - t0) * 1e3 / iters)
    return statistics.median(samples), min(samples), iters


def report(case, mode, batch, threads, timing, reps, **extra):
    median, least, iters = timing
    line = {"case": case, "mode": mode, "batch": batch, "impl": "pytorch",
            "threads": threads, "median_ms": median, "min_ms": least,
            "reps": reps, "iters": iters}
    line.update(extra)
    print(json.dumps(line), flush=True)


def bench_case(case, threads, reps, min_rep_ms):
    torch.manual_seed(0)
    model = make_model(case["name"])
    opt = torch.optim.SGD(model.parameters(), lr=case["lr"],
                          momentum=case["momentum"])
    batch = case["train_batch"]
    x = torch.randn((batch,) + case["input_shape"])
    label = torch.randint(0, 10, (batch,))
    last = {}

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), label)
        loss.backward()
        opt.step()
        last["loss"] = loss

    report(case["name"], "train", batch, threads,
           time_it(step, reps, min_rep_ms), reps,
           last_loss=float(last["loss"]))

    for batch in case["infer_batches"]:
        x = torch.randn((batch,) + case["input_shape"])

        def infer():
            with torch.inference_mode():
                model(x)

        report(case["name"], "infer", batch, threads,
               time_it(infer, reps, min_rep_ms), reps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--case")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--min-rep-ms", type=float, default=20.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for case in CASES:
        if args.case in (None, case["name"]):
            bench_case(case, args.threads, args.reps, args.min_rep_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
