// RUN: quant-opt %s --split-input-file --qnn-cpu-finalize-llvm --verify-diagnostics | FileCheck %s

// LLVM dialect only (with arm_neon's LLVM intrinsics): the target attribute
// goes, the rest stays.
// CHECK: module {
// CHECK-NEXT: llvm.func @f
// CHECK-NOT: qnn_cpu.target
module attributes {qnn_cpu.target = #qnn_cpu.target<"aarch64-dotprod">} {
  llvm.func @f(%a: vector<4xi32>, %b: vector<16xi8>) -> vector<4xi32> {
    %0 = arm_neon.intr.sdot %a, %b, %b : vector<16xi8>, vector<16xi8> to vector<4xi32>
    llvm.return %0 : vector<4xi32>
  }
}

// -----

// Anything else left is an error naming the operation.
module attributes {qnn_cpu.target = #qnn_cpu.target<"generic">} {
  llvm.func @g(%a: f32) -> f32 {
    // expected-error @+1 {{'arith.addf' is left after the lowering to the LLVM dialect}}
    %0 = arith.addf %a, %a : f32
    llvm.return %0 : f32
  }
}
