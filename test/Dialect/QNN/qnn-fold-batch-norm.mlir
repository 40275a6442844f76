// RUN: quant-opt %s --qnn-fold-batch-norm -split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// y * s + t after a matmul with bias b folds into W * s (per column) and
// b * s + t: W = [[1, 2], [3, 4]], s = [0.5, 2], t = [1, -1], b = [0.25, 1].
// CHECK-LABEL: func.func @fold_batch_norm_matmul
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[5.000000e-01, 4.000000e+00], [1.500000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.125000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<3x2xf32>) dimensions = [0]
// CHECK: %[[Y:.*]] = linalg.matmul ins(%{{.*}}, %[[W]] : tensor<3x2xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<3x2xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @fold_batch_norm_matmul(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.25, 1.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %init = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e : tensor<3x2xf32>) dimensions = [0]
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %s = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %t = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %bn = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%y, %s, %t : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e2 : tensor<3x2xf32>) {
  ^bb0(%v: f32, %sc: f32, %sh: f32, %o: f32):
    %m = arith.mulf %sc, %v : f32
    %a = arith.addf %m, %sh : f32
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  return %bn : tensor<3x2xf32>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// NCHW convolution without bias: the channel is output dim 1, weight dim 0
// (FCHW); the bias becomes t.
// CHECK-LABEL: func.func @fold_batch_norm_conv_nchw
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[-3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x2x3x3xf32>) dimensions = [0, 2, 3]
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %[[W]] :
func.func @fold_batch_norm_conv_nchw(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %s = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %t = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %bn = linalg.generic {indexing_maps = [#id4, #ch, #ch, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y, %s, %t : tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<1x2x3x3xf32>) {
  ^bb0(%v: f32, %sc: f32, %sh: f32, %o: f32):
    %m = arith.mulf %v, %sc : f32
    %a = arith.addf %sh, %m : f32
    linalg.yield %a : f32
  } -> tensor<1x2x3x3xf32>
  return %bn : tensor<1x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// Non-constant weights: nothing to fold into.
// CHECK-LABEL: func.func @negative_batch_norm_dynamic_weights
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @negative_batch_norm_dynamic_weights(%x: tensor<3x2xf32>, %w: tensor<2x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  %s = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %t = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %bn = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%y, %s, %t : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%v: f32, %sc: f32, %sh: f32, %o: f32):
    %m = arith.mulf %v, %sc : f32
    %a = arith.addf %m, %sh : f32
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  return %bn : tensor<3x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// Not an affine (y * s - t): left alone.
// CHECK-LABEL: func.func @negative_batch_norm_not_affine
// CHECK: linalg.generic
// CHECK: arith.subf
func.func @negative_batch_norm_not_affine(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  %s = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %t = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %bn = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%y, %s, %t : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%v: f32, %sc: f32, %sh: f32, %o: f32):
    %m = arith.mulf %v, %sc : f32
    %a = arith.subf %m, %sh : f32
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  return %bn : tensor<3x2xf32>
}
