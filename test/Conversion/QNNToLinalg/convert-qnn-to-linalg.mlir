// RUN: quant-opt %s -convert-qnn-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @fake_quant_per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[INV:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]} ins(%[[X]] : tensor<4xf32>) outs(%[[INIT]] : tensor<4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// Multiply by the f32 reciprocal, round half to even, then add the zero point.
// CHECK:   %[[P:.*]] = arith.mulf %[[IN]], %[[INV]] : f32
// CHECK:   %[[RND:.*]] = math.roundeven %[[P]] : f32
// CHECK:   %[[SHIFT:.*]] = arith.addf %[[RND]], %[[ZP]] : f32
// CHECK-DAG:   %[[QMIN:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG:   %[[QMAX:.*]] = arith.constant 1.270000e+02 : f32
// CHECK:   %[[LO:.*]] = arith.maximumf %[[SHIFT]], %[[QMIN]] : f32
// CHECK:   %[[HI:.*]] = arith.minimumf %[[LO]], %[[QMAX]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK:   %[[Q:.*]] = arith.select %[[NAN]], %[[QMIN]], %[[HI]] : f32
// CHECK:   %[[C:.*]] = arith.subf %[[Q]], %[[ZP]] : f32
// CHECK:   %[[Y:.*]] = arith.mulf %[[C]], %[[SCALE]] : f32
// CHECK:   linalg.yield %[[Y]] : f32
// CHECK-NOT: qnn.fake_quant
// CHECK: return %[[R]]
func.func @fake_quant_per_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1:3> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Per-axis parameters are constant tensors read along the quantized
// dimension; f16 computes in f32; a dynamic quantized dimension is checked at
// run time; floor rounding.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @fake_quant_per_axis_f16_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf16>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf16>
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[DIM]], %{{.*}} : index
// CHECK: cf.assert %[[OK]], "size of dimension 0 does not match the quantized type"
// CHECK-DAG: %[[INV:.*]] = arith.constant dense<[1.000000e+00, 1.000000e+01]> : tensor<2xf32>
// CHECK-DAG: %[[SCALE:.*]] = arith.constant dense<[1.000000e+00, 1.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[ZP:.*]] = arith.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$AXIS]], #[[$AXIS]], #[[$AXIS]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[INV]], %[[SCALE]], %[[ZP]] : tensor<?x4xf16>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f16, %[[I:.*]]: f32, %[[S:.*]]: f32, %[[Z:.*]]: f32, %{{.*}}: f16):
// CHECK:   %[[W:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK:   %[[P:.*]] = arith.mulf %[[W]], %[[I]] : f32
// CHECK:   math.floor %[[P]] : f32
// CHECK:   %[[M:.*]] = arith.mulf %{{.*}}, %[[S]] : f32
// CHECK:   %[[T:.*]] = arith.truncf %[[M]] : f32 to f16
// CHECK:   linalg.yield %[[T]] : f16
func.func @fake_quant_per_axis_f16_dynamic(%x: tensor<?x4xf16>) -> tensor<?x4xf16> {
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f16:0, {1.0, 0.1:3}> rounding<floor> : tensor<?x4xf16>
  return %0 : tensor<?x4xf16>
}

// -----

// Sub-channel blocks of 1x2: the parameters are indexed by (d0, d1 floordiv 2).
// CHECK-DAG: #[[$BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @fake_quant_sub_channel
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$BLOCK]], #[[$BLOCK]], #[[$BLOCK]], #{{.*}}]
// CHECK-SAME: tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
// CHECK: math.round %{{.*}} : f32
func.func @fake_quant_sub_channel(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32:{0:1, 1:2}, {{1.0, 0.5}, {2.0, 0.25:1}}> rounding<half_away_from_zero> : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// f64 multiplies in f64 by the f32 reciprocal (1/fl32(0.1) = 10 exactly here)
// and truncates toward zero.
// CHECK-LABEL: func.func @fake_quant_f64
// CHECK-DAG: arith.constant 1.000000e+01 : f64
// CHECK-DAG: arith.constant 0.10000000149011612 : f64
// CHECK: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NOT: arith.extf
// CHECK: %[[P:.*]] = arith.mulf %[[IN]], %{{.*}} : f64
// CHECK: math.trunc %[[P]] : f64
func.func @fake_quant_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f64, 0.1> rounding<toward_zero> : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// Exponent and significand bits decide the level: mantissas above 0x3504F3
// (the f32 below sqrt(2)) round up.
// CHECK-LABEL: func.func @log_quant
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[ABS:.*]] = math.absf %[[IN]] : f32
// CHECK:   %[[BITS:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK:   %[[EXP:.*]] = arith.shrui %[[BITS]], %{{.*}} : i32
// CHECK:   %[[MANT:.*]] = arith.andi %[[BITS]], %{{.*}} : i32
// CHECK:   %[[SQRT2:.*]] = arith.constant 3474675 : i32
// CHECK:   %[[UP:.*]] = arith.cmpi ugt, %[[MANT]], %[[SQRT2]] : i32
// CHECK:   %[[MIN:.*]] = arith.constant -6 : i32
// CHECK:   arith.cmpi slt, %{{.*}}, %[[MIN]] : i32
// CHECK:   %[[MAX:.*]] = arith.constant 0 : i32
// CHECK:   arith.minsi %{{.*}}, %[[MAX]] : i32
// CHECK:   %[[SIGNED:.*]] = math.copysign %{{.*}}, %[[IN]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK:   %[[R:.*]] = arith.select %[[NAN]], %[[IN]], %[[SIGNED]] : f32
// CHECK:   linalg.yield %[[R]] : f32
func.func @log_quant(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = qnn.log_quant %x bits = 4 exp = [-6, 0] : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Without a scale: a select between +1 and -1 (zero maps to +1), NaN kept.
// CHECK-LABEL: func.func @binarize_no_scale
// CHECK-NOT: linalg.fill
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[GE:.*]] = arith.cmpf oge, %[[IN]], %{{.*}} : f32
// CHECK:   %[[NEG:.*]] = arith.negf %[[ONE:.*]] : f32
// CHECK:   %[[SIGN:.*]] = arith.select %[[GE]], %[[ONE]], %[[NEG]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK:   arith.select %[[NAN]], %[[IN]], %[[SIGN]] : f32
func.func @binarize_no_scale(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = qnn.binarize %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Per-row mean(|x|): an f64 reduction over dimension 1, a division by the
// row size, a rounding to f32, then a broadcast select.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @binarize_mean_abs_axis
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f64) outs(%{{.*}} : tensor<4xf64>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[ZERO]] : tensor<4xf64>)
// CHECK:   %[[W:.*]] = arith.extf %{{.*}} : f32 to f64
// CHECK:   %[[A:.*]] = math.absf %[[W]] : f64
// CHECK:   arith.addf %{{.*}}, %[[A]] : f64
// CHECK: %[[COUNT:.*]] = arith.constant 8.000000e+00 : f64
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf64>)
// CHECK:   arith.divf %{{.*}}, %[[COUNT]] : f64
// CHECK: %[[ALPHA:.*]] = linalg.generic {{.*}} ins(%[[MEAN]] : tensor<4xf64>)
// CHECK:   arith.truncf %{{.*}} : f64 to f32
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[ALPHA]] : tensor<4x8xf32>, tensor<4xf32>)
func.func @binarize_mean_abs_axis(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = qnn.binarize %x scale<mean_abs> axis = 0 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// TWN over a dynamic tensor: the threshold is 0.7 * mean(|x|) with a
// run-time element count; alpha reduces |x| and a count over |x| > delta.
// CHECK-LABEL: func.func @ternarize_twn_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?xf32>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[X]]
// CHECK: arith.uitofp %{{.*}} : i64 to f64
// CHECK: arith.constant 0.69999999999999996 : f64
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK:   arith.cmpf ogt, %{{.*}}, %{{.*}} : f64
// CHECK: %[[COUNTS:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK:   arith.constant 1.000000e+00 : f64
// CHECK: linalg.generic {{.*}} ins(%[[SUMS]], %[[COUNTS]] : tensor<f64>, tensor<f64>)
// CHECK:   arith.divf
func.func @ternarize_twn_dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = qnn.ternarize %x scale<mean_abs> : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A given threshold needs no reduction.
// CHECK-LABEL: func.func @ternarize_threshold
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[DELTA:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[W:.*]] = arith.extf %[[IN]] : f32 to f64
// CHECK:   arith.cmpf ogt, %[[W]], %[[DELTA]] : f64
// CHECK:   %[[NEG:.*]] = arith.negf %[[DELTA]] : f64
// CHECK:   arith.cmpf olt, %[[W]], %[[NEG]] : f64
func.func @ternarize_threshold(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = qnn.ternarize %x threshold = 0.5 : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @prune_mask_magnitude
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i1):
// CHECK:   %[[W:.*]] = arith.extf %[[IN]] : f32 to f64
// CHECK:   %[[A:.*]] = math.absf %[[W]] : f64
// CHECK:   %[[T:.*]] = arith.constant 1.000000e-01 : f64
// CHECK:   %[[K:.*]] = arith.cmpf ogt, %[[A]], %[[T]] : f64
// CHECK:   linalg.yield %[[K]] : i1
func.func @prune_mask_magnitude(%x: tensor<8xf32>) -> tensor<8xi1> {
  %0 = qnn.prune_mask %x magnitude threshold = 0.1 : tensor<8xf32>
  return %0 : tensor<8xi1>
}

// -----

// 2:4 along a dynamic axis: the axis splits into (groups, 4); each element
// counts the elements of its group that come before it.
// CHECK-LABEL: func.func @prune_mask_n_m_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<4x?xf32>)
// CHECK: cf.assert %{{.*}}, "n_m: size along the axis is not a multiple of m"
// CHECK: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [4, %{{.*}}, 4] : tensor<4x?xf32> into tensor<4x?x4xf32>
// CHECK: %[[COUNT:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[E]], %[[E]] :
// CHECK:   linalg.index 2 : index
// CHECK:   linalg.index 3 : index
// CHECK:   arith.addi
// CHECK: %[[KEEP:.*]] = linalg.generic {{.*}} ins(%[[COUNT]] : tensor<4x?x4xi32>)
// CHECK:   %[[N:.*]] = arith.constant 2 : i32
// CHECK:   arith.cmpi ult, %{{.*}}, %[[N]] : i32
// CHECK: %[[MASK:.*]] = tensor.collapse_shape %[[KEEP]] {{\[}}[0], [1, 2]] : tensor<4x?x4xi1> into tensor<4x?xi1>
// CHECK: return %[[MASK]]
func.func @prune_mask_n_m_dynamic(%x: tensor<4x?xf32>) -> tensor<4x?xi1> {
  %0 = qnn.prune_mask %x n_m n = 2 m = 4 : tensor<4x?xf32>
  return %0 : tensor<4x?xi1>
}

// -----

// Ln-structured on a non-constant input: L2 norms of the rows, their ranks,
// keep the 3 - 1 = 2 first.
// CHECK-LABEL: func.func @prune_mask_ln_structured_runtime
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:   arith.mulf
// CHECK: %[[NORMS:.*]] = linalg.generic {{.*}} ins(%[[SUMS]] : tensor<3xf64>)
// CHECK:   math.sqrt
// CHECK: %[[KEEP:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: %[[RANKS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[NORMS]], %[[NORMS]] : tensor<3xf64>, tensor<3xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[RANKS]] : tensor<3xi64>)
// CHECK:   arith.cmpi slt, %{{.*}}, %[[KEEP]] : i64
func.func @prune_mask_ln_structured_runtime(%x: tensor<3x4xf32>) -> tensor<3x4xi1> {
  %0 = qnn.prune_mask %x ln_structured norm = 2.0 axis = 0 {amount = 1} : tensor<3x4xf32>
  return %0 : tensor<3x4xi1>
}

// -----

// A mask of a constant weight is computed at compile time, with torch.topk's
// tie order (l1_unstructured, amount 3: indices 1, 6 and 7 pruned).
// CHECK-LABEL: func.func @prune_mask_constant_l1
// CHECK: %[[MASK:.*]] = arith.constant dense<[true, false, true, true, true, true, false, false]> : tensor<8xi1>
// CHECK-NOT: linalg.generic
// CHECK: return %[[MASK]]
func.func @prune_mask_constant_l1() -> tensor<8xi1> {
  %c = arith.constant dense<[1.0, 1.0, -1.0, 1.0, 2.0, 2.0, 0.5, -0.5]> : tensor<8xf32>
  %0 = qnn.prune_mask %c l1_unstructured {amount = 3} : tensor<8xf32>
  return %0 : tensor<8xi1>
}

// -----

// CHECK-LABEL: func.func @apply_mask
// CHECK-SAME: (%[[X:.*]]: tensor<8xi8>, %[[M:.*]]: tensor<8xi1>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[M]] : tensor<8xi8>, tensor<8xi1>)
// CHECK: ^bb0(%[[IN:.*]]: i8, %[[KEEP:.*]]: i1, %{{.*}}: i8):
// CHECK:   %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK:   %[[R:.*]] = arith.select %[[KEEP]], %[[IN]], %[[ZERO]] : i8
// CHECK:   linalg.yield %[[R]] : i8
func.func @apply_mask(%x: tensor<8xi8>, %m: tensor<8xi1>) -> tensor<8xi8> {
  %0 = qnn.apply_mask %x, %m : tensor<8xi8>, tensor<8xi1>
  return %0 : tensor<8xi8>
}

// -----

// Compiled, calibrate is its input.
// CHECK-LABEL: func.func @calibrate
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NOT: qnn.calibrate
// CHECK: return %[[X]]
func.func @calibrate(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = qnn.calibrate %x min_max to i8 min = [-1.0] max = [1.0] : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Upstream quant casts are not this pass's: they are kept, and not folded.
// CHECK-LABEL: func.func @negative_quant_casts_untouched
// CHECK: %[[Q:.*]] = quant.qcast
// CHECK: %[[D:.*]] = quant.dcast %[[Q]]
// CHECK: return %[[D]]
func.func @negative_quant_casts_untouched(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:3>>
  %0 = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.1:3>> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Float requantization: f32 multiply by the per-channel multiplier, round
// half to even, add the zero point, clamp (a fused ReLU), narrow.
// CHECK-LABEL: func.func @requantize_float_per_channel
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x2xi32>)
// CHECK: %[[M:.*]] = arith.constant dense<[0.0500000045, 0.100000009]> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[M]] : tensor<4x2xi32>, tensor<2xf32>) outs(%{{.*}} : tensor<4x2xi8>)
// CHECK: ^bb0(%[[A:.*]]: i32, %[[MUL:.*]]: f32, %{{.*}}: i8):
// CHECK:   %[[F:.*]] = arith.sitofp %[[A]] : i32 to f32
// CHECK:   %[[P:.*]] = arith.mulf %[[F]], %[[MUL]] : f32
// CHECK:   %[[R:.*]] = math.roundeven %[[P]] : f32
// CHECK:   %[[Z:.*]] = arith.addf %[[R]], %{{.*}} : f32
// CHECK:   arith.maximumf %[[Z]], %{{.*}} : f32
// u8 codes up to 255 do not fit a signed i8: the conversion is unsigned.
// CHECK:   arith.fptoui %{{.*}} : f32 to i8
func.func @requantize_float_per_channel(%acc: tensor<4x2xi32>) -> tensor<4x2xi8> {
  %0 = qnn.requantize %acc scales = [0.001, 0.002] axis = 1 to !quant.uniform<u8:f32, 0.02:128> clamp_min = 128 : tensor<4x2xi32> -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

// CHECK-LABEL: func.func @requantize_float_signed
// CHECK:   arith.minimumf
// CHECK-NEXT:   arith.fptosi %{{.*}} : f32 to i8
func.func @requantize_float_signed(%acc: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.requantize %acc scales = [0.001] to !quant.uniform<i8:f32, 0.02:-3> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Fixed point with double rounding: 64-bit multiply by the Q31 multiplier,
// the rounding term adjusted by +-2^30, an arithmetic shift.
// CHECK-LABEL: func.func @requantize_fixed_point_double
// CHECK-DAG: %[[M:.*]] = arith.constant dense<1717987072> : tensor<i64>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<35> : tensor<i64>
// CHECK: ^bb0(%[[A:.*]]: i32, %[[MUL:.*]]: i64, %[[SH:.*]]: i64, %{{.*}}: i8):
// CHECK:   %[[W:.*]] = arith.extsi %[[A]] : i32 to i64
// CHECK:   arith.cmpi sgt, %[[SH]], %{{.*}} : i64
// CHECK:   %[[P:.*]] = arith.muli %[[W]], %[[MUL]] : i64
// CHECK:   arith.shrsi %{{.*}}, %[[SH]] : i64
// CHECK:   arith.trunci %{{.*}} : i64 to i8
func.func @requantize_fixed_point_double(%acc: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.requantize %acc scales = [0.001] to !quant.uniform<i8:f32, 0.02> mode<fixed_point_double> : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
