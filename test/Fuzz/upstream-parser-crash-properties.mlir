// RUN: not --crash mlir-opt %s 2>&1 | FileCheck %s

// Found by quant-fuzz, in upstream MLIR 22 rather than quant-mlir: the
// parser of the named structured linalg ops (matmul, convolutions, fill)
// reads `<...>` after the op name as its properties and uses them as a
// dictionary without checking. quant-fuzz skips such inputs
// (docs/Testing.md). When this test fails, upstream has fixed the parser:
// drop the skip in tools/quant-fuzz and this test.
// CHECK: Stack dump
// CHECK: custom op parser 'linalg.matmul'

func.func @matmul(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = linalg.matmul<[[5, 2], [0, 2]]> : tensor<2x2xi8>
  return %y : tensor<2x2xf32>
}
