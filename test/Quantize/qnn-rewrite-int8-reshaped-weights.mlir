// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s

// Frontends reshape dequantized weights: ONNX's depthwise filter is
// F x 1 x KH x KW, which the NCHW depthwise convolution reads as F x KH x KW
// through a collapse_shape. The per-axis type follows its axis and the codes
// stay stored codes, so the convolution runs on integers.

// CHECK-LABEL: func.func @depthwise_weights_collapsed
// CHECK-DAG:     %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<3x3x4xi8>
// CHECK:         linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}}ins(%{{.+}}, %[[W]],
// CHECK-NOT:     linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise_weights_collapsed(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x4x4xf32> {
  %q = quant.qcast %x : tensor<1x4x6x6xf32> to tensor<1x4x6x6x!quant.uniform<u8:f32, 0.05:128>>
  %xd = quant.dcast %q : tensor<1x4x6x6x!quant.uniform<u8:f32, 0.05:128>> to tensor<1x4x6x6xf32>
  %c = arith.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 0, 1], [0, 1, 0], [1, 0, 1]]], [[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]], [[[2, 2, 2], [2, 2, 2], [2, 2, 2]]]]> : tensor<4x1x3x3xi8>
  %wq = quant.scast %c : tensor<4x1x3x3xi8> to tensor<4x1x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.03, 0.04}>>
  %wd = quant.dcast %wq : tensor<4x1x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.03, 0.04}>> to tensor<4x1x3x3xf32>
  %w = tensor.collapse_shape %wd [[0], [1, 2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %y = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %w : tensor<1x4x6x6xf32>, tensor<4x3x3xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %yq = quant.qcast %y : tensor<1x4x4x4xf32> to tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:100>>
  %yd = quant.dcast %yq : tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1:100>> to tensor<1x4x4x4xf32>
  return %yd : tensor<1x4x4x4xf32>
}

// -----

// The collapse merges the quantized axis with another non-unit dimension:
// the per-channel scales cannot follow, and the weights stay a reshape.

// CHECK-LABEL: func.func @negative_weights_axis_merged
// CHECK:         tensor.collapse_shape %{{.+}} : tensor<2x2x3xf32> into tensor<4x3xf32>
// CHECK:         linalg.matmul
func.func @negative_weights_axis_merged(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.05:128>>
  %xd = quant.dcast %q : tensor<2x4x!quant.uniform<u8:f32, 0.05:128>> to tensor<2x4xf32>
  %c = arith.constant dense<1> : tensor<2x2x3xi8>
  %wq = quant.scast %c : tensor<2x2x3xi8> to tensor<2x2x3x!quant.uniform<i8:f32:0, {0.01, 0.02}>>
  %wd = quant.dcast %wq : tensor<2x2x3x!quant.uniform<i8:f32:0, {0.01, 0.02}>> to tensor<2x2x3xf32>
  %w = tensor.collapse_shape %wd [[0, 1], [2]] : tensor<2x2x3xf32> into tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 0.1:100>>
  %yd = quant.dcast %yq : tensor<2x3x!quant.uniform<u8:f32, 0.1:100>> to tensor<2x3xf32>
  return %yd : tensor<2x3xf32>
}
