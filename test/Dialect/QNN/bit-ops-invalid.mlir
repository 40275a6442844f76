// RUN: quant-opt %s -split-input-file -verify-diagnostics

// One case per error of the bit-packing verifiers, named after the
// constraint of the op's description.

func.func @bitpack_c1_rank(%x: tensor<4x64xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{packs the innermost dimension: 'tensor<4x64xf32>' and 'tensor<2xi32>' must have the same rank, at least 1}}
  %p = qnn.bitpack %x : tensor<4x64xf32> -> tensor<2xi32>
  return %p : tensor<2xi32>
}

// -----

func.func @bitpack_c1_rank_zero(%x: tensor<f32>) -> tensor<i32> {
  // expected-error @+1 {{must have the same rank, at least 1}}
  %p = qnn.bitpack %x : tensor<f32> -> tensor<i32>
  return %p : tensor<i32>
}

// -----

func.func @bitpack_c1_outer_dims(%x: tensor<4x64xf32>) -> tensor<3x2xi32> {
  // expected-error @+1 {{dimension 0 differs: 4 values and 3 words}}
  %p = qnn.bitpack %x : tensor<4x64xf32> -> tensor<3x2xi32>
  return %p : tensor<3x2xi32>
}

// -----

func.func @bitpack_c2_dynamic_k(%x: tensor<4x?xf32>) -> tensor<4x2xi32> {
  // expected-error @+1 {{the number of packed elements (innermost size) must be static}}
  %p = qnn.bitpack %x : tensor<4x?xf32> -> tensor<4x2xi32>
  return %p : tensor<4x2xi32>
}

// -----

func.func @bitpack_c2_words(%x: tensor<4x65xf32>) -> tensor<4x2xi32> {
  // expected-error @+1 {{65 elements pack into 3 words of 32 bits, not the innermost size of 'tensor<4x2xi32>'}}
  %p = qnn.bitpack %x : tensor<4x65xf32> -> tensor<4x2xi32>
  return %p : tensor<4x2xi32>
}

// -----

func.func @bitpack_word_type(%x: tensor<4x64xf32>) -> tensor<4x4xi16> {
  // expected-error @+1 {{op result #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %p = qnn.bitpack %x : tensor<4x64xf32> -> tensor<4x4xi16>
  return %p : tensor<4x4xi16>
}

// -----

func.func @bitunpack_c2_words(%p: tensor<4x1xi64>) -> tensor<4x65xf32> {
  // expected-error @+1 {{65 elements pack into 2 words of 64 bits, not the innermost size of 'tensor<4x1xi64>'}}
  %x = qnn.bitunpack %p : tensor<4x1xi64> -> tensor<4x65xf32>
  return %x : tensor<4x65xf32>
}

// -----

func.func @bitunpack_c1_outer_dims(%p: tensor<4x1xi32>) -> tensor<5x32xf32> {
  // expected-error @+1 {{dimension 0 differs: 5 values and 4 words}}
  %x = qnn.bitunpack %p : tensor<4x1xi32> -> tensor<5x32xf32>
  return %x : tensor<5x32xf32>
}

// -----

func.func @binary_matmul_c1_word_types(%a: tensor<4x2xi32>, %b: tensor<8x1xi64>) -> tensor<4x8xi32> {
  // expected-error @+1 {{operands pack into different words: 'tensor<4x2xi32>' and 'tensor<8x1xi64>'}}
  %d = qnn.binary_matmul %a, %b k = 64 : tensor<4x2xi32>, tensor<8x1xi64> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}

// -----

func.func @binary_matmul_c1_k(%a: tensor<4x2xi32>, %b: tensor<8x2xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{k must be at least 1, not 0}}
  %d = qnn.binary_matmul %a, %b k = 0 : tensor<4x2xi32>, tensor<8x2xi32> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}

// -----

func.func @binary_matmul_c1_words(%a: tensor<4x2xi32>, %b: tensor<8x2xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{k = 65 needs at least 3 words of 32 bits, but 'tensor<4x2xi32>' has 2}}
  %d = qnn.binary_matmul %a, %b k = 65 : tensor<4x2xi32>, tensor<8x2xi32> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}

// -----

func.func @binary_matmul_c2_result(%a: tensor<4x2xi32>, %b: tensor<8x2xi32>) -> tensor<4x7xi32> {
  // expected-error @+1 {{result 'tensor<4x7xi32>' is not rows of 'tensor<4x2xi32>' by rows of 'tensor<8x2xi32>'}}
  %d = qnn.binary_matmul %a, %b k = 64 : tensor<4x2xi32>, tensor<8x2xi32> -> tensor<4x7xi32>
  return %d : tensor<4x7xi32>
}

// -----

func.func @ternary_matmul_c1_planes(%a: tensor<4x2xi32>, %s: tensor<8x2xi32>, %z: tensor<7x2xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{the weight planes differ: 'tensor<8x2xi32>' and 'tensor<7x2xi32>'}}
  %d = qnn.ternary_matmul %a, %s, %z k = 64 : tensor<4x2xi32>, tensor<8x2xi32>, tensor<7x2xi32> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}

// -----

func.func @ternary_matmul_c1_word_types(%a: tensor<4x1xi64>, %s: tensor<8x2xi32>, %z: tensor<8x2xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{operands pack into different words: 'tensor<4x1xi64>' and 'tensor<8x2xi32>'}}
  %d = qnn.ternary_matmul %a, %s, %z k = 64 : tensor<4x1xi64>, tensor<8x2xi32>, tensor<8x2xi32> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}

// -----

func.func @ternary_matmul_c2_result(%a: tensor<4x2xi32>, %s: tensor<8x2xi32>, %z: tensor<8x2xi32>) -> tensor<5x8xi32> {
  // expected-error @+1 {{result 'tensor<5x8xi32>' is not rows of 'tensor<4x2xi32>' by rows of 'tensor<8x2xi32>'}}
  %d = qnn.ternary_matmul %a, %s, %z k = 64 : tensor<4x2xi32>, tensor<8x2xi32>, tensor<8x2xi32> -> tensor<5x8xi32>
  return %d : tensor<5x8xi32>
}

// -----

func.func @binary_matmul_c1_word_counts(%a: tensor<4x3xi32>, %b: tensor<8x2xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{operands have 3 and 2 words per row}}
  %d = qnn.binary_matmul %a, %b k = 64 : tensor<4x3xi32>, tensor<8x2xi32> -> tensor<4x8xi32>
  return %d : tensor<4x8xi32>
}
