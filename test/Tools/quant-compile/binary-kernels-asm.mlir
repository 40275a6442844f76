// The binary contraction (qnn.binary_matmul), compiled for each target: the
// reduction loop is xor, a byte popcount and the sum of the counts, on
// vectors, with no scalar popcount or multiply inside. Cascade Lake has no
// vpopcnt: the popcount is a vpshufb lookup per nibble (with BITALG, one
// vpopcntb).

// RUN: quant-compile %s --target=x86-avx512-vnni --emit=asm -o - | FileCheck %s --check-prefix=VNNI
// RUN: quant-compile %s --target=x86-avx512-bitalg --emit=asm -o - | FileCheck %s --check-prefix=BITALG
// RUN: quant-compile %s --target=x86-64-v3 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: quant-compile %s --target=aarch64-dotprod --emit=asm -o - | FileCheck %s --check-prefix=SDOT
// RUN: quant-compile %s --target=aarch64 --emit=asm -o - | FileCheck %s --check-prefix=NEON

func.func @binary_matmul(%x: tensor<64x32xi32>) -> tensor<64x64xi32> {
  %w = arith.constant dense<1431655765> : tensor<64x32xi32>
  %d = qnn.binary_matmul %x, %w k = 1024 : tensor<64x32xi32>, tensor<64x32xi32> -> tensor<64x64xi32>
  return %d : tensor<64x64xi32>
}

// VNNI-LABEL: {{^}}binary_matmul:
// VNNI: Inner Loop Header
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: vpbroadcastd
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: vpxord %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: vpshufb %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: vpshufb %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: vpdpbusd %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: {{popcnt|imul|Loop Header}}
// VNNI: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// With BITALG (Ice Lake and later) the byte popcount is one vpopcntb, and
// no table lookup remains.
// BITALG-LABEL: {{^}}binary_matmul:
// BITALG: Inner Loop Header
// BITALG-NOT: {{vpshufb|imul|Loop Header}}
// BITALG: vpxord %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm[[DIFF:[0-9]+]]
// BITALG-NEXT: vpopcntb %zmm[[DIFF]], %zmm[[COUNT:[0-9]+]]
// BITALG-NEXT: vpdpbusd %zmm{{[0-9]+}}, %zmm[[COUNT]], %zmm{{[0-9]+}}
// BITALG-NOT: {{vpshufb|imul|Loop Header}}
// BITALG: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// AVX2-LABEL: {{^}}binary_matmul:
// AVX2: Inner Loop Header
// AVX2-NOT: {{popcnt|imul|Loop Header}}
// AVX2: vpxor %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{popcnt|imul|Loop Header}}
// AVX2: vpshufb %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{popcnt|imul|Loop Header}}
// AVX2: vpsubd %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{popcnt|imul|Loop Header}}
// AVX2: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// SDOT-LABEL: {{^}}binary_matmul:
// SDOT: Inner Loop Header
// SDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: eor v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: cnt v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// SDOT: b.ne .LBB

// NEON-LABEL: {{^}}binary_matmul:
// NEON: Inner Loop Header
// NEON-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: eor v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// NEON-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: cnt v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// NEON-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: uaddlp v{{[0-9]+}}.8h, v{{[0-9]+}}.16b
// NEON-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// NEON: b.ne .LBB

// The ternary contraction (qnn.ternary_matmul): on AVX-512 the xor with the
// signs and the and with the mask are one vpternlogd.
// RUN: quant-compile %s --target=x86-avx512-vnni --emit=asm -o - | FileCheck %s --check-prefix=TVNNI
// RUN: quant-compile %s --target=x86-avx512-bitalg --emit=asm -o - | FileCheck %s --check-prefix=TBITALG
// RUN: quant-compile %s --target=aarch64-dotprod --emit=asm -o - | FileCheck %s --check-prefix=TSDOT

func.func @ternary_matmul(%x: tensor<64x32xi32>) -> tensor<64x64xi32> {
  %s = arith.constant dense<1431655765> : tensor<64x32xi32>
  %z = arith.constant dense<-1> : tensor<64x32xi32>
  %d = qnn.ternary_matmul %x, %s, %z k = 1024 : tensor<64x32xi32>, tensor<64x32xi32>, tensor<64x32xi32> -> tensor<64x64xi32>
  return %d : tensor<64x64xi32>
}

// TVNNI-LABEL: {{^}}ternary_matmul:
// TVNNI: Inner Loop Header
// TVNNI-NOT: {{popcnt|imul|Loop Header}}
// TVNNI: vpternlogd $96, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// TVNNI-NOT: {{popcnt|imul|Loop Header}}
// TVNNI: vpshufb %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// TVNNI-NOT: {{popcnt|imul|Loop Header}}
// TVNNI: vpdpbusd %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// TVNNI-NOT: {{popcnt|imul|Loop Header}}
// TVNNI: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}

// TSDOT-LABEL: {{^}}ternary_matmul:
// TSDOT: Inner Loop Header
// TSDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// TSDOT: eor v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// TSDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// TSDOT: and v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// TSDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// TSDOT: cnt v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// TSDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// TSDOT: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// TSDOT-NOT: {{fmov|[[:space:]]mul[[:space:]]|madd|Loop Header}}
// TSDOT: b.ne .LBB

// TBITALG-LABEL: {{^}}ternary_matmul:
// TBITALG: Inner Loop Header
// TBITALG-NOT: {{vpshufb|imul|Loop Header}}
// TBITALG: vpternlogd $96, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm[[KEPT:[0-9]+]]
// TBITALG-NEXT: vpopcntb %zmm[[KEPT]], %zmm[[COUNT:[0-9]+]]
// TBITALG-NEXT: vpdpbusd %zmm{{[0-9]+}}, %zmm[[COUNT]], %zmm{{[0-9]+}}
// TBITALG-NOT: {{vpshufb|imul|Loop Header}}
// TBITALG: {{^[[:space:]]+j[a-z]+[[:space:]]+\.LBB}}
