// RUN: quant-opt %s --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// quant casts on i32 storage and on unranked tensors, run, against
// torch.quantize_per_tensor(..., torch.qint32) and torch.dequantize of a
// per-channel qint8 tensor. Two deliberate differences from torch: +Inf
// saturates to qmax (docs/QNN.md, "Special values"), and dcast computes
// q - z without wrapping (torch's int32 subtraction turns -2^31 - 5 into
// 2147483643).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @quantize_i32(%x: tensor<*xf32>) -> tensor<*x!quant.uniform<i32:f32, 1.0e-4:5>> {
  %q = quant.qcast %x : tensor<*xf32> to tensor<*x!quant.uniform<i32:f32, 1.0e-4:5>>
  return %q : tensor<*x!quant.uniform<i32:f32, 1.0e-4:5>>
}

func.func @dequantize_i32(%q: tensor<4x!quant.uniform<i32:f32, 1.0e-4:5>>) -> tensor<4xf32> {
  %d = quant.dcast %q : tensor<4x!quant.uniform<i32:f32, 1.0e-4:5>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

func.func @dequantize_per_axis(%q: tensor<*x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>>) -> tensor<*xf32> {
  %d = quant.dcast %q : tensor<*x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>> to tensor<*xf32>
  return %d : tensor<*xf32>
}

// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[}}[2147483647,   -2147483648,   7],
// CHECK-NEXT: [-2147483648,   2147483647,   3]]
// CHECK: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [214748,  -214748,  0,  0.0002]
// CHECK: rank = 3 offset = 0 sizes = [2, 2, 2]
// CHECK-NEXT: {{\[}}{{\[}}[-1,    -0.5],
// CHECK-NEXT: [1,    1.25]],
// CHECK-NEXT: {{\[}}[-65.5,    62],
// CHECK-NEXT: [0.25,    0]]]
func.func @main() {
  %x = arith.constant dense<[[1.0e6, -1.0e6, 0.00015], [0x7FC00000, 0x7F800000, -0.00025]]> : tensor<2x3xf32>
  %xu = tensor.cast %x : tensor<2x3xf32> to tensor<*xf32>
  %q = call @quantize_i32(%xu) : (tensor<*xf32>) -> tensor<*x!quant.uniform<i32:f32, 1.0e-4:5>>
  %qs = quant.scast %q : tensor<*x!quant.uniform<i32:f32, 1.0e-4:5>> to tensor<*xi32>
  call @printMemrefI32(%qs) : (tensor<*xi32>) -> ()

  // q - z on integers: 2147483647 - 5 is exact before the rounding to f32.
  %c = arith.constant dense<[2147483647, -2147483648, 5, 7]> : tensor<4xi32>
  %cq = quant.scast %c : tensor<4xi32> to tensor<4x!quant.uniform<i32:f32, 1.0e-4:5>>
  %d = call @dequantize_i32(%cq) : (tensor<4x!quant.uniform<i32:f32, 1.0e-4:5>>) -> tensor<4xf32>
  %du = tensor.cast %d : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%du) : (tensor<*xf32>) -> ()

  %p = arith.constant dense<[[[1, 2], [3, 4]], [[-128, 127], [0, -1]]]> : tensor<2x2x2xi8>
  %pu = tensor.cast %p : tensor<2x2x2xi8> to tensor<*xi8>
  %pq = quant.scast %pu : tensor<*xi8> to tensor<*x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>>
  %pd = call @dequantize_per_axis(%pq) : (tensor<*x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>>) -> tensor<*xf32>
  call @printMemrefF32(%pd) : (tensor<*xf32>) -> ()
  return
}
