// RUN: quant-opt %s --qnn-eliminate-sparsity=compress-threshold=0.75 -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-eliminate-sparsity -split-input-file | FileCheck %s --check-prefix=DEFAULT

// Channel 1 of the first layer has a zero weight column and a zero bias:
// it is removed from %w1, the bias, the ReLU and the rows of %w2.
// CHECK-LABEL: func.func @remove_zero_channel
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xf32>)
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[}}[1.000000e+00], [3.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<4x2xf32>
// CHECK: %[[I1:.*]] = linalg.broadcast ins(%[[B1]] : tensor<2xf32>) outs(%{{.*}} : tensor<4x2xf32>) dimensions = [0]
// CHECK: %[[H:.*]] = linalg.matmul ins(%[[X]], %[[W1]] : tensor<4x2xf32>, tensor<2x2xf32>) outs(%[[I1]] : tensor<4x2xf32>) -> tensor<4x2xf32>
// CHECK: %[[R:.*]] = arith.maximumf %[[H]], %[[Z]] : tensor<4x2xf32>
// CHECK: %[[Y:.*]] = linalg.matmul ins(%[[R]], %[[W2]] : tensor<4x2xf32>, tensor<2x1xf32>)
// CHECK: return %[[Y]]
func.func @remove_zero_channel(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 3.0], [2.0, 0.0, 4.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.5, 0.0, -0.5]> : tensor<3xf32>
  %e1 = tensor.empty() : tensor<4x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<4x3xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x3xf32>) outs(%i1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %z = arith.constant dense<0.0> : tensor<4x3xf32>
  %r = arith.maximumf %h, %z : tensor<4x3xf32>
  %w2 = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = linalg.matmul ins(%r, %w2 : tensor<4x3xf32>, tensor<3x1xf32>) outs(%f2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

!qw1 = !quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>
!qh = !quant.uniform<u8:f32, 0.05:10>
!qw2 = !quant.uniform<i8:f32, 0.5>

// Stored int8 weights (zero codes), per-channel scales trimmed, through a
// QDQ pair on the activations.
// CHECK-LABEL: func.func @remove_zero_channel_quantized
// CHECK-DAG: %[[C2:.*]] = arith.constant dense<{{\[}}[5], [7]]> : tensor<2x1xi8>
// CHECK-DAG: %[[C1:.*]] = arith.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi8>
// CHECK: quant.scast %[[C1]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {1.000000e-01,3.000000e-01}>>
// CHECK: quant.qcast %{{.*}} : tensor<4x2xf32> to tensor<4x2x!quant.uniform<u8:f32, 5.000000e-02:10>>
// CHECK: quant.dcast %{{.*}} : tensor<4x2x!quant.uniform<u8:f32, 5.000000e-02:10>> to tensor<4x2xf32>
// CHECK: quant.scast %[[C2]]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<2x1xf32>)
func.func @remove_zero_channel_quantized(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %c1 = arith.constant dense<[[1, 0, 3], [2, 0, 4]]> : tensor<2x3xi8>
  %q1 = quant.scast %c1 : tensor<2x3xi8> to tensor<2x3x!qw1>
  %w1 = quant.dcast %q1 : tensor<2x3x!qw1> to tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %hq = quant.qcast %h : tensor<4x3xf32> to tensor<4x3x!qh>
  %hd = quant.dcast %hq : tensor<4x3x!qh> to tensor<4x3xf32>
  %c2 = arith.constant dense<[[5], [6], [7]]> : tensor<3x1xi8>
  %q2 = quant.scast %c2 : tensor<3x1xi8> to tensor<3x1x!qw2>
  %w2 = quant.dcast %q2 : tensor<3x1x!qw2> to tensor<3x1xf32>
  %e2 = tensor.empty() : tensor<4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = linalg.matmul ins(%hd, %w2 : tensor<4x3xf32>, tensor<3x1xf32>) outs(%f2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// A nonzero bias keeps the channel (it is not zero after the layer).
// CHECK-LABEL: func.func @negative_nonzero_bias
// CHECK: tensor<2x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3x1xf32>)
func.func @negative_nonzero_bias(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 3.0], [2.0, 0.0, 4.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.5, 0.25, -0.5]> : tensor<3xf32>
  %e1 = tensor.empty() : tensor<4x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<4x3xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x3xf32>) outs(%i1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %w2 = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<4x3xf32>, tensor<3x1xf32>) outs(%f2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// max(x, 1) maps 0 to 1: the zero channel is not zero after it.
// CHECK-LABEL: func.func @negative_activation_not_zero_preserving
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3x1xf32>)
func.func @negative_activation_not_zero_preserving(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 3.0], [2.0, 0.0, 4.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f1 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %one = arith.constant dense<1.0> : tensor<4x3xf32>
  %r = arith.maximumf %h, %one : tensor<4x3xf32>
  %w2 = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %e2 = tensor.empty() : tensor<4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = linalg.matmul ins(%r, %w2 : tensor<4x3xf32>, tensor<3x1xf32>) outs(%f2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// All-zero weights: the matmul is its bias.
// CHECK-LABEL: func.func @fold_all_zero_weights
// CHECK-NOT: linalg.matmul
// CHECK: %[[B:.*]] = linalg.broadcast
// CHECK: return %[[B]]
func.func @fold_all_zero_weights(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<0.0> : tensor<2x3xf32>
  %b = arith.constant dense<[0.5, 0.25, -0.5]> : tensor<3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %i = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<4x3xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%i : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %h : tensor<4x3xf32>
}

// -----

// A mask of all ones disappears.
// CHECK-LABEL: func.func @all_ones_mask
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: qnn.apply_mask
// CHECK: return %[[X]]
func.func @all_ones_mask(%x: tensor<4xf32>) -> tensor<4xf32> {
  %m = arith.constant dense<true> : tensor<4xi1>
  %0 = qnn.apply_mask %x, %m : tensor<4xf32>, tensor<4xi1>
  return %0 : tensor<4xf32>
}

// -----

// Convolutions: filter 1 of the first NHWC/HWCF convolution is zero (no
// bias); it is removed from its weights (dimension 3), from the ReLU and
// the zero padding, and from the input channels (dimension 2) of the next.
// CHECK-LABEL: func.func @remove_zero_filter
// CHECK: %[[C1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>)
// CHECK: %[[R:.*]] = arith.maximumf %[[C1]], %{{.*}} : tensor<1x4x4x2xf32>
// CHECK: %[[P:.*]] = tensor.pad %[[R]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[P]], %{{.*}} : tensor<1x6x6x2xf32>, tensor<3x3x2x1xf32>)
func.func @remove_zero_filter(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> {
  %w1 = arith.constant dense<[[[[1.0, 0.0, -1.0]]]]> : tensor<1x1x1x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x4x4x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %h = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x4x4x1xf32>, tensor<1x1x1x3xf32>) outs(%f1 : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %z = arith.constant dense<0.0> : tensor<1x4x4x3xf32>
  %r = arith.maximumf %h, %z : tensor<1x4x4x3xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x3xf32> to tensor<1x6x6x3xf32>
  %w2 = arith.constant dense<0.5> : tensor<3x3x3x1xf32>
  %e2 = tensor.empty() : tensor<1x4x4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w2 : tensor<1x6x6x3xf32>, tensor<3x3x3x1xf32>) outs(%f2 : tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// NCHW/FCHW convolutions: filter 1 (dimension 0 of the weights) and its
// bias are zero; the channel goes from the weights, the bias broadcast
// (dimensions 0, 2, 3), the ReLU and the padding (channels are dimension 1
// of the activations), and from the input channels (dimension 1) of the
// next convolution.
// CHECK-LABEL: func.func @remove_zero_filter_nchw
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[-1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[I1:.*]] = linalg.broadcast ins(%[[B1]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: %[[C1:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W1]] : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) outs(%[[I1]] : tensor<1x2x4x4xf32>)
// CHECK: %[[R:.*]] = arith.maximumf %[[C1]], %{{.*}} : tensor<1x2x4x4xf32>
// CHECK: %[[P:.*]] = tensor.pad %[[R]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[P]], %{{.*}} : tensor<1x2x6x6xf32>, tensor<1x2x3x3xf32>)
func.func @remove_zero_filter_nchw(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.0]]], [[[-1.0]]]]> : tensor<3x1x1x1xf32>
  %b1 = arith.constant dense<[0.5, 0.0, -0.5]> : tensor<3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x3x4x4xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3x4x4xf32>) dimensions = [0, 2, 3]
  %h = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>) outs(%i1 : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %z = arith.constant dense<0.0> : tensor<1x3x4x4xf32>
  %r = arith.maximumf %h, %z : tensor<1x3x4x4xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x4x4xf32> to tensor<1x3x6x6xf32>
  %w2 = arith.constant dense<0.5> : tensor<1x3x3x3xf32>
  %e2 = tensor.empty() : tensor<1x1x4x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w2 : tensor<1x3x6x6xf32>, tensor<1x3x3x3xf32>) outs(%f2 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// An NCHW producer feeding an NHWC consumer: the channel the producer
// drops is not the consumer's channel dimension, so nothing is removed.
// CHECK-LABEL: func.func @negative_mixed_layouts
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<3x1x1x1xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x4x1xf32>
func.func @negative_mixed_layouts(%x: tensor<1x1x4x4xf32>) -> tensor<1x3x4x1xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[0.0]]], [[[-1.0]]]]> : tensor<3x1x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x3x4x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %h = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>) outs(%f1 : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %w2 = arith.constant dense<0.5> : tensor<1x1x4x1xf32>
  %e2 = tensor.empty() : tensor<1x3x4x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x3x4x1xf32>) -> tensor<1x3x4x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%h, %w2 : tensor<1x3x4x4xf32>, tensor<1x1x4x1xf32>) outs(%f2 : tensor<1x3x4x1xf32>) -> tensor<1x3x4x1xf32>
  return %y : tensor<1x3x4x1xf32>
}

// -----

!qw = !quant.uniform<i8:f32:1, {0.5:0, 0.25:2, 1.0:-1}>

// Weight-only quantization: codes equal to their column's zero point are
// the zeros (10 of 12). The nonzero codes stay i8 in CSC form and are
// dequantized in the loop as quant.dcast is, (f32(q) - zp[n]) * s[n].
// By default only weights with at least 95% zeros are compressed: 10 of
// 12 stay dense.
// DEFAULT-LABEL: func.func @compress_stored_codes
// DEFAULT: linalg.matmul
// CHECK-LABEL: func.func @compress_stored_codes
// CHECK-DAG: %[[STARTS:.*]] = arith.constant dense<[0, 1, 2, 2]> : tensor<4xi64>
// CHECK-DAG: %[[ROWS:.*]] = arith.constant dense<[0, 2]> : tensor<2xi64>
// CHECK-DAG: %[[CODES:.*]] = arith.constant dense<[5, 7]> : tensor<2xi8>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[0.000000e+00, 2.000000e+00, -1.000000e+00]> : tensor<3xf32>
// CHECK: scf.for %[[COL:[a-z0-9_]+]] =
// CHECK:   %[[S:.*]] = tensor.extract %[[SCALES]][%[[COL]]] : tensor<3xf32>
// CHECK:   %[[Z:.*]] = tensor.extract %[[ZPS]][%[[COL]]] : tensor<3xf32>
// CHECK:   scf.for
// CHECK:     scf.for %[[J:[a-z0-9_]+]] =
// CHECK:       %[[Q:.*]] = tensor.extract %[[CODES]][%[[J]]] : tensor<2xi8>
// CHECK:       %[[F:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK:       %[[C:.*]] = arith.subf %[[F]], %[[Z]] : f32
// CHECK:       %[[W:.*]] = arith.mulf %[[C]], %[[S]] : f32
// CHECK:       arith.mulf %{{.*}}, %[[W]] : f32
// CHECK-NOT: linalg.matmul
func.func @compress_stored_codes(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %codes = arith.constant dense<[[5, 2, -1], [0, 2, -1], [0, 7, -1], [0, 2, -1]]> : tensor<4x3xi8>
  %wq = quant.scast %codes : tensor<4x3xi8> to tensor<4x3x!qw>
  %w = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

!qx = !quant.uniform<u8:f32, 0.1:128>
!qw = !quant.uniform<i8:f32:1, {0.5:0, 0.25:2, 1.0:-1}>
!qw0 = !quant.uniform<i8:f32:0, {0.5:0, 0.25:2, 1.0:-1, 1.0:0}>

// Left dense: quantized activations (dequantized or fake-quantized: the
// int8 rewrite's case), and codes quantized along K (axis 0).
// CHECK-LABEL: func.func @negative_compress_quantized_activations
// CHECK: linalg.matmul
// CHECK-LABEL: func.func @negative_compress_fake_quant_activations
// CHECK: linalg.matmul
// CHECK-LABEL: func.func @negative_compress_axis_0
// CHECK: linalg.matmul
func.func @negative_compress_quantized_activations(%xq: tensor<2x4x!qx>) -> tensor<2x3xf32> {
  %x = quant.dcast %xq : tensor<2x4x!qx> to tensor<2x4xf32>
  %codes = arith.constant dense<[[5, 2, -1], [0, 2, -1], [0, 7, -1], [0, 2, -1]]> : tensor<4x3xi8>
  %wq = quant.scast %codes : tensor<4x3xi8> to tensor<4x3x!qw>
  %w = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

func.func @negative_compress_fake_quant_activations(%xf: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %x = qnn.fake_quant %xf to !qx : tensor<2x4xf32>
  %codes = arith.constant dense<[[5, 2, -1], [0, 2, -1], [0, 7, -1], [0, 2, -1]]> : tensor<4x3xi8>
  %wq = quant.scast %codes : tensor<4x3xi8> to tensor<4x3x!qw>
  %w = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

func.func @negative_compress_axis_0(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %codes = arith.constant dense<[[0, 0, 0], [2, 2, 2], [-1, -1, 9], [0, 0, 0]]> : tensor<4x3xi8>
  %wq = quant.scast %codes : tensor<4x3xi8> to tensor<4x3x!qw0>
  %w = quant.dcast %wq : tensor<4x3x!qw0> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// f16 activations with f32 weights and result (the matmul casts): the
// zero-skipping loops compute in f32 only, so the matmul is left alone.
// CHECK-LABEL: func.func @negative_compress_f16_activations
// CHECK: linalg.matmul
func.func @negative_compress_f16_activations(%x: tensor<2x4xf16>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]> : tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf16>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
