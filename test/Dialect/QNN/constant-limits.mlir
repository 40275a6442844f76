// RUN: quant-opt %s --qnn-store-weights -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-fold-calibration -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-eliminate-sparsity -split-input-file | FileCheck %s --check-prefix=SPARSE
// RUN: quant-opt %s --canonicalize -split-input-file | FileCheck %s --check-prefix=FOLD

// Constants are read element by element only up to 2^26 elements
// (docs/Limits.md); a splat quantized per tensor is one code at any size.
// Each of these once hung or ran out of memory.

// A splat of 10^18 elements becomes a splat of codes without being
// expanded.
// CHECK-LABEL: func.func @huge_splat_per_tensor
// CHECK: %[[CODES:.*]] = arith.constant dense<6> : tensor<1000000000x1000000000xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[CODES]]
// CHECK: quant.dcast %[[Q]]
// FOLD-LABEL: func.func @huge_splat_per_tensor
// FOLD: arith.constant dense<3.000000e-01> : tensor<1000000000x1000000000xf32>
// FOLD-NOT: qnn.fake_quant
func.func @huge_splat_per_tensor() -> tensor<1000000000x1000000000xf32> {
  %w = arith.constant dense<0.3> : tensor<1000000000x1000000000xf32>
  %q = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.05> : tensor<1000000000x1000000000xf32>
  return %q : tensor<1000000000x1000000000xf32>
}

// -----

// Per channel, a splat has a code per channel: too many elements to fold,
// it stays a fake quantization computed at run time.
// CHECK-LABEL: func.func @negative_huge_splat_per_channel
// CHECK: qnn.fake_quant
// FOLD-LABEL: func.func @negative_huge_splat_per_channel
// FOLD: qnn.fake_quant
func.func @negative_huge_splat_per_channel() -> tensor<2x2147483648xf32> {
  %w = arith.constant dense<0.3> : tensor<2x2147483648xf32>
  %q = qnn.fake_quant %w to !quant.uniform<i8:f32:0, {0.05, 0.1}> : tensor<2x2147483648xf32>
  return %q : tensor<2x2147483648xf32>
}

// -----

// Binarization and ternarization of huge constants stay operations.
// CHECK-LABEL: func.func @negative_huge_binarize
// CHECK: qnn.binarize
// CHECK: qnn.ternarize
// FOLD-LABEL: func.func @negative_huge_binarize
// FOLD: qnn.binarize
// FOLD: qnn.ternarize
func.func @negative_huge_binarize() -> (tensor<4x2147483648xf32>, tensor<4x2147483648xf32>) {
  %w = arith.constant dense<0.3> : tensor<4x2147483648xf32>
  %b = qnn.binarize %w : tensor<4x2147483648xf32>
  %t = qnn.ternarize %w : tensor<4x2147483648xf32>
  return %b, %t : tensor<4x2147483648xf32>, tensor<4x2147483648xf32>
}

// -----

// All-zero weights of 2^33 elements: sparsity elimination leaves them.
// SPARSE-LABEL: func.func @negative_huge_zero_weights
// SPARSE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x2147483648xf32>)
func.func @negative_huge_zero_weights(%x: tensor<2x4xf32>) -> tensor<2x2147483648xf32> {
  %w = arith.constant dense<0.0> : tensor<4x2147483648xf32>
  %z = arith.constant dense<0.0> : tensor<2x2147483648xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2147483648xf32>) outs(%z : tensor<2x2147483648xf32>) -> tensor<2x2147483648xf32>
  return %y : tensor<2x2147483648xf32>
}
