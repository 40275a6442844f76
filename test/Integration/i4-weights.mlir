// RUN: quant-opt %s --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s
// RUN: quant-opt %s --qnn-quantize --qnn-compile="summary=true" -o %t.mlir 2> %t.remarks
// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t.remarks
// RUN: mlir-runner %t.mlir -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// 4-bit weights (i4 per channel, u4 per tensor with zero point 8) behind
// scast + dcast: the float path (first run) and the integer kernels they
// are rewritten to (second) give the codes computed with numpy, both as
// torch's requantization and as a float reference.

// SUMMARY: contractions: 2 on integer kernels, 0 integer on portable loops, 0 float on f32 kernels, 0 float on portable loops

!qx = !quant.uniform<u8:f32, 0.05:130>
!qy = !quant.uniform<u8:f32, 0.12:100>

func.func private @printMemrefI32(tensor<*xi32>)

func.func @i4_per_channel(%x: tensor<2x4x!qx>) -> tensor<2x3xi32> {
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 7, 0], [-8, -1, 2]]> : tensor<4x3xi4>
  %wq = quant.scast %w : tensor<4x3xi4> to tensor<4x3x!quant.uniform<i4:f32:1, {0.01, 0.02, 0.015}>>
  %wd = quant.dcast %wq : tensor<4x3x!quant.uniform<i4:f32:1, {0.01, 0.02, 0.015}>> to tensor<4x3xf32>
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %m : tensor<2x3xf32> to tensor<2x3x!qy>
  %ys = quant.scast %yq : tensor<2x3x!qy> to tensor<2x3xi8>
  %y = arith.extui %ys : tensor<2x3xi8> to tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

func.func @u4_per_tensor(%x: tensor<2x4x!qx>) -> tensor<2x3xi32> {
  %w = arith.constant dense<[[9, 0, 15], [8, 3, 12], [1, 7, 8], [0, 14, 5]]> : tensor<4x3xi4>
  %wq = quant.scast %w : tensor<4x3xi4> to tensor<4x3x!quant.uniform<u4:f32, 0.01:8>>
  %wd = quant.dcast %wq : tensor<4x3x!quant.uniform<u4:f32, 0.01:8>> to tensor<4x3xf32>
  %xd = quant.dcast %x : tensor<2x4x!qx> to tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %m : tensor<2x3xf32> to tensor<2x3x!qy>
  %ys = quant.scast %yq : tensor<2x3x!qy> to tensor<2x3xi8>
  %y = arith.extui %ys : tensor<2x3xi8> to tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// CHECK: data =
// CHECK-NEXT: {{\[}}[99,   104,   100],
// CHECK-NEXT: [106,   98,   95]]
// CHECK: data =
// CHECK-NEXT: {{\[}}[99,   99,   101],
// CHECK-NEXT: [104,   98,   102]]
func.func @main() {
  %c = arith.constant dense<[[140, 120, 200, 90], [130, 255, 0, 131]]> : tensor<2x4xi8>
  %x = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!qx>
  %a = call @i4_per_channel(%x) : (tensor<2x4x!qx>) -> tensor<2x3xi32>
  %au = tensor.cast %a : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%au) : (tensor<*xi32>) -> ()
  %b = call @u4_per_tensor(%x) : (tensor<2x4x!qx>) -> tensor<2x3xi32>
  %bu = tensor.cast %b : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%bu) : (tensor<*xi32>) -> ()
  return
}
