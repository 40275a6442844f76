// The integer contraction of the contract (linalg.quantized_matmul, as
// --qnn-rewrite-int8 emits it), compiled for each target: the reduction
// loop is the target's dot-product instruction on vectors, with no scalar
// multiply or byte extension inside.

// RUN: quant-compile %s --target=x86-avx512-vnni --emit=asm -o - | FileCheck %s --check-prefix=VNNI
// RUN: quant-compile %s --target=x86-64-v3 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: quant-compile %s --target=aarch64-dotprod --emit=asm -o - | FileCheck %s --check-prefix=SDOT
// RUN: quant-compile %s --target=aarch64-i8mm --emit=asm -o - | FileCheck %s --check-prefix=SMMLA
// RUN: quant-compile %s --target=aarch64 --emit=asm -o - | FileCheck %s --check-prefix=NEON
// RUN: quant-compile %s --target=generic --triple=x86_64-unknown-linux-gnu --emit=asm -o - | FileCheck %s --check-prefix=GENERIC

func.func @matmul(%x: tensor<64x256xi8>) -> tensor<64x64xi32> {
  %w = arith.constant dense<3> : tensor<256x64xi8>
  %zero = arith.constant 0 : i32
  %zx = arith.constant -5 : i32
  %e = tensor.empty() : tensor<64x64xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<64x64xi32>) -> tensor<64x64xi32>
  %r = linalg.quantized_matmul ins(%x, %w, %zx, %zero : tensor<64x256xi8>, tensor<256x64xi8>, i32, i32) outs(%init : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %r : tensor<64x64xi32>
}

// VNNI-LABEL: {{^}}matmul:
// VNNI: Inner Loop Header
// VNNI-NOT: {{imul|movsb|movzb|vpmulld|Loop Header}}
// VNNI: vpdpbusd %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: {{imul|movsb|movzb|vpmulld|Loop Header}}
// VNNI: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// AVX2-LABEL: {{^}}matmul:
// AVX2: Inner Loop Header
// AVX2-NOT: {{imul|movsb|movzb|vpmulld|Loop Header}}
// AVX2: vpmaddwd %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{imul|movsb|movzb|vpmulld|Loop Header}}
// AVX2: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// SDOT-LABEL: {{^}}matmul:
// SDOT: Inner Loop Header
// SDOT-NOT: {{ldrs?b|sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SDOT-NOT: {{ldrs?b|sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: b.ne .LBB

// SMMLA-LABEL: {{^}}matmul:
// SMMLA: Inner Loop Header
// SMMLA-NOT: {{ldrs?b|sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SMMLA: smmla v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SMMLA-NOT: {{ldrs?b|sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SMMLA: b.ne .LBB

// NEON-LABEL: {{^}}matmul:
// NEON: Inner Loop Header
// NEON-NOT: {{sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: smlal v{{[0-9]+}}.4s
// NEON-NOT: {{sxtb|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: b.ne .LBB

// Portable loops: one scalar multiply-accumulate per step.
// GENERIC-LABEL: {{^}}matmul:
// GENERIC: Inner Loop Header
// GENERIC-NOT: Loop Header
// GENERIC: {{movzb|movsb}}
// GENERIC-NOT: vpdpbusd
