// RUN: quant-opt %s --qnn-read-only-arguments | FileCheck %s
// RUN: quant-opt %s --convert-elementwise-to-linalg --qnn-read-only-arguments --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=BUFFERS

// Tensor arguments become non-writable for bufferization; an explicit
// marking and non-tensor arguments are kept as they are.
// CHECK-LABEL: func.func @exp_in_place
// CHECK-SAME: (%{{.*}}: tensor<8xf32> {bufferization.writable = false}, %{{.*}}: f32)
// CHECK-LABEL: func.func @marked
// CHECK-SAME: (%{{.*}}: tensor<8xf32> {bufferization.writable = true})
// CHECK-LABEL: func.func private @external
// CHECK-SAME: (tensor<8xf32>)

// Bufferized, the exponential writes a buffer of its own instead of %x's,
// which the caller would find overwritten; with the argument marked
// writable, it is computed in place.
// BUFFERS-LABEL: func.func @exp_in_place
// BUFFERS-SAME: (%[[X:[a-z0-9]+]]: memref<8xf32>
// BUFFERS: %[[Y:.*]] = memref.alloc() {{.*}}: memref<8xf32>
// BUFFERS: linalg.generic {{.*}} ins(%[[X]] : memref<8xf32>) outs(%[[Y]] : memref<8xf32>)
// BUFFERS: return %[[Y]]
// BUFFERS-LABEL: func.func @marked
// BUFFERS-SAME: (%[[M:[a-z0-9]+]]: memref<8xf32>
// BUFFERS-NOT: memref.alloc
// BUFFERS: linalg.generic {{.*}} ins(%[[M]] : memref<8xf32>) outs(%[[M]] : memref<8xf32>)
func.func @exp_in_place(%x: tensor<8xf32>, %s: f32) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func @marked(%x: tensor<8xf32> {bufferization.writable = true}) -> tensor<8xf32> {
  %y = math.exp %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func private @external(tensor<8xf32>)
