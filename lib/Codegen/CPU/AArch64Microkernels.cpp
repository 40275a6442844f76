//===- AArch64Microkernels.cpp - Instructions of the AArch64 targets ------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// aarch64-dotprod: `sdot` (4 columns, 4 steps, s8 x s8).
// aarch64-i8mm: `smmla` (2x8 by 8x2 into a 2x2 tile of i32).
// aarch64: a widening multiply-add (4 columns, 1 step).
//
//===----------------------------------------------------------------------===//

#include "Microkernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
/// sdot: acc[i] += sum_j s8(a[4i+j]) * s8(w[4i+j]). The activation operand
/// is four bytes of one row broadcast to every lane.
class Sdot final : public WordBroadcastInstruction {
public:
  StringRef getName() const override { return "sdot"; }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override {
    return arm_neon::SdotOp::create(b, loc,
                                    kernel.getAccumulatorType(b.getContext()),
                                    acc, activations, weights);
  }
};

/// smmla: the 2x8 activations of two rows times the 8x2 weights of two
/// columns into a 2x2 tile of i32.
class Smmla final : public DotInstruction {
public:
  StringRef getName() const override { return "smmla"; }

  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool activationsSigned) const override {
    SmallVector<int64_t> concat = llvm::to_vector(llvm::seq<int64_t>(0, 16));
    Value pair = vector::ShuffleOp::create(b, loc, rowElements[0],
                                           rowElements[1], concat);
    if (kernel.getActivationOffset(activationsSigned) == 0)
      return pair;
    auto type = cast<VectorType>(pair.getType());
    Value signBits = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type, b.getIntegerAttr(b.getI8Type(), -128)));
    return arith::XOrIOp::create(b, loc, pair, signBits);
  }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override {
    return arm_neon::SmmlaOp::create(b, loc,
                                     kernel.getAccumulatorType(b.getContext()),
                                     acc, activations, weights);
  }
};

/// Binary contractions with the dot product extension: `cnt` counts the
/// bits of each byte of the difference, and `sdot` sums four bytes to a
/// lane, multiplied by -2.
class XorPopcountSdot final : public XorPopcountInstruction {
public:
  StringRef getName() const override { return "eor + cnt + sdot"; }

  Value buildSubtractTwicePopcount(OpBuilder &b, Location loc,
                                   const Microkernel &kernel, Value acc,
                                   Value bits) const override {
    auto [counts, minusTwo] = buildBytePopcounts(b, loc, bits);
    return arm_neon::SdotOp::create(b, loc,
                                    kernel.getAccumulatorType(b.getContext()),
                                    acc, counts, minusTwo);
  }
};

const Sdot sdot;
const XorPopcountSdot xorPopcountSdot;
const MaskedXorPopcountInstruction maskedSdot(xorPopcountSdot);
const Smmla smmla;
} // namespace

std::optional<Microkernel> cpu::getAArch64Int8Microkernel(Target target) {
  switch (target) {
  case Target::aarch64_dotprod:
    return Microkernel{&sdot, 1, 4, 4, 8, false, false, false, 4, 4, 4};
  case Target::aarch64_i8mm:
    return Microkernel{&smmla, 2, 2, 8, 8, false, false, false, 4, 4, 4};
  case Target::aarch64:
    return Microkernel{&getWideningMulAddInstruction(),
                       1,
                       4,
                       1,
                       8,
                       false,
                       false,
                       true,
                       4,
                       4,
                       4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getAArch64F32Microkernel(Target target) {
  switch (target) {
  case Target::aarch64:
  case Target::aarch64_dotprod:
  case Target::aarch64_i8mm:
    return Microkernel{
        &getFloatMulAddInstruction(), 1, 4, 1, 32, true, false, true, 4, 4, 4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getAArch64BinaryMicrokernel(Target target) {
  switch (target) {
  case Target::aarch64_dotprod:
  case Target::aarch64_i8mm:
    // 3x4 accumulators: with 4x4, the differences and counts spill.
    return Microkernel{
        &xorPopcountSdot, 1, 4, 1, 32, false, false, true, 3, 4, 4};
  case Target::aarch64:
    // cnt, then pairwise widening adds (uaddlp) to the words.
    return Microkernel{
        &getXorPopcountInstruction(), 1, 4, 1, 32, false, false, true, 3, 4, 4};
  default:
    return std::nullopt;
  }
}

std::optional<Microkernel> cpu::getAArch64TernaryMicrokernel(Target target) {
  std::optional<Microkernel> binary = getAArch64BinaryMicrokernel(target);
  if (!binary)
    return std::nullopt;
  bool dotprod =
      target == Target::aarch64_dotprod || target == Target::aarch64_i8mm;
  return getTernaryMicrokernel(
      *binary, dotprod ? static_cast<const DotInstruction &>(maskedSdot)
                       : getMaskedXorPopcountInstruction());
}
