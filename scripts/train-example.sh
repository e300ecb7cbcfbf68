#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the example network
# examples/digits_mlp.nn on the bundled digits data (data/digits).
#
# Training is not there yet: adjoint-run has not landed. For now this
# compiles the example to the nn dialect and builds its gradient and SGD
# training step as IR. When `adjoint-run --train` lands, the last command
# becomes:
#   adjoint-run "$model" --train --epochs 20 --batch-size 32 \
#     --input x=... --input label=... --save-params "$out/params"
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}
export ADJOINT_BUILD_DIR=$build
out=${1:-$build/digits_mlp}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" adjointc adjoint-opt

model=$root/examples/digits_mlp.nn
mkdir -p "$out"

# Until adjoint-run lands, the main job stops at the IR of the training step:
# the forward pass from the frontend, then the synthesized gradient and the
# SGD update of the model's optimizer statement.
"$build/bin/adjointc" "$model" --emit=nn -o "$out/digits_mlp.mlir"
echo "train-example: wrote $out/digits_mlp.mlir"

"$build/bin/adjoint-opt" "$out/digits_mlp.mlir" \
  --nn-adjoint --nn-train-step --canonicalize --cse \
  -o "$out/digits_mlp.train.mlir"
echo "train-example: wrote the gradient and training step to" \
  "$out/digits_mlp.train.mlir"
