#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the lit suite and the
# GoogleTest unit tests (`ninja check-adjoint`). Ends with the line
# `N passed, M failed` and exits non-zero unless every test passed.
#
# A test that lit skips (UNSUPPORTED: a feature it REQUIRES is missing) counts
# as failed: a missing install step must not turn into a green run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ADJOINT_BUILD_DIR:-$root/build}
export ADJOINT_BUILD_DIR=$build

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --show-unsupported names the skipped tests; --show-pass lists every test
# that ran, so that we can see the unit tests did.
status=0
LIT_OPTS="${LIT_OPTS:-} --show-unsupported --show-pass" \
  ninja -C "$build" check-adjoint 2>&1 | tee "$log" || status=$?

# lit's summary, after "Total Discovered Tests: N", has one line per result
# code, labels and counts padded: "  Passed     : 12 (92.31%)".
count() {
  awk -v what="$1" '
    /^Total Discovered Tests:/ { summary = 1; next }
    summary && /^  [A-Za-z ]+: *[0-9]+ \(/ {
      split($0, f, ":"); label = f[1]; gsub(/^ +| +$/, "", label)
      if (label == what) { split(f[2], n, " "); total += n[1] }
    }
    END { print total + 0 }' "$log"
}
if ! grep -q '^Total Discovered Tests:' "$log"; then
  echo "test: error: lit did not run (see the errors above)" >&2
  exit 1
fi
passed=$(($(count 'Passed') + $(count 'Expectedly Failed')))
skipped=$(($(count 'Unsupported') + $(count 'Skipped')))
failed=$(($(count 'Failed') + $(count 'Unexpectedly Passed') + \
  $(count 'Unresolved') + $(count 'Timed Out') + skipped))
if ((skipped > 0)); then
  echo "test: error: lit skipped $skipped tests (listed above as UNSUPPORTED);" \
    "install what they REQUIRE in scripts/packages.txt" >&2
fi
if ! grep -Eq '^(PASS: |  )ADJOINT-Unit :: ' "$log"; then
  echo "test: error: no GoogleTest unit test passed (is test/Unit in check-adjoint?)" >&2
  failed=$((failed + 1))
fi
if ((passed == 0)); then
  echo "test: error: no test ran" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
if ((status != 0 || failed != 0)); then
  exit 1
fi
