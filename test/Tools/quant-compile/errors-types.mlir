// RUN: not quant-compile %s --target=generic -o %t.o --header=%t.h 2>&1 | FileCheck %s
// RUN: not quant-compile %s --target=generic -o %t.o --passes=no-such-pass 2>&1 | FileCheck %s --check-prefix=PASSES
// RUN: not quant-compile %s --target=generic --triple=no-such-triple -o %t.o 2>&1 | FileCheck %s --check-prefix=TRIPLE

// CHECK: errors-types.mlir:[[# @LINE + 4]]:1: error: cannot declare 'tensor<2xcomplex<f32>>' in C: unsupported element type
// PASSES: error: 'no-such-pass' does not refer to a registered pass or pass pipeline
// PASSES: quant-compile: invalid --passes
// TRIPLE: error: No available targets are compatible with triple "no-such-triple"
func.func @complex(%x: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  return %x : tensor<2xcomplex<f32>>
}
