#!/usr/bin/env bash
#===- fuzz.sh - Run the libFuzzer target on the test suite's inputs -------===#
#
# Usage: scripts/fuzz.sh [build-dir] [seconds] [extra libFuzzer args...]
#
# Builds quant-fuzz (ASan + UBSan + coverage; build-dir defaults to
# build-asan), seeds its corpus with every input of the lit suite (one seed
# per -split-input-file chunk, comments stripped) and fuzzes for `seconds`
# (default 120); then quant-onnx-fuzz, the ONNX importer's target, seeded
# with the suite's ONNX models and ONNX's node tests, for a third of that. New inputs accumulate in <build-dir>/fuzz/corpus; a crash,
# hang, sanitizer report or out-of-memory leaves its input in
# <build-dir>/fuzz/findings and fails the run. docs/Testing.md turns a
# finding into a lit test.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-asan}"
seconds="${2:-120}"
shift $(($# < 2 ? $# : 2))

"$root/scripts/build.sh" "$build" \
  -DLLVM_USE_SANITIZER="Address;Undefined" -DLLVM_USE_SANITIZE_COVERAGE=ON
cmake --build "$build" --target quant-fuzz quant-onnx-fuzz

fuzz="$build/fuzz"
mkdir -p "$fuzz/seeds" "$fuzz/corpus" "$fuzz/findings"
python3 - "$root/test" "$fuzz/seeds" <<'PY'
import hashlib, pathlib, re, sys
tests, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = 0
for path in sorted(tests.rglob("*.mlir")):
    text = path.read_text(errors="replace")
    for chunk in re.split(r"^// -----\s*$", text, flags=re.M):
        body = "\n".join(l for l in chunk.splitlines()
                         if not l.lstrip().startswith("//")).strip()
        if not body or len(body) > 64 * 1024:
            continue
        digest = hashlib.sha1(body.encode()).hexdigest()
        (seeds / digest).write_text(body + "\n")
        count += 1
print(f"fuzz: {count} seeds from {tests}")
PY

# Leaks are not findings: MLIR keeps uniqued storage for the process.
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in
# instrumented code but not in Debian's uninstrumented libMLIR.so, which
# shares the allocators of MLIR's uniquer; poisoning by hand is ignored.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:allow_user_poisoning=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
# Runs libFuzzer target $1 on work directory $2 (corpus, seeds, findings,
# log) for $3 seconds with inputs up to $4 bytes; the rest of the script's
# arguments go to libFuzzer. Fails the script on a finding.
run_target() {
  local target=$1 dir=$2 time=$3 max_len=$4
  shift 4
  local status=0
  "$build/bin/$target" "$dir/corpus" "$dir/seeds" \
    -max_total_time="$time" -timeout=20 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$dir/findings/" "$@" 2>"$dir/log" || status=$?
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|ERROR|==ERROR|runtime error" \
    "$dir/log" | head -20 || true
  if ((status != 0)); then
    echo "fuzz: $target finding in $dir/findings (log: $dir/log)"
    tail -40 "$dir/log"
    exit 1
  fi
  echo "fuzz: $target: no findings in $time s"
}

run_target quant-fuzz "$fuzz" "$seconds" 65536 "$@"

# The ONNX importer, on the suite's ONNX models and ONNX's node tests, for
# a third of the time.
onnx="$build/fuzz-onnx"
mkdir -p "$onnx/seeds" "$onnx/corpus" "$onnx/findings"
find "$root/test" -name "*.onnx" \
  -size -1024k -exec cp {} "$onnx/seeds/" \; 2>/dev/null || true
# ONNX's node tests, all named model.onnx, by their directory.
for model in /usr/share/libonnx-testdata/data/node/test_*/model.onnx; do
  [[ -f "$model" ]] || continue
  cp "$model" "$onnx/seeds/$(basename "$(dirname "$model")").onnx"
done
echo "fuzz: $(ls "$onnx/seeds" | wc -l) ONNX seeds"
run_target quant-onnx-fuzz "$onnx" $(((seconds + 2) / 3)) 1048576 "$@"
