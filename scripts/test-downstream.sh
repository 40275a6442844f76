#!/usr/bin/env bash
#===- test-downstream.sh - Build a project against the installed package ===#
#
# Usage: scripts/test-downstream.sh [build-dir]
#
# Installs the build in build-dir (default: build, built by scripts/build.sh)
# under build-dir/install, configures and builds examples/downstream (its own
# opt tool linking QuantMLIR::QuantMLIR through find_package(QuantMLIR)) and
# runs its lit tests. Ends with "N passed, N failed".
#
#===----------------------------------------------------------------------===#
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
llvm=/usr/lib/llvm-22
prefix="$build/install"
downstream="$build/downstream"

export CCACHE_BASEDIR="$root"
export CCACHE_NOHASHDIR=1

fail() {
  echo "test-downstream: $1"
  echo "0 passed, 1 failed"
  exit 1
}

rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null ||
  fail "cmake --install failed"
if [[ ! -f "$downstream/build.ninja" ]]; then
  cmake -G Ninja -S "$root/examples/downstream" -B "$downstream" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$llvm/bin/clang" \
    -DCMAKE_CXX_COMPILER="$llvm/bin/clang++" \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR="$llvm/lib/cmake/mlir" \
    -DQuantMLIR_DIR="$prefix/lib/cmake/QuantMLIR" ||
    fail "configuring examples/downstream failed"
fi
cmake --build "$downstream" --target my-opt ||
  fail "building examples/downstream failed"

results="$downstream/test-results.json"
rm -f "$results"
status=0
"$llvm/bin/lit" -sv --output "$results" "$downstream/test" || status=$?
[[ -f "$results" ]] || fail "lit wrote no results"
python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
passed = sum(t["code"] in {"PASS", "XFAIL"} for t in tests)
print(f"{passed} passed, {len(tests) - passed} failed")
PY
exit "$status"
