// RUN: quant-opt %s --convert-quant-to-linalg --qnn-lower-tosa -split-input-file | FileCheck %s

// A TFLite-style int8 TOSA layer: conv2d with an input zero point and an
// i32 bias, then a per-channel DOUBLE_ROUND rescale. The convolution
// becomes the contract's conv_2d_nhwc_fhwc_q (its padding with the zero
// point on the codes, the bias broadcast into the init), the rescale
// fixed-point integer arithmetic on i64: no TOSA is left.
// CHECK-LABEL: func.func @conv_rescale
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x3xi8>)
// CHECK-DAG: %[[ZX:.*]] = arith.constant -3 : i32
// CHECK-DAG: %[[ZX8:.*]] = arith.constant -3 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %[[ZX8]] : i8
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2xi32>) outs(%{{.*}} : tensor<1x4x4x2xi32>)
// CHECK: %[[ACC:.*]] = linalg.conv_2d_nhwc_fhwc_q {{.*}} ins(%[[PAD]], %{{.*}}, %[[ZX]], %{{.*}} : tensor<1x9x9x3xi8>, tensor<2x3x3x3xi8>, i32, i32) outs(%[[INIT]] : tensor<1x4x4x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<1x4x4x2xi32>, tensor<2xi32>, tensor<2xi8>)
// CHECK:   arith.muli %{{.*}} : i64
// CHECK:   arith.shrsi %{{.*}} : i64
// CHECK:   arith.trunci %{{.*}} : i32 to i8
// CHECK-NOT: tosa.
func.func @conv_rescale(%x: tensor<1x8x8x3xi8>) -> tensor<1x4x4x2xi8> {
  %w = "tosa.const"() <{values = dense<2> : tensor<2x3x3x3xi8>}> : () -> tensor<2x3x3x3xi8>
  %b = "tosa.const"() <{values = dense<[100, -50]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %xzp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x8x3xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
  %m = "tosa.const"() <{values = dense<[1518500250, 1276901399]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %s = "tosa.const"() <{values = dense<[38, 37]> : tensor<2xi8>}> : () -> tensor<2xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %c, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = #tosa.rounding_mode<DOUBLE_ROUND>, scale32 = true} : (tensor<1x4x4x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x2xi8>
  return %r : tensor<1x4x4x2xi8>
}

// -----

// Quant-typed TOSA (which upstream's lowering does not accept) runs on the
// storage types convert-quant-to-linalg leaves: tosa.matmul becomes the
// contract's quantized_batch_matmul.
// CHECK-LABEL: func.func @quant_typed_matmul
// CHECK-SAME: (%[[A:.*]]: tensor<1x4x8xi8>, %[[B:.*]]: tensor<1x8x5xi8>) -> tensor<1x4x5xi32>
// CHECK: linalg.quantized_batch_matmul ins(%[[A]], %[[B]], %{{.*}}, %{{.*}} : tensor<1x4x8xi8>, tensor<1x8x5xi8>, i32, i32)
// CHECK-NOT: tosa.
// CHECK-NOT: !quant.uniform
func.func @quant_typed_matmul(%a: tensor<1x4x8x!quant.uniform<i8:f32, 0.1:-3>>, %b: tensor<1x8x5x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x5xi32> {
  %azp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x4x8x!quant.uniform<i8:f32, 0.1:-3>>, tensor<1x8x5x!quant.uniform<i8:f32, 0.05>>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x5xi32>
  return %0 : tensor<1x4x5xi32>
}


// -----

// TOSA's depthwise convolution has a channel multiplier; with M = 1 it
// becomes the contract's depthwise_conv_2d_nhwc_hwc_q, which the kernels
// take, the unit dimension gone from filter, init and result.
// CHECK-LABEL: func.func @depthwise_multiplier_one
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x4xi8>)
// CHECK-DAG: %[[F:.*]] = arith.constant dense<2> : tensor<3x3x4xi8>
// CHECK-DAG: %[[ZX:.*]] = arith.constant 5 : i32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x4x4x4xi32>)
// CHECK: %[[ACC:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[X]], %[[F]], %[[ZX]], %{{.*}} : tensor<1x6x6x4xi8>, tensor<3x3x4xi8>, i32, i32) outs(%[[INIT]] : tensor<1x4x4x4xi32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ACC]] : tensor<4xi32>, tensor<1x4x4x4xi32>)
// CHECK-NOT: hwcm
// CHECK-NOT: tosa.
func.func @depthwise_multiplier_one(%x: tensor<1x6x6x4xi8>) -> tensor<1x4x4x4xi32> {
  %w = "tosa.const"() <{values = dense<2> : tensor<3x3x4x1xi8>}> : () -> tensor<3x3x4x1xi8>
  %b = "tosa.const"() <{values = dense<[1, 2, 3, 4]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %xzp = "tosa.const"() <{values = dense<5> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.depthwise_conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xi8>, tensor<3x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}

// -----

// A multiplier of 2 stays as TOSA lowers it.
// CHECK-LABEL: func.func @negative_depthwise_multiplier_two
// CHECK: linalg.depthwise_conv_2d_nhwc_hwcm_q
func.func @negative_depthwise_multiplier_two(%x: tensor<1x6x6x4xi8>) -> tensor<1x4x4x8xi32> {
  %w = "tosa.const"() <{values = dense<2> : tensor<3x3x4x2xi8>}> : () -> tensor<3x3x4x2xi8>
  %b = "tosa.const"() <{values = dense<1> : tensor<8xi32>}> : () -> tensor<8xi32>
  %xzp = "tosa.const"() <{values = dense<5> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.depthwise_conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xi8>, tensor<3x3x4x2xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x8xi32>
  return %c : tensor<1x4x4x8xi32>
}

// -----

// ui8 codes (old TFLite uint8 models): upstream lowers on signless i8 and
// casts at the boundary; the function's types become signless (the same
// bits) and the round trip between the two pools folds away.
// CHECK-LABEL: func.func @max_pool_ui8
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x4xi8>) -> tensor<1x2x2x4xi8>
// CHECK: %[[P1:.*]] = linalg.pooling_nhwc_max_unsigned {{.*}} ins(%[[X]], %{{.*}} : tensor<1x6x6x4xi8>, tensor<3x3xi8>)
// CHECK: %[[P2:.*]] = linalg.pooling_nhwc_max_unsigned {{.*}} ins(%[[P1]], %{{.*}} : tensor<1x4x4x4xi8>, tensor<3x3xi8>)
// CHECK: return %[[P2]] : tensor<1x2x2x4xi8>
// CHECK-NOT: unrealized_conversion_cast
func.func @max_pool_ui8(%x: tensor<1x6x6x4xui8>) -> tensor<1x2x2x4xui8> {
  %0 = tosa.max_pool2d %x {pad = array<i64: 0, 0, 0, 0>, kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8>
  %1 = tosa.max_pool2d %0 {pad = array<i64: 0, 0, 0, 0>, kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xui8>) -> tensor<1x2x2x4xui8>
  return %1 : tensor<1x2x2x4xui8>
}
