// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s -mlir-print-op-generic | quant-opt | FileCheck %s

// Every op and attribute form prints in the custom form and survives a round
// trip through both the custom and the generic form.

// CHECK-LABEL: func.func @fake_quant_forms
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[W:.*]]: tensor<2x8xf32>, %[[H:.*]]: tensor<?x4xbf16>, %[[D:.*]]: tensor<4xf64>)
func.func @fake_quant_forms(%x: tensor<4xf32>, %w: tensor<2x8xf32>, %h: tensor<?x4xbf16>, %d: tensor<4xf64>) {
  // CHECK: qnn.fake_quant %[[X]] to !quant.uniform<i8:f32, 1.000000e-01:3> : tensor<4xf32>
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1:3> : tensor<4xf32>
  // The default rounding is not printed.
  // CHECK: qnn.fake_quant %[[X]] to !quant.uniform<u8:f32, 5.000000e-01:128> : tensor<4xf32>
  %1 = qnn.fake_quant %x to !quant.uniform<u8:f32, 0.5:128> rounding<half_even> : tensor<4xf32>
  // CHECK: qnn.fake_quant %[[X]] to !quant.uniform<i8<-127:127>:f32, 2.500000e-01> rounding<half_away_from_zero> : tensor<4xf32>
  %2 = qnn.fake_quant %x to !quant.uniform<i8<-127:127>:f32, 0.25> rounding<half_away_from_zero> : tensor<4xf32>
  // CHECK: qnn.fake_quant %[[X]] to !quant.uniform<i4:f32, 1.000000e+00:-1> rounding<floor> : tensor<4xf32>
  %3 = qnn.fake_quant %x to !quant.uniform<i4:f32, 1.0:-1> rounding<floor> : tensor<4xf32>
  // CHECK: qnn.fake_quant %[[X]] to !quant.uniform<i16:f32, 1.000000e-03> rounding<toward_zero> : tensor<4xf32>
  %4 = qnn.fake_quant %x to !quant.uniform<i16:f32, 0.001> rounding<toward_zero> : tensor<4xf32>
  // CHECK: qnn.fake_quant %[[W]] to !quant.uniform<i8:f32:0, {5.000000e-01:1,2.500000e-01:-2}> : tensor<2x8xf32>
  %5 = qnn.fake_quant %w to !quant.uniform<i8:f32:0, {0.5:1, 0.25:-2}> : tensor<2x8xf32>
  // CHECK: qnn.fake_quant %[[W]] to !quant.uniform<i8:f32:{0:1, 1:4}, {{\{}}{1.000000e+00, 2.000000e+00}, {3.000000e+00, 4.000000e+00:5}}> : tensor<2x8xf32>
  %6 = qnn.fake_quant %w to !quant.uniform<i8:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0:5}}> : tensor<2x8xf32>
  // Dynamic dimensions and bf16.
  // CHECK: qnn.fake_quant %[[H]] to !quant.uniform<i8:bf16:1, {1.000000e+00,1.000000e+00,1.000000e+00,1.000000e+00}> : tensor<?x4xbf16>
  %7 = qnn.fake_quant %h to !quant.uniform<i8:bf16:1, {1.0, 1.0, 1.0, 1.0}> : tensor<?x4xbf16>
  // CHECK: qnn.fake_quant %[[D]] to !quant.uniform<i2:f64, 1.000000e+00> : tensor<4xf64>
  %8 = qnn.fake_quant %d to !quant.uniform<i2:f64, 1.0> : tensor<4xf64>
  return
}

// CHECK-LABEL: func.func @log_quant_forms
func.func @log_quant_forms(%x: tensor<16xf32>, %h: tensor<8xf16>) {
  // CHECK: qnn.log_quant %{{.*}} bits = 4 exp = [-6, 0] : tensor<16xf32>
  %0 = qnn.log_quant %x bits = 4 exp = [-6, 0] : tensor<16xf32>
  // CHECK: qnn.log_quant %{{.*}} bits = 2 exp = [-24, -24] : tensor<8xf16>
  %1 = qnn.log_quant %h bits = 2 exp = [-24, -24] : tensor<8xf16>
  return
}

// CHECK-LABEL: func.func @binarize_forms
func.func @binarize_forms(%w: tensor<8x3x3x3xf32>) {
  // CHECK: qnn.binarize %{{.*}} : tensor<8x3x3x3xf32>
  %0 = qnn.binarize %w : tensor<8x3x3x3xf32>
  // CHECK: qnn.binarize %{{.*}} scale<mean_abs> : tensor<8x3x3x3xf32>
  %1 = qnn.binarize %w scale<mean_abs> : tensor<8x3x3x3xf32>
  // CHECK: qnn.binarize %{{.*}} scale<mean_abs> axis = 0 : tensor<8x3x3x3xf32>
  %2 = qnn.binarize %w scale<mean_abs> axis = 0 : tensor<8x3x3x3xf32>
  return
}

// CHECK-LABEL: func.func @ternarize_forms
func.func @ternarize_forms(%w: tensor<16x8xf32>) {
  // CHECK: qnn.ternarize %{{.*}} : tensor<16x8xf32>
  %0 = qnn.ternarize %w : tensor<16x8xf32>
  // CHECK: qnn.ternarize %{{.*}} threshold = 5.000000e-02 : tensor<16x8xf32>
  %1 = qnn.ternarize %w threshold = 0.05 : tensor<16x8xf32>
  // CHECK: qnn.ternarize %{{.*}} threshold_ratio = 5.000000e-01 scale<mean_abs> axis = 1 : tensor<16x8xf32>
  %2 = qnn.ternarize %w threshold_ratio = 0.5 scale<mean_abs> axis = 1 : tensor<16x8xf32>
  return
}

// CHECK-LABEL: func.func @prune_mask_forms
func.func @prune_mask_forms(%w: tensor<8x8xf32>, %d: tensor<?x8xf32>) {
  // CHECK: %{{.*}} = qnn.prune_mask %{{.*}} magnitude threshold = 1.000000e-02 : tensor<8x8xf32>
  %0 = qnn.prune_mask %w magnitude threshold = 0.01 : tensor<8x8xf32>
  // CHECK: qnn.prune_mask %{{.*}} l1_unstructured {amount = 5.000000e-01 : f64} : tensor<8x8xf32>
  %1 = qnn.prune_mask %w l1_unstructured {amount = 0.5} : tensor<8x8xf32>
  // CHECK: qnn.prune_mask %{{.*}} l1_unstructured {amount = 10 : i64} : tensor<8x8xf32>
  %2 = qnn.prune_mask %w l1_unstructured {amount = 10} : tensor<8x8xf32>
  // CHECK: qnn.prune_mask %{{.*}} ln_structured norm = 2.000000e+00 axis = 0 {amount = 4 : i64} : tensor<8x8xf32>
  %3 = qnn.prune_mask %w ln_structured norm = 2.0 axis = 0 {amount = 4} : tensor<8x8xf32>
  // An infinite norm (torch's n = inf).
  // CHECK: qnn.prune_mask %{{.*}} ln_structured norm = 0x7FF0000000000000 axis = 1 {amount = 2.500000e-01 : f64} : tensor<8x8xf32>
  %4 = qnn.prune_mask %w ln_structured norm = 0x7FF0000000000000 axis = 1 {amount = 0.25} : tensor<8x8xf32>
  // CHECK: qnn.prune_mask %{{.*}} n_m n = 2 m = 4 : tensor<8x8xf32>
  %5 = qnn.prune_mask %w n_m n = 2 m = 4 : tensor<8x8xf32>
  // CHECK: qnn.prune_mask %{{.*}} n_m n = 1 m = 2 axis = 0 : tensor<?x8xf32>
  %6 = qnn.prune_mask %d n_m n = 1 m = 2 axis = 0 : tensor<?x8xf32>
  // The mask type is inferred: i1 with the input's shape.
  // CHECK: qnn.apply_mask %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<?x8xi1>
  %7 = qnn.apply_mask %d, %6 : tensor<?x8xf32>, tensor<?x8xi1>
  return
}

// CHECK-LABEL: func.func @apply_mask_forms
func.func @apply_mask_forms(%w: tensor<4x4xf32>, %i: tensor<4x4xi8>, %m: tensor<4x4xi1>) {
  // CHECK: qnn.apply_mask %{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<4x4xi1>
  %0 = qnn.apply_mask %w, %m : tensor<4x4xf32>, tensor<4x4xi1>
  // CHECK: qnn.apply_mask %{{.*}}, %{{.*}} : tensor<4x4xi8>, tensor<4x4xi1>
  %1 = qnn.apply_mask %i, %m : tensor<4x4xi8>, tensor<4x4xi1>
  return
}

// CHECK-LABEL: func.func @calibrate_forms
func.func @calibrate_forms(%x: tensor<1x4xf32>) {
  // Before a calibration run: no statistics.
  // CHECK: qnn.calibrate %{{.*}} min_max to i8 : tensor<1x4xf32>
  %0 = qnn.calibrate %x min_max to i8 : tensor<1x4xf32>
  // CHECK: qnn.calibrate %{{.*}} min_max to i8 symmetric narrow_range min = [-2.500000e+00] max = [3.000000e+00] : tensor<1x4xf32>
  %1 = qnn.calibrate %x min_max to i8 symmetric narrow_range min = [-2.5] max = [3.0] : tensor<1x4xf32>
  // CHECK: qnn.calibrate %{{.*}} moving_average to ui8 reduce_range averaging_constant = 1.000000e-02 axis = 1 min = [-1.000000e+00, -2.000000e+00, 0.000000e+00, 1.000000e+00] max = [1.000000e+00, 2.000000e+00, 0.000000e+00, 1.000000e+00] : tensor<1x4xf32>
  %2 = qnn.calibrate %x moving_average to ui8 reduce_range averaging_constant = 0.01 axis = 1 min = [-1.0, -2.0, 0.0, 1.0] max = [1.0, 2.0, 0.0, 1.0] : tensor<1x4xf32>
  // CHECK: qnn.calibrate %{{.*}} percentile to i8 percentile = 99.989999999999994 min = [-1.000000e+00] max = [1.000000e+00] histogram = [1.000000e+00, 0.000000e+00, 3.000000e+00] : tensor<1x4xf32>
  %3 = qnn.calibrate %x percentile to i8 percentile = 99.99 min = [-1.0] max = [1.0] histogram = [1.0, 0.0, 3.0] : tensor<1x4xf32>
  // CHECK: qnn.calibrate %{{.*}} entropy to i4 : tensor<1x4xf32>
  %4 = qnn.calibrate %x entropy to i4 : tensor<1x4xf32>
  // CHECK: qnn.calibrate %{{.*}} mse to si8 min = [0.000000e+00] max = [0.000000e+00] histogram = [4.000000e+00] : tensor<1x4xf32>
  %5 = qnn.calibrate %x mse to si8 min = [0.0] max = [0.0] histogram = [4.0] : tensor<1x4xf32>
  // torch's HistogramObserver can leave counts slightly below zero.
  // CHECK: qnn.calibrate %{{.*}} mse to ui8 min = [-1.000000e+00] max = [1.000000e+00] histogram = [3.000000e+00, -2.899169921875E-4, 1.000000e+00] : tensor<1x4xf32>
  %6 = qnn.calibrate %x mse to ui8 min = [-1.0] max = [1.0] histogram = [3.0, -0.0002899169921875, 1.0] : tensor<1x4xf32>
  return
}

// CHECK-LABEL: func.func @requantize_forms
func.func @requantize_forms(%acc: tensor<4x2xi32>) {
  // Scales print exactly (f32 products are not 6-digit decimals).
  // CHECK: qnn.requantize %{{.*}} scales = [5.0000002374872565E-4] to !quant.uniform<u8:f32, 1.200000e-01:100> : tensor<4x2xi32> -> tensor<4x2xi8>
  %0 = qnn.requantize %acc scales = [5.0000002374872565E-4] to !quant.uniform<u8:f32, 0.12:100> : tensor<4x2xi32> -> tensor<4x2xi8>
  // CHECK: qnn.requantize %{{.*}} scales = [1.000000e-03, 2.000000e-03] axis = 1 to !quant.uniform<i8:f32, 1.000000e-01> mode<fixed_point_double> clamp_min = 0 clamp_max = 60 : tensor<4x2xi32> -> tensor<4x2xi8>
  %1 = qnn.requantize %acc scales = [0.001, 0.002] axis = 1 to !quant.uniform<i8:f32, 0.1> mode<fixed_point_double> clamp_min = 0 clamp_max = 60 : tensor<4x2xi32> -> tensor<4x2xi8>
  // CHECK: qnn.requantize %{{.*}} scales = [1.000000e-03] to !quant.uniform<i4:f32, 1.000000e-01> mode<fixed_point_single> : tensor<4x2xi32> -> tensor<4x2xi4>
  %2 = qnn.requantize %acc scales = [0.001] to !quant.uniform<i4:f32, 0.1> mode<fixed_point_single> : tensor<4x2xi32> -> tensor<4x2xi4>
  return
}

// Calibration statistics print exactly.
// CHECK-LABEL: func.func @calibrate_exact_statistics
// CHECK: min = [-6.330474853515625] max = [6.6639504432678223]
func.func @calibrate_exact_statistics(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.calibrate %x min_max to i8 min = [-6.330474853515625] max = [6.663950443267822] : tensor<4xf32>
  return %0 : tensor<4xf32>
}
