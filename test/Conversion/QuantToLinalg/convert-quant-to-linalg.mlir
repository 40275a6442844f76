// RUN: quant-opt %s -convert-quant-to-linalg -split-input-file | FileCheck %s

// qcast multiplies by the f32 reciprocal, rounds half to even, adds the zero
// point, saturates and only then narrows; dcast computes (q - zp) * scale.
// The pair is kept, not folded to %x.
// CHECK-LABEL: func.func @qcast_dcast_pair_kept
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[INV:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK:   %[[P:.*]] = arith.mulf %[[IN]], %[[INV]] : f32
// CHECK:   %[[R:.*]] = math.roundeven %[[P]] : f32
// CHECK:   %[[S:.*]] = arith.addf %[[R]], %[[ZP]] : f32
// CHECK:   %[[LO:.*]] = arith.maximumf %[[S]], %{{.*}} : f32
// CHECK:   %[[HI:.*]] = arith.minimumf %[[LO]], %{{.*}} : f32
// CHECK:   %[[SEL:.*]] = arith.select %{{.*}}, %{{.*}}, %[[HI]] : f32
// CHECK:   %[[I:.*]] = arith.fptosi %[[SEL]] : f32 to i8
// CHECK:   linalg.yield %[[I]] : i8
// CHECK: %[[D:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<4xi8>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: ^bb0(%[[QIN:.*]]: i8, %{{.*}}: f32):
// CHECK:   %[[F:.*]] = arith.sitofp %[[QIN]] : i8 to f32
// CHECK:   %[[C:.*]] = arith.subf %[[F]], %{{.*}} : f32
// CHECK:   %[[Y:.*]] = arith.mulf %[[C]], %{{.*}} : f32
// CHECK:   linalg.yield %[[Y]] : f32
// CHECK: return %[[D]]
func.func @qcast_dcast_pair_kept(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:3>>
  %0 = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.1:3>> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// u8 narrows and widens as unsigned; the storage bounds are [0, 255].
// CHECK-LABEL: func.func @unsigned_storage
// CHECK-DAG: arith.constant 0.000000e+00 : f32
// CHECK-DAG: arith.constant 2.550000e+02 : f32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: arith.uitofp %{{.*}} : i8 to f32
func.func @unsigned_storage(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %0 = quant.dcast %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Narrowed bounds clamp at -127.
// CHECK-LABEL: func.func @narrow_range
// CHECK-DAG: arith.constant -1.270000e+02 : f32
// CHECK-DAG: arith.constant 1.270000e+02 : f32
func.func @narrow_range(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %0 = quant.scast %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Quantized types leave function signatures, calls and returns; scast is a
// no-op on storage.
// CHECK-LABEL: func.func @callee
// CHECK-SAME: (%[[Q:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK: return %[[Q]] : tensor<4xi8>
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[I:.*]]: tensor<4xi8>) -> tensor<4xf32>
// CHECK-NOT: quant.scast
// CHECK: %[[R:.*]] = call @callee(%[[I]]) : (tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%[[R]] : tensor<4xi8>)
// CHECK-NOT: !quant
func.func @callee(%q: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  return %q : tensor<4x!quant.uniform<i8:f32, 0.1>>
}
func.func @caller(%i: tensor<4xi8>) -> tensor<4xf32> {
  %q = quant.scast %i : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  %r = call @callee(%q) : (tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  %0 = quant.dcast %r : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Per-axis weights as an integer constant, stored and dequantized per
// output channel.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis_weights
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[1, -2], [3, 4]]> : tensor<2x2xi8>
// CHECK: %[[S:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$COL]], #[[$COL]], #[[$ID]]], {{.*}} ins(%[[W]], %{{.*}}, %[[S]], %{{.*}} :
func.func @per_axis_weights() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>
  %q = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  %0 = quant.dcast %q : tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>> to tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Functions without quantized types are left alone.
// CHECK-LABEL: func.func @negative_no_quant
// CHECK-NEXT: return %{{.*}} : tensor<4xf32>
func.func @negative_no_quant(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Scalars with a per-tensor type: the same arithmetic, without a generic.
// CHECK-LABEL: func.func @scalar_casts
// CHECK-SAME: (%[[X:.*]]: f32) -> i8
// CHECK-NOT: linalg.generic
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %{{.*}} : f32
// CHECK: math.roundeven %[[P]] : f32
// CHECK: %[[Q:.*]] = arith.fptosi %{{.*}} : f32 to i8
// CHECK: %[[F:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK: return %[[Q]] : i8
func.func @scalar_casts(%x: f32) -> !quant.uniform<i8:f32, 0.1> {
  %q = quant.qcast %x : f32 to !quant.uniform<i8:f32, 0.1>
  %d = quant.dcast %q : !quant.uniform<i8:f32, 0.1> to f32
  return %q : !quant.uniform<i8:f32, 0.1>
}

// -----

// i32 codes (ONNX's and TFLite's bias): rounded in f32, then the zero point
// added and the clamp applied on i64; dcast subtracts on integers before
// the one rounding to f32.
// CHECK-LABEL: func.func @i32_storage
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK: %[[ZP:.*]] = arith.constant 5 : i64
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<3xf32>) outs(%{{.*}} : tensor<3xi32>)
// CHECK:   math.roundeven %{{.*}} : f32
// CHECK:   %[[I:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK:   %[[S:.*]] = arith.addi %[[I]], %[[ZP]] : i64
// CHECK:   %[[QMIN:.*]] = arith.constant -2147483648 : i64
// CHECK:   %[[QMAX:.*]] = arith.constant 2147483647 : i64
// CHECK:   %[[LO:.*]] = arith.maxsi %[[S]], %[[QMIN]] : i64
// CHECK:   %[[HI:.*]] = arith.minsi %[[LO]], %[[QMAX]] : i64
// CHECK:   %[[T:.*]] = arith.trunci %[[HI]] : i64 to i32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno
// CHECK:   arith.select %[[NAN]], %{{.*}}, %[[T]] : i32
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<3xi32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK:   %[[W:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK:   %[[C:.*]] = arith.subi %[[W]], %{{.*}} : i64
// CHECK:   %[[F:.*]] = arith.sitofp %[[C]] : i64 to f32
// CHECK:   arith.mulf %[[F]], %{{.*}} : f32
func.func @i32_storage(%x: tensor<3xf32>) -> tensor<3xf32> {
  %q = quant.qcast %x : tensor<3xf32> to tensor<3x!quant.uniform<i32:f32, 1.0e-4:5>>
  %d = quant.dcast %q : tensor<3x!quant.uniform<i32:f32, 1.0e-4:5>> to tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

// An i32 bias per channel: its zero points are an i64 tensor.
// CHECK-LABEL: func.func @i32_bias_per_axis
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<0> : tensor<2xi64>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZPS]] : tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi64>)
// CHECK:   ^bb0(%[[CODE:.*]]: i32, %{{.*}}: f32, %[[SCALE:.*]]: f32, %[[Z:.*]]: i64, %{{.*}}: f32):
// CHECK:   %[[W:.*]] = arith.extsi %[[CODE]] : i32 to i64
// CHECK:   arith.subi %[[W]], %[[Z]] : i64
func.func @i32_bias_per_axis() -> tensor<2xf32> {
  %b = arith.constant dense<[200, -400]> : tensor<2xi32>
  %bq = quant.scast %b : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3}>>
  %bd = quant.dcast %bq : tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3}>> to tensor<2xf32>
  return %bd : tensor<2xf32>
}

// -----

// An unranked per-tensor cast runs on the 1-D view of its tensor (reshaped
// through an unranked result, which is what memref.reshape lowers from an
// unranked source) and is reshaped back to the original shape.
// CHECK-LABEL: func.func @unranked_per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<*xf32>) -> tensor<*xi8>
// CHECK: %[[RANK:.*]] = tensor.rank %[[X]] : tensor<*xf32>
// CHECK: %[[SHAPE:.*]] = tensor.generate %[[RANK]]
// CHECK:   tensor.dim %[[X]], %{{.*}} : tensor<*xf32>
// CHECK: %[[N:.*]] = scf.for {{.*}} to %[[RANK]]
// CHECK: %[[FLAT_SHAPE:.*]] = tensor.from_elements %[[N]] : tensor<1xindex>
// CHECK: %[[FLAT_DYN:.*]] = tensor.cast %[[FLAT_SHAPE]] : tensor<1xindex> to tensor<?xindex>
// CHECK: %[[FLAT_U:.*]] = tensor.reshape %[[X]](%[[FLAT_DYN]]) : (tensor<*xf32>, tensor<?xindex>) -> tensor<*xf32>
// CHECK: %[[FLAT:.*]] = tensor.cast %[[FLAT_U]] : tensor<*xf32> to tensor<?xf32>
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[FLAT]] : tensor<?xf32>) outs(%{{.*}} : tensor<?xi8>)
// CHECK: %[[R:.*]] = tensor.reshape %[[Q]](%[[SHAPE]]) : (tensor<?xi8>, tensor<?xindex>) -> tensor<*xi8>
// CHECK: return %[[R]] : tensor<*xi8>
func.func @unranked_per_tensor(%x: tensor<*xf32>) -> tensor<*x!quant.uniform<i8:f32, 0.1:3>> {
  %q = quant.qcast %x : tensor<*xf32> to tensor<*x!quant.uniform<i8:f32, 0.1:3>>
  return %q : tensor<*x!quant.uniform<i8:f32, 0.1:3>>
}

// -----

// An unranked per-axis cast runs on the [before, channels, after] view,
// after checking at run time that the quantized dimension exists and has
// the type's size.
// CHECK-LABEL: func.func @unranked_per_axis
// CHECK-SAME: (%[[Q:.*]]: tensor<*xi8>) -> tensor<*xf32>
// CHECK: %[[RANK:.*]] = tensor.rank %[[Q]] : tensor<*xi8>
// CHECK: %[[HAS_AXIS:.*]] = arith.cmpi sgt, %[[RANK]], %[[AXIS:.*]] : index
// CHECK: cf.assert %[[HAS_AXIS]], "rank does not have the quantized dimension 1"
// CHECK: %[[SIZE:.*]] = tensor.dim %[[Q]], %[[AXIS]] : tensor<*xi8>
// CHECK: %[[SIZE_OK:.*]] = arith.cmpi eq, %[[SIZE]], %[[TWO:.*]] : index
// CHECK: cf.assert %[[SIZE_OK]], "size of dimension 1 does not match the quantized type"
// CHECK: %[[BEFORE:.*]] = scf.for
// CHECK: %[[AFTER:.*]] = scf.for
// CHECK: %[[VIEW_SHAPE:.*]] = tensor.from_elements %[[BEFORE]], %[[TWO]], %[[AFTER]] : tensor<3xindex>
// CHECK: %[[VIEW_DYN:.*]] = tensor.cast %[[VIEW_SHAPE]] : tensor<3xindex> to tensor<?xindex>
// CHECK: %[[VIEW_U:.*]] = tensor.reshape %[[Q]](%[[VIEW_DYN]]) : (tensor<*xi8>, tensor<?xindex>) -> tensor<*xi8>
// CHECK: %[[VIEW:.*]] = tensor.cast %[[VIEW_U]] : tensor<*xi8> to tensor<?x2x?xi8>
// CHECK: %[[D:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[CH:.*]], #[[CH]], #[[CH]], #{{.*}}]{{.*}} ins(%[[VIEW]], {{.*}} : tensor<?x2x?xi8>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: tensor.reshape %[[D]](%{{.*}}) : (tensor<?x2x?xf32>, tensor<?xindex>) -> tensor<*xf32>
func.func @unranked_per_axis(%q: tensor<*x!quant.uniform<i8:f32:1, {0.1:3, 0.2:-1}>>) -> tensor<*xf32> {
  %d = quant.dcast %q : tensor<*x!quant.uniform<i8:f32:1, {0.1:3, 0.2:-1}>> to tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

// Ops that only move codes (here a flatten before a Linear, and a slice)
// move the storage.
// CHECK-LABEL: func.func @reshape_and_slice_of_codes
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x3xi8>) -> tensor<2xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2, 3]] : tensor<1x2x2x3xi8> into tensor<1x12xi8>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[FLAT]][0, 4] [1, 2] [1, 1] : tensor<1x12xi8> to tensor<2xi8>
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<2xi8>)
// CHECK-NOT: unrealized_conversion_cast
// CHECK-NOT: !quant.uniform
func.func @reshape_and_slice_of_codes(%x: tensor<1x2x2x3x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<2xf32> {
  %c = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.1:3>> into tensor<1x12x!quant.uniform<i8:f32, 0.1:3>>
  %s = tensor.extract_slice %c[0, 4] [1, 2] [1, 1] : tensor<1x12x!quant.uniform<i8:f32, 0.1:3>> to tensor<2x!quant.uniform<i8:f32, 0.1:3>>
  %d = quant.dcast %s : tensor<2x!quant.uniform<i8:f32, 0.1:3>> to tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// A transpose, whose body has quantized block arguments, is moved too.
// CHECK-LABEL: func.func @transpose_of_codes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x2xi8>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3xi8>) outs(%[[E]] : tensor<3x2xi8>) permutation = [1, 0]
// CHECK: return %[[T]] : tensor<3x2xi8>
func.func @transpose_of_codes(%x: tensor<2x3x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1:3>> {
  %e = tensor.empty() : tensor<3x2x!quant.uniform<i8:f32, 0.1:3>>
  %t = linalg.transpose ins(%x : tensor<2x3x!quant.uniform<i8:f32, 0.1:3>>) outs(%e : tensor<3x2x!quant.uniform<i8:f32, 0.1:3>>) permutation = [1, 0]
  return %t : tensor<3x2x!quant.uniform<i8:f32, 0.1:3>>
}

// -----

// Modules imported from ONNX divide by the scale, as ONNX and ONNX Runtime
// quantize; dequantization is the same.
module attributes {qnn.divide_by_scale} {
// CHECK-LABEL: func.func @qcast_divides_by_scale
// CHECK-DAG:     %[[SCALE:.+]] = arith.constant 3.000000e-01 : f32
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: i8):
// CHECK-NOT:       arith.mulf
// CHECK:           %[[Q:.+]] = arith.divf %[[X]], %[[SCALE]] : f32
// CHECK:           math.roundeven %[[Q]] : f32
func.func @qcast_divides_by_scale(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.3:3>> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.3:3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.3:3>>
}
}
