//===- QuantizeOps.cpp - Lower fake_quant and log_quant -------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qnn/Conversion/Utils/QuantParamsBuilder.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// Lowers `qnn.fake_quant` to one element-wise generic.
struct FakeQuantOpLowering : OpConversionPattern<FakeQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FakeQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type elementType = getElementTypeOrSelf(input.getType());
    FloatType computeType = getComputeType(elementType);
    QuantParamsBuilder params = QuantParamsBuilder::build(
        rewriter, loc, cast<quant::QuantizedType>(op.getQtype()), input,
        computeType);
    Rounding rounding = op.getRounding();
    Value result = params.buildElementwise(
        rewriter, loc, input, elementType,
        [&](OpBuilder &b, Location l, Value element,
            const QuantParamsBuilder::Scalars &scalars) {
          Value x = createFloatCast(b, l, element, computeType);
          Value q = params.emitQuantize(b, l, x, scalars, rounding);
          Value y = params.emitDequantize(b, l, q, scalars);
          return createFloatCast(b, l, y, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Bit layout of the float type `qnn.log_quant` computes in.
struct FloatLayout {
  unsigned width;
  unsigned mantissaBits;
  int64_t bias;
  /// Smallest normal exponent.
  int64_t minNormalExp;
  /// Power of two that scales a denormal into the normal range.
  int64_t denormalShift;
  /// Significands (mantissa bits) above sqrt(2) are those `> aboveSqrt2`
  /// when `strict`, `>= aboveSqrt2` otherwise.
  uint64_t aboveSqrt2;
  bool strict;
};

/// f32: the f32 nearest to sqrt(2) (mantissa 0x3504F3) lies below it, so a
/// significand is above sqrt(2) iff it is strictly above that float. f64:
/// the f64 nearest to sqrt(2) (mantissa 0x6A09E667F3BCD) lies above it.
static const FloatLayout kF32Layout{32, 23, 127, -126, 32, 0x3504F3, true};
static const FloatLayout kF64Layout{
    64, 52, 1023, -1022, 64, 0x6A09E667F3BCDull, false};

/// Emits `round_log2` level selection of docs/QNN.md for `x` (in the compute
/// type described by `layout`).
static Value emitLogQuantize(OpBuilder &b, Location loc, Value x,
                             const FloatLayout &layout, int64_t minExp,
                             int64_t maxExp) {
  Type floatType = x.getType();
  Type intType = b.getIntegerType(layout.width);
  auto intConst = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(intType, v));
  };
  auto floatConst = [&](double v) {
    return createFloatConstant(b, loc, floatType, v);
  };
  auto pow2 = [](int64_t e) { return std::ldexp(1.0, static_cast<int>(e)); };

  Value magnitude = math::AbsFOp::create(b, loc, x);
  // Scale denormals into the normal range so that the exponent field holds
  // the exponent; the shift is subtracted again below.
  Value isDenormal =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, magnitude,
                            floatConst(pow2(layout.minNormalExp)));
  Value scaled = arith::MulFOp::create(b, loc, magnitude,
                                       floatConst(pow2(layout.denormalShift)));
  Value normal = arith::SelectOp::create(b, loc, isDenormal, scaled, magnitude);
  Value bits = arith::BitcastOp::create(b, loc, intType, normal);
  Value rawExp =
      arith::ShRUIOp::create(b, loc, bits, intConst(layout.mantissaBits));
  Value mantissa = arith::AndIOp::create(
      b, loc, bits, intConst((int64_t(1) << layout.mantissaBits) - 1));
  Value shift = arith::SelectOp::create(
      b, loc, isDenormal, intConst(layout.bias + layout.denormalShift),
      intConst(layout.bias));
  Value exp = arith::SubIOp::create(b, loc, rawExp, shift);
  Value roundsUp = arith::CmpIOp::create(
      b, loc,
      layout.strict ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::uge,
      mantissa, intConst(static_cast<int64_t>(layout.aboveSqrt2)));
  exp = arith::AddIOp::create(
      b, loc, exp, arith::ExtUIOp::create(b, loc, intType, roundsUp));

  // Underflow to zero below the smallest level; saturate above the largest.
  Value underflows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           exp, intConst(minExp));
  Value level = arith::MinSIOp::create(b, loc, exp, intConst(maxExp));
  // 2^level from its bits; denormal levels are built shifted and scaled
  // back exactly.
  Value levelIsDenormal = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::slt, level, intConst(layout.minNormalExp));
  Value biased = arith::AddIOp::create(
      b, loc, level,
      arith::SelectOp::create(b, loc, levelIsDenormal,
                              intConst(layout.bias + layout.denormalShift),
                              intConst(layout.bias)));
  Value powerBits =
      arith::ShLIOp::create(b, loc, biased, intConst(layout.mantissaBits));
  Value power = arith::BitcastOp::create(b, loc, floatType, powerBits);
  Value unshifted = arith::MulFOp::create(
      b, loc, power, floatConst(pow2(-layout.denormalShift)));
  power = arith::SelectOp::create(b, loc, levelIsDenormal, unshifted, power);
  Value result =
      arith::SelectOp::create(b, loc, underflows, floatConst(0.0), power);
  result = math::CopySignOp::create(b, loc, result, x);
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  return arith::SelectOp::create(b, loc, isNaN, x, result);
}

/// Lowers `qnn.log_quant` to one element-wise generic that reads the
/// exponent and significand bits.
struct LogQuantOpLowering : OpConversionPattern<LogQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LogQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    Type elementType = getElementTypeOrSelf(input.getType());
    FloatType computeType = getComputeType(elementType);
    const FloatLayout &layout = computeType.isF64() ? kF64Layout : kF32Layout;
    int64_t minExp = op.getMinExp(), maxExp = op.getMaxExp();
    Value result = buildElementwise(
        rewriter, op.getLoc(), {input}, {}, elementType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = createFloatCast(b, l, args[0], computeType);
          Value y = emitLogQuantize(b, l, x, layout, minExp, maxExp);
          // Levels are representable in the element type (C4):
          // exact.
          return createFloatCast(b, l, y, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void qnn::populateQuantizeOpLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<FakeQuantOpLowering, LogQuantOpLowering>(patterns.getContext());
}
