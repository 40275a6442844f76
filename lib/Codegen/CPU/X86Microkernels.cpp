//===- X86Microkernels.cpp - Instructions and tiles of the x86 targets ----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// x86-avx512-vnni: `vpdpbusd` (16 columns, 4 steps, u8 x s8, through
// llvm.call_intrinsic: LLVM does not form it from vector code).
// x86-avx512-bitalg: the same kernels; LLVM selects `vpopcntb` for the
// binary kernels' byte popcount (math.ctpop), a nibble table otherwise.
// x86-64-v3: `vpmaddwd` (8 columns, 2 steps, i16 x i16).
//
//===----------------------------------------------------------------------===//

#include "Microkernel.h"
#include "qnn/Codegen/CPU/IR/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
/// vpdpbusd: acc[i] += sum_j u8(a[4i+j]) * s8(w[4i+j]), no saturation. The
/// activation operand is four bytes of one row broadcast to every lane.
class Vpdpbusd final : public WordBroadcastInstruction {
public:
  StringRef getName() const override { return "vpdpbusd"; }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override {
    return LLVM::CallIntrinsicOp::create(
               b, loc, kernel.getAccumulatorType(b.getContext()),
               b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, activations, weights})
        .getResult(0);
  }
};

/// vpmaddwd: pairs of i16 products summed into i32 lanes, then added. The
/// activation operand is two bytes of one row widened to i16 and broadcast.
class Vpmaddwd final : public DotInstruction {
public:
  StringRef getName() const override { return "vpmaddwd"; }

  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool activationsSigned) const override {
    auto pair = VectorType::get({2}, b.getI16Type());
    Value wide =
        activationsSigned
            ? arith::ExtSIOp::create(b, loc, pair, rowElements[0]).getResult()
            : arith::ExtUIOp::create(b, loc, pair, rowElements[0]).getResult();
    return broadcastWord(b, loc, wide,
                         kernel.getWeightVectorType(b.getContext()),
                         /*flip=*/false);
  }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override {
    Value products = LLVM::CallIntrinsicOp::create(
                         b, loc, kernel.getAccumulatorType(b.getContext()),
                         b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                         ValueRange{activations, weights})
                         .getResult(0);
    return arith::AddIOp::create(b, loc, acc, products);
  }
};

/// Binary contractions: the popcount of each byte of the difference (a
/// vpshufb table lookup per nibble: Cascade Lake has no vpopcntb), summed
/// four bytes to a lane and multiplied by -2 with one vpdpbusd.
class XorPopcountVpdpbusd final : public XorPopcountInstruction {
public:
  StringRef getName() const override {
    return "xor + vpshufb popcount + vpdpbusd";
  }

  Value buildSubtractTwicePopcount(OpBuilder &b, Location loc,
                                   const Microkernel &kernel, Value acc,
                                   Value bits) const override {
    auto [counts, minusTwo] = buildBytePopcounts(b, loc, bits);
    return LLVM::CallIntrinsicOp::create(
               b, loc, kernel.getAccumulatorType(b.getContext()),
               b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, counts, minusTwo})
        .getResult(0);
  }
};

const Vpdpbusd vpdpbusd;
const XorPopcountVpdpbusd xorPopcountVpdpbusd;
const MaskedXorPopcountInstruction maskedVpdpbusd(xorPopcountVpdpbusd);
const Vpmaddwd vpmaddwd;
} // namespace

std::optional<Microkernel> cpu::getX86Int8Microkernel(Target target) {
  switch (target) {
  case Target::x86_avx512_vnni:
  case Target::x86_avx512_bitalg:
    // 6x4 accumulators of 16 lanes (24 of the 32 zmm registers); the
    // remaining rows use 8 accumulators to hide the latency.
    return Microkernel{&vpdpbusd,
                       /*rows=*/1,
                       /*cols=*/16,
                       /*kGroup=*/4,
                       /*weightBits=*/8,
                       /*isFloat=*/false,
                       /*unsignedActivations=*/true,
                       /*widensActivations=*/false,
                       /*tileRows=*/6,
                       /*tileCols=*/4,
                       /*tailTileCols=*/8};
  case Target::x86_64_v3:
    // 16 ymm registers: 4x2 accumulators, products and operands.
    return Microkernel{&vpmaddwd, 1, 8, 2, 16, false, false, true, 4, 2, 4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getX86F32Microkernel(Target target) {
  const DotInstruction *mulAdd = &getFloatMulAddInstruction();
  switch (target) {
  case Target::x86_avx512_vnni:
  case Target::x86_avx512_bitalg:
    return Microkernel{mulAdd, 1, 16, 1, 32, true, false, true, 6, 4, 8};
  case Target::x86_64_v3:
    return Microkernel{mulAdd, 1, 8, 1, 32, true, false, true, 4, 2, 4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getX86BinaryMicrokernel(Target target) {
  switch (target) {
  case Target::x86_avx512_vnni:
  case Target::x86_avx512_bitalg:
    // 4x4 accumulators of 16 words: the popcount's table, masks and
    // temporaries need the other registers.
    return Microkernel{
        &xorPopcountVpdpbusd, 1, 16, 1, 32, false, false, true, 4, 4, 8};
  case Target::x86_64_v3:
    return Microkernel{
        &getXorPopcountInstruction(), 1, 8, 1, 32, false, false, true, 2, 2, 4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getX86TernaryMicrokernel(Target target) {
  std::optional<Microkernel> binary = getX86BinaryMicrokernel(target);
  if (!binary)
    return std::nullopt;
  return getTernaryMicrokernel(
      *binary, getVectorBits(target) == 512
                   ? static_cast<const DotInstruction &>(maskedVpdpbusd)
                   : getMaskedXorPopcountInstruction());
}
