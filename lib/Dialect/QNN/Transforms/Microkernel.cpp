//===- Microkernel.cpp - Dot-product instructions per target --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Microkernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qnn;

std::optional<Microkernel> qnn::getInt8Microkernel(CompileTarget target) {
  switch (target) {
  case CompileTarget::X86Avx512Vnni:
    // 6x4 accumulators of 16 lanes (24 of the 32 zmm registers); the
    // remaining rows use 8 accumulators to hide the latency.
    return Microkernel{DotInstruction::Vpdpbusd,
                           /*rows=*/1,
                           /*cols=*/16,
                           /*kGroup=*/4,
                           /*weightBits=*/8,
                           /*unsignedActivations=*/true,
                           /*widensActivations=*/false,
                           /*tileRows=*/6,
                           /*tileCols=*/4,
                           /*tailTileCols=*/8};
  case CompileTarget::X86_64_V3:
    // 16 ymm registers: 4x2 accumulators, products and operands.
    return Microkernel{DotInstruction::Vpmaddwd, 1, 8, 2, 16, false,
                           true, 4, 2, 4};
  case CompileTarget::AArch64Dotprod:
    return Microkernel{DotInstruction::Sdot, 1, 4, 4, 8, false,
                           false, 4, 4, 4};
  case CompileTarget::AArch64I8mm:
    return Microkernel{DotInstruction::Smmla, 2, 2, 8, 8, false,
                           false, 4, 4, 4};
  case CompileTarget::AArch64:
    return Microkernel{DotInstruction::MulAdd, 1, 4, 1, 8, false,
                           true, 4, 4, 4};
  case CompileTarget::Host:
  case CompileTarget::Generic:
    return std::nullopt;
  }
  llvm_unreachable("unknown compile target");
}

std::optional<Microkernel> qnn::getF32Microkernel(CompileTarget target) {
  switch (target) {
  case CompileTarget::X86Avx512Vnni:
    return Microkernel{DotInstruction::FMulAdd, 1, 16, 1, 32, false,
                           true, 6, 4, 8};
  case CompileTarget::X86_64_V3:
    return Microkernel{DotInstruction::FMulAdd, 1, 8, 1, 32, false,
                           true, 4, 2, 4};
  case CompileTarget::AArch64:
  case CompileTarget::AArch64Dotprod:
  case CompileTarget::AArch64I8mm:
    return Microkernel{DotInstruction::FMulAdd, 1, 4, 1, 32, false,
                           true, 4, 4, 4};
  case CompileTarget::Host:
  case CompileTarget::Generic:
    return std::nullopt;
  }
  llvm_unreachable("unknown compile target");
}

Value qnn::buildPrefixMask(OpBuilder &b, Location loc, int64_t size,
                           int64_t count) {
  SmallVector<bool> lanes(size, false);
  std::fill_n(lanes.begin(), count, true);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(VectorType::get({size}, b.getI1Type()),
                             ArrayRef<bool>(lanes)));
}

int64_t Microkernel::getActivationOffset(bool activationsSigned) const {
  if (widensActivations || activationsSigned != unsignedActivations)
    return 0;
  return activationsSigned ? 128 : -128;
}

VectorType Microkernel::getWeightVectorType(MLIRContext *ctx) const {
  Type element = isFloat() ? Type(Float32Type::get(ctx))
                           : Type(IntegerType::get(ctx, weightBits));
  return VectorType::get({cols * kGroup}, element);
}

VectorType Microkernel::getAccumulatorType(MLIRContext *ctx) const {
  Type element = isFloat() ? Type(Float32Type::get(ctx))
                           : Type(IntegerType::get(ctx, 32));
  return VectorType::get({getLanes()}, element);
}

/// Broadcasts the bytes of `group` (a vector of 4 x i8 or 2 x i16) as one
/// 32-bit word to every lane of `resultType`, flipping the sign bit of every
/// byte when `flip` is set.
static Value broadcastWord(OpBuilder &b, Location loc, Value group,
                           VectorType resultType, bool flip) {
  Type i32 = b.getI32Type();
  Value word = vector::BitCastOp::create(b, loc, VectorType::get({1}, i32),
                                         group);
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

Value Microkernel::buildActivationOperand(OpBuilder &b, Location loc,
                                              ArrayRef<Value> rowBytes,
                                              bool activationsSigned) const {
  MLIRContext *ctx = b.getContext();
  bool flip = getActivationOffset(activationsSigned) != 0;
  auto extend = [&](Value v, Type type) -> Value {
    if (activationsSigned)
      return arith::ExtSIOp::create(b, loc, type, v);
    return arith::ExtUIOp::create(b, loc, type, v);
  };
  switch (instruction) {
  case DotInstruction::Vpdpbusd:
  case DotInstruction::Sdot:
    return broadcastWord(b, loc, rowBytes[0],
                         getWeightVectorType(ctx), flip);
  case DotInstruction::Vpmaddwd: {
    Value wide = extend(rowBytes[0],
                        VectorType::get({2}, IntegerType::get(ctx, 16)));
    return broadcastWord(b, loc, wide, getWeightVectorType(ctx),
                         /*flip=*/false);
  }
  case DotInstruction::Smmla: {
    // The 2x8 left operand: 8 bytes of each of the two rows.
    SmallVector<int64_t> concat = llvm::to_vector(llvm::seq<int64_t>(0, 16));
    Value pair = vector::ShuffleOp::create(b, loc, rowBytes[0], rowBytes[1],
                                           concat);
    if (!flip)
      return pair;
    auto type = cast<VectorType>(pair.getType());
    Value signBits = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type, b.getIntegerAttr(b.getI8Type(), -128)));
    return arith::XOrIOp::create(b, loc, pair, signBits);
  }
  case DotInstruction::MulAdd: {
    Value byte = vector::ExtractOp::create(b, loc, rowBytes[0], int64_t(0));
    Value wide = extend(byte, b.getI32Type());
    return vector::BroadcastOp::create(b, loc, getAccumulatorType(ctx), wide);
  }
  case DotInstruction::FMulAdd: {
    Value scalar = vector::ExtractOp::create(b, loc, rowBytes[0], int64_t(0));
    return vector::BroadcastOp::create(b, loc, getAccumulatorType(ctx),
                                       scalar);
  }
  }
  llvm_unreachable("unknown dot instruction");
}

Value Microkernel::buildDot(OpBuilder &b, Location loc, Value acc,
                                Value activations, Value weights) const {
  VectorType accType = getAccumulatorType(b.getContext());
  switch (instruction) {
  case DotInstruction::Vpdpbusd:
    // vpdpbusd: acc[i] += sum_j u8(a[4i+j]) * s8(w[4i+j]), no saturation.
    return LLVM::CallIntrinsicOp::create(
               b, loc, accType,
               b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, activations, weights})
        .getResult(0);
  case DotInstruction::Vpmaddwd: {
    Value products =
        LLVM::CallIntrinsicOp::create(b, loc, accType,
                                      b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                                      ValueRange{activations, weights})
            .getResult(0);
    return arith::AddIOp::create(b, loc, acc, products);
  }
  case DotInstruction::Sdot:
    return arm_neon::SdotOp::create(b, loc, accType, acc, activations,
                                    weights);
  case DotInstruction::Smmla:
    return arm_neon::SmmlaOp::create(b, loc, accType, acc, activations,
                                     weights);
  case DotInstruction::MulAdd: {
    Value wide = arith::ExtSIOp::create(b, loc, accType, weights);
    Value products = arith::MulIOp::create(b, loc, activations, wide);
    return arith::AddIOp::create(b, loc, acc, products);
  }
  case DotInstruction::FMulAdd: {
    Value products = arith::MulFOp::create(b, loc, activations, weights);
    return arith::AddFOp::create(b, loc, acc, products);
  }
  }
  llvm_unreachable("unknown dot instruction");
}
