#!/usr/bin/env bash
# Configures the build directory (build/, or $ADJOINT_BUILD_DIR) with Ninja in
# Release mode and builds the given targets (default: everything).
#   scripts/build.sh [TARGET...]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}

# Configure once; later runs let Ninja re-run CMake when a CMakeLists changes.
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
ninja -C "$build" "$@"
