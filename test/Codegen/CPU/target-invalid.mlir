// One spelling of a bad target name and one message, whichever option
// reads it.
// RUN: not quant-opt %s --qnn-cpu-attach-target=target=x86 2>&1 | FileCheck %s
// RUN: not quant-opt %s --qnn-lower-int8-kernels=target=x86 2>&1 | FileCheck %s
// RUN: not quant-opt %s --qnn-compile=target=x86 2>&1 | FileCheck %s
// RUN: not quant-compile %s --target=x86 -o %t.o 2>&1 | FileCheck %s

// CHECK: for the --target option: unknown target 'x86'; expected one of host, generic, x86-64-v3, x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm, x86-avx512-bitalg

func.func @f() {
  return
}
