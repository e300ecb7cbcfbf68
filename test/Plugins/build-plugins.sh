#!/usr/bin/env bash
# Installs the Adjoint build into OUT/prefix and builds examples/plugins out of
# tree against that install, into OUT/build (OUT/build/lib/*.so):
#
#   build-plugins.sh BUILD_DIR SOURCE_DIR OUT CC CXX CMAKE NINJA
#
# Every test of test/Plugins calls it first; a lock makes the first caller do
# the work while the others wait, and later calls find everything up to date
# (cmake --install copies only what changed, ninja rebuilds only what changed).
# The logs stay in OUT/*.log; on failure the end of the log is printed. The
# plugins build with one job: the lit tests and other builds share the
# machine (CI has two cores), and the three plugins are six small files.
set -euo pipefail

if [[ $# -ne 7 ]]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR OUT CC CXX CMAKE NINJA" >&2
  exit 2
fi
build=$1 source=$2 out=$3 cc=$4 cxx=$5 cmake=$6 ninja=$7

mkdir -p "$out"
exec 9>"$out/lock"
flock 9

# Runs a step with its output in OUT/LOG; prints the log's end on failure.
step() {
  local log=$1
  shift
  if ! "$@" >"$out/$log" 2>&1; then
    echo "error: build-plugins.sh: '$*' failed; the end of $out/$log:" >&2
    tail -n 30 "$out/$log" >&2
    exit 1
  fi
}

step install.log "$cmake" --install "$build" --prefix "$out/prefix"
if [[ ! -f "$out/build/build.ninja" ]]; then
  step configure.log "$cmake" -G Ninja -S "$source/examples/plugins" \
    -B "$out/build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DAdjoint_DIR="$out/prefix/lib/cmake/adjoint"
fi
step build.log "$ninja" -C "$out/build" -j 1
