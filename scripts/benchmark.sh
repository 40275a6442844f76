#!/usr/bin/env bash
#===- benchmark.sh - quant-mlir int8 kernels against oneDNN ---------------===#
#
# Builds qnn-bench-int8, runs it (single thread, every benchmark repeated
# and interleaved at random so that the machine's drift hits all of them
# alike) and renders docs/benchmark.md and docs/benchmark.png from the
# medians.
#
#   bash scripts/benchmark.sh [build-dir] [repetitions]
#
# With --models, runs qnn-bench-models instead: full-size ResNet-50,
# ResNeXt-50, MobileNetV2 and a BERT layer against PyTorch, ONNX Runtime,
# IREE and LiteRT (the last three from pip, in the `python3` on PATH),
# rendering docs/benchmark-models.md and docs/benchmark-models.png.
#
#   bash scripts/benchmark.sh --models [build-dir] [repetitions]
#
# With --compile-time, runs benchmarks/compile_time.py: seconds and peak
# memory of --qnn-compile against the number of operations, and of the
# zoo and ResNet-50, rendering docs/benchmark-compile.md and .png.
#
#   bash scripts/benchmark.sh --compile-time [build-dir] [repetitions]
#
# With --binary, runs qnn-bench-binary: the binary and ternary kernels and
# layers against our int8 and f32 layers and a plain C xnor-popcount loop,
# plus llvm-mca's estimates of the AArch64 inner loops on neoverse-n1,
# rendering docs/benchmark-binary.md and docs/benchmark-binary.png (the raw
# results in docs/benchmark-binary.json).
#
#   bash scripts/benchmark.sh --binary [build-dir] [repetitions]
#
#===----------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${1:-}" == "--compile-time" ]]; then
  build=${2:-build}
  bash scripts/build.sh "$build"
  exec /usr/bin/python3 benchmarks/compile_time.py --build "$build" \
    --repeats "${3:-3}" --out docs
fi
if [[ "${1:-}" == "--binary" ]]; then
  build=${2:-build}
  bash scripts/build.sh "$build"
  # The raw results stay beside the page, so that it can be rendered again.
  out=docs/benchmark-binary.json
  mca=$(mktemp --suffix=.md)
  "$build/bin/qnn-bench-binary" \
    --benchmark_repetitions="${3:-5}" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_min_time=0.2 \
    --benchmark_out_format=json --benchmark_out="$out"
  bash scripts/mca-binary.sh "$build" > "$mca"
  /usr/bin/python3 scripts/render_benchmark_binary.py "$out" docs "$mca"
  rm -f "$mca"
  exit 0
fi
if [[ "${1:-}" == "--models" ]]; then
  build=${2:-build}
  bash scripts/build.sh "$build"
  exec /usr/bin/python3 benchmarks/models/qnn_bench_models.py \
    --build "$build" --repeats "${3:-20}" --out docs
fi
build=${1:-build}
repetitions=${2:-5}

bash scripts/build.sh "$build"
if [[ ! -x "$build/bin/qnn-bench-int8" ]]; then
  echo "benchmark: qnn-bench-int8 was not built: it needs Google Benchmark," \
    "oneDNN and the OpenCL headers (bash scripts/setup.sh installs them)" >&2
  exit 1
fi
out=$(mktemp --suffix=.json)
OMP_NUM_THREADS=1 "$build/bin/qnn-bench-int8" \
  --benchmark_repetitions="$repetitions" \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.2 \
  --benchmark_out_format=json --benchmark_out="$out"
/usr/bin/python3 scripts/render_benchmark.py "$out" docs
rm -f "$out"
