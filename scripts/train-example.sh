#!/usr/bin/env bash
# The main job: installs what is missing, builds, then compiles and trains the
# example network examples/digits_mlp.nn on the bundled digits data
# (data/digits): 20 epochs on the first 1500 samples, held-out accuracy on
# the last 297, each epoch printed. Writes the trained parameters, a CSV log
# and an SVG plot under OUT (default: build/digits_mlp).
#   scripts/train-example.sh [OUT]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}
export ADJOINT_BUILD_DIR=$build
out=${1:-$build/digits_mlp}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" adjointc adjoint-run

model=$root/examples/digits_mlp.nn
mkdir -p "$out/data"

# The split: the first 1500 samples train, the last 297 are held out.
/usr/bin/python3 "$root/test/Training/Inputs/training_check.py" split \
  "$root/data/digits" "$out/data" 1500

# The C interface of the compiled network, for the curious.
"$build/bin/adjointc" "$model" --emit=header -o "$out/digits_mlp.h"

"$build/bin/adjoint-run" "$model" --train --epochs 20 --batch-size 32 \
  --input x="$out/data/train_x.npy" --input label="$out/data/train_label.npy" \
  --val-input x="$out/data/val_x.npy" \
  --val-input label="$out/data/val_label.npy" \
  --save-params "$out/params" --log "$out/training.csv" \
  --plot "$out/training.svg"
echo "train-example: parameters in $out/params, log in $out/training.csv," \
  "plot in $out/training.svg"
