// Blocked int4 weights (ONNX 1.16, block size 2 along axis 1), dequantized
// and run: codes [[1, -2, 3, -4], [7, -8, 0, 5]], scales [[0.5, 0.25],
// [1, 2]] (one per block of two codes).
// RUN: quant-translate --import-onnx %S/Inputs/blocked_int4.onnx -o %t.model.mlir
// RUN: sed '$d' %t.model.mlir > %t.mlir
// RUN: sed -n '/^\/\/ DRIVER$/,$p' %s >> %t.mlir
// RUN: echo '}' >> %t.mlir
// RUN: quant-opt %t.mlir --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// CHECK: [0.5,   -1,   0.75,   -1]
// CHECK: [7,   -8,   0,   10]

// DRIVER
  func.func @main() {
    %y = func.call @blocked_int4() : () -> tensor<2x4xf32>
    %m = bufferization.to_buffer %y : tensor<2x4xf32> to memref<2x4xf32>
    %u = memref.cast %m : memref<2x4xf32> to memref<*xf32>
    func.call @printMemrefF32(%u) : (memref<*xf32>) -> ()
    return
  }
  func.func private @printMemrefF32(memref<*xf32>)
