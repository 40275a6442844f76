// RUN: not quant-compile %s --target=generic -o %t.o --header=%t.h 2>&1 | FileCheck %s
// RUN: not quant-compile %s --target=arm -o %t.o 2>&1 | FileCheck %s --check-prefix=TARGET

// CHECK: errors.mlir:[[# @LINE + 2]]:1: error: cannot declare @pair in C: it returns 2 values; return one tensor
// TARGET: quant-compile: for the --target option: unknown target 'arm'; expected one of host, generic, x86-64-v3, x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm, x86-avx512-bitalg
func.func @pair(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  return %x, %x : tensor<2xf32>, tensor<2xf32>
}
