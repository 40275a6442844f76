// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s

// One Linear layer, y = act(x W + b), written the ways producers write it
// (torch-mlir, TOSA -> linalg, ONNX importers, by hand). Every spelling
// becomes the same integer matmul: u8 activations (zero point 130, scale
// 0.05), i8 weights per channel, bias [0.1, -0.2, 0.3] on the s_x * s_w
// grid ([200, -200, 400]), ReLU as clamp_min = the output zero point 100.

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// Bias and ReLU in one generic after a matmul into zeros (torch-mlir).
// CHECK-LABEL: func.func @bias_generic_after_zero_fill
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>) {{.*}} dimensions = [0]
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] scales = [5.0000002374872565E-4, 0.0010000000474974513, 7.5000000651925802E-4] axis = 1 to !quant.uniform<u8:f32, 1.200000e-01:100> clamp_min = 100 :
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.generic {{.*}}f32
func.func @bias_generic_after_zero_fill(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %r = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%y, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %s = arith.addf %in, %bias : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>
!qb = !quant.uniform<i32:f32:0, {5.000000e-04, 1.000000e-03, 7.500000e-04}>

// ONNX's QDQ bias: i32 codes on the s_x * s_w grid behind scast + dcast,
// added on tensors; ReLU as cmpf + select.
// CHECK-LABEL: func.func @bias_i32_codes_addf_cmpf_select
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] {{.*}} clamp_min = 100 :
// CHECK-NOT: linalg.matmul
// CHECK-NOT: arith.select
func.func @bias_i32_codes_addf_cmpf_select(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %bc = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
  %bq = quant.scast %bc : tensor<3xi32> to tensor<3x!qb>
  %bd = quant.dcast %bq : tensor<3x!qb> to tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%bd : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %s = arith.addf %y, %bb : tensor<2x3xf32>
  %gt = arith.cmpf ugt, %s, %zeros : tensor<2x3xf32>
  %r = arith.select %gt, %s, %zeros : tensor<2x3xi1>, tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// linalg.add of a broadcast bias, then linalg.max with zeros.
// CHECK-LABEL: func.func @bias_linalg_add_linalg_max
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] {{.*}} clamp_min = 100 :
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.max
func.func @bias_linalg_add_linalg_max(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %s = linalg.add ins(%y, %bb : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = linalg.max ins(%s, %f : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>
#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// As TOSA -> linalg writes it: the bias broadcast into the init by a
// copying generic, ReLU6 (tosa.clamp) as minimumf then maximumf in a
// generic of its own. ReLU6 is [q(0), q(6)] = [100, 150].
// CHECK-LABEL: func.func @bias_generic_init_relu6_generic
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] {{.*}} clamp_min = 100 clamp_max = 150 :
// CHECK-NOT: arith.minimumf
func.func @bias_generic_init_relu6_generic(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<2x3xf32>) outs(%e2 : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant 0.0 : f32
    %hi = arith.constant 6.0 : f32
    %0 = arith.minimumf %in, %hi : f32
    %1 = arith.maximumf %0, %lo : f32
    linalg.yield %1 : f32
  } -> tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// The bias written out as a full constant tensor; hardtanh as min/max on
// tensors with splat bounds: [q(-1), q(1)] = [100 - 8, 100 + 8].
// CHECK-LABEL: func.func @bias_full_constant_hardtanh
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] {{.*}} clamp_min = 92 clamp_max = 108 :
// CHECK-NOT: arith.maxnumf
func.func @bias_full_constant_hardtanh(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = arith.constant dense<[[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]]> : tensor<2x3xf32>
  %s = arith.addf %b, %y : tensor<2x3xf32>
  %lo = arith.constant dense<-1.0> : tensor<2x3xf32>
  %hi = arith.constant dense<1.0> : tensor<2x3xf32>
  %0 = arith.maxnumf %s, %lo : tensor<2x3xf32>
  %1 = arith.minnumf %hi, %0 : tensor<2x3xf32>
  %yq = quant.qcast %1 : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>
!qb = !quant.uniform<i32:f32:0, {5.000000e-04, 1.000000e-03, 7.500000e-04}>

// i32 bias codes broadcast into the init; no activation.
// CHECK-LABEL: func.func @bias_i32_codes_in_init
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] {{.*}} to !quant.uniform<u8:f32, 1.200000e-01:100> : tensor<2x3xi32> -> tensor<2x3xi8>
func.func @bias_i32_codes_in_init(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %bc = arith.constant dense<[200, -200, 400]> : tensor<3xi32>
  %bq = quant.scast %bc : tensor<3xi32> to tensor<3x!qb>
  %bd = quant.dcast %bq : tensor<3x!qb> to tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%bd : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%bb : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>
!qb = !quant.uniform<i32:f32, 1.0e-03>

// i32 bias codes on another grid (per tensor, 0.001): their real values
// [0.2, -0.4, 0.6] are rounded to the s_x * s_w grid.
// CHECK-LABEL: func.func @bias_i32_codes_other_grid
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[400, -400, 800]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>)
// CHECK: linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
func.func @bias_i32_codes_other_grid(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %bc = arith.constant dense<[200, -400, 600]> : tensor<3xi32>
  %bq = quant.scast %bc : tensor<3xi32> to tensor<3x!qb>
  %bd = quant.dcast %bq : tensor<3x!qb> to tensor<3xf32>
  %bb = linalg.broadcast ins(%bd : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %s = arith.addf %y, %bb : tensor<2x3xf32>
  %yq = quant.qcast %s : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// A uniform bias: linalg.fill of 0.25 as the init, on each channel's grid.
// CHECK-LABEL: func.func @bias_uniform_fill
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[500, 250, 333]> : tensor<3xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>) {{.*}} dimensions = [0]
// CHECK: linalg.quantized_matmul ins({{.*}}) outs(%[[INIT]] : tensor<2x3xi32>)
func.func @bias_uniform_fill(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %c = arith.constant 0.25 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<i8:f32, 0.1:-128>
#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// torch-mlir's convolution: NCHW, the bias broadcast into the init by a
// generic along d1, ReLU as a generic of cmpf ugt + select with a scalar.
// CHECK-LABEL: func.func @conv_nchw_torch_mlir
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[100, -100]> : tensor<2xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<2xi32>) {{.*}} dimensions = [0, 2, 3]
// CHECK: %[[ACC:.*]] = linalg.conv_2d_nchw_fchw_q {{.*}} outs(%[[INIT]] : tensor<1x2x2x2xi32>)
// CHECK: qnn.requantize %[[ACC]] scales = [{{.*}}] to !quant.uniform<i8:f32, 1.000000e-01:-128> clamp_min = -128 :
// CHECK-NOT: linalg.conv_2d_nchw_fchw ins
func.func @conv_nchw_torch_mlir(%x: tensor<1x3x4x4x!qx>) -> tensor<1x2x2x2x!qy> {
  %xd = quant.dcast %x : tensor<1x3x4x4x!qx> to tensor<1x3x4x4xf32>
  %w = arith.constant dense<3> : tensor<2x3x3x3xi8>
  %wq = quant.scast %w : tensor<2x3x3x3xi8> to tensor<2x3x3x3x!qw>
  %wd = quant.dcast %wq : tensor<2x3x3x3x!qw> to tensor<2x3x3x3xf32>
  %b = arith.constant dense<[0.05, -0.05]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.generic {indexing_maps = [#map, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xd, %wd : tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %gt = arith.cmpf ugt, %in, %zero : f32
    %s = arith.select %gt, %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x2xf32>
  %yq = quant.qcast %r : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qy>
  return %yq : tensor<1x2x2x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<i8:f32, 0.1:-128>
#b = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// An ONNX-style add of a 1x1x1xC bias reshaped from the 1-D constant,
// read with constant indices on its unit dimensions.
// CHECK-LABEL: func.func @conv_nhwc_bias_expanded
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[100, -100]> : tensor<2xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<2xi32>) {{.*}} dimensions = [0, 1, 2]
// CHECK: %[[ACC:.*]] = linalg.conv_2d_nhwc_hwcf_q {{.*}} outs(%[[INIT]] : tensor<1x2x2x2xi32>)
// CHECK: qnn.requantize %[[ACC]]
func.func @conv_nhwc_bias_expanded(%x: tensor<1x4x4x3x!qx>) -> tensor<1x2x2x2x!qy> {
  %xd = quant.dcast %x : tensor<1x4x4x3x!qx> to tensor<1x4x4x3xf32>
  %w = arith.constant dense<3> : tensor<3x3x3x2xi8>
  %wq = quant.scast %w : tensor<3x3x3x2xi8> to tensor<3x3x3x2x!qw>
  %wd = quant.dcast %wq : tensor<3x3x3x2x!qw> to tensor<3x3x3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%xd, %wd : tensor<1x4x4x3xf32>, tensor<3x3x3x2xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %b = arith.constant dense<[0.05, -0.05]> : tensor<2xf32>
  %b4 = tensor.expand_shape %b [[0, 1, 2, 3]] output_shape [1, 1, 1, 2] : tensor<2xf32> into tensor<1x1x1x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #b, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y, %b4 : tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %bias, %in : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x2xf32>
  %yq = quant.qcast %r : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qy>
  return %yq : tensor<1x2x2x2x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<i8:f32, 0.1:-128>

// A residual connection: the dequantized input is read by the matmul and
// by the add after it; the matmul is rewritten, the add keeps the float
// input.
// CHECK-LABEL: func.func @residual_shared_dequantized_input
// CHECK-SAME: (%[[X:.*]]: tensor<2x2x!quant.uniform<i8:f32, 5.000000e-02:-3>>)
// CHECK: %[[XD:.*]] = quant.dcast %[[X]]
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul
// CHECK: %[[Y:.*]] = qnn.requantize %[[ACC]]
// CHECK: %[[YQ:.*]] = quant.scast %[[Y]]
// CHECK: %[[YD:.*]] = quant.dcast %[[YQ]]
// CHECK: arith.addf %[[YD]], %[[XD]] : tensor<2x2xf32>
func.func @residual_shared_dequantized_input(%x: tensor<2x2x!qx>) -> tensor<2x2xf32> {
  %xd = quant.dcast %x : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = quant.qcast %y : tensor<2x2xf32> to tensor<2x2x!qy>
  %yd = quant.dcast %yq : tensor<2x2x!qy> to tensor<2x2xf32>
  %s = arith.addf %yd, %xd : tensor<2x2xf32>
  return %s : tensor<2x2xf32>
}

// -----

!qx = !quant.uniform<i8:f32, 0.05:-3>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<i8:f32, 0.1:-128>

// One quantization read by two dequantizations (exporters write one QDQ
// pair per consumer), each feeding a matmul: both are rewritten.
// CHECK-LABEL: func.func @one_qcast_two_dcasts
// CHECK-COUNT-2: linalg.quantized_matmul
// CHECK-NOT: linalg.matmul
func.func @one_qcast_two_dcasts(%x: tensor<2x2xf32>) -> (tensor<2x2x!qy>, tensor<2x2x!qy>) {
  %xq = quant.qcast %x : tensor<2x2xf32> to tensor<2x2x!qx>
  %xd0 = quant.dcast %xq : tensor<2x2x!qx> to tensor<2x2xf32>
  %xd1 = quant.dcast %xq : tensor<2x2x!qx> to tensor<2x2xf32>
  %w = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = quant.dcast %wq : tensor<2x2x!qw> to tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = linalg.matmul ins(%xd0, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = linalg.matmul ins(%xd1, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq0 = quant.qcast %y0 : tensor<2x2xf32> to tensor<2x2x!qy>
  %yq1 = quant.qcast %y1 : tensor<2x2xf32> to tensor<2x2x!qy>
  return %yq0, %yq1 : tensor<2x2x!qy>, tensor<2x2x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// A constant added after the matmul that varies along both dimensions is
// not a bias: the layer stays in float.
// CHECK-LABEL: func.func @negative_addend_varies_along_two_dims
// CHECK: linalg.matmul
// CHECK-NOT: qnn.requantize
func.func @negative_addend_varies_along_two_dims(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = arith.constant dense<[[0.1, -0.2, 0.3], [0.2, -0.2, 0.3]]> : tensor<2x3xf32>
  %s = arith.addf %y, %b : tensor<2x3xf32>
  %yq = quant.qcast %s : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// ReLU before the bias is not act(y + b): the layer stays in float.
// CHECK-LABEL: func.func @negative_activation_before_bias
// CHECK: linalg.matmul
// CHECK-NOT: qnn.requantize
func.func @negative_activation_before_bias(%x: tensor<2x4x!qx>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = arith.maximumf %y, %zeros : tensor<2x3xf32>
  %b = arith.constant dense<[[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]]> : tensor<2x3xf32>
  %s = arith.addf %r, %b : tensor<2x3xf32>
  %yq = quant.qcast %s : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<i8:f32:1, {0.01, 0.02, 0.015}>
!qy = !quant.uniform<u8:f32, 0.12:100>

// A clamp to a bound that is not a constant is not an activation.
// CHECK-LABEL: func.func @negative_clamp_to_variable
// CHECK: linalg.matmul
// CHECK-NOT: qnn.requantize
func.func @negative_clamp_to_variable(%x: tensor<2x4x!qx>, %bound: tensor<2x3xf32>) -> tensor<2x3x!qy> {
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = arith.maximumf %y, %bound : tensor<2x3xf32>
  %yq = quant.qcast %r : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qq = !quant.uniform<u8:f32, 0.02:120>
!qk = !quant.uniform<i8:f32, 0.03:-2>
!qs = !quant.uniform<u8:f32, 0.1:64>

// Attention scores: both operands are dequantized activations, the keys
// read transposed (b, n, k). The keys' i8 codes are transposed to K x N on
// the codes; the scale is s_q * s_k.
// CHECK-LABEL: func.func @attention_scores_two_activations
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x8x!quant.uniform<u8:f32, 2.000000e-02:120>>, %[[K:.*]]: tensor<2x5x8x!quant.uniform<i8:f32, 3.000000e-02:-2>>)
// CHECK-DAG: %[[ZQ:.*]] = arith.constant -8 : i32
// CHECK-DAG: %[[ZK:.*]] = arith.constant -2 : i32
// CHECK: %[[KC:.*]] = quant.scast %[[K]] : tensor<2x5x8x!quant.uniform<i8:f32, 3.000000e-02:-2>> to tensor<2x5x8xi8>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KC]] : tensor<2x5x8xi8>) outs(%{{.*}} : tensor<2x8x5xi8>) permutation = [0, 2, 1]
// CHECK: %[[ACC:.*]] = linalg.quantized_batch_matmul ins(%{{.*}}, %[[KT]], %[[ZQ]], %[[ZK]] : tensor<2x4x8xi8>, tensor<2x8x5xi8>, i32, i32)
// CHECK: qnn.requantize %[[ACC]] scales = [{{.*}}] to !quant.uniform<u8:f32, 1.000000e-01:64>
// CHECK-NOT: linalg.batch_matmul
func.func @attention_scores_two_activations(%q: tensor<2x4x8x!qq>, %k: tensor<2x5x8x!qk>) -> tensor<2x4x5x!qs> {
  %qd = quant.dcast %q : tensor<2x4x8x!qq> to tensor<2x4x8xf32>
  %kd = quant.dcast %k : tensor<2x5x8x!qk> to tensor<2x5x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>] ins(%qd, %kd : tensor<2x4x8xf32>, tensor<2x5x8xf32>) outs(%f : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %sq = quant.qcast %s : tensor<2x4x5xf32> to tensor<2x4x5x!qs>
  return %sq : tensor<2x4x5x!qs>
}

// -----

!qp = !quant.uniform<u8:f32, 0.004:0>
!qv = !quant.uniform<u8:f32, 0.05:128>
!qo = !quant.uniform<i8:f32, 0.05:0>

// Attention output P V: u8 values reach the contraction through the sign
// flip (zero point 128 - 128 = 0).
// CHECK-LABEL: func.func @attention_values_two_activations
// CHECK: %[[VC:.*]] = quant.scast %{{.*}} : tensor<2x5x8x!quant.uniform<u8:f32, 5.000000e-02:128>> to tensor<2x5x8xi8>
// CHECK: %[[VF:.*]] = linalg.generic {{.*}} ins(%[[VC]] : tensor<2x5x8xi8>)
// CHECK:   arith.xori
// CHECK: linalg.quantized_batch_matmul ins(%{{.*}}, %[[VF]], %{{.*}}, %{{.*}} : tensor<2x4x5xi8>, tensor<2x5x8xi8>, i32, i32)
// CHECK-NOT: linalg.batch_matmul
func.func @attention_values_two_activations(%p: tensor<2x4x5x!qp>, %v: tensor<2x5x8x!qv>) -> tensor<2x4x8x!qo> {
  %pd = quant.dcast %p : tensor<2x4x5x!qp> to tensor<2x4x5xf32>
  %vd = quant.dcast %v : tensor<2x5x8x!qv> to tensor<2x5x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %o = linalg.batch_matmul ins(%pd, %vd : tensor<2x4x5xf32>, tensor<2x5x8xf32>) outs(%f : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %oq = quant.qcast %o : tensor<2x4x8xf32> to tensor<2x4x8x!qo>
  return %oq : tensor<2x4x8x!qo>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:0>
#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// torch-mlir's depthwise convolution, NCHW x CHW: no integer NCHW depthwise
// op exists, so it runs NHWC x HWC on the codes transposed in and out; the
// weights are transposed at compile time, the per-channel requantization
// reads the channels in dimension 3.
// CHECK-LABEL: func.func @depthwise_nchw_torch_mlir
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}[1, 2], [1, 2], [1, 2]], {{\[}}[1, 2], [1, 2], [1, 2]], {{\[}}[1, 2], [1, 2], [1, 2]]]> : tensor<3x3x2xi8>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[100, -50]> : tensor<2xi32>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x2x5x5xi8>) outs(%{{.*}} : tensor<1x5x5x2xi8>) permutation = [0, 2, 3, 1]
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<2xi32>) outs(%{{.*}} : tensor<1x3x3x2xi32>) dimensions = [0, 1, 2]
// CHECK: %[[ACC:.*]] = linalg.depthwise_conv_2d_nhwc_hwc_q {{.*}} ins(%[[XT]], %[[W]], %{{.*}}, %{{.*}} : tensor<1x5x5x2xi8>, tensor<3x3x2xi8>, i32, i32) outs(%[[INIT]] : tensor<1x3x3x2xi32>)
// CHECK: %[[Y:.*]] = qnn.requantize %[[ACC]] scales = [{{.*}}, {{.*}}] axis = 3 to !quant.uniform<u8:f32, 1.000000e-01> clamp_min = 0 : tensor<1x3x3x2xi32> -> tensor<1x3x3x2xi8>
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[Y]] : tensor<1x3x3x2xi8>) outs(%{{.*}} : tensor<1x2x3x3xi8>) permutation = [0, 3, 1, 2]
// CHECK: quant.scast %[[YT]] : tensor<1x2x3x3xi8> to tensor<1x2x3x3x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise_nchw_torch_mlir(%x: tensor<1x2x5x5x!qx>) -> tensor<1x2x3x3x!qy> {
  %xd = quant.dcast %x : tensor<1x2x5x5x!qx> to tensor<1x2x5x5xf32>
  %w = arith.constant dense<[[[1, 1, 1], [1, 1, 1], [1, 1, 1]], [[2, 2, 2], [2, 2, 2], [2, 2, 2]]]> : tensor<2x3x3xi8>
  %wq = quant.scast %w : tensor<2x3x3xi8> to tensor<2x3x3x!qw>
  %wd = quant.dcast %wq : tensor<2x3x3x!qw> to tensor<2x3x3xf32>
  %b = arith.constant dense<[0.05, -0.05]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %init = linalg.generic {indexing_maps = [#map, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2xf32>) outs(%e : tensor<1x2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x3x3xf32>
  %y = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%xd, %wd : tensor<1x2x5x5xf32>, tensor<2x3x3xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : tensor<1x2x3x3xf32>) outs(%e : tensor<1x2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %gt = arith.cmpf ugt, %in, %zero : f32
    %s = arith.select %gt, %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<1x2x3x3xf32>
  %yq = quant.qcast %r : tensor<1x2x3x3xf32> to tensor<1x2x3x3x!qy>
  return %yq : tensor<1x2x3x3x!qy>
}

// -----

!qp = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8:f32, 0.01>
!qy = !quant.uniform<u8:f32, 0.1:7>

// The flatten before a classifier, on dequantized values: the
// dequantization moves after the reshape, and the Linear reads it.
// CHECK-LABEL: func.func @flatten_then_linear
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<2x4x1x1x!quant.uniform<u8:f32, 5.000000e-02:3>> into tensor<2x4x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK: linalg.quantized_matmul
// CHECK-NOT: linalg.matmul
func.func @flatten_then_linear(%p: tensor<2x4x1x1x!qp>) -> tensor<2x3x!qy> {
  %pd = quant.dcast %p : tensor<2x4x1x1x!qp> to tensor<2x4x1x1xf32>
  %flat = tensor.collapse_shape %pd [[0], [1, 2, 3]] : tensor<2x4x1x1xf32> into tensor<2x4xf32>
  %w = arith.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [-1, -2, -3, -4]]> : tensor<3x4xi8>
  %wq = quant.scast %w : tensor<3x4xi8> to tensor<3x4x!qw>
  %wd = quant.dcast %wq : tensor<3x4x!qw> to tensor<3x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%flat, %wd : tensor<2x4xf32>, tensor<3x4xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!qy>
  return %yq : tensor<2x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:130>
!qw = !quant.uniform<u4:f32, 0.01:8>
!qy = !quant.uniform<u8:f32, 0.12:100>

// u4 weights (zero point 8) widen to i8 codes shifted by 8, the zero point
// with them (0), which the kernels read.
// CHECK-LABEL: func.func @u4_weights
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, -8, 7], [0, -5, 4]]> : tensor<2x3xi8>
// CHECK-DAG: %[[ZW:.*]] = arith.constant 0 : i32
// CHECK: linalg.quantized_matmul ins(%{{.*}}, %[[W]], %{{.*}}, %[[ZW]] : tensor<1x2xi8>, tensor<2x3xi8>, i32, i32)
func.func @u4_weights(%x: tensor<1x2x!qx>) -> tensor<1x3x!qy> {
  %xd = quant.dcast %x : tensor<1x2x!qx> to tensor<1x2xf32>
  %w = arith.constant dense<[[9, 0, 15], [8, 3, 12]]> : tensor<2x3xi4>
  %wq = quant.scast %w : tensor<2x3xi4> to tensor<2x3x!qw>
  %wd = quant.dcast %wq : tensor<2x3x!qw> to tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = linalg.matmul ins(%xd, %wd : tensor<1x2xf32>, tensor<2x3xf32>) outs(%f : tensor<1x3xf32>) -> tensor<1x3xf32>
  %yq = quant.qcast %y : tensor<1x3xf32> to tensor<1x3x!qy>
  return %yq : tensor<1x3x!qy>
}
