// RUN: quant-opt %s --qnn-cpu-split-grouped-convolutions -split-input-file | FileCheck %s

// torch-mlir's grouped convolution: one NCHW x FCHW convolution per group,
// on the group's slices, inserted back in place; the constant weights are
// sliced at compile time.
// CHECK-LABEL: func.func @grouped_ngchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x1x7x6xf32>, %[[INIT:.*]]: tensor<1x2x1x4x4xf32>)
// CHECK-NOT: tensor<2x1x1x1x3xf32>
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0, 0] [1, 1, 1, 7, 6] [1, 1, 1, 1, 1] : tensor<1x2x1x7x6xf32> to tensor<1x1x7x6xf32>
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK-DAG: %[[I0:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0, 0, 0] [1, 1, 1, 4, 4] [1, 1, 1, 1, 1] : tensor<1x2x1x4x4xf32> to tensor<1x1x4x4xf32>
// CHECK: %[[Y0:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[X0]], %[[W0]] : {{.*}}) outs(%[[I0]] : tensor<1x1x4x4xf32>)
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Y0]] into %[[INIT]][0, 0, 0, 0, 0] [1, 1, 1, 4, 4]
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[X]][0, 1, 0, 0, 0] [1, 1, 1, 7, 6]
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 5.000000e+00, 6.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK-DAG: %[[I1:.*]] = tensor.extract_slice %[[INIT]][0, 1, 0, 0, 0] [1, 1, 1, 4, 4]
// CHECK: %[[Y1:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X1]], %[[W1]] : {{.*}}) outs(%[[I1]] : tensor<1x1x4x4xf32>)
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[Y1]] into %[[R0]][0, 1, 0, 0, 0] [1, 1, 1, 4, 4]
// CHECK: return %[[R1]]
func.func @grouped_ngchw(%x: tensor<1x2x1x7x6xf32>, %init: tensor<1x2x1x4x4xf32>) -> tensor<1x2x1x4x4xf32> {
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0]]]], [[[[4.0, 5.0, 6.0]]]]]> : tensor<2x1x1x1x3xf32>
  %0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x1x7x6xf32>, tensor<2x1x1x1x3xf32>) outs(%init : tensor<1x2x1x4x4xf32>) -> tensor<1x2x1x4x4xf32>
  return %0 : tensor<1x2x1x4x4xf32>
}

// -----

// The integer channels-last form keeps its zero points and window; weights
// known only at run time are sliced like the activations.
// CHECK-LABEL: func.func @grouped_nhwgc_q
// CHECK-SAME: (%[[X:.*]]: tensor<1x7x7x2x8xi8>, %[[W:.*]]: tensor<2x4x3x3x8xi8>, %[[INIT:.*]]: tensor<1x3x3x2x4xi32>)
// CHECK-DAG: %[[ZX:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[ZW:.*]] = arith.constant 0 : i32
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0, 0] [1, 7, 7, 1, 8] [1, 1, 1, 1, 1] : tensor<1x7x7x2x8xi8> to tensor<1x7x7x8xi8>
// CHECK: %[[W0:.*]] = tensor.extract_slice %[[W]][0, 0, 0, 0, 0] [1, 4, 3, 3, 8] [1, 1, 1, 1, 1] : tensor<2x4x3x3x8xi8> to tensor<4x3x3x8xi8>
// CHECK: %[[I0:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0, 0, 0] [1, 3, 3, 1, 4]
// CHECK: %[[Y0:.*]] = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X0]], %[[W0]], %[[ZX]], %[[ZW]] : tensor<1x7x7x8xi8>, tensor<4x3x3x8xi8>, i32, i32) outs(%[[I0]] : tensor<1x3x3x4xi32>)
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Y0]] into %[[INIT]][0, 0, 0, 0, 0] [1, 3, 3, 1, 4]
// CHECK: linalg.conv_2d_nhwc_fhwc_q
// CHECK: tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 0, 1, 0] [1, 3, 3, 1, 4]
// CHECK-NOT: linalg.conv_2d_nhwgc_gfhwc_q
func.func @grouped_nhwgc_q(%x: tensor<1x7x7x2x8xi8>, %w: tensor<2x4x3x3x8xi8>, %init: tensor<1x3x3x2x4xi32>) -> tensor<1x3x3x2x4xi32> {
  %zx = arith.constant 3 : i32
  %zw = arith.constant 0 : i32
  %0 = linalg.conv_2d_nhwgc_gfhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w, %zx, %zw : tensor<1x7x7x2x8xi8>, tensor<2x4x3x3x8xi8>, i32, i32) outs(%init : tensor<1x3x3x2x4xi32>) -> tensor<1x3x3x2x4xi32>
  return %0 : tensor<1x3x3x2x4xi32>
}

// -----

// A depthwise multiplier of 2: index m reads the filters [..., m] (strided
// in the constant, gathered at compile time) and computes the output
// channels c * 2 + m, into a fill of its own so that the kernel writes
// contiguous memory.
// CHECK-LABEL: func.func @multiplier_q
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x3xi8>)
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[C0:.*]] : i32) outs(%{{.*}} : tensor<1x4x4x3x2xi32>)
// CHECK: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}[1, 3, 5]]]> : tensor<1x1x3xi8>
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<1x4x4x3xi32>
// CHECK: %[[I0:.*]] = linalg.fill ins(%[[C0]] : i32) outs(%[[E0]] : tensor<1x4x4x3xi32>)
// CHECK: %[[Y0:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[X]], %[[W0]], %{{.*}}, %{{.*}} : tensor<1x6x6x3xi8>, tensor<1x1x3xi8>, i32, i32) outs(%[[I0]] : tensor<1x4x4x3xi32>)
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Y0]] into %[[INIT]][0, 0, 0, 0, 0] [1, 4, 4, 3, 1]
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}[2, 4, 6]]]> : tensor<1x1x3xi8>
// CHECK: %[[Y1:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[X]], %[[W1]],
// CHECK: tensor.insert_slice %[[Y1]] into %[[R0]][0, 0, 0, 0, 1] [1, 4, 4, 3, 1]
func.func @multiplier_q(%x: tensor<1x6x6x3xi8>) -> tensor<1x4x4x3x2xi32> {
  %w = arith.constant dense<[[[[1, 2], [3, 4], [5, 6]]]]> : tensor<1x1x3x2xi8>
  %zx = arith.constant 3 : i32
  %zw = arith.constant 0 : i32
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x3x2xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x4x4x3x2xi32>) -> tensor<1x4x4x3x2xi32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w, %zx, %zw : tensor<1x6x6x3xi8>, tensor<1x1x3x2xi8>, i32, i32) outs(%init : tensor<1x4x4x3x2xi32>) -> tensor<1x4x4x3x2xi32>
  return %0 : tensor<1x4x4x3x2xi32>
}

// -----

// Any other initial value (a bias, an argument) is copied out of its
// strided slice.
// CHECK-LABEL: func.func @multiplier_f32_init
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x3xf32>, %[[W:.*]]: tensor<3x3x3x2xf32>, %[[INIT:.*]]: tensor<1x4x4x3x2xf32>)
// CHECK: %[[W0:.*]] = tensor.extract_slice %[[W]][0, 0, 0, 0] [3, 3, 3, 1] [1, 1, 1, 1] : tensor<3x3x3x2xf32> to tensor<3x3x3xf32>
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0, 0, 0] [1, 4, 4, 3, 1]
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<1x4x4x3xf32>
// CHECK: %[[I0:.*]] = linalg.copy ins(%[[S0]] : tensor<1x4x4x3xf32>) outs(%[[E0]] : tensor<1x4x4x3xf32>)
// CHECK: %[[Y0:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[X]], %[[W0]] : tensor<1x6x6x3xf32>, tensor<3x3x3xf32>) outs(%[[I0]] : tensor<1x4x4x3xf32>)
// CHECK: tensor.insert_slice %[[Y0]] into %[[INIT]]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-NOT: linalg.depthwise_conv_2d_nhwc_hwcm
func.func @multiplier_f32_init(%x: tensor<1x6x6x3xf32>, %w: tensor<3x3x3x2xf32>, %init: tensor<1x4x4x3x2xf32>) -> tensor<1x4x4x3x2xf32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x2xf32>) outs(%init : tensor<1x4x4x3x2xf32>) -> tensor<1x4x4x3x2xf32>
  return %0 : tensor<1x4x4x3x2xf32>
}

// -----

// More multiplier indices than channels: one convolution per input channel
// c, on a contiguous copy of its activations, with the filters
// [.., c, :] as KH x KW x 1 x M (constant ones sliced at compile time,
// others expanded), writing the contiguous channels c * M ...
// CHECK-LABEL: func.func @multiplier_wide
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x2xi8>, %[[W:.*]]: tensor<1x1x2x3xi8>, %[[INIT:.*]]: tensor<1x6x6x2x3xi32>)
// CHECK: %[[XS0:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 6, 6, 1] [1, 1, 1, 1] : tensor<1x6x6x2xi8> to tensor<1x6x6xi8>
// CHECK: %[[XE0:.*]] = tensor.expand_shape %[[XS0]] {{\[}}[0], [1], [2, 3]] output_shape [1, 6, 6, 1] : tensor<1x6x6xi8> into tensor<1x6x6x1xi8>
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<1x6x6x1xi8>
// CHECK: %[[X0:.*]] = linalg.copy ins(%[[XE0]] : tensor<1x6x6x1xi8>) outs(%[[E0]] : tensor<1x6x6x1xi8>)
// CHECK: %[[WS0:.*]] = tensor.extract_slice %[[W]][0, 0, 0, 0] [1, 1, 1, 3] [1, 1, 1, 1] : tensor<1x1x2x3xi8> to tensor<1x1x3xi8>
// CHECK: %[[W0:.*]] = tensor.expand_shape %[[WS0]] {{\[}}[0], [1, 2], [3]] output_shape [1, 1, 1, 3] : tensor<1x1x3xi8> into tensor<1x1x1x3xi8>
// CHECK: %[[I0:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0, 0, 0] [1, 6, 6, 1, 3] [1, 1, 1, 1, 1] : tensor<1x6x6x2x3xi32> to tensor<1x6x6x3xi32>
// CHECK: %[[Y0:.*]] = linalg.conv_2d_nhwc_hwcf_q {{.*}} ins(%[[X0]], %[[W0]], %{{.*}}, %{{.*}} : tensor<1x6x6x1xi8>, tensor<1x1x1x3xi8>, i32, i32) outs(%[[I0]] : tensor<1x6x6x3xi32>)
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[Y0]] into %[[INIT]][0, 0, 0, 0, 0] [1, 6, 6, 1, 3]
// CHECK: linalg.conv_2d_nhwc_hwcf_q
// CHECK: tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 0, 1, 0] [1, 6, 6, 1, 3]
// CHECK-NOT: linalg.depthwise_conv_2d_nhwc_hwcm_q
func.func @multiplier_wide(%x: tensor<1x6x6x2xi8>, %w: tensor<1x1x2x3xi8>, %init: tensor<1x6x6x2x3xi32>) -> tensor<1x6x6x2x3xi32> {
  %zx = arith.constant 3 : i32
  %zw = arith.constant 0 : i32
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w, %zx, %zw : tensor<1x6x6x2xi8>, tensor<1x1x2x3xi8>, i32, i32) outs(%init : tensor<1x6x6x2x3xi32>) -> tensor<1x6x6x2x3xi32>
  return %0 : tensor<1x6x6x2x3xi32>
}

// CHECK-LABEL: func.func @multiplier_wide_constant
// CHECK-NOT: tensor<1x1x2x3xf32>
// CHECK: %[[W0:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %[[W0]] :
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 5.000000e+00, 6.000000e+00]]]]> : tensor<1x1x1x3xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %[[W1]] :
func.func @multiplier_wide_constant(%x: tensor<1x6x6x2xf32>, %init: tensor<1x6x6x2x3xf32>) -> tensor<1x6x6x2x3xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]]> : tensor<1x1x2x3xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x6x6x2xf32>, tensor<1x1x2x3xf32>) outs(%init : tensor<1x6x6x2x3xf32>) -> tensor<1x6x6x2x3xf32>
  return %0 : tensor<1x6x6x2x3xf32>
}

// -----

// A group count known only at run time is left alone.
// CHECK-LABEL: func.func @negative_dynamic_groups
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: tensor.extract_slice
func.func @negative_dynamic_groups(%x: tensor<1x?x4x6x6xf32>, %w: tensor<?x3x4x3x3xf32>, %init: tensor<1x?x3x4x4xf32>) -> tensor<1x?x3x4x4xf32> {
  %0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x?x4x6x6xf32>, tensor<?x3x4x3x3xf32>) outs(%init : tensor<1x?x3x4x4xf32>) -> tensor<1x?x3x4x4xf32>
  return %0 : tensor<1x?x3x4x4xf32>
}

// -----

// A multiplier of 1 is TOSA's lowering's business (a plain depthwise
// convolution); buffers are past this pass.
// CHECK-LABEL: func.func @negative_unit_multiplier
// CHECK: linalg.depthwise_conv_2d_nhwc_hwcm
// CHECK-LABEL: func.func @negative_buffers
// CHECK: linalg.conv_2d_ngchw_gfchw
func.func @negative_unit_multiplier(%x: tensor<1x6x6x3xf32>, %w: tensor<3x3x3x1xf32>, %init: tensor<1x4x4x3x1xf32>) -> tensor<1x4x4x3x1xf32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x1xf32>) outs(%init : tensor<1x4x4x3x1xf32>) -> tensor<1x4x4x3x1xf32>
  return %0 : tensor<1x4x4x3x1xf32>
}
func.func @negative_buffers(%x: memref<1x2x4x6x6xf32>, %w: memref<2x3x4x3x3xf32>, %y: memref<1x2x3x4x4xf32>) {
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x4x6x6xf32>, memref<2x3x4x3x3xf32>) outs(%y : memref<1x2x3x4x4xf32>)
  return
}
