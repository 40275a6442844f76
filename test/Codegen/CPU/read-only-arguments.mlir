// RUN: quant-opt %s --qnn-read-only-arguments | FileCheck %s
// RUN: quant-opt %s --qnn-compile | FileCheck %s --check-prefix=COMPILED

// Tensor arguments become non-writable for bufferization; an explicit
// marking and non-tensor arguments are kept as they are.
// CHECK-LABEL: func.func @exp_in_place
// CHECK-SAME: (%{{.*}}: tensor<8xf32> {bufferization.writable = false}, %{{.*}}: f32)
// CHECK-LABEL: func.func @marked
// CHECK-SAME: (%{{.*}}: tensor<8xf32> {bufferization.writable = true})
// CHECK-LABEL: func.func private @external
// CHECK-SAME: (tensor<8xf32>)

// The exponential gets a buffer of its own (one allocation) instead of
// being computed in %x's, which the caller would find overwritten.
// COMPILED-LABEL: llvm.func @exp_in_place
// COMPILED: llvm.call @aligned_alloc
// COMPILED-NOT: llvm.call @aligned_alloc
// COMPILED: llvm.return
func.func @exp_in_place(%x: tensor<8xf32>, %s: f32) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func @marked(%x: tensor<8xf32> {bufferization.writable = true}) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func private @external(tensor<8xf32>)
