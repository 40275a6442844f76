// RUN: not --crash mlir-opt %s --split-input-file 2>&1 | FileCheck %s

// Found by quant-fuzz, in upstream MLIR 22 rather than quant-mlir: the
// parsers of linalg.broadcast, linalg.transpose and linalg.reduce report
// a malformed `dimensions` or `permutation` list and then dereference the
// attribute they failed to parse. quant-opt uses the same parser and
// cannot intercept it; quant-fuzz skips such inputs so that it finds
// crashes of its own (docs/Testing.md). When this test fails, upstream
// has fixed the parser: drop the skip in tools/quant-fuzz and this test.
// CHECK: error: expected '['
// CHECK: Stack dump

func.func @broadcast(%b: tensor<8xf32>, %e: tensor<5x8xf32>) -> tensor<5x8xf32> {
  %0 = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<5x8xf32>) dimensions =0
  return %0 : tensor<5x8xf32>
}
