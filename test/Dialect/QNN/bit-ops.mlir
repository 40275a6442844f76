// RUN: quant-opt %s -split-input-file | quant-opt -split-input-file | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: quant-opt %s -split-input-file -canonicalize | FileCheck %s

// qnn.bitpack, qnn.bitunpack and qnn.binary_matmul print and parse back, and
// fold on constants in the layout of docs/QNN.md: bit k % W of word k / W
// is set for a negative element, padding bits are zero.

// ROUNDTRIP-LABEL: func.func @roundtrip
// ROUNDTRIP: qnn.bitpack %{{.*}} : tensor<?x100xf32> -> tensor<?x4xi32>
// ROUNDTRIP: qnn.bitpack %{{.*}} : tensor<2x3x64xf16> -> tensor<2x3x1xi64>
// ROUNDTRIP: qnn.bitunpack %{{.*}} : tensor<?x4xi32> -> tensor<?x100xf32>
// ROUNDTRIP: qnn.binary_matmul %{{.*}}, %{{.*}} k = 100 : tensor<?x4xi32>, tensor<8x4xi32> -> tensor<?x8xi32>
// ROUNDTRIP: qnn.ternary_matmul %{{.*}}, %{{.*}}, %{{.*}} k = 100 : tensor<?x4xi32>, tensor<8x4xi32>, tensor<8x4xi32> -> tensor<?x8xi32>
func.func @roundtrip(%x: tensor<?x100xf32>, %h: tensor<2x3x64xf16>, %w: tensor<8x4xi32>)
    -> (tensor<?x4xi32>, tensor<2x3x1xi64>, tensor<?x100xf32>, tensor<?x8xi32>, tensor<?x8xi32>) {
  %p = qnn.bitpack %x : tensor<?x100xf32> -> tensor<?x4xi32>
  %q = qnn.bitpack %h : tensor<2x3x64xf16> -> tensor<2x3x1xi64>
  %u = qnn.bitunpack %p : tensor<?x4xi32> -> tensor<?x100xf32>
  %d = qnn.binary_matmul %p, %w k = 100 : tensor<?x4xi32>, tensor<8x4xi32> -> tensor<?x8xi32>
  %t = qnn.ternary_matmul %p, %w, %w k = 100 : tensor<?x4xi32>, tensor<8x4xi32>, tensor<8x4xi32> -> tensor<?x8xi32>
  return %p, %q, %u, %d, %t : tensor<?x4xi32>, tensor<2x3x1xi64>, tensor<?x100xf32>, tensor<?x8xi32>, tensor<?x8xi32>
}

// -----

// Element 0 is bit 0; -0.0, +0.0 and NaN pack as +1 (bit clear); 33
// elements take two words, the second with one real bit.
// CHECK-LABEL: func.func @fold_bitpack
// CHECK: %[[P:.*]] = arith.constant dense<{{\[}}[5, 1], [-2147483648, 0]]> : tensor<2x2xi32>
// CHECK-NOT: qnn.bitpack
// CHECK: return %[[P]]
func.func @fold_bitpack() -> tensor<2x2xi32> {
  %x = arith.constant dense<[
    [-1.0, 2.0, -0.5, -0.0, 0.0, 0x7FC00000, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
     1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -3.0],
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
     1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0]]>
    : tensor<2x33xf32>
  %p = qnn.bitpack %x : tensor<2x33xf32> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func.func @fold_bitunpack
// CHECK: %[[U:.*]] = arith.constant dense<{{\[}}[-1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00]]> : tensor<1x5xf32>
// CHECK-NOT: qnn.bitunpack
// CHECK: return %[[U]]
func.func @fold_bitunpack() -> tensor<1x5xf32> {
  // Bits 0 and 2, and a padding bit (5) that is ignored.
  %p = arith.constant dense<[[37]]> : tensor<1x1xi32>
  %u = qnn.bitunpack %p : tensor<1x1xi32> -> tensor<1x5xf32>
  return %u : tensor<1x5xf32>
}

// -----

// Without padding bits, packing what was unpacked gives the words back.
// CHECK-LABEL: func.func @fold_pack_unpack
// CHECK-SAME: (%[[P:.*]]: tensor<3x2xi32>)
// CHECK-NEXT: return %[[P]]
func.func @fold_pack_unpack(%p: tensor<3x2xi32>) -> tensor<3x2xi32> {
  %u = qnn.bitunpack %p : tensor<3x2xi32> -> tensor<3x64xf32>
  %q = qnn.bitpack %u : tensor<3x64xf32> -> tensor<3x2xi32>
  return %q : tensor<3x2xi32>
}

// -----

// With padding bits, which unpacking drops and packing clears, it stays.
// CHECK-LABEL: func.func @negative_fold_pack_unpack_padding
// CHECK: qnn.bitunpack
// CHECK: qnn.bitpack
func.func @negative_fold_pack_unpack_padding(%p: tensor<3x2xi32>) -> tensor<3x2xi32> {
  %u = qnn.bitunpack %p : tensor<3x2xi32> -> tensor<3x50xf32>
  %q = qnn.bitpack %u : tensor<3x50xf32> -> tensor<3x2xi32>
  return %q : tensor<3x2xi32>
}
