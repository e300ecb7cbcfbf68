#!/usr/bin/python3
"""Checks the hand-written peer (peers/eigen_step.cpp) against PyTorch.

For each benchmark network: the same parameters (PyTorch's default
initialization, seeded), one random batch, and STEPS training steps with
torch.optim.SGD (the lr and momentum of the .nn model); then compares the
losses and, for every parameter, the change that the steps made to it
(p_after - p_before, which is lr times the momentum-accumulated gradients, so
a wrong gradient cannot hide behind the much larger parameter values).

    check_grads.py [--eigen-step PATH] [--steps S] [--self-test]

Exits 1 when a case does not match. --self-test also corrupts one element of
the PyTorch reference by a small amount (1e-2 of the largest update) and
requires that the comparison then fails, so the check is known to be able
to fail.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
import torch_bench  # noqa: E402  (the same PyTorch modules the benchmark times)

# A change may differ from PyTorch's by this much, relative to the largest
# change of that parameter (float rounding of differently ordered sums).
RTOL = 2e-3
LOSS_RTOL = 1e-4


def compare(name, mine, ref):
    scale = float(np.max(np.abs(ref)))
    err = float(np.max(np.abs(mine - ref)))
    ok = err <= RTOL * scale + 1e-9
    print(f"  {name:16s} {'ok' if ok else 'MISMATCH':8s} max |diff| {err:.3g} "
          f"(largest change {scale:.3g})")
    return ok


def check_case(case, eigen_step, steps, workdir, corrupt):
    name, batch = case["name"], case["train_batch"]
    torch.manual_seed(0)
    model = torch_bench.make_model(name)
    gen = np.random.default_rng(0)
    x = gen.standard_normal((batch,) + case["input_shape"]).astype(np.float32)
    label = gen.integers(0, 10, size=batch).astype(np.int64)

    os.makedirs(os.path.join(workdir, "out"), exist_ok=True)
    before = {k: v.detach().numpy().copy() for k, v in model.named_parameters()}
    for k, v in before.items():
        v.tofile(os.path.join(workdir, k + ".bin"))
    x.tofile(os.path.join(workdir, "x.bin"))
    label.tofile(os.path.join(workdir, "label.bin"))

    opt = torch.optim.SGD(model.parameters(), lr=case["lr"],
                          momentum=case["momentum"])
    xt, lt = torch.from_numpy(x), torch.from_numpy(label)
    ref_losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(xt), lt)
        loss.backward()
        opt.step()
        ref_losses.append(loss.item())
    ref_delta = {k: v.detach().numpy() - before[k]
                 for k, v in model.named_parameters()}
    if corrupt:
        k = next(iter(ref_delta))
        ref_delta[k].flat[0] += 1e-2 * np.max(np.abs(ref_delta[k]))

    subprocess.run([eigen_step, "--check", name, "--batch", str(batch),
                    "--steps", str(steps), "--dir", workdir, "--threads", "1"],
                   check=True)
    print(f"{name} (batch {batch}, {steps} steps):")
    ok = True
    losses = np.fromfile(os.path.join(workdir, "out", "loss.bin"), np.float32)
    for s, (mine, ref) in enumerate(zip(losses, ref_losses)):
        good = abs(mine - ref) <= LOSS_RTOL * abs(ref) + 1e-6
        print(f"  loss step {s + 1:<6d} {'ok' if good else 'MISMATCH':8s} "
              f"{mine:.7g} vs {ref:.7g}")
        ok &= good
    if len(losses) != steps:
        print(f"  expected {steps} losses, got {len(losses)}")
        ok = False
    for k, ref in ref_delta.items():
        after = np.fromfile(os.path.join(workdir, "out", k + ".bin"),
                            np.float32)
        if after.size != ref.size:
            print(f"  {k}: expected {ref.size} values, got {after.size}")
            ok = False
            continue
        ok &= compare(k, after.reshape(ref.shape) - before[k], ref)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eigen-step",
                        default=os.path.join(HERE, "build", "eigen_step"))
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)

    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in torch_bench.CASES:
            work = os.path.join(tmp, case["name"])
            if not check_case(case, args.eigen_step, args.steps, work, False):
                failed.append(case["name"])
        if args.self_test:
            case = torch_bench.CASES[0]
            print("self-test: a corrupted reference must not match")
            if check_case(case, args.eigen_step, args.steps,
                          os.path.join(tmp, "self-test"), True):
                print("self-test FAILED: the corrupted reference matched")
                failed.append("self-test")
            else:
                print("self-test ok: the corruption was detected")
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    print("all ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
