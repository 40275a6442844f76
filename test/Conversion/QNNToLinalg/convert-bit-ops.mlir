// RUN: quant-opt %s -split-input-file --convert-qnn-to-linalg | FileCheck %s

// qnn.bitpack: the row padded with +0.0 to whole words, split into words,
// and a reduction over the bits of each word that ors in the sign bits.

// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$WORD3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @bitpack
// CHECK-SAME: (%[[X:.*]]: tensor<?x40xf32>)
// CHECK: %[[PZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0] high[0, 24]
// CHECK: tensor.yield %[[PZERO]]
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 2, 32] : tensor<?x64xf32> into tensor<?x2x32xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<?x2xi32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[EMPTY]] : tensor<?x2xi32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$WORD3]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[SPLIT]] : tensor<?x2x32xf32>) outs(%[[INIT]] : tensor<?x2xi32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: i32):
// CHECK: %[[BIT:.*]] = linalg.index 2 : index
// CHECK: %[[SHIFT:.*]] = arith.index_cast %[[BIT]] : index to i32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[IN]], %{{.*}} : f32
// CHECK: %[[ONE:.*]] = arith.shli %{{.*}}, %[[SHIFT]] : i32
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[ONE]], %{{.*}} : i32
// CHECK: %[[OR:.*]] = arith.ori %[[ACC]], %[[SEL]] : i32
// CHECK: linalg.yield %[[OR]] : i32
// CHECK: return %[[P]]
func.func @bitpack(%x: tensor<?x40xf32>) -> tensor<?x2xi32> {
  %p = qnn.bitpack %x : tensor<?x40xf32> -> tensor<?x2xi32>
  return %p : tensor<?x2xi32>
}

// -----

// Whole words need no padding.
// CHECK-LABEL: func.func @bitpack_whole_words
// CHECK-NOT: tensor.pad
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 1, 64] : tensor<2x3x64xf32> into tensor<2x3x1x64xf32>
// CHECK: linalg.generic
// CHECK: linalg.index 3
// CHECK: arith.index_cast %{{.*}} : index to i64
func.func @bitpack_whole_words(%x: tensor<2x3x64xf32>) -> tensor<2x3x1xi64> {
  %p = qnn.bitpack %x : tensor<2x3x64xf32> -> tensor<2x3x1xi64>
  return %p : tensor<2x3x1xi64>
}

// -----

// qnn.bitunpack: each element reads its word and tests its bit.
// CHECK-DAG: #[[$WORD:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @bitunpack
// CHECK-SAME: (%[[P:.*]]: tensor<4x2xi32>)
// CHECK: %[[U:.*]] = linalg.generic {indexing_maps = [#[[$WORD]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[P]] : tensor<4x2xi32>)
// CHECK: ^bb0(%[[W:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[K:.*]] = linalg.index 1 : index
// CHECK: %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK: %[[POS:.*]] = arith.remui %[[KI]], %{{.*}} : i32
// CHECK: %[[SHR:.*]] = arith.shrui %[[W]], %[[POS]] : i32
// CHECK: %[[AND:.*]] = arith.andi %[[SHR]], %{{.*}} : i32
// CHECK: %[[SET:.*]] = arith.cmpi eq, %[[AND]], %{{.*}} : i32
// CHECK: %[[V:.*]] = arith.select %[[SET]], %{{.*}}, %{{.*}} : f32
// CHECK: linalg.yield %[[V]] : f32
// CHECK: return %[[U]]
func.func @bitunpack(%p: tensor<4x2xi32>) -> tensor<4x40xf32> {
  %u = qnn.bitunpack %p : tensor<4x2xi32> -> tensor<4x40xf32>
  return %u : tensor<4x40xf32>
}

// -----

// qnn.binary_matmul: accumulators filled with k, minus 2 * popcount per word.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @binary_matmul
// CHECK-SAME: (%[[LHS:.*]]: tensor<?x3xi64>, %[[RHS:.*]]: tensor<5x3xi64>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[M:.*]] = tensor.dim %[[LHS]], %[[C0]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[M]]) : tensor<?x5xi32>
// CHECK: %[[K:.*]] = arith.constant 150 : i32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[K]] : i32) outs(%[[EMPTY]] : tensor<?x5xi32>)
// CHECK: %[[D:.*]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[LHS]], %[[RHS]] : tensor<?x3xi64>, tensor<5x3xi64>) outs(%[[INIT]] : tensor<?x5xi32>)
// CHECK: ^bb0(%[[X:.*]]: i64, %[[Y:.*]]: i64, %[[ACC:.*]]: i32):
// CHECK: %[[XOR:.*]] = arith.xori %[[X]], %[[Y]] : i64
// CHECK: %[[POP:.*]] = math.ctpop %[[XOR]] : i64
// CHECK: %[[POP32:.*]] = arith.trunci %[[POP]] : i64 to i32
// CHECK: %[[TWICE:.*]] = arith.shli %[[POP32]], %{{.*}} : i32
// CHECK: %[[SUB:.*]] = arith.subi %[[ACC]], %[[TWICE]] : i32
// CHECK: linalg.yield %[[SUB]] : i32
// CHECK: return %[[D]]
func.func @binary_matmul(%a: tensor<?x3xi64>, %b: tensor<5x3xi64>) -> tensor<?x5xi32> {
  %d = qnn.binary_matmul %a, %b k = 150 : tensor<?x3xi64>, tensor<5x3xi64> -> tensor<?x5xi32>
  return %d : tensor<?x5xi32>
}

// -----

// qnn.ternary_matmul: accumulators start from each channel's nonzero
// weights (counted at compile time for a constant mask), minus
// 2 * popcount((a xor signs) and mask) per word.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @ternary_matmul_constant_mask
// CHECK-SAME: (%[[LHS:.*]]: tensor<4x2xi32>, %[[S:.*]]: tensor<3x2xi32>)
// CHECK: %[[Z:.*]] = arith.constant dense<{{\[}}[3, 0], [-1, 1], [0, 0]]> : tensor<3x2xi32>
// CHECK: %[[NNZ:.*]] = arith.constant dense<[2, 33, 0]> : tensor<3xi32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[NNZ]] : tensor<3xi32>) outs(%[[EMPTY]] : tensor<4x3xi32>) dimensions = [0]
// CHECK: %[[D:.*]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[LHS]], %[[S]], %[[Z]] : tensor<4x2xi32>, tensor<3x2xi32>, tensor<3x2xi32>) outs(%[[INIT]] : tensor<4x3xi32>)
// CHECK: ^bb0(%[[X:.*]]: i32, %[[SIGN:.*]]: i32, %[[MASK:.*]]: i32, %[[ACC:.*]]: i32):
// CHECK: %[[XOR:.*]] = arith.xori %[[X]], %[[SIGN]] : i32
// CHECK: %[[AND:.*]] = arith.andi %[[XOR]], %[[MASK]] : i32
// CHECK: %[[POP:.*]] = math.ctpop %[[AND]] : i32
// CHECK: %[[TWICE:.*]] = arith.shli %[[POP]], %{{.*}} : i32
// CHECK: %[[SUB:.*]] = arith.subi %[[ACC]], %[[TWICE]] : i32
// CHECK: linalg.yield %[[SUB]] : i32
// CHECK: return %[[D]]
func.func @ternary_matmul_constant_mask(%a: tensor<4x2xi32>, %s: tensor<3x2xi32>) -> tensor<4x3xi32> {
  %z = arith.constant dense<[[3, 0], [-1, 1], [0, 0]]> : tensor<3x2xi32>
  %d = qnn.ternary_matmul %a, %s, %z k = 40 : tensor<4x2xi32>, tensor<3x2xi32>, tensor<3x2xi32> -> tensor<4x3xi32>
  return %d : tensor<4x3xi32>
}

// -----

// A mask known at run time is counted by a reduction.
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @ternary_matmul_runtime_mask
// CHECK-SAME: (%[[LHS:.*]]: tensor<?x2xi32>, %[[S:.*]]: tensor<3x2xi32>, %[[Z:.*]]: tensor<3x2xi32>)
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<3xi32>)
// CHECK: %[[NNZ:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$CH]]], iterator_types = ["parallel", "reduction"]} ins(%[[Z]] : tensor<3x2xi32>) outs(%[[ZEROS]] : tensor<3xi32>)
// CHECK: ^bb0(%[[W:.*]]: i32, %[[SUM:.*]]: i32):
// CHECK: %[[POP:.*]] = math.ctpop %[[W]] : i32
// CHECK: %[[ADD:.*]] = arith.addi %[[SUM]], %[[POP]] : i32
// CHECK: linalg.yield %[[ADD]]
// CHECK: %[[M:.*]] = tensor.dim %[[LHS]], %{{.*}}
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[M]]) : tensor<?x3xi32>
// CHECK: linalg.broadcast ins(%[[NNZ]] : tensor<3xi32>) outs(%[[EMPTY]] : tensor<?x3xi32>) dimensions = [0]
func.func @ternary_matmul_runtime_mask(%a: tensor<?x2xi32>, %s: tensor<3x2xi32>, %z: tensor<3x2xi32>) -> tensor<?x3xi32> {
  %d = qnn.ternary_matmul %a, %s, %z k = 40 : tensor<?x2xi32>, tensor<3x2xi32>, tensor<3x2xi32> -> tensor<?x3xi32>
  return %d : tensor<?x3xi32>
}
