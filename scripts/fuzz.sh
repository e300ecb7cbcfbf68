#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (a CMake project of its own, built
# with clang++-22 and -fsanitize=fuzzer,address,undefined) and runs each for a
# bounded time on its seed corpus. docs/reliability.md describes them and
# records what runs found.
#
#   scripts/fuzz.sh [SECONDS] [FUZZER...]
#
# SECONDS is the time per fuzzer (default 150); FUZZER is any of nn, npy,
# onnx, ir (default: all four). The build goes to build-fuzz/ (or
# $ADJOINT_FUZZ_BUILD_DIR) with one compile job (-j1, or $ADJOINT_FUZZ_JOBS).
# The corpus a run grows goes to $build/corpus/NAME, seeded from
# fuzz/corpus/NAME (which is not modified); crashes, leaks and timeouts are
# written as $build/artifacts/NAME/crash-* (leak-*, timeout-*, oom-*), and
# each run's log to $build/logs/NAME.log. Exits non-zero when a fuzzer found
# something.
#
# Needs clang-22 and libclang-rt-22-dev (apt-get install clang-22
# libclang-rt-22-dev), besides what the main build needs. The test suite does
# not: these are not in scripts/packages.txt.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${ADJOINT_FUZZ_JOBS:-1}
seconds=${1:-150}
shift || true
fuzzers=("$@")
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  fuzzers=(nn npy onnx ir)
fi

for tool in clang-22 clang++-22; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool not found (apt-get install clang-22 libclang-rt-22-dev)" >&2
    exit 1
  fi
done

if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root/fuzz" -B "$build"
fi
ninja -C "$build" -j "$jobs" "${fuzzers[@]/#/fuzz-}"

# UBSan reports are fatal (-fno-sanitize-recover at compile time); leaks are
# findings too. The JIT is not linked into the fuzzers, so leak detection
# stays on here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
for name in "${fuzzers[@]}"; do
  corpus=$build/corpus/$name
  artifacts=$build/artifacts/$name
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  log=$build/logs/$name.log
  echo "== fuzz-$name: $seconds s (log: $log)"
  # -rss_limit_mb: an input that makes the reader allocate gigabytes is a
  # finding. -timeout: one input that takes more than 10 s is one too.
  # -dict: the keywords of the format, where there is a dictionary.
  dict=()
  if [[ -f $root/fuzz/dict/$name.dict ]]; then
    dict=(-dict="$root/fuzz/dict/$name.dict")
  fi
  if "$build/fuzz-$name" "$corpus" "$root/fuzz/corpus/$name" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -max_len=65536 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$artifacts/" >"$log" 2>&1; then
    :
  else
    status=1
    echo "   fuzz-$name stopped on a finding: see $log and $artifacts" >&2
  fi
  # The last status line and the final statistics.
  grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
done
exit $status
