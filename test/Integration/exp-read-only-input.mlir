// RUN: quant-opt %s --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// A function computing exp of its argument leaves the argument as it was
// (it gets a buffer of its own), and its exponentials, vectorizable
// polynomials, agree with libm's expf to the printed digits.

func.func private @printMemrefF32(memref<*xf32>)

func.func @exp(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

// CHECK: data =
// CHECK-NEXT: [1,  2.71828,  0.367879,  7.38906,  4.53999e-05,  22026.5,  0.606531,  1.64872]
// CHECK: data =
// CHECK-NEXT: [0,  1,  -1,  2,  -10,  10,  -0.5,  0.5]
func.func @main() {
  // The caller's own buffer, handed over as a tensor that @main's
  // bufferization knows nothing more about (restrict), as a C caller's
  // would be: if @exp wrote into its argument, the buffer printed second
  // would hold the exponentials.
  %c = arith.constant dense<[0.0, 1.0, -1.0, 2.0, -10.0, 10.0, -0.5, 0.5]> : tensor<8xf32>
  %cm = bufferization.to_buffer %c read_only : tensor<8xf32> to memref<8xf32>
  %m = memref.alloc() : memref<8xf32>
  memref.copy %cm, %m : memref<8xf32> to memref<8xf32>
  %x = bufferization.to_tensor %m restrict writable : memref<8xf32> to tensor<8xf32>
  %y = call @exp(%x) : (tensor<8xf32>) -> tensor<8xf32>
  %yb = bufferization.to_buffer %y read_only : tensor<8xf32> to memref<8xf32>
  %yu = memref.cast %yb : memref<8xf32> to memref<*xf32>
  call @printMemrefF32(%yu) : (memref<*xf32>) -> ()
  %mu = memref.cast %m : memref<8xf32> to memref<*xf32>
  call @printMemrefF32(%mu) : (memref<*xf32>) -> ()
  return
}
