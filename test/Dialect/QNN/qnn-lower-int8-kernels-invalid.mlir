// RUN: not quant-opt %s --qnn-lower-int8-kernels=target=x86 2>&1 | FileCheck %s
// RUN: not quant-opt %s --qnn-compile=target=x86 2>&1 | FileCheck %s --check-prefix=PIPELINE

// CHECK: error: unknown target 'x86'; expected one of host, generic, x86-64-v3, x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm
// PIPELINE: for the --target option: Cannot find option named 'x86'!

func.func @f() {
  return
}
