#!/usr/bin/env bash
# Builds Adjoint with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DADJOINT_SANITIZE=address,undefined) and assertions, in build-asan/ (or
# $ADJOINT_ASAN_BUILD_DIR), and runs the lit suite and the unit tests there.
#
#   scripts/sanitize.sh [LIT_PATH...]
#
# LIT_PATH narrows the run to part of the suite, relative to test/ (for
# example BadInput Frontend); the default is all of it. The build uses one
# compile job unless $ADJOINT_ASAN_JOBS says otherwise: it is a full build of
# the project, which takes a long time on a small machine.
# docs/reliability.md says what the options below are for.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${ADJOINT_ASAN_JOBS:-1}

# RelWithDebInfo with -O1 and without -DNDEBUG: the project's assertions
# (and those inlined from LLVM's and MLIR's headers) are on, which a sanitizer
# build should check as well.
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DADJOINT_SANITIZE=address,undefined \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
# adjoint-doc: test/Dialect/NN/docs.test compares the committed reference
# pages with the ones this build generates.
ninja -C "$build" -j "$jobs" all adjoint-doc

# detect_leaks=0: LLVM and MLIR keep process-lifetime singletons (pass and
# dialect registries, cl::opt storage, ManagedStatics) and the JIT's engine
# and the code it maps are torn down at exit in an order LeakSanitizer reports
# as leaks; with every tool running the JIT, those reports would drown real
# ones. Leaks in the readers are looked for by the fuzzers instead (fuzz/,
# scripts/fuzz.sh), which do not link the JIT.
# verify_asan_link_order=0: programs that the tests build with %cc and
# Python's ctypes load the instrumented libraries into a process whose
# executable is not instrumented, so the ASan runtime is not first in the
# library list.
# UBSan: every report is fatal and comes with a stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:verify_asan_link_order=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

paths=()
for p in "$@"; do
  paths+=("$build/test/$p")
done
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=("$build/test" "$build/test/Unit")
fi
/usr/lib/llvm-22/bin/lit -sv "${paths[@]}"
