// RUN: quant-opt %s --qnn-cpu-attach-target=target=aarch64-i8mm | FileCheck %s
// RUN: quant-opt %s --qnn-cpu-attach-target=target=generic | FileCheck %s --check-prefix=GENERIC
// RUN: quant-opt %s --qnn-cpu-attach-target | FileCheck %s --check-prefix=HOST

// The target is recorded once on the module, and replaces an earlier one.
// CHECK: module attributes {qnn_cpu.target = #qnn_cpu.target<"aarch64-i8mm">}
// GENERIC: module attributes {qnn_cpu.target = #qnn_cpu.target<"generic">}
// `host` is resolved to a concrete target of the running CPU.
// HOST: module attributes {qnn_cpu.target = #qnn_cpu.target<"{{generic|x86-64-v3|x86-avx512-vnni|x86-avx512-bitalg|aarch64|aarch64-dotprod|aarch64-i8mm}}">}
module attributes {qnn_cpu.target = #qnn_cpu.target<"x86-64-v3">} {
  func.func @f() {
    return
  }
}
