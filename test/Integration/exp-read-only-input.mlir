// RUN: quant-opt %s --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// A function computing exp of its argument leaves the argument as it was
// (it gets a buffer of its own), and its exponentials, vectorizable
// polynomials, agree with libm's expf to the printed digits.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @exp(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

// CHECK: data =
// CHECK-NEXT: [1,  2.71828,  0.367879,  7.38906,  4.53999e-05,  22026.5,  0.606531,  1.64872]
// CHECK: data =
// CHECK-NEXT: [0,  1,  -1,  2,  -10,  10,  -0.5,  0.5]
func.func @main() {
  // A buffer of main's own (not a constant global), which the callee
  // could have written into.
  %c = arith.constant dense<[-0.0, -1.0, 1.0, -2.0, 10.0, -10.0, 0.5, -0.5]> : tensor<8xf32>
  %x = arith.negf %c : tensor<8xf32>
  %y = call @exp(%x) : (tensor<8xf32>) -> tensor<8xf32>
  %yu = tensor.cast %y : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%yu) : (tensor<*xf32>) -> ()
  %xu = tensor.cast %x : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%xu) : (tensor<*xf32>) -> ()
  return
}
