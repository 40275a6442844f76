// RUN: quant-opt %s --qnn-store-weights -split-input-file | FileCheck %s

// A fake-quantized constant weight is stored as int8 codes; the module no
// longer holds the float weight. 0.31 / 0.0035 = 88.57 -> 89, -34.3 -> -34,
// 14.3 -> 14, 125.7 -> 126.
// CHECK-LABEL: func.func @store_fake_quant_weight
// CHECK-NOT: 3.100000e-01
// CHECK: %[[CODES:.*]] = arith.constant dense<{{\[}}[89, -34], [14, 126]]> : tensor<2x2xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[CODES]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 3.500000e-03>>
// CHECK: %[[W:.*]] = quant.dcast %[[Q]] : tensor<2x2x!quant.uniform<i8:f32, 3.500000e-03>> to tensor<2x2xf32>
// CHECK: return %[[W]]
func.func @store_fake_quant_weight() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[0.31, -0.12], [0.05, 0.44]]> : tensor<2x2xf32>
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Per-axis weights keep their per-axis type.
// CHECK-LABEL: func.func @store_per_axis_weight
// CHECK: arith.constant dense<{{\[}}[2, -128], [10, 127]]> : tensor<2x2xi8>
// CHECK: quant.scast %{{.*}} : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {5.000000e-01,1.000000e-01:3}>>
func.func @store_per_axis_weight() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -20.0], [5.0, 20.0]]> : tensor<2x2xf32>
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32:1, {0.5, 0.1:3}> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Binary weights: {-1, +1} codes in i2 with the per-row mean |w| as scale.
// CHECK-LABEL: func.func @store_binary_weight
// CHECK: arith.constant dense<{{\[}}[1, -1, 1], [1, -1, 1]]> : tensor<2x3xi2>
// CHECK: quant.scast %{{.*}} : tensor<2x3xi2> to tensor<2x3x!quant.uniform<i2:f32:0, {2.000000e+00,0.3333333432674408}>>
func.func @store_binary_weight() -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, -3.0, 2.0], [0.5, -0.5, 0.0]]> : tensor<2x3xf32>
  %0 = qnn.binarize %w scale<mean_abs> axis = 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Ternary weights (TWN): mean |w| = 1.525, delta = 1.0675, alpha = 2.5.
// CHECK-LABEL: func.func @store_ternary_weight
// CHECK: arith.constant dense<[0, -1, 0, 1]> : tensor<4xi2>
// CHECK: quant.scast %{{.*}} : tensor<4xi2> to tensor<4x!quant.uniform<i2:f32, 2.500000e+00>>
func.func @store_ternary_weight() -> tensor<4xf32> {
  %w = arith.constant dense<[1.0, -2.0, 0.1, 3.0]> : tensor<4xf32>
  %0 = qnn.ternarize %w scale<mean_abs> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Pruning of a constant folds first; the pruned weight is then stored: 2:4
// keeps -2 and 3; u4 codes with zero point 8 are 8, 0, 8, 15 (printed as i4:
// -8, 0, -8, -1).
// CHECK-LABEL: func.func @store_pruned_weight
// CHECK-NOT: qnn.prune_mask
// CHECK-NOT: qnn.apply_mask
// CHECK: arith.constant dense<[-8, 0, -8, -1]> : tensor<4xi4>
// CHECK: quant.scast %{{.*}} : tensor<4xi4> to tensor<4x!quant.uniform<u4:f32, 2.500000e-01:8>>
func.func @store_pruned_weight() -> tensor<4xf32> {
  %w = arith.constant dense<[1.0, -2.0, 0.1, 3.0]> : tensor<4xf32>
  %m = qnn.prune_mask %w n_m n = 2 m = 4 : tensor<4xf32>
  %p = qnn.apply_mask %w, %m : tensor<4xf32>, tensor<4xi1>
  %0 = qnn.fake_quant %p to !quant.uniform<u4:f32, 0.25:8> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Power-of-two quantization of a constant folds to its float values.
// CHECK-LABEL: func.func @fold_log_quant_weight
// CHECK: %[[W:.*]] = arith.constant dense<[1.000000e+00, -4.000000e+00]> : tensor<2xf32>
// CHECK: return %[[W]]
func.func @fold_log_quant_weight() -> tensor<2xf32> {
  %w = arith.constant dense<[1.2, -3.3]> : tensor<2xf32>
  %0 = qnn.log_quant %w bits = 4 exp = [-3, 3] : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Not constant: nothing to store.
// CHECK-LABEL: func.func @negative_weight_argument
// CHECK: qnn.fake_quant %{{.*}} to !quant.uniform<i8:f32, 3.500000e-03>
// CHECK-NOT: quant.scast
func.func @negative_weight_argument(%w: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// NaN has no binary code: the binarize stays.
// CHECK-LABEL: func.func @negative_nan_binary_weight
// CHECK: qnn.binarize
// CHECK-NOT: quant.scast
func.func @negative_nan_binary_weight() -> tensor<2xf32> {
  %w = arith.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %0 = qnn.binarize %w : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// An f64 scale that is not an f32 cannot be a dequantization scale: the
// ternarize stays (mean |w| = 0.1 in f64).
// CHECK-LABEL: func.func @negative_f64_alpha
// CHECK: qnn.ternarize
// CHECK-NOT: quant.scast
func.func @negative_f64_alpha() -> tensor<2xf64> {
  %w = arith.constant dense<[0.1, -0.1]> : tensor<2xf64>
  %0 = qnn.ternarize %w threshold = 0.05 scale<mean_abs> : tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

// |w| == delta is coded 0 and not counted in alpha: alpha = (1 + 1.5) / 2.
// CHECK-LABEL: func.func @store_ternary_weight_at_threshold
// CHECK: arith.constant dense<[0, 1, -1, 0]> : tensor<4xi2>
// CHECK: quant.scast %{{.*}} : tensor<4xi2> to tensor<4x!quant.uniform<i2:f32, 1.250000e+00>>
func.func @store_ternary_weight_at_threshold() -> tensor<4xf32> {
  %w = arith.constant dense<[0.5, 1.0, -1.5, -0.5]> : tensor<4xf32>
  %0 = qnn.ternarize %w threshold = 0.5 scale<mean_abs> : tensor<4xf32>
  return %0 : tensor<4xf32>
}
