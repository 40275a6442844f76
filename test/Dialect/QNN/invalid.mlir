// RUN: quant-opt %s -split-input-file -verify-diagnostics

// One case per error the QNN verifiers emit, named after the constraint of
// docs/QNN.md it enforces.

func.func @fake_quant_c1_expressed_type_mismatch(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{expressed type 'f32' of '!quant.uniform<i8:f32, 1.000000e-01>' does not match the input element type 'f16'}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1> : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @fake_quant_c2_storage_too_wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{storage type of 32 bits is outside the supported 2 to 16 bits}}
  %0 = qnn.fake_quant %x to !quant.uniform<i32:f32, 0.1> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_c2_storage_too_narrow(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{storage type of 1 bits is outside the supported 2 to 16 bits}}
  %0 = qnn.fake_quant %x to !quant.uniform<i1:f32, 0.1> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A denormal f32 scale has an infinite reciprocal.
func.func @fake_quant_c3_scale_reciprocal_not_finite(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{scale 2.000000e-45 must be positive and finite as an f32, with a finite f32 reciprocal}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 2.0e-45> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Valid for an f64 expressed type, but the scale is used as an f32.
func.func @fake_quant_c3_scale_underflows_f32(%x: tensor<4xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{scale 1.000000e-50 must be positive and finite as an f32}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f64, 1.0e-50> : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @fake_quant_c3_scale_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{scale nan must be positive and finite as an f32}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0x7FF8000000000000> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_c4_zero_point_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{zero point 200 is outside the storage range [-128, 127]}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1:200> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_c4_zero_point_outside_narrow_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{zero point -128 is outside the storage range [-127, 127]}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8<-127:127>:f32, 0.1:-128> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_c5_axis_out_of_range(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{quantized dimension 2 is out of range for a tensor of rank 2}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:2, {1.0, 2.0}> : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @fake_quant_c5_scale_count_mismatch(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{quantized dimension 1 has size 4 but the type has 2 scales}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:1, {1.0, 2.0}> : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @fake_quant_c5_per_axis_scale(%x: tensor<2x4xf64>) -> tensor<2x4xf64> {
  // expected-error @+1 {{scale 1.000000e-50 must be positive and finite as an f32}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f64:0, {1.0, 1.0e-50}> : tensor<2x4xf64>
  return %0 : tensor<2x4xf64>
}

// -----

func.func @fake_quant_c5_per_axis_zero_point(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{zero point 300 is outside the storage range [-128, 127]}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:0, {1.0, 1.0:300}> : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @fake_quant_c6_rank_mismatch(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{sub-channel scales have rank 2 but the input has rank 1}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:{1:2}, {{1.0, 2.0}}> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_c6_block_mismatch(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{dimension 1 of size 6 is not 2 blocks of size 4}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0}}> : tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Dimension 0 has no block size, so its block is the whole dimension: one
// scale along it, not two (checked for dynamic sizes too).
func.func @fake_quant_c6_implicit_block(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{dimension 0 has no block size, so the scales must have size 1 along it, not 2}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:{1:4}, {{1.0, 2.0}, {3.0, 4.0}}> : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

func.func @fake_quant_c6_scale(%x: tensor<2x8xf64>) -> tensor<2x8xf64> {
  // expected-error @+1 {{scale 1.000000e-50 must be positive and finite as an f32}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f64:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 1.0e-50}}> : tensor<2x8xf64>
  return %0 : tensor<2x8xf64>
}

// -----

// (Upstream's parser wraps sub-channel zero points to the storage width, so
// only narrowed bounds can be exceeded here.)
func.func @fake_quant_c6_zero_point(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{zero point -120 is outside the storage range [-100, 100]}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8<-100:100>:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0:-120}}> : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @fake_quant_integer_input(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1> : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @fake_quant_not_uniform(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{attribute 'qtype' failed to satisfy constraint: type attribute of uniform quantized type (per-tensor, per-axis or sub-channel)}}
  %0 = qnn.fake_quant %x to !quant.calibrated<f32<-1.0:1.0>> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @log_quant_c1_bits(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{bits must be in [2, 16], got 1}}
  %0 = qnn.log_quant %x bits = 1 exp = [0, 0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @log_quant_c2_empty_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min_exp 1 exceeds max_exp 0}}
  %0 = qnn.log_quant %x bits = 4 exp = [1, 0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @log_quant_c3_too_many_levels(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{exponent range [-7, 0] has 8 levels but 4 bits hold at most 7}}
  %0 = qnn.log_quant %x bits = 4 exp = [-7, 0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// 2^16 overflows f16 (largest finite power of two: 2^15).
func.func @log_quant_c4_not_representable(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{exponent range [10, 16] is not representable in 'f16' (powers of two from 2^-24 to 2^15)}}
  %0 = qnn.log_quant %x bits = 4 exp = [10, 16] : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @binarize_c1_axis_without_scale(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{axis requires scale = mean_abs}}
  %0 = qnn.binarize %x axis = 0 : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @binarize_c2_axis_out_of_range(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{axis -1 is out of range for a tensor of rank 2}}
  %0 = qnn.binarize %x scale<mean_abs> axis = -1 : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @ternarize_c1_both_thresholds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{threshold and threshold_ratio are exclusive}}
  %0 = qnn.ternarize %x threshold = 0.1 threshold_ratio = 0.7 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ternarize_c2_negative_threshold(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{threshold must be finite and non-negative, got -1.000000e+00}}
  %0 = qnn.ternarize %x threshold = -1.0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ternarize_c2_infinite_ratio(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{threshold_ratio must be finite and non-negative, got INF}}
  %0 = qnn.ternarize %x threshold_ratio = 0x7FF0000000000000 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @ternarize_c3_axis_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{axis 1 is out of range for a tensor of rank 1}}
  %0 = qnn.ternarize %x axis = 1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @prune_mask_c1_missing_threshold(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method magnitude requires threshold}}
  %0 = qnn.prune_mask %x magnitude : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c1_foreign_attribute(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method magnitude does not take amount}}
  %0 = qnn.prune_mask %x magnitude threshold = 0.1 {amount = 2} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c1_missing_amount(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method l1_unstructured requires amount}}
  %0 = qnn.prune_mask %x l1_unstructured : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c1_missing_norm(%x: tensor<4x4xf32>) -> tensor<4x4xi1> {
  // expected-error @+1 {{method ln_structured requires norm}}
  %0 = qnn.prune_mask %x ln_structured axis = 0 {amount = 1} : tensor<4x4xf32>
  return %0 : tensor<4x4xi1>
}

// -----

func.func @prune_mask_c1_missing_axis(%x: tensor<4x4xf32>) -> tensor<4x4xi1> {
  // expected-error @+1 {{method ln_structured requires axis}}
  %0 = qnn.prune_mask %x ln_structured norm = 2.0 {amount = 1} : tensor<4x4xf32>
  return %0 : tensor<4x4xi1>
}

// -----

func.func @prune_mask_c1_missing_m(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method n_m requires m}}
  %0 = qnn.prune_mask %x n_m n = 2 : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c1_n_m_takes_no_amount(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method n_m does not take amount}}
  %0 = qnn.prune_mask %x n_m n = 2 m = 4 {amount = 0.5} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c1_l1_takes_no_axis(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{method l1_unstructured does not take axis}}
  %0 = qnn.prune_mask %x l1_unstructured axis = 0 {amount = 0.5} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c2_negative_threshold(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{threshold must be finite and non-negative, got -5.000000e-01}}
  %0 = qnn.prune_mask %x magnitude threshold = -0.5 : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c3_negative_count(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{amount -1 is negative}}
  %0 = qnn.prune_mask %x l1_unstructured {amount = -1} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c3_count_exceeds_elements(%x: tensor<2x2xf32>) -> tensor<2x2xi1> {
  // expected-error @+1 {{amount 5 exceeds the 4 prunable units}}
  %0 = qnn.prune_mask %x l1_unstructured {amount = 5} : tensor<2x2xf32>
  return %0 : tensor<2x2xi1>
}

// -----

func.func @prune_mask_c3_count_exceeds_slices(%x: tensor<2x8xf32>) -> tensor<2x8xi1> {
  // expected-error @+1 {{amount 3 exceeds the 2 prunable units}}
  %0 = qnn.prune_mask %x ln_structured norm = 1.0 axis = 0 {amount = 3} : tensor<2x8xf32>
  return %0 : tensor<2x8xi1>
}

// -----

func.func @prune_mask_c3_fraction_above_one(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{amount 1.500000e+00 as a fraction must be in [0, 1]}}
  %0 = qnn.prune_mask %x l1_unstructured {amount = 1.5} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_amount_wrong_type(%x: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{attribute 'amount' failed to satisfy constraint: 64-bit signless integer attribute or 64-bit float attribute}}
  %0 = qnn.prune_mask %x l1_unstructured {amount = 0.5 : f32} : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

func.func @prune_mask_c4_norm_not_positive(%x: tensor<4x4xf32>) -> tensor<4x4xi1> {
  // expected-error @+1 {{norm must be positive, got 0.000000e+00}}
  %0 = qnn.prune_mask %x ln_structured norm = 0.0 axis = 0 {amount = 1} : tensor<4x4xf32>
  return %0 : tensor<4x4xi1>
}

// -----

func.func @prune_mask_c5_axis_out_of_range(%x: tensor<4x4xf32>) -> tensor<4x4xi1> {
  // expected-error @+1 {{axis 2 is out of range for a tensor of rank 2}}
  %0 = qnn.prune_mask %x ln_structured norm = 1.0 axis = 2 {amount = 1} : tensor<4x4xf32>
  return %0 : tensor<4x4xi1>
}

// -----

func.func @prune_mask_c6_n_above_m(%x: tensor<8xf32>) -> tensor<8xi1> {
  // expected-error @+1 {{n_m requires 1 <= n <= m, got n = 5, m = 4}}
  %0 = qnn.prune_mask %x n_m n = 5 m = 4 : tensor<8xf32>
  return %0 : tensor<8xi1>
}

// -----

func.func @prune_mask_c6_n_zero(%x: tensor<8xf32>) -> tensor<8xi1> {
  // expected-error @+1 {{n_m requires 1 <= n <= m, got n = 0, m = 4}}
  %0 = qnn.prune_mask %x n_m n = 0 m = 4 : tensor<8xf32>
  return %0 : tensor<8xi1>
}

// -----

func.func @prune_mask_c6_size_not_multiple(%x: tensor<3x6xf32>) -> tensor<3x6xi1> {
  // expected-error @+1 {{size 6 along axis 1 is not a multiple of m = 4}}
  %0 = qnn.prune_mask %x n_m n = 2 m = 4 : tensor<3x6xf32>
  return %0 : tensor<3x6xi1>
}

// -----

func.func @prune_mask_c6_scalar(%x: tensor<f32>) -> tensor<i1> {
  // expected-error @+1 {{method n_m requires a tensor of rank >= 1}}
  %0 = qnn.prune_mask %x n_m n = 1 m = 1 : tensor<f32>
  return %0 : tensor<i1>
}

// -----

func.func @apply_mask_c1_shape_mismatch(%x: tensor<4x4xf32>, %m: tensor<4x2xi1>) -> tensor<4x4xf32> {
  // expected-error @+1 {{mask shape 'tensor<4x2xi1>' does not match the input shape 'tensor<4x4xf32>'}}
  %0 = qnn.apply_mask %x, %m : tensor<4x4xf32>, tensor<4x2xi1>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @apply_mask_mask_not_boolean(%x: tensor<4xf32>, %m: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{operand #1 must be ranked tensor of 1-bit signless integer values}}
  %0 = qnn.apply_mask %x, %m : tensor<4xf32>, tensor<4xi8>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c1_storage_too_wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{storage type 'i32' is outside the supported 2 to 16 bits}}
  %0 = qnn.calibrate %x min_max to i32 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c2_narrow_unsigned(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{narrow_range requires a signed storage type}}
  %0 = qnn.calibrate %x min_max to ui8 narrow_range : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c3_min_without_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min and max must be given together}}
  %0 = qnn.calibrate %x min_max to i8 min = [-1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c3_length_mismatch(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{min has 2 values but max has 1}}
  %0 = qnn.calibrate %x min_max to i8 axis = 0 min = [-1.0, -1.0] max = [1.0] : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @calibrate_c3_not_finite(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min and max must be finite}}
  %0 = qnn.calibrate %x min_max to i8 min = [0xFFF0000000000000] max = [1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c3_min_above_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{min 2.000000e+00 exceeds max 1.000000e+00}}
  %0 = qnn.calibrate %x min_max to i8 min = [2.0] max = [1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c4_per_tensor_length(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{per-tensor statistics hold one value, got 2}}
  %0 = qnn.calibrate %x min_max to i8 min = [-1.0, -1.0] max = [1.0, 1.0] : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @calibrate_c4_axis_out_of_range(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{axis 2 is out of range for a tensor of rank 2}}
  %0 = qnn.calibrate %x min_max to i8 axis = 2 : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @calibrate_c4_axis_size_mismatch(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{axis 1 has size 4 but the statistics hold 2 values}}
  %0 = qnn.calibrate %x min_max to i8 axis = 1 min = [-1.0, -1.0] max = [1.0, 1.0] : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @calibrate_c5_constant_wrong_method(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{averaging_constant requires moving_average}}
  %0 = qnn.calibrate %x min_max to i8 averaging_constant = 0.01 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c5_constant_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{averaging_constant must be in (0, 1], got 0.000000e+00}}
  %0 = qnn.calibrate %x moving_average to i8 averaging_constant = 0.0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c6_percentile_wrong_method(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{percentile requires method percentile}}
  %0 = qnn.calibrate %x entropy to i8 percentile = 99.9 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c6_percentile_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{percentile must be in (0, 100], got 1.010000e+02}}
  %0 = qnn.calibrate %x percentile to i8 percentile = 101.0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c7_histogram_wrong_method(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{method min_max does not use a histogram}}
  %0 = qnn.calibrate %x min_max to i8 min = [-1.0] max = [1.0] histogram = [1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c7_histogram_per_axis(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{a histogram is only kept per tensor}}
  %0 = qnn.calibrate %x entropy to i8 axis = 0 min = [-1.0, -1.0] max = [1.0, 1.0] histogram = [1.0] : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @calibrate_c7_histogram_without_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a histogram requires min and max}}
  %0 = qnn.calibrate %x mse to i8 histogram = [1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c7_histogram_empty(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a histogram needs at least one bin}}
  %0 = qnn.calibrate %x mse to i8 min = [-1.0] max = [1.0] histogram = [] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c7_histogram_not_finite(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{histogram counts must be finite}}
  %0 = qnn.calibrate %x mse to i8 min = [-1.0] max = [1.0] histogram = [1.0, 0x7FF0000000000000] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c7_histogram_negative_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{histogram counts must be >= 0 for method entropy}}
  %0 = qnn.calibrate %x entropy to i8 min = [-1.0] max = [1.0] histogram = [1.0, -2.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @calibrate_c8_histogram_missing(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{method entropy with statistics requires a histogram}}
  %0 = qnn.calibrate %x entropy to i8 min = [-1.0] max = [1.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// PyTorch rejects reduce_range for symmetric quint8 as well.
func.func @calibrate_c9_reduce_range_symmetric_unsigned(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{reduce_range is not supported with symmetric unsigned storage}}
  %0 = qnn.calibrate %x min_max to ui8 symmetric reduce_range : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @requantize_c1_per_axis_output(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{output type '!quant.uniform<i8:f32:0, {1.000000e-01}>' must be a per-tensor uniform type}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i8:f32:0, {0.1}> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_c1_storage_width(%a: tensor<4xi32>) -> tensor<4xi16> {
  // expected-error @+1 {{result element type 'i16' does not match the storage type of '!quant.uniform<i8:f32, 1.000000e-01>'}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i8:f32, 0.1> : tensor<4xi32> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @requantize_c1_wide_storage(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{storage type of 32 bits is outside the supported 2 to 16 bits}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i32:f32, 0.1> : tensor<4xi32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @requantize_c2_scale_count(%a: tensor<4x2xi32>) -> tensor<4x2xi8> {
  // expected-error @+1 {{expected 2 input scales, got 3}}
  %0 = qnn.requantize %a scales = [0.001, 0.002, 0.003] axis = 1 to !quant.uniform<i8:f32, 0.1> : tensor<4x2xi32> -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

func.func @requantize_c2_per_tensor_count(%a: tensor<4x2xi32>) -> tensor<4x2xi8> {
  // expected-error @+1 {{expected 1 input scales, got 2}}
  %0 = qnn.requantize %a scales = [0.001, 0.002] to !quant.uniform<i8:f32, 0.1> : tensor<4x2xi32> -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

func.func @requantize_c2_scale(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{scale -1.000000e-03 must be positive and finite as an f32}}
  %0 = qnn.requantize %a scales = [-0.001] to !quant.uniform<i8:f32, 0.1> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_c3_axis(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{axis 1 is out of range for a tensor of rank 1}}
  %0 = qnn.requantize %a scales = [0.001] axis = 1 to !quant.uniform<i8:f32, 0.1> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_c4_clamp(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{clamp bounds [10, 5] must be ordered and within the storage range [-128, 127]}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i8:f32, 0.1> clamp_min = 10 clamp_max = 5 : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_c4_clamp_outside(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{clamp bounds [-128, 127] must be ordered and within the storage range [-127, 127]}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i8<-127:127>:f32, 0.1> clamp_min = -128 : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// A multiplier of 1e12 (about 2^40) needs a negative shift.
func.func @requantize_c5_fixed_point_range(%a: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{multiplier 1.000000e+12 needs a shift of -9, outside the [2, 62] of fixed-point rescaling}}
  %0 = qnn.requantize %a scales = [1.0e10] to !quant.uniform<i8:f32, 0.01> mode<fixed_point_single> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_input_not_i32(%a: tensor<4xi16>) -> tensor<4xi8> {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = qnn.requantize %a scales = [0.001] to !quant.uniform<i8:f32, 0.1> : tensor<4xi16> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// The discardable attribute --qnn-rewrite-int8 leaves on float contractions
// holds the reason as a string.
func.func @not_quantized_not_a_string(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'qnn.not_quantized' must be a string (the reason), got 3 : i64}}
  %r = linalg.matmul {qnn.not_quantized = 3} ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

func.func @unknown_qnn_attribute(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{unknown qnn attribute 'qnn.colour'}}
  %r = arith.addf %a, %a {qnn.colour = "red"} : tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// The rounding of ONNX's quantization is chosen per module.
func.func @divide_by_scale_not_on_a_module(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qnn.divide_by_scale' must be a unit attribute of a module}}
  %r = arith.addf %a, %a {qnn.divide_by_scale} : tensor<2xf32>
  return %r : tensor<2xf32>
}
