// RUN: quant-opt %s --qnn-store-weights --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s
// RUN: quant-opt %s --qnn-fold-calibration --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s
// RUN: quant-opt %s --qnn-store-weights | FileCheck %s --check-prefix=STORED

// Weights stored by --qnn-store-weights (integer codes + dcast) compute
// exactly what the float operations compute at run time: each @stored_*
// kernel holds a constant weight (stored by the pass), each @float_* kernel
// receives the same weight as an argument (left to run time); main counts
// the elements whose bits differ.

// CHECK: fake_quant mismatches: 0
// CHECK: per_axis mismatches: 0
// CHECK: binarize mismatches: 0
// CHECK: ternarize mismatches: 0
// CHECK: pruned mismatches: 0

// The pass fired: every @stored_* kernel holds codes, not float operations.
// STORED-LABEL: func.func @stored_fake_quant
// STORED-NEXT: arith.constant dense<[86, -37, 11, 123, -128, 127, -3, -3]> : tensor<8xi8>
// STORED-LABEL: func.func @stored_per_axis
// STORED-NEXT: arith.constant {{.*}} : tensor<2x4xi8>
// STORED-LABEL: func.func @stored_binarize
// STORED-NEXT: arith.constant dense<{{\[}}[1, -1, 1], [1, -1, 1]]> : tensor<2x3xi2>
// STORED-LABEL: func.func @stored_ternarize
// STORED-NEXT: arith.constant dense<[0, -1, 0, 1, -1, 0]> : tensor<6xi2>
// STORED-LABEL: func.func @stored_pruned
// STORED-NEXT: arith.constant dense<[0, -3, 0, 5, -7, 0, 0, 7]> : tensor<8xi4>
// STORED-NOT: qnn.
// STORED-LABEL: func.func @float_pruned

func.func @stored_fake_quant() -> tensor<8xf32> {
  %w = arith.constant dense<[0.31, -0.12, 0.05, 0.44, -0.449, 1.0e3, -0.0, 0.00175]> : tensor<8xf32>
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035:-3> : tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @float_fake_quant(%w: tensor<8xf32>) -> tensor<8xf32> {
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035:-3> : tensor<8xf32>
  return %0 : tensor<8xf32>
}

func.func @stored_per_axis() -> tensor<2x4xf16> {
  %w = arith.constant dense<[[0.31, -0.12, 0.05, 0.44], [7.0, -3.3, 0.25, 100.0]]> : tensor<2x4xf16>
  %0 = qnn.fake_quant %w to !quant.uniform<u8:f16:0, {0.004:128, 0.25:7}> : tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}
func.func @float_per_axis(%w: tensor<2x4xf16>) -> tensor<2x4xf16> {
  %0 = qnn.fake_quant %w to !quant.uniform<u8:f16:0, {0.004:128, 0.25:7}> : tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

func.func @stored_binarize() -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.1, -0.3, 0.2], [0.5, -0.7, 0.0]]> : tensor<2x3xf32>
  %0 = qnn.binarize %w scale<mean_abs> axis = 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @float_binarize(%w: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qnn.binarize %w scale<mean_abs> axis = 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @stored_ternarize() -> tensor<6xf32> {
  %w = arith.constant dense<[0.1, -0.3, 0.2, 0.5, -0.7, 0.0]> : tensor<6xf32>
  %0 = qnn.ternarize %w scale<mean_abs> : tensor<6xf32>
  return %0 : tensor<6xf32>
}
func.func @float_ternarize(%w: tensor<6xf32>) -> tensor<6xf32> {
  %0 = qnn.ternarize %w scale<mean_abs> : tensor<6xf32>
  return %0 : tensor<6xf32>
}

func.func @stored_pruned() -> tensor<8xf32> {
  %w = arith.constant dense<[0.1, -0.3, 0.2, 0.5, -0.7, 0.0, 0.05, 0.9]> : tensor<8xf32>
  %m = qnn.prune_mask %w n_m n = 2 m = 4 : tensor<8xf32>
  %p = qnn.apply_mask %w, %m : tensor<8xf32>, tensor<8xi1>
  %0 = qnn.fake_quant %p to !quant.uniform<i4:f32, 0.1> : tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @float_pruned(%w: tensor<8xf32>) -> tensor<8xf32> {
  %m = qnn.prune_mask %w n_m n = 2 m = 4 : tensor<8xf32>
  %p = qnn.apply_mask %w, %m : tensor<8xf32>, tensor<8xi1>
  %0 = qnn.fake_quant %p to !quant.uniform<i4:f32, 0.1> : tensor<8xf32>
  return %0 : tensor<8xf32>
}

/// Number of elements whose bits differ.
func.func @mismatches(%a: tensor<?xf32>, %b: tensor<?xf32>) -> i32 {
  %ai = arith.bitcast %a : tensor<?xf32> to tensor<?xi32>
  %bi = arith.bitcast %b : tensor<?xf32> to tensor<?xi32>
  %zero = arith.constant 0 : i32
  %init = tensor.empty() : tensor<i32>
  %acc = linalg.fill ins(%zero : i32) outs(%init : tensor<i32>) -> tensor<i32>
  %count = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%ai, %bi : tensor<?xi32>, tensor<?xi32>) outs(%acc : tensor<i32>) {
    ^bb0(%x: i32, %y: i32, %s: i32):
      %ne = arith.cmpi ne, %x, %y : i32
      %one = arith.extui %ne : i1 to i32
      %sum = arith.addi %s, %one : i32
      linalg.yield %sum : i32
  } -> tensor<i32>
  %n = tensor.extract %count[] : tensor<i32>
  return %n : i32
}


func.func @main() {
  %w0 = arith.constant dense<[0.31, -0.12, 0.05, 0.44, -0.449, 1.0e3, -0.0, 0.00175]> : tensor<8xf32>
  %s0 = call @stored_fake_quant() : () -> tensor<8xf32>
  %f0 = call @float_fake_quant(%w0) : (tensor<8xf32>) -> tensor<8xf32>
  %s0d = tensor.cast %s0 : tensor<8xf32> to tensor<?xf32>
  %f0d = tensor.cast %f0 : tensor<8xf32> to tensor<?xf32>
  %n0 = call @mismatches(%s0d, %f0d) : (tensor<?xf32>, tensor<?xf32>) -> i32
  vector.print str "fake_quant mismatches: "
  vector.print %n0 : i32

  %w1 = arith.constant dense<[[0.31, -0.12, 0.05, 0.44], [7.0, -3.3, 0.25, 100.0]]> : tensor<2x4xf16>
  %s1 = call @stored_per_axis() : () -> tensor<2x4xf16>
  %f1 = call @float_per_axis(%w1) : (tensor<2x4xf16>) -> tensor<2x4xf16>
  %s1c = tensor.collapse_shape %s1 [[0, 1]] : tensor<2x4xf16> into tensor<8xf16>
  %f1c = tensor.collapse_shape %f1 [[0, 1]] : tensor<2x4xf16> into tensor<8xf16>
  %s1e = arith.extf %s1c : tensor<8xf16> to tensor<8xf32>
  %f1e = arith.extf %f1c : tensor<8xf16> to tensor<8xf32>
  %s1d = tensor.cast %s1e : tensor<8xf32> to tensor<?xf32>
  %f1d = tensor.cast %f1e : tensor<8xf32> to tensor<?xf32>
  %n1 = call @mismatches(%s1d, %f1d) : (tensor<?xf32>, tensor<?xf32>) -> i32
  vector.print str "per_axis mismatches: "
  vector.print %n1 : i32

  %w2 = arith.constant dense<[[0.1, -0.3, 0.2], [0.5, -0.7, 0.0]]> : tensor<2x3xf32>
  %s2 = call @stored_binarize() : () -> tensor<2x3xf32>
  %f2 = call @float_binarize(%w2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s2c = tensor.collapse_shape %s2 [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %f2c = tensor.collapse_shape %f2 [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %s2d = tensor.cast %s2c : tensor<6xf32> to tensor<?xf32>
  %f2d = tensor.cast %f2c : tensor<6xf32> to tensor<?xf32>
  %n2 = call @mismatches(%s2d, %f2d) : (tensor<?xf32>, tensor<?xf32>) -> i32
  vector.print str "binarize mismatches: "
  vector.print %n2 : i32

  %w3 = arith.constant dense<[0.1, -0.3, 0.2, 0.5, -0.7, 0.0]> : tensor<6xf32>
  %s3 = call @stored_ternarize() : () -> tensor<6xf32>
  %f3 = call @float_ternarize(%w3) : (tensor<6xf32>) -> tensor<6xf32>
  %s3d = tensor.cast %s3 : tensor<6xf32> to tensor<?xf32>
  %f3d = tensor.cast %f3 : tensor<6xf32> to tensor<?xf32>
  %n3 = call @mismatches(%s3d, %f3d) : (tensor<?xf32>, tensor<?xf32>) -> i32
  vector.print str "ternarize mismatches: "
  vector.print %n3 : i32

  %w4 = arith.constant dense<[0.1, -0.3, 0.2, 0.5, -0.7, 0.0, 0.05, 0.9]> : tensor<8xf32>
  %s4 = call @stored_pruned() : () -> tensor<8xf32>
  %f4 = call @float_pruned(%w4) : (tensor<8xf32>) -> tensor<8xf32>
  %s4d = tensor.cast %s4 : tensor<8xf32> to tensor<?xf32>
  %f4d = tensor.cast %f4 : tensor<8xf32> to tensor<?xf32>
  %n4 = call @mismatches(%s4d, %f4d) : (tensor<?xf32>, tensor<?xf32>) -> i32
  vector.print str "pruned mismatches: "
  vector.print %n4 : i32
  return
}
