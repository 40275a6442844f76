// int4 per axis (ONNX 1.16): QuantizeLinear then DequantizeLinear, run.
// Row 0 has scale 0.5 and zero point 1, row 1 scale 0.25 and zero point -2;
// x / s rounds half to even (1.5 -> 2, 0.5 -> 0) and saturates to
// [-8, 7] after the zero point is added.
// RUN: quant-translate --import-onnx %S/Inputs/int4_qdq.onnx -o %t.model.mlir
// RUN: sed '$d' %t.model.mlir > %t.mlir
// RUN: sed -n '/^\/\/ DRIVER$/,$p' %s >> %t.mlir
// RUN: echo '}' >> %t.mlir
// RUN: quant-opt %t.mlir --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// CHECK: [0.5,   -1.5,   3,   -4.5]
// CHECK: [0.5,   0,   -1.5,   2]

// DRIVER
  func.func @main() {
    %x = arith.constant dense<[[0.7, -1.3, 5.0, -9.0], [0.375, 0.125, -3.0, 2.0]]> : tensor<2x4xf32>
    %y = func.call @int4_qdq(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
    %m = bufferization.to_buffer %y : tensor<2x4xf32> to memref<2x4xf32>
    %u = memref.cast %m : memref<2x4xf32> to memref<*xf32>
    func.call @printMemrefF32(%u) : (memref<*xf32>) -> ()
    return
  }
  func.func private @printMemrefF32(memref<*xf32>)
