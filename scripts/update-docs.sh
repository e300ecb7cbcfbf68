#!/usr/bin/env bash
# Regenerates the reference pages that mlir-tblgen writes from ODS (the nn
# dialect's ops, the interfaces, the passes) and copies them into docs/, where
# they are committed. test/Dialect/NN/docs.test fails while docs/ is stale.
#   scripts/update-docs.sh        (build directory: build/ or $ADJOINT_BUILD_DIR)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}
export ADJOINT_BUILD_DIR=$build

"$root/scripts/build.sh" adjoint-doc

# add_mlir_doc writes <build>/docs/<folder>/<name>.md, beside CMake's own files.
cd "$build/docs"
find . -name CMakeFiles -prune -o -name '*.md' -print | sort | while read -r page; do
  mkdir -p "$root/docs/$(dirname "$page")"
  if ! cmp -s "$page" "$root/docs/$page"; then
    cp "$page" "$root/docs/$page"
    echo "update-docs: updated docs/${page#./}"
  fi
done
