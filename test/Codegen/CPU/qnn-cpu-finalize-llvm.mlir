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

// -----

// qnn_cpu.noalias_pointers becomes llvm.noalias on the pointers it names.
// CHECK-LABEL: llvm.func @outlined
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: i64)
// CHECK-NOT: qnn_cpu.noalias_pointers
module attributes {qnn_cpu.target = #qnn_cpu.target<"generic">} {
  llvm.func @outlined(%a: !llvm.ptr, %b: !llvm.ptr, %c: i64) attributes {qnn_cpu.noalias_pointers = array<i64: 1>} {
    llvm.return
  }
}

// -----

module attributes {qnn_cpu.target = #qnn_cpu.target<"generic">} {
  // expected-error @+1 {{'qnn_cpu.noalias_pointers' names argument 2, which is not a pointer}}
  llvm.func @not_a_pointer(%a: !llvm.ptr, %b: !llvm.ptr, %c: i64) attributes {qnn_cpu.noalias_pointers = array<i64: 2>} {
    llvm.return
  }
}
