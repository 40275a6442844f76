#!/usr/bin/env bash
#===- test.sh - Build quant-mlir and run the whole lit suite --------------===#
#
# Usage: scripts/test.sh [build-dir] [extra cmake args...]
#
# Builds quant-opt, runs every lit test and ends with a line
# "N passed, N failed" computed from lit's per-test results. Exits non-zero
# when any test fails or unexpectedly passes.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"

"$root/scripts/build.sh" "$@"

results="$build/test-results.json"
rm -f "$results"
status=0
# For a sanitizer build: LLVM's BumpPtrAllocator poisons memory in
# instrumented code but not in Debian's libMLIR.so, with which it shares
# MLIR's allocators; ASan ignores poisoning by hand.
export ASAN_OPTIONS="allow_user_poisoning=0:${ASAN_OPTIONS:-}"
/usr/lib/llvm-22/bin/lit -sv --output "$results" "$build/test" || status=$?

if [[ ! -f "$results" ]]; then
  echo "test: lit wrote no results"
  echo "0 passed, 1 failed"
  exit 1
fi

python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
ok = {"PASS", "XFAIL"}
skip = {"UNSUPPORTED"}
passed = sum(t["code"] in ok for t in tests)
skipped = sum(t["code"] in skip for t in tests)
failed = len(tests) - passed - skipped
if skipped:
    print(f"{skipped} skipped (unsupported on this machine)")
print(f"{passed} passed, {failed} failed")
PY
exit "$status"
