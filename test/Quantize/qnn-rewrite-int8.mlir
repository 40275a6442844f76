// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-rewrite-int8="mode=fixed-point-double" -split-input-file | FileCheck %s --check-prefix=FIXED

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// A Linear with bias and ReLU: u8 activations (zero point 130) times i8
// per-channel weights, accumulated in i32 from the bias on the s_x * s_w
// grid (0.1 / 0.0005 = 200, ...); ReLU becomes clamp_min = the output zero
// point. The u8 codes of the argument reach the signed quantized_matmul
// through the sign flip, with zero point 130 - 128 = 2.
// CHECK-LABEL: func.func @linear_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xi8>)
// CHECK-DAG: %[[ZX:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[ZW:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[SIGN:.*]] = arith.constant -128 : i8
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[XQ:.*]] = quant.scast %[[X]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8:f32, 5.000000e-02:130>>
// CHECK: %[[XS:.*]] = quant.scast %[[XQ]] : tensor<2x4x!quant.uniform<u8:f32, 5.000000e-02:130>> to tensor<2x4xi8>
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} ins(%[[XS]] : tensor<2x4xi8>)
// CHECK:   arith.xori %{{.*}}, %[[SIGN]] : i8
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>) outs(%{{.*}} : tensor<2x3xi32>) dimensions = [0]
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins(%[[FLIP]], %[[W]], %[[ZX]], %[[ZW]] : tensor<2x4xi8>, tensor<4x3xi8>, i32, i32) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: %[[Y:.*]] = qnn.requantize %[[ACC]] scales = [5.0000002374872565E-4, 0.0010000000474974513, 7.5000000651925802E-4] axis = 1 to !quant.uniform<u8:f32, 1.200000e-01:100> clamp_min = 100 : tensor<2x3xi32> -> tensor<2x3xi8>
// CHECK: %[[YQ:.*]] = quant.scast %[[Y]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<u8:f32, 1.200000e-01:100>>
// CHECK-NOT: linalg.matmul
// CHECK-NOT: quant.qcast
// FIXED-LABEL: func.func @linear_bias_relu
// FIXED: qnn.requantize {{.*}} mode<fixed_point_double>
func.func @linear_bias_relu(%x: tensor<2x4xi8>) -> tensor<2x3xi8> {
  %xq = quant.scast %x : tensor<2x4xi8> to tensor<2x4x!qx>
  %xd = quant.dcast %xq : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%bb : tensor<2x3xf32>) -> tensor<2x3xf32>
  %z = arith.constant dense<0.0> : tensor<2x3xf32>
  %r = arith.maximumf %y, %z : tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  %ys = quant.scast %yq : tensor<2x3x!qy> to tensor<2x3xi8>
  return %ys : tensor<2x3xi8>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8:f32, 0.25:2>
!qh = !quant.uniform<i8:f32, 1.0:0>
!qy = !quant.uniform<i8:f32, 2.0:1>

// Two layers: the second reads the first's int8 result; no dequantize /
// quantize round trip is left between them. Per-tensor weights with a zero
// point of 2, no bias (zeros), ReLU6 as clamp bounds [q(0), q(6)] = [0, 6].
// CHECK-LABEL: func.func @two_layers_stay_int8
// CHECK-DAG: %[[ZX:.*]] = arith.constant -3 : i32
// CHECK-DAG: %[[ZW:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[ACC1:.*]] = linalg.quantized_matmul ins(%{{.*}}, %{{.*}}, %[[ZX]], %[[ZW]] :
// CHECK: %[[H:.*]] = qnn.requantize %[[ACC1]] scales = [1.250000e-01] to !quant.uniform<i8:f32, 1.000000e+00> clamp_min = 0 clamp_max = 6 : tensor<2x2xi32> -> tensor<2x2xi8>
// CHECK: %[[HQ:.*]] = quant.scast %[[H]]
// CHECK-NOT: quant.dcast
// CHECK: %[[HS:.*]] = quant.scast %[[HQ]] : tensor<2x2x!quant.uniform<i8:f32, 1.000000e+00>> to tensor<2x2xi8>
// CHECK: %[[ACC2:.*]] = linalg.quantized_matmul ins(%[[HS]], %{{.*}}, %[[ZERO]], %[[ZW]] : tensor<2x2xi8>, tensor<2x2xi8>, i32, i32)
// CHECK: qnn.requantize %[[ACC2]] scales = [2.500000e-01] to !quant.uniform<i8:f32, 2.000000e+00:1>
// CHECK-NOT: linalg.matmul
func.func @two_layers_stay_int8(%x: tensor<2x2xi8>) -> tensor<2x2xi8> {
  %xq = quant.scast %x : tensor<2x2xi8> to tensor<2x2x!qx>
  %xd = quant.dcast %xq : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<2x2xf32>
  %six = arith.constant dense<6.0> : tensor<2x2xf32>
  %r = arith.maximumf %y, %z : tensor<2x2xf32>
  %r6 = arith.minimumf %r, %six : tensor<2x2xf32>
  %hq = quant.qcast %r6 : tensor<2x2xf32> to tensor<2x2x!qh>
  %hd = quant.dcast %hq : tensor<2x2x!qh> to tensor<2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y2 = linalg.matmul ins(%hd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y2 : tensor<2x2xf32> to tensor<2x2x!qy>
  %ys = quant.scast %yq : tensor<2x2x!qy> to tensor<2x2xi8>
  return %ys : tensor<2x2xi8>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.5, 1.0}>
!qy = !quant.uniform<i8:f32, 1.0>

// Weights stored transposed (N x K), as PyTorch keeps them, are transposed
// at compile time for quantized_matmul (K x N); the weight channels
// (dimension 0 of the weights) are the output channels.
// CHECK-LABEL: func.func @transposed_weights
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]> : tensor<4x3xi8>
// CHECK: linalg.quantized_matmul ins(%{{.*}}, %[[W]], %{{.*}}, %{{.*}} : tensor<2x4xi8>, tensor<4x3xi8>, i32, i32)
// CHECK: qnn.requantize %{{.*}} scales = [1.250000e-01, 2.500000e-01, 5.000000e-01] axis = 1
func.func @transposed_weights(%x: tensor<2x4xi8>) -> tensor<2x3xi8> {
  %xq = quant.scast %x : tensor<2x4xi8> to tensor<2x4x!qx>
  %xd = quant.dcast %xq : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, 4, 7, 10], [2, 5, 8, 11], [3, 6, 9, 12]]> : tensor<3x4xi8>
  %wq = quant.scast %w : tensor<3x4xi8> to tensor<3x4x!qw>
  %wd = quant.dcast %wq : tensor<3x4x!qw> to tensor<3x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%xd, %wd : tensor<2x4xf32>, tensor<3x4xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!qy>
  %ys = quant.scast %yq : tensor<2x3x!qy> to tensor<2x3xi8>
  return %ys : tensor<2x3xi8>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0>

// batch_matmul becomes quantized_batch_matmul.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[ACC:.*]] = linalg.quantized_batch_matmul ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<5x2x4xi8>, tensor<5x4x3xi8>, i32, i32) outs(%{{.*}} : tensor<5x2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] scales = [1.250000e-01] to !quant.uniform<i8:f32, 1.000000e+00> : tensor<5x2x3xi32> -> tensor<5x2x3xi8>
func.func @batch_matmul(%x: tensor<5x2x4x!qx>) -> tensor<5x2x3x!qy> {
  %xd = quant.dcast %x : tensor<5x2x4x!qx> to tensor<5x2x4xf32>
  %w = arith.constant dense<1> : tensor<5x4x3xi8>
  %wq = quant.scast %w : tensor<5x4x3xi8> to tensor<5x4x3x!qw>
  %wd = quant.dcast %wq : tensor<5x4x3x!qw> to tensor<5x4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<5x2x3xf32>) -> tensor<5x2x3xf32>
  %y = linalg.batch_matmul ins(%xd, %wd : tensor<5x2x4xf32>, tensor<5x4x3xf32>) outs(%f : tensor<5x2x3xf32>) -> tensor<5x2x3xf32>
  %yq = quant.qcast %y : tensor<5x2x3xf32> to tensor<5x2x3x!qy>
  return %yq : tensor<5x2x3x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qy = !quant.uniform<i8:f32, 1.0>

// Float weights (not stored codes): nothing to rewrite.
// CHECK-LABEL: func.func @negative_float_weights
// CHECK: linalg.matmul
// CHECK: quant.qcast
// CHECK-NOT: qnn.requantize
func.func @negative_float_weights(%x: tensor<2x2x!qx>, %w: tensor<2x2xf32>) -> tensor<2x2x!qy> {
  %xd = quant.dcast %x : tensor<2x2x!qx> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y : tensor<2x2xf32> to tensor<2x2x!qy>
  return %yq : tensor<2x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.5}>
!qy = !quant.uniform<i8:f32, 1.0>

// Weight scales along the reduction dimension cannot be factored out of
// the sum.
// CHECK-LABEL: func.func @negative_scales_along_reduction
// CHECK: linalg.matmul
// CHECK-NOT: qnn.requantize
func.func @negative_scales_along_reduction(%x: tensor<2x2x!qx>) -> tensor<2x2x!qy> {
  %xd = quant.dcast %x : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<1> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y : tensor<2x2xf32> to tensor<2x2x!qy>
  return %yq : tensor<2x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0>

// The float result is also used elsewhere: rewriting would not remove the
// float matmul.
// CHECK-LABEL: func.func @negative_shared_result
// CHECK: linalg.matmul
// CHECK-NOT: qnn.requantize
func.func @negative_shared_result(%x: tensor<2x2x!qx>) -> (tensor<2x2x!qy>, tensor<2x2xf32>) {
  %xd = quant.dcast %x : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<1> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y : tensor<2x2xf32> to tensor<2x2x!qy>
  return %yq, %y : tensor<2x2x!qy>, tensor<2x2xf32>
}

// -----

!qx = !quant.uniform<u8:f32, 0.04:120>
!qw = !quant.uniform<i8:f32:3, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.08:90>

// A padded NHWC convolution: padding the real value 0 becomes padding the
// integer input with its zero point (120, i.e. i8 120); the convolution's
// maps (with its strides) are reused; channels are the last output dim.
// CHECK-LABEL: func.func @conv_nhwc_padded
// CHECK-DAG: %[[ZP:.*]] = arith.constant 120 : i8
// CHECK-DAG: %[[ZX:.*]] = arith.constant -8 : i32
// CHECK-DAG: %[[XS:.*]] = quant.scast %{{.*}} : tensor<1x4x4x1x!quant.uniform<u8:f32, 4.000000e-02:120>> to tensor<1x4x4x1xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %[[XS]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %[[ZP]] : i8
// CHECK: } : tensor<1x4x4x1xi8> to tensor<1x6x6x1xi8>
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} ins(%[[PAD]] : tensor<1x6x6x1xi8>)
// CHECK: %[[ACC:.*]] = linalg.conv_2d_nhwc_hwcf_q {{.*}} ins(%[[FLIP]], %{{.*}}, %[[ZX]], %{{.*}} : tensor<1x6x6x1xi8>, tensor<3x3x1x2xi8>, i32, i32) outs(%{{.*}} : tensor<1x2x2x2xi32>)
// CHECK: qnn.requantize %[[ACC]] scales = [{{.*}}] axis = 3 to !quant.uniform<u8:f32, 8.000000e-02:90>
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf {
func.func @conv_nhwc_padded(%x: tensor<1x4x4x1x!qx>) -> tensor<1x2x2x2x!qy> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!qx> to tensor<1x4x4x1xf32>
  %c0 = arith.constant 0.0 : f32
  %xp = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %c0 : f32
  } : tensor<1x4x4x1xf32> to tensor<1x6x6x1xf32>
  %w = arith.constant dense<1> : tensor<3x3x1x2xi8>
  %wq = quant.scast %w : tensor<3x3x1x2xi8> to tensor<3x3x1x2x!qw>
  %wd = quant.dcast %wq : tensor<3x3x1x2x!qw> to tensor<3x3x1x2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xp, %wd : tensor<1x6x6x1xf32>, tensor<3x3x1x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %yq = quant.qcast %y : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qy>
  return %yq : tensor<1x2x2x2x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.04:120>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<u8:f32, 0.08:90>

// Padding with anything but 0.0 is not the zero point: left alone.
// CHECK-LABEL: func.func @negative_conv_nonzero_padding
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: qnn.requantize
func.func @negative_conv_nonzero_padding(%x: tensor<1x4x4x1x!qx>) -> tensor<1x2x2x1x!qy> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!qx> to tensor<1x4x4x1xf32>
  %c1 = arith.constant 1.0 : f32
  %c0 = arith.constant 0.0 : f32
  %xp = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %c1 : f32
  } : tensor<1x4x4x1xf32> to tensor<1x6x6x1xf32>
  %w = arith.constant dense<1> : tensor<3x3x1x1xi8>
  %wq = quant.scast %w : tensor<3x3x1x1xi8> to tensor<3x3x1x1x!qw>
  %wd = quant.dcast %wq : tensor<3x3x1x1x!qw> to tensor<3x3x1x1xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xp, %wd : tensor<1x6x6x1xf32>, tensor<3x3x1x1xf32>) outs(%f : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!qy>
  return %yq : tensor<1x2x2x1x!qy>
}

// -----

// qnn.fake_quant (half to even) is the same as quant.dcast(quant.qcast): it
// is expanded so that layers written with qnn ops are rewritten as well;
// other roundings have no quant form and stay.
// CHECK-LABEL: func.func @fake_quant_expanded
// CHECK: %[[Q:.*]] = quant.qcast %{{.*}} : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK: %[[D:.*]] = quant.dcast %[[Q]] : tensor<4x!quant.uniform<i8:f32, 1.000000e-01>> to tensor<4xf32>
// CHECK: %[[F:.*]] = qnn.fake_quant %[[D]] to !quant.uniform<i8:f32, 1.000000e-01> rounding<floor>
// CHECK: return %[[F]]
func.func @fake_quant_expanded(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1> : tensor<4xf32>
  %1 = qnn.fake_quant %0 to !quant.uniform<i8:f32, 0.1> rounding<floor> : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>
!q2 = !quant.uniform<u8:f32, 0.1:100>

// Max pooling runs on the codes when the type is the same in and out.
// CHECK-LABEL: func.func @max_pool_on_codes
// CHECK-DAG: %[[LOWEST:.*]] = arith.constant 0 : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOWEST]] : i8)
// CHECK: linalg.pooling_nhwc_max_unsigned {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x1xi8>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x2x2x1xi8>)
// CHECK-NOT: linalg.pooling_nhwc_max {
func.func @max_pool_on_codes(%x: tensor<1x4x4x1x!q>) -> tensor<1x2x2x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q>
  return %yq : tensor<1x2x2x1x!q>
}

// -----

// Without strides and dilations the integer pool takes the same defaults.
// CHECK-LABEL: func.func @max_pool_default_window_attrs
// CHECK: linalg.pooling_nhwc_max_unsigned ins(%{{.*}}, %{{.*}} : tensor<1x4x4x1xi8>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x3x3x1xi8>)
!q = !quant.uniform<u8:f32, 0.05:100>
func.func @max_pool_default_window_attrs(%x: tensor<1x4x4x1x!q>) -> tensor<1x3x3x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %zero = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x3x3x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %sum = linalg.pooling_nhwc_max ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %d = arith.constant dense<4.0> : tensor<1x3x3x1xf32>
  %y = arith.divf %sum, %d : tensor<1x3x3x1xf32>
  %yq = quant.qcast %sum : tensor<1x3x3x1xf32> to tensor<1x3x3x1x!q>
  return %yq : tensor<1x3x3x1x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>
!q2 = !quant.uniform<u8:f32, 0.1:100>

// A different output type needs a requantization: left alone.
// CHECK-LABEL: func.func @negative_max_pool_other_type
// CHECK: linalg.pooling_nhwc_max {{.*}} tensor<1x4x4x1xf32>
// CHECK: quant.qcast
func.func @negative_max_pool_other_type(%x: tensor<1x4x4x1x!q>) -> tensor<1x2x2x1x!q2> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q2>
  return %yq : tensor<1x2x2x1x!q2>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:128>
!qb = !quant.uniform<u8:f32, 0.08:100>
!qy = !quant.uniform<u8:f32, 0.1:120>

// u8 add: QNNPACK's fixed-point add on the codes (22-bit multipliers with a
// shared shift; a/y = 0.5 and b/y = 0.8 give shift 22, multipliers 2^21 and
// 3355443).
// CHECK-LABEL: func.func @add_u8
// CHECK-DAG: arith.constant 2097152 : i32
// CHECK-DAG: arith.constant 3355443 : i32
// CHECK-DAG: arith.constant 22 : i32
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: arith.shrsi
// CHECK-NOT: arith.addf
func.func @add_u8(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  %ad = quant.dcast %a : tensor<4x!qa> to tensor<4xf32>
  %bd = quant.dcast %b : tensor<4x!qb> to tensor<4xf32>
  %s = arith.addf %ad, %bd : tensor<4xf32>
  %y = quant.qcast %s : tensor<4xf32> to tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.05:-3>
!qb = !quant.uniform<i8:f32, 0.08:4>
!qy = !quant.uniform<i8:f32, 0.1:2>

// i8 add with ReLU: aten's vectorized kernel on the codes, dequantizing
// with fma(q, s, -z s), rounding (da + db) * fl32(1 / s_y) half to even;
// ReLU becomes the lower clamp z_y.
// CHECK-LABEL: func.func @add_i8_relu
// CHECK-DAG: %[[SA:.*]] = arith.constant 5.000000e-02 : f32
// CHECK-DAG: %[[OA:.*]] = arith.constant 1.500000e-01 : f32
// CHECK-DAG: %[[SB:.*]] = arith.constant 8.000000e-02 : f32
// CHECK-DAG: %[[OB:.*]] = arith.constant -3.200000e-01 : f32
// CHECK-DAG: %[[INV:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[ZY:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 127 : i32
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK:   %[[A:.*]] = arith.sitofp %{{.*}} : i8 to f32
// CHECK:   %[[DA:.*]] = math.fma %[[A]], %[[SA]], %[[OA]] : f32
// CHECK:   %[[B:.*]] = arith.sitofp %{{.*}} : i8 to f32
// CHECK:   %[[DB:.*]] = math.fma %[[B]], %[[SB]], %[[OB]] : f32
// CHECK:   %[[SUM:.*]] = arith.addf %[[DA]], %[[DB]] : f32
// CHECK:   %[[SCALED:.*]] = arith.mulf %[[SUM]], %[[INV]] : f32
// CHECK:   %[[R:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK:   %[[Q:.*]] = arith.fptosi %[[R]] : f32 to i32
// CHECK:   %[[Y:.*]] = arith.addi %[[Q]], %[[ZY]] : i32
// CHECK:   %[[MAX:.*]] = arith.maxsi %[[Y]], %[[ZY]] : i32
// CHECK:   arith.minsi %[[MAX]], %[[HI]] : i32
// CHECK-NOT: quant.dcast
func.func @add_i8_relu(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  %ad = quant.dcast %a : tensor<4x!qa> to tensor<4xf32>
  %bd = quant.dcast %b : tensor<4x!qb> to tensor<4xf32>
  %s = arith.addf %ad, %bd : tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %r = arith.maximumf %s, %zero : tensor<4xf32>
  %y = quant.qcast %r : tensor<4xf32> to tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:128>
!qb = !quant.uniform<i8:f32, 0.05>

// Mixed u8 and i8 operands match neither kernel: left alone.
// CHECK-LABEL: func.func @negative_add_mixed_signedness
// CHECK: arith.addf %{{.*}}, %{{.*}} : tensor<4xf32>
// CHECK: quant.qcast
func.func @negative_add_mixed_signedness(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qb> {
  %ad = quant.dcast %a : tensor<4x!qa> to tensor<4xf32>
  %bd = quant.dcast %b : tensor<4x!qb> to tensor<4xf32>
  %s = arith.addf %ad, %bd : tensor<4xf32>
  %y = quant.qcast %s : tensor<4xf32> to tensor<4x!qb>
  return %y : tensor<4x!qb>
}

// -----

!qx = !quant.uniform<u8:f32, 0.5:10>
!qw = !quant.uniform<i8:f32, 0.25>
!qh = !quant.uniform<u8:f32, 1.0:20>
!qy = !quant.uniform<i8:f32, 2.0>

// u8 codes made for the next contraction alone are written signed by their
// producer: the float input's qcast goes to the i8 grid (zero point
// 10 - 128) and the first layer requantizes to it (zero point 20 - 128,
// ReLU's bound 20 - 128), so no sign flip is left.
// CHECK-LABEL: func.func @sign_flips_fold_into_producers
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>)
// CHECK: %[[XQ:.*]] = quant.qcast %[[X]] : tensor<2x2xf32> to tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01:-118>>
// CHECK: %[[XS:.*]] = quant.scast %[[XQ]] : tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01:-118>> to tensor<2x2xi8>
// CHECK: %[[ACC1:.*]] = linalg.quantized_matmul ins(%[[XS]],
// CHECK: %[[H:.*]] = qnn.requantize %[[ACC1]] scales = [1.250000e-01] to !quant.uniform<i8:f32, 1.000000e+00:-108> clamp_min = -108 : tensor<2x2xi32> -> tensor<2x2xi8>
// CHECK: linalg.quantized_matmul ins(%[[H]],
// CHECK-NOT: arith.xori
// CHECK: return
func.func @sign_flips_fold_into_producers(%x: tensor<2x2xf32>) -> tensor<2x2xi8> {
  %xq = quant.qcast %x : tensor<2x2xf32> to tensor<2x2x!qx>
  %xd = quant.dcast %xq : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<2x2xf32>
  %r = arith.maximumf %y, %z : tensor<2x2xf32>
  %hq = quant.qcast %r : tensor<2x2xf32> to tensor<2x2x!qh>
  %hd = quant.dcast %hq : tensor<2x2x!qh> to tensor<2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y2 = linalg.matmul ins(%hd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y2 : tensor<2x2xf32> to tensor<2x2x!qy>
  %ys = quant.scast %yq : tensor<2x2x!qy> to tensor<2x2xi8>
  return %ys : tensor<2x2xi8>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32, 0.25>
!qh = !quant.uniform<u8:f32, 1.0:20>
!qy = !quant.uniform<i8:f32, 2.0>

// The u8 codes are also a result of the function: they stay u8, and the
// next contraction reads them through the flip.
// CHECK-LABEL: func.func @negative_sign_flip_shared_codes
// CHECK: %[[H:.*]] = qnn.requantize %{{.*}} to !quant.uniform<u8:f32, 1.000000e+00:20>
// CHECK: %[[HQ:.*]] = quant.scast %[[H]]
// CHECK: %[[HS:.*]] = quant.scast %[[HQ]]
// CHECK: %[[FLIP:.*]] = linalg.generic {{.*}} ins(%[[HS]] : tensor<2x2xi8>)
// CHECK: linalg.quantized_matmul ins(%[[FLIP]],
// CHECK: return %{{.*}}, %[[HQ]]
func.func @negative_sign_flip_shared_codes(%x: tensor<2x2x!qx>) -> (tensor<2x2xi8>, tensor<2x2x!qh>) {
  %xd = quant.dcast %x : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %hq = quant.qcast %y : tensor<2x2xf32> to tensor<2x2x!qh>
  %hd = quant.dcast %hq : tensor<2x2x!qh> to tensor<2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y2 = linalg.matmul ins(%hd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y2 : tensor<2x2xf32> to tensor<2x2x!qy>
  %ys = quant.scast %yq : tensor<2x2x!qy> to tensor<2x2xi8>
  return %ys, %hq : tensor<2x2xi8>, tensor<2x2x!qh>
}

// -----

!qx = !quant.uniform<u8:f32, 0.5:10>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 2.0>

// A padded u8 input quantized here: the qcast writes signed codes and the
// padding value is the signed zero point (10 - 128).
// CHECK-LABEL: func.func @sign_flip_folds_through_padding
// CHECK-DAG: %[[PADDING:.*]] = arith.constant -118 : i8
// CHECK: %[[XQ:.*]] = quant.qcast %{{.*}} to tensor<1x3x3x1x!quant.uniform<i8:f32, 5.000000e-01:-118>>
// CHECK: %[[XS:.*]] = quant.scast %[[XQ]]
// CHECK: %[[PAD:.*]] = tensor.pad %[[XS]]
// CHECK:   tensor.yield %[[PADDING]] : i8
// CHECK: linalg.conv_2d_nhwc_hwcf_q{{.*}} ins(%[[PAD]],
// CHECK-NOT: arith.xori
// CHECK: return
func.func @sign_flip_folds_through_padding(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xi8> {
  %xq = quant.qcast %x : tensor<1x3x3x1xf32> to tensor<1x3x3x1x!qx>
  %xd = quant.dcast %xq : tensor<1x3x3x1x!qx> to tensor<1x3x3x1xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x3x1xf32> to tensor<1x5x5x1xf32>
  %w = arith.constant dense<1> : tensor<3x3x1x1xi8>
  %wq = quant.scast %w : tensor<3x3x1x1xi8> to tensor<3x3x1x1x!qw>
  %wd = quant.dcast %wq : tensor<3x3x1x1x!qw> to tensor<3x3x1x1xf32>
  %e = tensor.empty() : tensor<1x3x3x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%p, %wd : tensor<1x5x5x1xf32>, tensor<3x3x1x1xf32>) outs(%f : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %yq = quant.qcast %y : tensor<1x3x3x1xf32> to tensor<1x3x3x1x!qy>
  %ys = quant.scast %yq : tensor<1x3x3x1x!qy> to tensor<1x3x3x1xi8>
  return %ys : tensor<1x3x3x1xi8>
}
