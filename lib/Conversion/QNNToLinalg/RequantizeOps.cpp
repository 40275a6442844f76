//===- RequantizeOps.cpp - Lower requantize -------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qnn;

/// Emits the float requantization of `acc` with the multiplier `m` (f32):
/// clamp(nearbyint(fl32(fl32(acc) * m)) + z), in f32, exact for the integers
/// in range.
static Value emitFloatRequantize(OpBuilder &b, Location loc, Value acc, Value m,
                                 int64_t zeroPoint, int64_t lo, int64_t hi,
                                 Type storageType) {
  Type f32 = b.getF32Type();
  auto c = [&](int64_t v) {
    return createFloatConstant(b, loc, f32, static_cast<double>(v));
  };
  Value wide = arith::SIToFPOp::create(b, loc, f32, acc);
  Value scaled = arith::MulFOp::create(b, loc, wide, m);
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  Value shifted = arith::AddFOp::create(b, loc, rounded, c(zeroPoint));
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, shifted, c(lo)), c(hi));
  // The clamped value fits the storage type read as unsigned when lo >= 0
  // (e.g. u8 up to 255) and as signed otherwise; the other conversion would
  // be poison on part of the range.
  if (lo >= 0)
    return arith::FPToUIOp::create(b, loc, storageType, clamped);
  return arith::FPToSIOp::create(b, loc, storageType, clamped);
}

/// Emits TOSA's apply_scale of `acc` with the Q31 multiplier `m` and shift
/// `shift` (i64), then adds the zero point and clamps.
static Value emitFixedPointRequantize(OpBuilder &b, Location loc, Value acc,
                                      Value m, Value shift, bool doubleRound,
                                      int64_t zeroPoint, int64_t lo, int64_t hi,
                                      Type storageType) {
  Type i64 = b.getI64Type();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i64, v);
  };
  Value wide = arith::ExtSIOp::create(b, loc, i64, acc);
  Value round = arith::ShLIOp::create(
      b, loc, c(1), arith::SubIOp::create(b, loc, shift, c(1)));
  if (doubleRound) {
    Value beyond =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, shift, c(31));
    Value nonNegative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, wide, c(0));
    Value adjust = arith::SelectOp::create(
        b, loc, nonNegative, c(int64_t(1) << 30), c(-(int64_t(1) << 30)));
    round = arith::AddIOp::create(
        b, loc, round, arith::SelectOp::create(b, loc, beyond, adjust, c(0)));
  }
  Value product = arith::MulIOp::create(b, loc, wide, m);
  Value scaled = arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, product, round), shift);
  Value shifted = arith::AddIOp::create(b, loc, scaled, c(zeroPoint));
  return createClampToStorage(b, loc, shifted, lo, hi, storageType);
}

namespace {
/// Lowers `qnn.requantize` to one element-wise generic; the per-channel
/// multipliers (and fixed-point shifts) are constant tensors read along the
/// axis.
struct RequantizeOpLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<quant::UniformQuantizedType>(op.getOutputType());
    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    Type storageType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    RequantizeMode mode = op.getMode();
    bool isFloat = mode == RequantizeMode::floating_point;
    std::pair<int64_t, int64_t> bounds = op.getClampBounds();
    int64_t lo = bounds.first, hi = bounds.second;

    SmallVector<float> multipliers;
    SmallVector<int64_t> fixedMultipliers, shifts;
    for (double scale : op.getInputScales()) {
      float m = numerics::requantizeMultiplier(scale, type.getScale());
      multipliers.push_back(m);
      numerics::FixedPointMultiplier fixed =
          numerics::getFixedPointMultiplier(m);
      fixedMultipliers.push_back(fixed.multiplier);
      shifts.push_back(fixed.shift);
    }
    std::optional<int64_t> axis = op.getAxis();
    auto channelType = [&](Type elementType) {
      if (!axis)
        return RankedTensorType::get({}, elementType);
      return RankedTensorType::get({static_cast<int64_t>(multipliers.size())},
                                   elementType);
    };
    SmallVector<Value> inputs{adaptor.getInput()};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    auto addChannelConstant = [&](DenseElementsAttr values) {
      inputs.push_back(arith::ConstantOp::create(rewriter, loc, values));
      maps.push_back(getGroupMap(rewriter.getContext(), rank, axis));
    };
    if (isFloat) {
      addChannelConstant(DenseElementsAttr::get(
          channelType(rewriter.getF32Type()), ArrayRef<float>(multipliers)));
    } else {
      Type i64 = rewriter.getI64Type();
      addChannelConstant(DenseElementsAttr::get(
          channelType(i64), ArrayRef<int64_t>(fixedMultipliers)));
      addChannelConstant(
          DenseElementsAttr::get(channelType(i64), ArrayRef<int64_t>(shifts)));
    }
    int64_t zeroPoint = type.getZeroPoint();
    Value result = buildElementwise(
        rewriter, loc, inputs, maps, storageType,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          if (isFloat)
            return emitFloatRequantize(b, l, args[0], args[1], zeroPoint, lo,
                                       hi, storageType);
          return emitFixedPointRequantize(
              b, l, args[0], args[1], args[2],
              mode == RequantizeMode::fixed_point_double, zeroPoint, lo, hi,
              storageType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void qnn::populateRequantizeOpLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<RequantizeOpLowering>(patterns.getContext());
}
