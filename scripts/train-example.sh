#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the example network
# examples/digits_mlp.nn on the bundled digits data (data/digits).
#
# Training is not there yet: for now this compiles the example to the nn
# dialect and runs its forward pass and gradient on the data with the
# reference interpreter. When `adjoint-run --train` lands, the last command
# becomes:
#   adjoint-run "$model" --train --epochs 20 --batch-size 32 \
#     --input x=... --input label=... --save-params "$out/params"
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}
export ADJOINT_BUILD_DIR=$build
out=${1:-$build/digits_mlp}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" adjointc adjoint-run

model=$root/examples/digits_mlp.nn
data=$root/data/digits
mkdir -p "$out"

"$build/bin/adjointc" "$model" --emit=nn -o "$out/digits_mlp.mlir"
echo "train-example: wrote $out/digits_mlp.mlir"

"$build/bin/adjoint-run" "$model" --engine=interp --grad \
  --input "x=$data/images.npy" --input "label=$data/labels.npy" \
  --out "$out/run"
echo "train-example: wrote the outputs, loss and gradients under $out/run"
