// RUN: quant-opt %s --qnn-eliminate-sparsity --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s
// RUN: quant-opt %s --qnn-eliminate-sparsity | FileCheck %s --check-prefix=PRUNED

// Removing a zero filter from a convolution chain does not change results:
// @pruned has constant weights (the pass removes filter 1 and the matching
// input channel of the next convolution), @reference gets the same weights
// as arguments (left dense); main counts the elements whose bits differ.

// CHECK: conv chain mismatches: 0

// The pass fired: the chain in @pruned runs with 2 channels, not 3.
// PRUNED-LABEL: func.func @pruned
// PRUNED: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<3x3x2x2xf32>) outs(%{{.*}} : tensor<1x5x5x2xf32>)
// PRUNED: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x5x5x2xf32>, tensor<3x3x2x2xf32>)
// PRUNED-LABEL: func.func @main

func.func @chain(%x: tensor<1x5x5x2xf32>, %w1: tensor<3x3x2x3xf32>, %b1: tensor<3xf32>, %w2: tensor<3x3x3x2xf32>) -> tensor<1x3x3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x5x5x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x5x5x3xf32>) dimensions = [0, 1, 2]
  %xp = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x2xf32>
  %h = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w1 : tensor<1x7x7x2xf32>, tensor<3x3x2x3xf32>) outs(%i1 : tensor<1x5x5x3xf32>) -> tensor<1x5x5x3xf32>
  %z = arith.constant dense<0.0> : tensor<1x5x5x3xf32>
  %r = arith.maximumf %h, %z : tensor<1x5x5x3xf32>
  %e2 = tensor.empty() : tensor<1x3x3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%r, %w2 : tensor<1x5x5x3xf32>, tensor<3x3x3x2xf32>) outs(%f2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

func.func @weights() -> (tensor<3x3x2x3xf32>, tensor<3xf32>, tensor<3x3x3x2xf32>) {
  // Filter 1 (last index 1) of %w1 and bias 1 are zero.
  %w1 = arith.constant dense<[[[[0.5, 0.0, -0.25], [0.75, 0.0, 0.125]], [[-0.5, 0.0, 0.25], [0.3, 0.0, -0.7]], [[0.1, 0.0, 0.9], [-0.2, 0.0, 0.4]]], [[[0.6, 0.0, -0.1], [0.2, 0.0, 0.3]], [[-0.4, 0.0, 0.5], [0.8, 0.0, -0.6]], [[0.7, 0.0, 0.2], [-0.3, 0.0, 0.1]]], [[[0.05, 0.0, -0.15], [0.35, 0.0, 0.45]], [[-0.55, 0.0, 0.65], [0.25, 0.0, -0.35]], [[0.15, 0.0, 0.85], [-0.45, 0.0, 0.95]]]]> : tensor<3x3x2x3xf32>
  %b1 = arith.constant dense<[0.1, 0.0, -0.2]> : tensor<3xf32>
  %w2 = arith.constant dense<0.375> : tensor<3x3x3x2xf32>
  return %w1, %b1, %w2 : tensor<3x3x2x3xf32>, tensor<3xf32>, tensor<3x3x3x2xf32>
}

func.func @pruned(%x: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %w1 = arith.constant dense<[[[[0.5, 0.0, -0.25], [0.75, 0.0, 0.125]], [[-0.5, 0.0, 0.25], [0.3, 0.0, -0.7]], [[0.1, 0.0, 0.9], [-0.2, 0.0, 0.4]]], [[[0.6, 0.0, -0.1], [0.2, 0.0, 0.3]], [[-0.4, 0.0, 0.5], [0.8, 0.0, -0.6]], [[0.7, 0.0, 0.2], [-0.3, 0.0, 0.1]]], [[[0.05, 0.0, -0.15], [0.35, 0.0, 0.45]], [[-0.55, 0.0, 0.65], [0.25, 0.0, -0.35]], [[0.15, 0.0, 0.85], [-0.45, 0.0, 0.95]]]]> : tensor<3x3x2x3xf32>
  %b1 = arith.constant dense<[0.1, 0.0, -0.2]> : tensor<3xf32>
  %w2 = arith.constant dense<0.375> : tensor<3x3x3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x5x5x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x5x5x3xf32>) dimensions = [0, 1, 2]
  %xp = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x2xf32>
  %h = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w1 : tensor<1x7x7x2xf32>, tensor<3x3x2x3xf32>) outs(%i1 : tensor<1x5x5x3xf32>) -> tensor<1x5x5x3xf32>
  %z = arith.constant dense<0.0> : tensor<1x5x5x3xf32>
  %r = arith.maximumf %h, %z : tensor<1x5x5x3xf32>
  %e2 = tensor.empty() : tensor<1x3x3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%r, %w2 : tensor<1x5x5x3xf32>, tensor<3x3x3x2xf32>) outs(%f2 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[[1.0, -0.5], [0.25, 2.0], [-1.5, 0.75], [0.5, 0.5], [-0.25, 1.25]], [[0.0, 1.0], [2.0, -2.0], [0.125, 0.375], [-0.75, 0.5], [1.5, -1.0]], [[0.3, 0.6], [-0.9, 1.2], [1.5, -1.8], [2.1, 0.4], [-0.7, 0.2]], [[0.8, -0.6], [0.4, 0.9], [-1.1, 0.1], [0.6, -0.3], [1.0, 1.0]], [[-0.2, 0.7], [0.5, -1.5], [1.7, 0.05], [-0.45, 0.95], [0.15, -0.85]]]]> : tensor<1x5x5x2xf32>
  %w1, %b1, %w2 = call @weights() : () -> (tensor<3x3x2x3xf32>, tensor<3xf32>, tensor<3x3x3x2xf32>)
  %ref = call @chain(%x, %w1, %b1, %w2) : (tensor<1x5x5x2xf32>, tensor<3x3x2x3xf32>, tensor<3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %got = call @pruned(%x) : (tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32>
  %ri = arith.bitcast %ref : tensor<1x3x3x2xf32> to tensor<1x3x3x2xi32>
  %gi = arith.bitcast %got : tensor<1x3x3x2xf32> to tensor<1x3x3x2xi32>
  %ne = arith.cmpi ne, %ri, %gi : tensor<1x3x3x2xi32>
  %ones = arith.extui %ne : tensor<1x3x3x2xi1> to tensor<1x3x3x2xi32>
  %zero = arith.constant 0 : i32
  %init = tensor.empty() : tensor<i32>
  %acc = linalg.fill ins(%zero : i32) outs(%init : tensor<i32>) -> tensor<i32>
  %sum = linalg.reduce ins(%ones : tensor<1x3x3x2xi32>) outs(%acc : tensor<i32>) dimensions = [0, 1, 2, 3]
    (%a: i32, %b: i32) {
      %s = arith.addi %a, %b : i32
      linalg.yield %s : i32
    }
  %n = tensor.extract %sum[] : tensor<i32>
  vector.print str "conv chain mismatches: "
  vector.print %n : i32
  return
}
