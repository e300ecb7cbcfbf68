#!/usr/bin/python3
"""The performance benchmark of issue 7: Adjoint and its peers in one run.

    /usr/bin/python3 bench/run.py [--rounds R] [--reps R] [--threads 1,2]
                                  [--case NAME] [--skip-check] [--no-adjoint]
                                  [--output bench/RESULTS.md]

Builds the peers into bench/build/, checks the hand-written step against
PyTorch (check_grads.py), then measures every case at every thread count,
in --rounds interleaved rounds (each a median over --reps repetitions), and
writes the median of the rounds' medians to RESULTS.md, with the machine,
the command and the raw lines (bench/build/results.jsonl). See
bench/README.md for the cases and the peers.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, "build")
PYTHON = "/usr/bin/python3"
OPENBLAS_INCLUDE = "/usr/include/x86_64-linux-gnu/openblas-pthread"
EIGEN_INCLUDE = "/usr/include/eigen3"
# The f32 FMA peak per core in GFLOP/s, measured by peers/fma_peak.c at the
# start of a run (measure_peak): the widest vectors the CPU has (AVX-512
# where it has it: Adjoint's kernels use them there). 101 is the AVX2 peak
# of the machine (2 FMA units x 8 lanes x 2 x ~3.15 GHz), used only
# if the measurement fails.
PEAK_PER_CORE = 101.0
PEAKS = {}

# (network, mode, batch): the cases of issue 7.
CASES = [
    ("digits_mlp", "train", 32),
    ("mnist_mlp", "train", 128),
    ("lenet5", "train", 64),
    ("digits_mlp", "infer", 1),
    ("digits_mlp", "infer", 128),
    ("mnist_mlp", "infer", 1),
    ("mnist_mlp", "infer", 128),
]
MODELS = {
    "digits_mlp": os.path.join(ROOT, "examples", "digits_mlp.nn"),
    "mnist_mlp": os.path.join(HERE, "models", "mnist_mlp.nn"),
    "lenet5": os.path.join(HERE, "models", "lenet5.nn"),
}
DESCRIPTIONS = {
    "digits_mlp": "digits MLP 64-128-10 (relu), softmax cross-entropy, "
                  "SGD lr 0.1 momentum 0.9",
    "mnist_mlp": "MNIST MLP 784-512-512-10 (relu), softmax cross-entropy, "
                 "SGD lr 0.01 momentum 0.9",
    "lenet5": "LeNet-5 on 1x28x28, no padding: conv 6@5x5, relu, maxpool 2, "
              "conv 16@5x5, relu, maxpool 2, dense 120, 84, 10 (relu), "
              "softmax cross-entropy, SGD lr 0.01 momentum 0.9",
}
PEERS = ("pytorch", "eigen+openblas")
IMPL_NAMES = {
    "adjoint": "Adjoint (AOT library)",
    "pytorch": "PyTorch eager",
    "eigen+openblas": "hand-written Eigen + OpenBLAS",
    "sgemm-sum": "OpenBLAS sgemm alone (sum of the matmuls)",
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_lines(cmd, env=None):
    """Runs cmd and returns its stdout's JSON lines."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         env=full_env, text=True).stdout
    return [json.loads(line) for line in out.splitlines()
            if line.startswith("{")]


# ------------------------------------------------------ a shared machine
#
# The machine may be shared (a build, tests). A 2-thread measurement on two
# cores is ruined by any third busy thread, so every measurement first waits
# for the CPUs to be idle, and afterwards computes how much CPU time other
# processes took while it ran (all busy time in /proc/stat minus the
# measured child's own); when that exceeds the cores the measurement left
# free by more than max_foreign, it is measured again, up to `tries` times
# (while the `budget` of waiting lasts), keeping the least disturbed attempt. Each record carries its
# `foreign_load`, and RESULTS.md reports them.

CLK_TCK = os.sysconf("SC_CLK_TCK")
QUIET = {"max_wait": 60.0, "max_foreign": 0.10, "tries": 4,
         "budget": 600.0}  # seconds of waiting and retrying in all


def cpu_busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / CLK_TCK


def wait_quiet():
    """Waits (at most QUIET["max_wait"] s) until the CPUs were idle (below
    0.05 busy cores) for 3 consecutive half-second samples."""
    start = time.monotonic()
    deadline = start + min(QUIET["max_wait"], QUIET["budget"])
    calm = 0
    busy, t = cpu_busy_seconds(), time.monotonic()
    while calm < 3 and time.monotonic() < deadline:
        time.sleep(0.5)
        busy2, t2 = cpu_busy_seconds(), time.monotonic()
        calm = calm + 1 if (busy2 - busy) / (t2 - t) < 0.05 else 0
        busy, t = busy2, t2
    QUIET["budget"] -= time.monotonic() - start


def run_guarded(cmd, env, what, threads):
    """run_lines, on a quiet machine, each record with its foreign_load.
    Other load counts as disturbing where it exceeds the cores that the
    measurement leaves free."""
    spare = max(0, (os.cpu_count() or 1) - threads)
    best = None
    for attempt in range(1, QUIET["tries"] + 1):
        wait_quiet()
        b0, c0, t0 = cpu_busy_seconds(), os.times(), time.monotonic()
        lines = run_lines(cmd, env)
        b1, c1, t1 = cpu_busy_seconds(), os.times(), time.monotonic()
        child = (c1.children_user + c1.children_system -
                 c0.children_user - c0.children_system)
        foreign = max(0.0, (b1 - b0) - child) / max(t1 - t0, 1e-3)
        for r in lines:
            r["foreign_load"] = round(foreign, 3)
            r["attempt"] = attempt
        if best is None or foreign < best[0]:
            best = (foreign, lines)
        if foreign - spare <= QUIET["max_foreign"] or QUIET["budget"] <= 0:
            break
        QUIET["budget"] -= t1 - t0
        log(f"{what}: other processes used {foreign:.2f} cores meanwhile; "
            "measuring again")
    return best[1]


def raise_priority():
    """Gives this run (and its children) priority over other work on the
    machine: nice -10, and the same for its autogroup, since with
    autogroups a nice value only counts within its session. The
    autogroup's previous value is restored at exit."""
    import atexit
    try:
        os.nice(-10)
        with open("/proc/self/autogroup") as f:
            old = f.read().split()[-1]
        with open("/proc/self/autogroup", "w") as f:
            f.write("-10")

        def restore():
            with open("/proc/self/autogroup", "w") as f:
                f.write(old)
        atexit.register(restore)
        return True
    except OSError as e:
        log(f"--priority: {e}")
        return False


def thread_env(threads):
    """Every thread pool a peer may use gets the same count."""
    t = str(threads)
    return {"OMP_NUM_THREADS": t, "OPENBLAS_NUM_THREADS": t,
            "MKL_NUM_THREADS": t, "ADJOINT_NUM_THREADS": t}


# The thread-pool configurations each peer is measured in at 2+ threads;
# the tables report the faster one. Both PyTorch and the hand-written step
# run OpenMP loops of their own next to the BLAS's threads, and Debian's
# default OpenBLAS (libopenblas0-pthread) keeps a second pool of threads
# that spin after each call: two spinning pools on two cores starve each
# other (10x slowdowns measured). So either OpenMP waits passively, or the
# OpenMP build of OpenBLAS (libopenblas0-openmp, selected per process
# through LD_LIBRARY_PATH, which also holds its libblas.so.3 for Debian's
# torch) shares one pool with the peer's own loops.
OPENMP_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
PEER_CONFIGS = {
    "pthread-blas": {"OMP_WAIT_POLICY": "passive"},
    "openmp-blas": {"LD_LIBRARY_PATH": OPENMP_BLAS_DIR},
}
CONFIG_NAMES = {
    "pthread-blas": "OpenBLAS pthreads, OpenMP passive",
    "openmp-blas": "OpenBLAS OpenMP build",
    "single": "1 thread",
}


def peer_configs(threads):
    """[(config name, environment)] for a peer at `threads`."""
    if threads == 1:
        return [("single", thread_env(1))]
    configs = []
    for name, extra in PEER_CONFIGS.items():
        if name == "openmp-blas" and not os.path.exists(
                os.path.join(OPENMP_BLAS_DIR, "libopenblas.so.0")):
            continue
        env = thread_env(threads)
        env.update(extra)
        configs.append((name, env))
    return configs


# ---------------------------------------------------------------- building

def stale(target, sources):
    if not os.path.exists(target):
        return True
    t = os.path.getmtime(target)
    return any(os.path.getmtime(s) > t for s in sources)


def compile_peer(name, flags, libs):
    src = os.path.join(HERE, "peers", name + ".cpp")
    out = os.path.join(BUILD, name)
    cmd = (["g++", "-O3", "-march=native", "-std=c++17", "-DNDEBUG"] + flags +
           [src, "-o", out] + libs)
    if stale(out, [src]):
        log("+ " + shlex.join(cmd))
        subprocess.run(cmd, check=True)
    return out, shlex.join(cmd)


def build_peers():
    os.makedirs(BUILD, exist_ok=True)
    eigen, eigen_cmd = compile_peer(
        "eigen_step", ["-fopenmp", "-isystem", EIGEN_INCLUDE, "-isystem",
                       OPENBLAS_INCLUDE], ["-lopenblas"])
    sgemm, sgemm_cmd = compile_peer(
        "sgemm_bench", ["-isystem", OPENBLAS_INCLUDE], ["-lopenblas"])
    peak = os.path.join(BUILD, "fma_peak")
    peak_src = os.path.join(HERE, "peers", "fma_peak.c")
    peak_cmd = ["gcc", "-O2", "-mavx2", "-mfma", peak_src, "-o", peak]
    if stale(peak, [peak_src]):
        log("+ " + shlex.join(peak_cmd))
        subprocess.run(peak_cmd, check=True)
    return {"eigen_step": eigen, "sgemm_bench": sgemm, "fma_peak": peak,
            "commands": [eigen_cmd, sgemm_cmd, shlex.join(peak_cmd)]}


def measure_peak(fma_peak):
    """Sets PEAK_PER_CORE (and PEAKS) from peers/fma_peak.c: the best of
    three runs, of the widest vectors the CPU has."""
    global PEAK_PER_CORE
    for _ in range(3):
        r = subprocess.run([fma_peak], stdout=subprocess.PIPE, text=True)
        if r.returncode != 0:
            continue
        for key, value in json.loads(r.stdout).items():
            if value is not None:
                PEAKS[key] = max(PEAKS.get(key, 0.0), value)
    if PEAKS:
        PEAK_PER_CORE = PEAKS.get("avx512_gflops", PEAKS.get("avx2_gflops"))


# ----------------------------------------------------------- Adjoint hook
#
# measure_adjoint(case, threads) is where Adjoint itself is measured. It
# compiles each network with `adjointc --emit=lib` and `--emit=header`, lets
# adjoint_glue.py write the call of <net>_train_step (or <net>_gradient when
# there is no training step; <net>_forward for inference) from the header,
# links adjoint_driver.c against the library, and runs it. When adjointc is
# missing or cannot make a library or header of the network yet, it returns
# None and the tables show "n/a".

ADJOINTC = os.path.join(ROOT, "build", "bin", "adjointc")
ADJOINT_OPT_LEVEL = "-O3"
_adjoint_builds = {}  # (network, mode) -> driver path, or None
_adjoint_failed = set()  # networks adjointc could not compile
_adjoint_notes = []   # why a measurement is missing, for RESULTS.md


def _adjoint_note(msg):
    if msg not in _adjoint_notes:
        _adjoint_notes.append(msg)
        log("adjoint: " + msg)


def build_adjoint_driver(network, mode):
    key = (network, mode)
    if key in _adjoint_builds:
        return _adjoint_builds[key]
    _adjoint_builds[key] = None
    if network in _adjoint_failed:
        return None
    if not os.access(ADJOINTC, os.X_OK):
        _adjoint_note(f"{ADJOINTC} does not exist")
        return None
    sys.path.insert(0, HERE)
    import adjoint_glue

    work = os.path.join(BUILD, "adjoint", network)
    os.makedirs(work, exist_ok=True)
    header = os.path.join(work, network + ".h")
    lib = os.path.join(work, f"lib{network}.so")
    model = MODELS[network]
    for emit, out in (("header", header), ("lib", lib)):
        # --openmp: large matmuls split over libomp's threads, as many as
        # OMP_NUM_THREADS (thread_env) says; at 1 thread the code is serial.
        cmd = [ADJOINTC, model, f"--emit={emit}", ADJOINT_OPT_LEVEL,
               "--openmp", "-o", out]
        if stale(out, [model, ADJOINTC]):
            log("+ " + shlex.join(cmd))
            r = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                _adjoint_note(f"`adjointc --emit={emit}` failed on "
                              f"{os.path.relpath(model, ROOT)}: "
                              f"{r.stdout.strip().splitlines()[-1:]}")
                for stale_out in (header, lib):
                    if os.path.exists(stale_out):
                        os.remove(stale_out)
                _adjoint_failed.add(network)
                return None
    with open(header) as f:
        text = f.read()
    functions = ["train_step", "gradient"] if mode == "train" else ["forward"]
    glue = None
    for function in functions:
        try:
            glue = adjoint_glue.generate_glue(text, network, function)
            break
        except adjoint_glue.GlueError as e:
            _adjoint_note(f"{network}: {e}")
    if glue is None:
        return None
    glue_path = os.path.join(work, f"glue_{mode}.inc")
    with open(glue_path, "w") as f:
        f.write(glue)
    driver = os.path.join(work, f"driver_{mode}")
    cmd = ["cc", "-O2", "-std=c11", "-I", work,
           f'-DADJOINT_GLUE="{os.path.basename(glue_path)}"',
           os.path.join(HERE, "adjoint_driver.c"), "-o", driver,
           "-L", work, f"-l{network}", f"-Wl,-rpath,{work}", "-lm"]
    log("+ " + shlex.join(cmd))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        _adjoint_note(f"{network}: the driver does not compile: "
                      f"{r.stdout.strip()[-500:]}")
        return None
    _adjoint_builds[key] = driver
    return driver


def measure_adjoint(case, threads, reps=15):
    """Adjoint on one case, as a JSON record like the peers', or None when
    the Adjoint driver is not available (the tables then say n/a)."""
    network, mode, batch = case
    driver = build_adjoint_driver(network, mode)
    if driver is None:
        return None
    cmd = [driver, "--case", network, "--mode", mode, "--batch", str(batch),
           "--threads", str(threads), "--reps", str(reps)]
    try:
        lines = run_guarded(cmd, thread_env(threads),
                            f"adjoint {network} {mode} {threads}T", threads)
    except subprocess.CalledProcessError as e:
        _adjoint_note(f"{network} {mode} N={batch}: the driver failed "
                      f"(exit {e.returncode})")
        return None
    return lines[0] if lines else None


# --------------------------------------------------------------- measuring

# The batch of each network's JIT compile measurement (its training case).
JIT_BATCH = {network: batch for network, mode, batch in CASES
             if mode == "train"}


def measure_jit_compile(only, runs=5):
    """Times the JIT's compilation of each network's @train_step at -O2 and
    1 thread: `adjoint-run --train --time-compile` on one batch of random
    inputs, `runs` times; returns {network: [seconds...]}."""
    import numpy as np
    adjoint_run = os.path.join(os.path.dirname(ADJOINTC), "adjoint-run")
    if not os.path.exists(adjoint_run):
        return {}
    shapes = {"digits_mlp": (64,), "mnist_mlp": (784,),
              "lenet5": (1, 28, 28)}
    times = {}
    for network, batch in JIT_BATCH.items():
        if only and network != only:
            continue
        folder = os.path.join(BUILD, "jit", network)
        os.makedirs(folder, exist_ok=True)
        rng = np.random.default_rng(0)
        x = os.path.join(folder, "x.npy")
        label = os.path.join(folder, "label.npy")
        np.save(x, rng.random((batch,) + shapes[network], dtype=np.float32))
        np.save(label, rng.integers(0, 10, batch).astype(np.int64))
        cmd = [adjoint_run, MODELS[network], "--train", "--epochs", "1",
               "--batch-size", str(batch), "--input", f"x={x}",
               "--input", f"label={label}", "--threads", "1",
               "--opt-level", "2", "--time-compile"]
        for _ in range(runs):
            wait_quiet()
            r = subprocess.run(cmd, capture_output=True, text=True)
            m = re.search(r"compiled @train_step in ([0-9.]+) s", r.stderr)
            if r.returncode != 0 or not m:
                log(f"error: {shlex.join(cmd)} failed:\n{r.stderr}")
                break
            times.setdefault(network, []).append(float(m.group(1)))
    return times


def measure_round(peers, threads_list, only, reps, round_index):
    """One round: every implementation at every thread count."""
    records = []
    # Alternate the order between rounds, so that slow drift of the
    # machine does not always favour the same implementation.
    impls = ["eigen", "torch", "adjoint"]
    if round_index % 2:
        impls.reverse()
    networks = [n for n in MODELS if not only or n == only]
    for threads in threads_list:
        for impl in impls:
            for network in networks:
                if impl in ("eigen", "torch"):
                    if impl == "eigen":
                        cmd = [peers["eigen_step"]]
                    else:
                        cmd = [PYTHON,
                               os.path.join(HERE, "peers", "torch_bench.py")]
                    cmd += ["--threads", str(threads), "--reps", str(reps),
                            "--case", network]
                    for config, env in peer_configs(threads):
                        lines = run_guarded(
                            cmd, env, f"{impl} {network} {threads}T {config}",
                            threads)
                        for r in lines:
                            r["config"] = config
                        records += lines
                else:
                    for case in CASES:
                        if case[0] != network:
                            continue
                        r = measure_adjoint(case, threads, reps)
                        if r is not None:
                            records.append(r)
        log(f"round {round_index + 1}: {threads} thread(s) done")
    for r in records:
        r["round"] = round_index
    return records


def measure_sgemm(peers, threads_list, reps):
    records = []
    for threads in threads_list:
        records += run_guarded([peers["sgemm_bench"], "--threads",
                                str(threads), "--reps", str(reps)],
                               thread_env(threads),
                               f"sgemm {threads}T", threads)
    return records


# ----------------------------------------------------------------- report

def machine_info():
    info = {}
    try:
        out = subprocess.run(["lscpu"], stdout=subprocess.PIPE,
                             text=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    except OSError:
        pass
    return info


def versions():
    v = {}
    try:
        v["g++"] = subprocess.run(["g++", "--version"], stdout=subprocess.PIPE,
                                  text=True).stdout.splitlines()[0]
    except OSError:
        pass
    try:
        v["torch"] = subprocess.run(
            [PYTHON, "-c", "import torch; print(torch.__version__)"],
            stdout=subprocess.PIPE, text=True).stdout.strip()
    except OSError:
        pass
    try:
        import ctypes
        blas = ctypes.CDLL("libopenblas.so.0")
        blas.openblas_get_config.restype = ctypes.c_char_p
        v["OpenBLAS"] = blas.openblas_get_config().decode()
    except OSError:
        pass
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}",
                              "libeigen3-dev"], stdout=subprocess.PIPE,
                             text=True).stdout
        v["Eigen"] = out.strip()
    except OSError:
        pass
    return v


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt_ms(ms):
    if ms is None:
        return "n/a"
    if ms < 0.1:
        return f"{ms * 1000:.1f} us"
    return f"{ms:.3f} ms"


def case_flops(sgemm, case):
    network, mode, batch = case
    return sum(2.0 * r["m"] * r["n"] * r["k"] for r in sgemm
               if (r["case"], r["mode"], r["batch"]) == case
               and r["threads"] == sgemm[0]["threads"])


class Entry:
    """One implementation on one case at one thread count: the median over
    rounds of the fastest configuration, and what it was made of."""

    def __init__(self, config, medians, foreign, others):
        self.median = statistics.median(medians)
        self.config = config
        self.medians = medians
        self.foreign = foreign
        self.others = others  # {other config: its median}


def aggregate(records):
    """{(case, impl, threads): Entry}"""
    groups = {}
    for r in records:
        key = ((r["case"], r["mode"], r["batch"]), r["impl"], r["threads"])
        config = r.get("config", "-")
        g = groups.setdefault(key, {}).setdefault(config, ([], []))
        g[0].append(r["median_ms"])
        g[1].append(r.get("foreign_load", 0.0))
    result = {}
    for key, configs in groups.items():
        medians = {c: statistics.median(v[0]) for c, v in configs.items()}
        best = min(medians, key=medians.get)
        others = {c: m for c, m in medians.items() if c != best}
        result[key] = Entry(best, configs[best][0], configs[best][1], others)
    return result


def best_peer(agg, case, threads):
    """(median, impl) of the fastest peer on case at threads, or None."""
    times = [(agg[(case, p, threads)].median, p) for p in PEERS
             if (case, p, threads) in agg]
    return min(times) if times else None


def write_results(path, args, command, records, sgemm, peers, info, vers,
                  loads, elapsed, check_status, jit_times):
    agg = aggregate(records)
    threads_list = args.threads
    cases = [c for c in CASES if not args.case or c[0] == args.case]
    # The sgemm-only lower bound of each case: the sum of its products.
    sgemm_sum = {}
    for r in sgemm:
        key = ((r["case"], r["mode"], r["batch"]), r["threads"])
        sgemm_sum[key] = sgemm_sum.get(key, 0.0) + r["median_ms"]

    L = []
    L.append("# Benchmark results (issue 7)")
    L.append("")
    L.append(f"Made by `{command}` (from the repository root) on "
             f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, in "
             f"{elapsed:.0f} s. Each number is the median over {args.rounds} "
             f"rounds of the median of {args.reps} repetitions (one "
             "repetition: enough back-to-back calls for about 20 ms); "
             "**ratio** is the time over the best peer's (PyTorch or the "
             "hand-written step) at the same thread count, so lower is "
             "better and 1.00 is the best peer. See bench/README.md for "
             "what each implementation is.")
    L.append("")
    L.append("At 2 threads each peer is measured in two thread-pool "
             "configurations (OpenBLAS's pthreads build with OpenMP waiting "
             "passively, and OpenBLAS's OpenMP build) and the faster one is "
             "shown, the other in parentheses. Every measurement waits for "
             "idle CPUs first; **other load** is the most CPU (in cores) "
             "that other processes took during the rounds shown, measured "
             "from /proc/stat: above 0.1 a number is disturbed, and the "
             "2-thread numbers most.")
    L.append("")
    L.append("## Machine")
    L.append("")
    for key in ("Model name", "CPU(s)", "Thread(s) per core",
                "Hypervisor vendor", "L1d cache", "L2 cache", "L3 cache"):
        if key in info:
            L.append(f"- {key}: {info[key]}")
    flags = info.get("Flags", "").split()
    L.append("- SIMD: " + ", ".join(f for f in ("avx2", "fma", "avx512f")
                                     if f in flags))
    if PEAKS:
        widths = [f"{PEAKS['avx2_gflops']:.0f} GFLOP/s with AVX2 (8 lanes)"]
        if "avx512_gflops" in PEAKS:
            widths.append(f"{PEAKS['avx512_gflops']:.0f} with AVX-512 "
                          "(16 lanes, which Adjoint's kernels use on this "
                          "CPU; OpenBLAS 0.3.21 runs its AVX2 kernels)")
        L.append("- f32 FMA peak per core, measured (bench/peers/"
                 "fma_peak.c): " + "; ".join(widths) + f". Percentages of "
                 f"peak below are of {PEAK_PER_CORE:.0f}")
    else:
        L.append(f"- f32 FMA peak assumed: {PEAK_PER_CORE:.0f} GFLOP/s per "
                 "core (the measurement failed)")
    L.append(f"- load average before / after the run: {loads[0]} / "
             f"{loads[1]}")
    foreign = [r.get("foreign_load", 0.0) for r in records + sgemm]
    if foreign:
        L.append(f"- CPU taken by other processes during the measurements: "
                 f"median {statistics.median(foreign):.2f} cores, max "
                 f"{max(foreign):.2f}; run "
                 + ("at raised priority (`--priority`)" if args.priority
                    else "at normal priority"))
        if statistics.median(foreign) > 0.3:
            L.append("- **Warning:** other work kept the machine busy during "
                     "this run, so these numbers are slower and noisier "
                     "than an idle machine gives, the 2-thread ones most "
                     "(a 2-thread measurement did not have two cores to "
                     "itself). Rerun on an idle machine.")
    for k, v in vers.items():
        L.append(f"- {k}: {v}")
    L.append(f"- Python: {platform.python_version()}")
    L.append("")
    L.append("Peers built with:")
    L.append("")
    L.append("```")
    L.extend(peers["commands"])
    L.append("```")
    L.append("")
    L.append(f"Gradient check of the hand-written step against PyTorch "
             f"(bench/check_grads.py): **{check_status}**.")
    L.append("")
    L.append("Adjoint: " + ("measured through bench/adjoint_driver.c "
                            f"(library from `adjointc --emit=lib "
                            f"{ADJOINT_OPT_LEVEL}`, dynamic batch size)."
                            if not _adjoint_notes else
                            "not measured (\"n/a\"): " +
                            "; ".join(_adjoint_notes)))
    L.append("")

    # Summary.
    L.append("## Summary: Adjoint's time over the best peer's")
    L.append("")
    head = "| case | " + " | ".join(f"{t} thread{'s' if t > 1 else ''}"
                                    for t in threads_list) + " |"
    L.append(head)
    L.append("|---|" + "---|" * len(threads_list))
    for case in cases:
        cells = []
        for t in threads_list:
            best = best_peer(agg, case, t)
            mine = agg.get((case, "adjoint", t))
            if best is None:
                cells.append("n/a")
            elif mine is None:
                cells.append(f"n/a (best: {best[1]}, {fmt_ms(best[0])})")
            else:
                cells.append(f"{mine.median / best[0]:.2f}x (best: {best[1]}, "
                             f"{fmt_ms(best[0])})")
        L.append(f"| {case[0]} {case[1]} N={case[2]} | " + " | ".join(cells)
                 + " |")
    L.append("")

    # A table per case.
    L.append("## Per case")
    for case in cases:
        network, mode, batch = case
        what = "training step (forward + backward + SGD update)" \
            if mode == "train" else "inference (forward only)"
        flops = case_flops(sgemm, case) if sgemm else 0.0
        L.append("")
        L.append(f"### {network}, {what}, batch {batch}")
        L.append("")
        L.append(DESCRIPTIONS[network] + ". Matmul work: "
                 f"{flops / 1e6:.2f} MFLOP per call.")
        L.append("")
        L.append("| implementation | threads | median | ratio to best peer | "
                 "matmul GFLOP/s | rounds (min .. max) | other load | "
                 "thread pools |")
        L.append("|---|---|---|---|---|---|---|---|")
        for t in threads_list:
            best = best_peer(agg, case, t)
            best = best[0] if best else None
            for impl in ("adjoint",) + PEERS + ("sgemm-sum",):
                spread = load = config = "-"
                if impl == "sgemm-sum":
                    ms = sgemm_sum.get((case, t))
                else:
                    entry = agg.get((case, impl, t))
                    ms = entry.median if entry else None
                    if entry:
                        spread = (f"{fmt_ms(min(entry.medians))} .. "
                                  f"{fmt_ms(max(entry.medians))}")
                        load = f"{max(entry.foreign):.2f}"
                        config = CONFIG_NAMES.get(entry.config, entry.config)
                        for other, m in entry.others.items():
                            config += (f" (other: "
                                       f"{CONFIG_NAMES.get(other, other)}, "
                                       f"{fmt_ms(m)})")
                ratio = f"{ms / best:.2f}" if ms and best else "n/a"
                rate = f"{flops / (ms * 1e6):.1f}" if ms and flops else "n/a"
                L.append(f"| {IMPL_NAMES[impl]} | {t} | {fmt_ms(ms)} | "
                         f"{ratio} | {rate} | {spread} | {load} | {config} |")

    # sgemm alone.
    if sgemm:
        L.append("")
        L.append("## OpenBLAS sgemm alone, per product")
        L.append("")
        L.append("Row-major `C[m, n] = op(A)[m, k] op(B)[k, n]`; trans is "
                 "(op A, op B): NT is a dense forward `x W^T`, TN a weight "
                 "gradient `dy^T x`, NN an input gradient `dy W`; for LeNet's "
                 "convolutions (im2col over the batch) NN is the forward, NT "
                 "the weight gradient, TN the gradient of the columns. "
                 f"% peak is of {PEAK_PER_CORE:.0f} GFLOP/s per thread.")
        for case in cases:
            rows = [r for r in sgemm if (r["case"], r["mode"], r["batch"])
                    == case]
            if not rows:
                continue
            L.append("")
            L.append(f"### {case[0]} {case[1]} N={case[2]}")
            L.append("")
            hdr = "| product | m x n x k | trans |"
            sep = "|---|---|---|"
            for t in threads_list:
                hdr += f" {t}T time | {t}T GFLOP/s | {t}T % peak |"
                sep += "---|---|---|"
            L.append(hdr)
            L.append(sep)
            ops = []
            for r in rows:
                if r["op"] not in ops:
                    ops.append(r["op"])
            for op in ops:
                first = next(r for r in rows if r["op"] == op)
                line = (f"| {op} | {first['m']} x {first['n']} x "
                        f"{first['k']} | {first['trans']} |")
                for t in threads_list:
                    r = next((r for r in rows if r["op"] == op
                              and r["threads"] == t), None)
                    if r is None:
                        line += " n/a | n/a | n/a |"
                        continue
                    pct = 100.0 * r["gflops"] / (PEAK_PER_CORE * t)
                    line += (f" {fmt_ms(r['median_ms'])} | {r['gflops']:.1f}"
                             f" | {pct:.0f}% |")
                L.append(line)
            line = "| **sum** | | |"
            for t in threads_list:
                total = sgemm_sum.get((case, t))
                fl = case_flops(sgemm, case)
                if total:
                    g = fl / (total * 1e6)
                    line += (f" {fmt_ms(total)} | {g:.1f} | "
                             f"{100 * g / (PEAK_PER_CORE * t):.0f}% |")
                else:
                    line += " n/a | n/a | n/a |"
            L.append(line)
    L.append("")
    if jit_times:
        L.append("## JIT compile time")
        L.append("")
        L.append("`adjoint-run MODEL --train --epochs 1 --threads 1 "
                 "--opt-level 2 --time-compile` on one batch: the time from "
                 "the nn module to native @train_step (lowering, LLVM's "
                 "optimizer and code generator), over "
                 f"{max(len(t) for t in jit_times.values())} runs. The "
                 "spread is the machine's (a shared virtual machine): the "
                 "same command takes 0.8 or 1.3 s of CPU from run to run.")
        L.append("")
        L.append("| network | batch | median | min | max |")
        L.append("|---|---|---|---|---|")
        for network, t in jit_times.items():
            L.append(f"| {network} | {JIT_BATCH[network]} | "
                     f"{statistics.median(t):.2f} s | {min(t):.2f} s | "
                     f"{max(t):.2f} s |")
        L.append("")
    L.append("The raw JSON lines of this run are in bench/build/results.jsonl "
             "(not committed).")
    L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--threads", default="1,2",
                        type=lambda s: [int(t) for t in s.split(",")])
    parser.add_argument("--case", choices=sorted(MODELS))
    parser.add_argument("--skip-check", action="store_true")
    parser.add_argument("--no-adjoint", action="store_true")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument("--patience", type=float, default=600.0,
                        help="seconds to spend in all on waiting for an idle "
                        "machine and on measuring again")
    parser.add_argument("--priority", action="store_true",
                        help="run at nice -10 (also for the autogroup): "
                        "other work on a shared machine then disturbs less")
    args = parser.parse_args()
    QUIET["budget"] = args.patience
    if args.priority:
        args.priority = raise_priority()
    command = shlex.join([PYTHON, os.path.relpath(os.path.abspath(sys.argv[0]),
                                                  ROOT)] + sys.argv[1:])
    start = time.time()
    loads = [load_average()]
    peers = build_peers()
    measure_peak(peers["fma_peak"])

    check_status = "skipped"
    if not args.skip_check:
        r = subprocess.run([PYTHON, os.path.join(HERE, "check_grads.py"),
                            "--eigen-step", peers["eigen_step"],
                            "--self-test"])
        if r.returncode != 0:
            log("error: the hand-written step does not match PyTorch")
            return 1
        check_status = "passed (losses and parameter updates after 2 steps " \
                       "of every network; the self-test's corruption was " \
                       "detected)"

    if args.no_adjoint:
        global ADJOINTC
        ADJOINTC = "/nonexistent (--no-adjoint)"
    records = []
    for i in range(args.rounds):
        records += measure_round(peers, args.threads, args.case, args.reps, i)
    sgemm = measure_sgemm(peers, args.threads, args.reps)
    jit_times = {} if args.no_adjoint else measure_jit_compile(args.case)
    loads.append(load_average())
    with open(os.path.join(BUILD, "results.jsonl"), "w") as f:
        for r in records + sgemm:
            f.write(json.dumps(r) + "\n")
    write_results(args.output, args, command, records, sgemm, peers,
                  machine_info(), versions(), loads, time.time() - start,
                  check_status, jit_times)
    log(f"wrote {os.path.relpath(args.output, ROOT)} "
        f"({time.time() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
