//===- Microkernel.cpp - Dot-product instructions, register tiles ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What every microkernel shares, and the portable vector instructions that
// any target with vectors runs.
//
//===----------------------------------------------------------------------===//

#include "Microkernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

DotInstruction::~DotInstruction() = default;

int64_t Microkernel::getActivationOffset(bool activationsSigned) const {
  if (widensActivations || activationsSigned != unsignedActivations)
    return 0;
  return activationsSigned ? 128 : -128;
}

Type Microkernel::getWeightType(MLIRContext *ctx) const {
  return isFloat ? Type(Float32Type::get(ctx))
                 : Type(IntegerType::get(ctx, weightBits));
}

VectorType Microkernel::getWeightVectorType(MLIRContext *ctx) const {
  return VectorType::get({cols * kGroup}, getWeightType(ctx));
}

VectorType Microkernel::getAccumulatorType(MLIRContext *ctx) const {
  Type element =
      isFloat ? Type(Float32Type::get(ctx)) : Type(IntegerType::get(ctx, 32));
  return VectorType::get({getLanes()}, element);
}

Value cpu::buildPrefixMask(OpBuilder &b, Location loc, int64_t size,
                           int64_t count) {
  SmallVector<bool> lanes(size, false);
  std::fill_n(lanes.begin(), count, true);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(VectorType::get({size}, b.getI1Type()),
                             ArrayRef<bool>(lanes)));
}

Value cpu::broadcastWord(OpBuilder &b, Location loc, Value group,
                         VectorType resultType, bool flip) {
  Type i32 = b.getI32Type();
  Value word =
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), group);
  Value scalar = vector::ExtractOp::create(b, loc, word, int64_t(0));
  if (flip)
    scalar = arith::XOrIOp::create(
        b, loc, scalar,
        arith::ConstantIntOp::create(b, loc, i32, 0x80808080LL));
  auto words = VectorType::get(
      {resultType.getNumElements() * resultType.getElementTypeBitWidth() / 32},
      i32);
  Value splat = vector::BroadcastOp::create(b, loc, words, scalar);
  return vector::BitCastOp::create(b, loc, resultType, splat);
}

Value WordBroadcastInstruction::buildActivationOperand(
    OpBuilder &b, Location loc, const Microkernel &kernel,
    ArrayRef<Value> rowElements, bool activationsSigned) const {
  bool flip = kernel.getActivationOffset(activationsSigned) != 0;
  return broadcastWord(b, loc, rowElements[0],
                       kernel.getWeightVectorType(b.getContext()), flip);
}

namespace {
/// f32: one activation broadcast, multiplied by a vector of weights and
/// added to the accumulators (not fused).
class FloatMulAdd final : public DotInstruction {
public:
  StringRef getName() const override { return "vector mulf + addf"; }

  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool) const override {
    Value scalar =
        vector::ExtractOp::create(b, loc, rowElements[0], int64_t(0));
    return vector::BroadcastOp::create(
        b, loc, kernel.getAccumulatorType(b.getContext()), scalar);
  }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &, Value acc,
                 Value activations, Value weights) const override {
    Value products = arith::MulFOp::create(b, loc, activations, weights);
    return arith::AddFOp::create(b, loc, acc, products);
  }
};

/// i8: one activation widened to i32 and broadcast, times the widened
/// weights, added to the accumulators.
class WideningMulAdd final : public DotInstruction {
public:
  StringRef getName() const override { return "widening muli + addi"; }

  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool activationsSigned) const override {
    Value byte = vector::ExtractOp::create(b, loc, rowElements[0], int64_t(0));
    Type i32 = b.getI32Type();
    Value wide = activationsSigned
                     ? arith::ExtSIOp::create(b, loc, i32, byte).getResult()
                     : arith::ExtUIOp::create(b, loc, i32, byte).getResult();
    return vector::BroadcastOp::create(
        b, loc, kernel.getAccumulatorType(b.getContext()), wide);
  }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override {
    Value wide = arith::ExtSIOp::create(
        b, loc, kernel.getAccumulatorType(b.getContext()), weights);
    Value products = arith::MulIOp::create(b, loc, activations, wide);
    return arith::AddIOp::create(b, loc, acc, products);
  }
};
} // namespace

const DotInstruction &cpu::getFloatMulAddInstruction() {
  static const FloatMulAdd instruction;
  return instruction;
}

Value XorPopcountInstruction::buildActivationOperand(
    OpBuilder &b, Location loc, const Microkernel &kernel,
    ArrayRef<Value> rowElements, bool) const {
  return broadcastWord(b, loc, rowElements[0],
                       kernel.getAccumulatorType(b.getContext()),
                       /*flip=*/false);
}

Value XorPopcountInstruction::buildDot(OpBuilder &b, Location loc,
                                       const Microkernel &kernel, Value acc,
                                       Value activations, Value weights) const {
  Value difference = arith::XOrIOp::create(b, loc, activations, weights);
  return buildSubtractTwicePopcount(b, loc, kernel, acc, difference);
}

Value XorPopcountInstruction::buildSubtractTwicePopcount(OpBuilder &b,
                                                         Location loc,
                                                         const Microkernel &,
                                                         Value acc,
                                                         Value bits) const {
  Value count = math::CtPopOp::create(b, loc, bits);
  auto type = cast<VectorType>(count.getType());
  Value one = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(1)));
  Value twice = arith::ShLIOp::create(b, loc, count, one);
  return arith::SubIOp::create(b, loc, acc, twice);
}

std::pair<Value, Value> XorPopcountInstruction::buildBytePopcounts(OpBuilder &b,
                                                                   Location loc,
                                                                   Value bits) {
  auto words = cast<VectorType>(bits.getType());
  auto bytes = VectorType::get({words.getNumElements() * 4}, b.getI8Type());
  Value counts = math::CtPopOp::create(
      b, loc, vector::BitCastOp::create(b, loc, bytes, bits));
  Value minusTwo = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(bytes, b.getI8IntegerAttr(-2)));
  return {counts, minusTwo};
}

Value MaskedXorPopcountInstruction::buildDot(OpBuilder &b, Location loc,
                                             const Microkernel &kernel,
                                             Value acc, Value activations,
                                             Value weights) const {
  int64_t cols = kernel.cols;
  auto planes = VectorType::get({2 * cols}, b.getI32Type());
  Value words = vector::BitCastOp::create(b, loc, planes, weights);
  // The halves, as shuffles (which lower to LLVM as subvector reads).
  SmallVector<int64_t> low = llvm::to_vector(llvm::seq<int64_t>(0, cols));
  SmallVector<int64_t> high =
      llvm::to_vector(llvm::seq<int64_t>(cols, 2 * cols));
  Value signs = vector::ShuffleOp::create(b, loc, words, words, low);
  Value mask = vector::ShuffleOp::create(b, loc, words, words, high);
  Value difference = arith::XOrIOp::create(b, loc, activations, signs);
  Value kept = arith::AndIOp::create(b, loc, difference, mask);
  return counter.buildSubtractTwicePopcount(b, loc, kernel, acc, kept);
}

Microkernel cpu::getTernaryMicrokernel(const Microkernel &binary,
                                       const DotInstruction &masked) {
  Microkernel kernel = binary;
  kernel.instruction = &masked;
  // Two 32-bit planes per channel and step.
  kernel.weightBits = 64;
  return kernel;
}

const XorPopcountInstruction &cpu::getXorPopcountInstruction() {
  static const XorPopcountInstruction instruction;
  return instruction;
}

const DotInstruction &cpu::getMaskedXorPopcountInstruction() {
  static const MaskedXorPopcountInstruction instruction(
      getXorPopcountInstruction());
  return instruction;
}

const DotInstruction &cpu::getWideningMulAddInstruction() {
  static const WideningMulAdd instruction;
  return instruction;
}
