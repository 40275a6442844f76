// RUN: not --crash mlir-opt %s 2>&1 | FileCheck %s

// The same upstream crash as upstream-parser-crash.mlir, reached through
// a form feed before the list, which the MLIR lexer rejects as an
// unexpected character (quant-fuzz found it: its skip of malformed lists
// trimmed form feeds as whitespace, which MLIR's lexer does not).
// CHECK: error: unexpected character
// CHECK: Stack dump

func.func @broadcast(%b: tensor<8xf32>, %e: tensor<5x8xf32>) -> tensor<5x8xf32> {
  %0 = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<5x8xf32>) dimensions = [0]
  return %0 : tensor<5x8xf32>
}
