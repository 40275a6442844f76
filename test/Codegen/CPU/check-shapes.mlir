// RUN: quant-opt %s --qnn-cpu-check-shapes -split-input-file -verify-diagnostics | FileCheck %s

// Consistent static sizes, an empty reduction (K = 0) and a dynamic batch
// pass unchanged.
// CHECK-LABEL: func.func @consistent
// CHECK: linalg.matmul
// CHECK: linalg.matmul
func.func @consistent(%x: tensor<2x0xi8>, %w: tensor<0x16xi8>, %init: tensor<2x16xi32>,
                      %dx: tensor<?x8xf32>, %dw: tensor<8x4xf32>, %dinit: tensor<?x4xf32>) -> (tensor<2x16xi32>, tensor<?x4xf32>) {
  %0 = linalg.matmul ins(%x, %w : tensor<2x0xi8>, tensor<0x16xi8>) outs(%init : tensor<2x16xi32>) -> tensor<2x16xi32>
  %1 = linalg.matmul ins(%dx, %dw : tensor<?x8xf32>, tensor<8x4xf32>) outs(%dinit : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0, %1 : tensor<2x16xi32>, tensor<?x4xf32>
}

// -----

// The weights' reduction dimension disagrees with the activations': the
// loops would read the empty weights out of bounds.
memref.global "private" constant @w0 : memref<0x16xi8> = dense<>
func.func @negative_empty_weights(%x: memref<2x100000xi8>) -> memref<2x16xi32> {
  %w = memref.get_global @w0 : memref<0x16xi8>
  %acc = memref.alloc() : memref<2x16xi32>
  // expected-error @+1 {{'linalg.generic' op loop d2 has size 0 in operand #1 but 100000 in operand #0}}
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x100000xi8>, memref<0x16xi8>) outs(%acc : memref<2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  }
  return %acc : memref<2x16xi32>
}

// -----

// Upstream's verifier takes the loop sizes from the first operand that has
// a dimension for each and compares the others only when none is zero:
// a zero-sized output dimension is another inconsistency it lets through.
func.func @negative_empty_output(%x: memref<2x8xf32>, %w: memref<8x16xf32>, %acc: memref<0x16xf32>) {
  // expected-error @+1 {{'linalg.generic' op loop d0 has size 0 in operand #2 but 2 in operand #0}}
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x8xf32>, memref<8x16xf32>) outs(%acc : memref<0x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A splat of 10^18 f32 (4 * 10^18 bytes) could never be allocated.
func.func @negative_huge_splat() -> tensor<1000000000x1000000000xf32> {
  // expected-error @+1 {{'tensor<1000000000x1000000000xf32>' is larger than the 2^48 bytes a 64-bit CPU can address}}
  %w = arith.constant dense<0.3> : tensor<1000000000x1000000000xf32>
  return %w : tensor<1000000000x1000000000xf32>
}

// -----

// A shape whose element count overflows 64 bits, as an argument.
// expected-error @+1 {{'memref<4294967296x4294967296xi8>' is larger than the 2^48 bytes a 64-bit CPU can address}}
func.func @negative_overflow(%x: memref<4294967296x4294967296xi8>) {
  return
}

// -----

// A global beyond the address space.
// expected-error @+1 {{'memref<281474976710657xi8>' is larger than the 2^48 bytes a 64-bit CPU can address}}
memref.global "private" @huge : memref<281474976710657xi8>

// -----

// Quantized element types, checked before their lowering to storage types,
// count at least a byte each.
// expected-error @+1 {{'tensor<1000000000x1000000000xf32>' is larger than the 2^48 bytes a 64-bit CPU can address}}
func.func @negative_huge_quantized(%x: tensor<1000000000x1000000000xf32>) -> tensor<1000000000x1000000000x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'tensor<1000000000x1000000000x!quant.uniform<i8:f32, 1.000000e-01>>' is larger than the 2^48 bytes a 64-bit CPU can address}}
  %q = quant.qcast %x : tensor<1000000000x1000000000xf32> to tensor<1000000000x1000000000x!quant.uniform<i8:f32, 0.1>>
  return %q : tensor<1000000000x1000000000x!quant.uniform<i8:f32, 0.1>>
}
