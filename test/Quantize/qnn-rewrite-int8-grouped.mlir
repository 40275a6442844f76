// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file -verify-diagnostics -o /dev/null

// Grouped convolutions in the spellings producers write them, run as one
// contract convolution per group on the codes.

!qx = !quant.uniform<u8:f32, 0.05:128>
!qy = !quant.uniform<u8:f32, 0.1:3>
!qw = !quant.uniform<i8:f32:0, {0.01, 0.02, 0.03, 0.04}>

// torch-mlir: the padded input, the F x C/G x KH x KW weights (per channel)
// and the bias in the initial value expanded into groups,
// conv_2d_ngchw_gfchw, collapse_shape, tensor.cast, ReLU as cmpf + select.
// Group g reads its slice of the sign-flipped padded codes and filters
// [2g, 2g + 2), starts from its bias on the s_x * s_w grid, requantizes
// with its channels' scales and lands at channel 2g.
// CHECK-LABEL: func.func @grouped_torch_mlir
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1, 2, 3]], {{\[}}[4, 5, 6]]], {{\[}}{{\[}}[7, 8, 9]], {{\[}}[1, 1, 1]]]]> : tensor<2x2x1x3xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[-1, -2, -3]], {{\[}}[0, 0, 1]]], {{\[}}{{\[}}[2, 2, 2]], {{\[}}[3, 3, 3]]]]> : tensor<2x2x1x3xi8>
// CHECK-DAG: %[[B0:.*]] = arith.constant dense<[200, -200]> : tensor<2xi32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[200, 25]> : tensor<2xi32>
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: %[[CODES:.*]] = quant.scast %{{.*}} : tensor<1x4x5x5x!quant.uniform<u8:f32, 5.000000e-02:128>> to tensor<1x4x5x5xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %[[CODES]] low[0, 0, 0, 1] high[0, 0, 0, 1]
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} ins(%[[PAD]] : tensor<1x4x5x7xi8>)
// CHECK: %[[X5:.*]] = tensor.expand_shape %[[FLIP]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 7] : tensor<1x4x5x7xi8> into tensor<1x2x2x5x7xi8>
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x4x5x5xi8>
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[X5]][0, 0, 0, 0, 0] [1, 1, 2, 5, 7] [1, 1, 1, 1, 1] : tensor<1x2x2x5x7xi8> to tensor<1x2x5x7xi8>
// CHECK: %[[I0:.*]] = linalg.broadcast ins(%[[B0]] : tensor<2xi32>) outs(%{{.*}} : tensor<1x2x5x5xi32>) dimensions = [0, 2, 3]
// CHECK: %[[A0:.*]] = linalg.conv_2d_nchw_fchw_q {{.*}} ins(%[[X0]], %[[W0]], %[[Z]], %[[Z]] : tensor<1x2x5x7xi8>, tensor<2x2x1x3xi8>, i32, i32) outs(%[[I0]] : tensor<1x2x5x5xi32>)
// CHECK: %[[Q0:.*]] = qnn.requantize %[[A0]] scales = [5.0000002374872565E-4, 0.0010000000474974513] axis = 1 to !quant.uniform<u8:f32, 1.000000e-01:3> clamp_min = 3
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Q0]] into %[[OUT]][0, 0, 0, 0] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[X5]][0, 1, 0, 0, 0] [1, 1, 2, 5, 7]
// CHECK: %[[I1:.*]] = linalg.broadcast ins(%[[B1]] : tensor<2xi32>)
// CHECK: %[[A1:.*]] = linalg.conv_2d_nchw_fchw_q {{.*}} ins(%[[X1]], %[[W1]], %[[Z]], %[[Z]] : {{.*}}) outs(%[[I1]] : tensor<1x2x5x5xi32>)
// CHECK: %[[Q1:.*]] = qnn.requantize %[[A1]] scales = [0.001500000013038516, 0.0020000000949949026] axis = 1
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[Q1]] into %[[R0]][0, 2, 0, 0] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: %[[Y:.*]] = quant.scast %[[R1]] : tensor<1x4x5x5xi8> to tensor<1x4x5x5x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK: return %[[Y]]
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
func.func @grouped_torch_mlir(%x: tensor<1x4x5x5x!qx>) -> tensor<1x4x5x5x!qy> {
  %xd = quant.dcast %x : tensor<1x4x5x5x!qx> to tensor<1x4x5x5xf32>
  %cst0 = arith.constant 0.0 : f32
  %p = tensor.pad %xd low[0, 0, 0, 1] high[0, 0, 0, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %cst0 : f32
  } : tensor<1x4x5x5xf32> to tensor<1x4x5x7xf32>
  %xe = tensor.expand_shape %p [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 7] : tensor<1x4x5x7xf32> into tensor<1x2x2x5x7xf32>
  %wc = arith.constant dense<[[[[1, 2, 3]], [[4, 5, 6]]], [[[7, 8, 9]], [[1, 1, 1]]], [[[-1, -2, -3]], [[0, 0, 1]]], [[[2, 2, 2]], [[3, 3, 3]]]]> : tensor<4x2x1x3xi8>
  %ws = quant.scast %wc : tensor<4x2x1x3xi8> to tensor<4x2x1x3x!qw>
  %wd = quant.dcast %ws : tensor<4x2x1x3x!qw> to tensor<4x2x1x3xf32>
  %we = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 1, 3] : tensor<4x2x1x3xf32> into tensor<2x2x2x1x3xf32>
  %bias = arith.constant dense<[0.1, -0.2, 0.3, 0.05]> : tensor<4xf32>
  %e = tensor.empty() : tensor<1x4x5x5xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<4xf32>) outs(%e : tensor<1x4x5x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x5x5xf32>
  %ie = tensor.expand_shape %init [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5] : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xe, %we : tensor<1x2x2x5x7xf32>, tensor<2x2x2x1x3xf32>) outs(%ie : tensor<1x2x2x5x5xf32>) -> tensor<1x2x2x5x5xf32>
  %cc = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x5xf32> into tensor<1x4x5x5xf32>
  %cast = tensor.cast %cc : tensor<1x4x5x5xf32> to tensor<1x4x5x5xf32>
  %e2 = tensor.empty() : tensor<1x4x5x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cast : tensor<1x4x5x5xf32>) outs(%e2 : tensor<1x4x5x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %gt = arith.cmpf ugt, %in, %z : f32
    %s = arith.select %gt, %in, %z : f32
    linalg.yield %s : f32
  } -> tensor<1x4x5x5xf32>
  %q = quant.qcast %r : tensor<1x4x5x5xf32> to tensor<1x4x5x5x!qy>
  return %q : tensor<1x4x5x5x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32, 0.125>
!qb = !quant.uniform<i32:f32, 6.250000e-02>

// Channels last by hand: conv_2d_nhwgc_gfhwc on the dcast of 5-D codes
// and 5-D weights per tensor, into zeros, the bias as i32 codes added
// after the collapse (ONNX's form), no activation.
// CHECK-LABEL: func.func @grouped_nhwgc_bias_after
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x3x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<1> : tensor<1x1x1x2xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<2> : tensor<1x1x1x2xi8>
// CHECK-DAG: %[[B0:.*]] = arith.constant dense<5> : tensor<1xi32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<-7> : tensor<1xi32>
// CHECK-DAG: %[[ZX:.*]] = arith.constant -3 : i32
// CHECK: %[[CODES:.*]] = quant.scast %[[X]] : {{.*}} to tensor<1x3x3x2x2xi8>
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[CODES]][0, 0, 0, 0, 0] [1, 3, 3, 1, 2] [1, 1, 1, 1, 1] : tensor<1x3x3x2x2xi8> to tensor<1x3x3x2xi8>
// CHECK: linalg.broadcast ins(%[[B0]] : tensor<1xi32>) outs(%{{.*}} : tensor<1x3x3x1xi32>) dimensions = [0, 1, 2]
// CHECK: %[[A0:.*]] = linalg.conv_2d_nhwc_fhwc_q {{.*}} ins(%[[X0]], %[[W0]], %[[ZX]], %{{.*}} : tensor<1x3x3x2xi8>, tensor<1x1x1x2xi8>, i32, i32)
// CHECK: %[[Q0:.*]] = qnn.requantize %[[A0]] scales = [6.250000e-02] to !quant.uniform<i8:f32, 2.500000e-01:1> :
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Q0]] into %{{.*}}[0, 0, 0, 0] [1, 3, 3, 1] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[CODES]][0, 0, 0, 1, 0] [1, 3, 3, 1, 2]
// CHECK: linalg.broadcast ins(%[[B1]] : tensor<1xi32>)
// CHECK: linalg.conv_2d_nhwc_fhwc_q {{.*}} ins(%{{.*}}, %[[W1]],
// CHECK: tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 0, 1] [1, 3, 3, 1] [1, 1, 1, 1]
func.func @grouped_nhwgc_bias_after(%x: tensor<1x3x3x2x2x!qx>) -> tensor<1x3x3x2x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x2x!qx> to tensor<1x3x3x2x2xf32>
  %wc = arith.constant dense<[[[[[1, 1]]]], [[[[2, 2]]]]]> : tensor<2x1x1x1x2xi8>
  %ws = quant.scast %wc : tensor<2x1x1x1x2xi8> to tensor<2x1x1x1x2x!qw>
  %wd = quant.dcast %ws : tensor<2x1x1x1x2x!qw> to tensor<2x1x1x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2x1xf32>) -> tensor<1x3x3x2x1xf32>
  %c = linalg.conv_2d_nhwgc_gfhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x3x3x2x2xf32>, tensor<2x1x1x1x2xf32>) outs(%init : tensor<1x3x3x2x1xf32>) -> tensor<1x3x3x2x1xf32>
  %cc = tensor.collapse_shape %c [[0], [1], [2], [3, 4]] : tensor<1x3x3x2x1xf32> into tensor<1x3x3x2xf32>
  %bc = arith.constant dense<[5, -7]> : tensor<2xi32>
  %bs = quant.scast %bc : tensor<2xi32> to tensor<2x!qb>
  %bd = quant.dcast %bs : tensor<2x!qb> to tensor<2xf32>
  %e2 = tensor.empty() : tensor<1x3x3x2xf32>
  %bb = linalg.broadcast ins(%bd : tensor<2xf32>) outs(%e2 : tensor<1x3x3x2xf32>) dimensions = [0, 1, 2]
  %e3 = tensor.empty() : tensor<1x3x3x2xf32>
  %s = linalg.add ins(%cc, %bb : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) outs(%e3 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %q = quant.qcast %s : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!qy>
  return %q : tensor<1x3x3x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32, 0.125>

// A grouped result quantized without merging the groups into channels
// has no channel dimension for the requantization: it stays in float.
// CHECK-LABEL: func.func @negative_grouped_not_collapsed
// CHECK: linalg.conv_2d_nhwgc_gfhwc
// CHECK-NOT: qnn.requantize
func.func @negative_grouped_not_collapsed(%x: tensor<1x3x3x2x2x!qx>) -> tensor<1x3x3x2x1x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x2x!qx> to tensor<1x3x3x2x2xf32>
  %wc = arith.constant dense<1> : tensor<2x1x1x1x2xi8>
  %ws = quant.scast %wc : tensor<2x1x1x1x2xi8> to tensor<2x1x1x1x2x!qw>
  %wd = quant.dcast %ws : tensor<2x1x1x1x2x!qw> to tensor<2x1x1x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2x1xf32>) -> tensor<1x3x3x2x1xf32>
  // expected-remark @+1 {{stays in float: grouped convolution result is not collapsed into channels}}
  %c = linalg.conv_2d_nhwgc_gfhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x3x3x2x2xf32>, tensor<2x1x1x1x2xf32>) outs(%init : tensor<1x3x3x2x1xf32>) -> tensor<1x3x3x2x1xf32>
  %q = quant.qcast %c : tensor<1x3x3x2x1xf32> to tensor<1x3x3x2x1x!qy>
  return %q : tensor<1x3x3x2x1x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32:1, {0.125, 0.25}>

// Per-channel scales along the filters of one group (dimension 1 of
// G x F/G x ...) are not per output channel.
// CHECK-LABEL: func.func @negative_grouped_scales_within_group
// CHECK: linalg.conv_2d_nhwgc_gfhwc
// CHECK-NOT: qnn.requantize
func.func @negative_grouped_scales_within_group(%x: tensor<1x3x3x2x2x!qx>) -> tensor<1x3x3x4x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x2x!qx> to tensor<1x3x3x2x2xf32>
  %wc = arith.constant dense<1> : tensor<2x2x1x1x2xi8>
  %ws = quant.scast %wc : tensor<2x2x1x1x2xi8> to tensor<2x2x1x1x2x!qw>
  %wd = quant.dcast %ws : tensor<2x2x1x1x2x!qw> to tensor<2x2x1x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2x2xf32>) -> tensor<1x3x3x2x2xf32>
  // expected-remark @+1 {{stays in float: grouped weights are not quantized per output channel}}
  %c = linalg.conv_2d_nhwgc_gfhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x3x3x2x2xf32>, tensor<2x2x1x1x2xf32>) outs(%init : tensor<1x3x3x2x2xf32>) -> tensor<1x3x3x2x2xf32>
  %cc = tensor.collapse_shape %c [[0], [1], [2], [3, 4]] : tensor<1x3x3x2x2xf32> into tensor<1x3x3x4xf32>
  %q = quant.qcast %cc : tensor<1x3x3x4xf32> to tensor<1x3x3x4x!qy>
  return %q : tensor<1x3x3x4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32, 0.125>

// A bias broadcast over the 5-D grouped accumulators (not expanded from
// the channels) is not matched.
// CHECK-LABEL: func.func @negative_grouped_bias_not_expanded
// CHECK: linalg.conv_2d_nhwgc_gfhwc
// CHECK-NOT: qnn.requantize
func.func @negative_grouped_bias_not_expanded(%x: tensor<1x3x3x2x2x!qx>) -> tensor<1x3x3x2x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x2x!qx> to tensor<1x3x3x2x2xf32>
  %wc = arith.constant dense<1> : tensor<2x1x1x1x2xi8>
  %ws = quant.scast %wc : tensor<2x1x1x1x2xi8> to tensor<2x1x1x1x2x!qw>
  %wd = quant.dcast %ws : tensor<2x1x1x1x2x!qw> to tensor<2x1x1x1x2xf32>
  %b = arith.constant dense<[0.5, 1.5]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x3x3x2x1xf32>
  %init = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e : tensor<1x3x3x2x1xf32>) dimensions = [0, 1, 2, 4]
  // expected-remark @+1 {{stays in float: the bias of a grouped convolution is not expanded from its channels}}
  %c = linalg.conv_2d_nhwgc_gfhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x3x3x2x2xf32>, tensor<2x1x1x1x2xf32>) outs(%init : tensor<1x3x3x2x1xf32>) -> tensor<1x3x3x2x1xf32>
  %cc = tensor.collapse_shape %c [[0], [1], [2], [3, 4]] : tensor<1x3x3x2x1xf32> into tensor<1x3x3x2xf32>
  %q = quant.qcast %cc : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!qy>
  return %q : tensor<1x3x3x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32:2, {0.125, 0.25, 0.5, 1.0}>

// A depthwise channel multiplier as IREE writes it: depthwise_conv_2d_nhwc_hwcm
// with the (C, M) result collapsed, weights KH x KW x (C * M) per output
// channel expanded into C x M. Multiplier index m computes the channels
// c * 2 + m: its filters are w[..., c, m], its scales and bias those
// channels', and its codes land every second channel from m.
// CHECK-LABEL: func.func @multiplier_iree
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x3x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}[1, 3]]]> : tensor<1x1x2xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}[2, 4]]]> : tensor<1x1x2xi8>
// CHECK: %[[CODES:.*]] = quant.scast %[[X]]
// CHECK: %[[A0:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[CODES]], %[[W0]], %{{.*}}, %{{.*}} : tensor<1x3x3x2xi8>, tensor<1x1x2xi8>, i32, i32) outs(%{{.*}} : tensor<1x3x3x2xi32>)
// CHECK: %[[Q0:.*]] = qnn.requantize %[[A0]] scales = [6.250000e-02, 2.500000e-01] axis = 3
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Q0]] into %{{.*}}[0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2]
// CHECK: %[[A1:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[CODES]], %[[W1]],
// CHECK: %[[Q1:.*]] = qnn.requantize %[[A1]] scales = [1.250000e-01, 5.000000e-01] axis = 3
// CHECK: tensor.insert_slice %[[Q1]] into %[[R0]][0, 0, 0, 1] [1, 3, 3, 2] [1, 1, 1, 2]
func.func @multiplier_iree(%x: tensor<1x3x3x2x!qx>) -> tensor<1x3x3x4x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x!qx> to tensor<1x3x3x2xf32>
  %wc = arith.constant dense<[[[1, 2, 3, 4]]]> : tensor<1x1x4xi8>
  %ws = quant.scast %wc : tensor<1x1x4xi8> to tensor<1x1x4x!qw>
  %wd = quant.dcast %ws : tensor<1x1x4x!qw> to tensor<1x1x4xf32>
  %we = tensor.expand_shape %wd [[0], [1], [2, 3]] output_shape [1, 1, 2, 2] : tensor<1x1x4xf32> into tensor<1x1x2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2x2xf32>) -> tensor<1x3x3x2x2xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %we : tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>) outs(%init : tensor<1x3x3x2x2xf32>) -> tensor<1x3x3x2x2xf32>
  %cc = tensor.collapse_shape %c [[0], [1], [2], [3, 4]] : tensor<1x3x3x2x2xf32> into tensor<1x3x3x4xf32>
  %q = quant.qcast %cc : tensor<1x3x3x4xf32> to tensor<1x3x3x4x!qy>
  return %q : tensor<1x3x3x4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32, 0.125>

// torch-mlir's depthwise convolution with a multiplier: groups of one input
// channel. It runs as one depthwise convolution per multiplier index on the
// NHWC codes, transposed in and out: filter c * 2 + m of index m is at
// [0, 0, c], its codes every second channel from m.
// CHECK-LABEL: func.func @multiplier_torch_mlir
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}[1, 3]]]> : tensor<1x1x2xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}[2, 4]]]> : tensor<1x1x2xi8>
// CHECK: %[[CODES:.*]] = quant.scast %[[X]]
// CHECK: %[[NHWC:.*]] = linalg.transpose ins(%[[CODES]] : tensor<1x2x3x3xi8>) outs(%{{.*}} : tensor<1x3x3x2xi8>) permutation = [0, 2, 3, 1]
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x3x3x4xi8>
// CHECK: %[[A0:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[NHWC]], %[[W0]], %{{.*}}, %{{.*}} : tensor<1x3x3x2xi8>, tensor<1x1x2xi8>, i32, i32)
// CHECK: %[[Q0:.*]] = qnn.requantize %[[A0]] scales = [6.250000e-02] to
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Q0]] into %[[OUT]][0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2]
// CHECK: %[[A1:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[NHWC]], %[[W1]],
// CHECK: %[[R1:.*]] = tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 0, 1] [1, 3, 3, 2] [1, 1, 1, 2]
// CHECK: %[[NCHW:.*]] = linalg.transpose ins(%[[R1]] : tensor<1x3x3x4xi8>) outs(%{{.*}} : tensor<1x4x3x3xi8>) permutation = [0, 3, 1, 2]
// CHECK: quant.scast %[[NCHW]] : tensor<1x4x3x3xi8> to tensor<1x4x3x3x!quant.uniform<i8:f32, 2.500000e-01:1>>
func.func @multiplier_torch_mlir(%x: tensor<1x2x3x3x!qx>) -> tensor<1x4x3x3x!qy> {
  %xd = quant.dcast %x : tensor<1x2x3x3x!qx> to tensor<1x2x3x3xf32>
  %xe = tensor.expand_shape %xd [[0], [1, 2], [3], [4]] output_shape [1, 2, 1, 3, 3] : tensor<1x2x3x3xf32> into tensor<1x2x1x3x3xf32>
  %wc = arith.constant dense<[[[[1]]], [[[2]]], [[[3]]], [[[4]]]]> : tensor<4x1x1x1xi8>
  %ws = quant.scast %wc : tensor<4x1x1x1xi8> to tensor<4x1x1x1x!qw>
  %wd = quant.dcast %ws : tensor<4x1x1x1x!qw> to tensor<4x1x1x1xf32>
  %we = tensor.expand_shape %wd [[0, 1], [2], [3], [4]] output_shape [2, 2, 1, 1, 1] : tensor<4x1x1x1xf32> into tensor<2x2x1x1x1xf32>
  %zero = arith.constant dense<0.0> : tensor<1x4x3x3xf32>
  %ie = tensor.expand_shape %zero [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 3] : tensor<1x4x3x3xf32> into tensor<1x2x2x3x3xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xe, %we : tensor<1x2x1x3x3xf32>, tensor<2x2x1x1x1xf32>) outs(%ie : tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  %cc = tensor.collapse_shape %c [[0], [1, 2], [3], [4]] : tensor<1x2x2x3x3xf32> into tensor<1x4x3x3xf32>
  %q = quant.qcast %cc : tensor<1x4x3x3xf32> to tensor<1x4x3x3x!qy>
  return %q : tensor<1x4x3x3x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
!qw = !quant.uniform<i8:f32, 0.125>

// More multiplier indices (3) than channels (2): one convolution per input
// channel c, on a copy of the channel's codes, with its 3 filters as
// KH x KW x 1 x 3, writing the channels c * 3 .. c * 3 + 2.
// CHECK-LABEL: func.func @multiplier_wide
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1, 2, 3]]]]> : tensor<1x1x1x3xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[4, 5, 6]]]]> : tensor<1x1x1x3xi8>
// CHECK: %[[CODES:.*]] = quant.scast
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x3x3x6xi8>
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[CODES]][0, 0, 0, 0] [1, 3, 3, 1] [1, 1, 1, 1] : tensor<1x3x3x2xi8> to tensor<1x3x3x1xi8>
// CHECK: %[[X0:.*]] = linalg.copy ins(%[[S0]] : tensor<1x3x3x1xi8>)
// CHECK: %[[A0:.*]] = linalg.conv_2d_nhwc_hwcf_q {{.*}} ins(%[[X0]], %[[W0]], %{{.*}}, %{{.*}} : tensor<1x3x3x1xi8>, tensor<1x1x1x3xi8>, i32, i32) outs(%{{.*}} : tensor<1x3x3x3xi32>)
// CHECK: %[[Q0:.*]] = qnn.requantize %[[A0]]
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Q0]] into %[[OUT]][0, 0, 0, 0] [1, 3, 3, 3] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[CODES]][0, 0, 0, 1] [1, 3, 3, 1]
// CHECK: linalg.conv_2d_nhwc_hwcf_q {{.*}} ins(%{{.*}}, %[[W1]],
// CHECK: tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 0, 3] [1, 3, 3, 3] [1, 1, 1, 1]
func.func @multiplier_wide(%x: tensor<1x3x3x2x!qx>) -> tensor<1x3x3x6x!qy> {
  %xd = quant.dcast %x : tensor<1x3x3x2x!qx> to tensor<1x3x3x2xf32>
  %wc = arith.constant dense<[[[[1, 2, 3], [4, 5, 6]]]]> : tensor<1x1x2x3xi8>
  %ws = quant.scast %wc : tensor<1x1x2x3xi8> to tensor<1x1x2x3x!qw>
  %wd = quant.dcast %ws : tensor<1x1x2x3x!qw> to tensor<1x1x2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2x3xf32>) -> tensor<1x3x3x2x3xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x3x3x2xf32>, tensor<1x1x2x3xf32>) outs(%init : tensor<1x3x3x2x3xf32>) -> tensor<1x3x3x2x3xf32>
  %cc = tensor.collapse_shape %c [[0], [1], [2], [3, 4]] : tensor<1x3x3x2x3xf32> into tensor<1x3x3x6xf32>
  %q = quant.qcast %cc : tensor<1x3x3x6xf32> to tensor<1x3x3x6x!qy>
  return %q : tensor<1x3x3x6x!qy>
}
