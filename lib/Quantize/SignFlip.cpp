//===- SignFlip.cpp - Sign flips folded into their producers --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The named integer contractions read signed codes, so u8 codes reach them
// through a sign flip (qnn/Utils/Contract.h). When the codes are produced
// for that contraction alone, by `qnn.requantize` or `quant.qcast` to a
// u8 type, the producer writes the signed codes itself: the same values on
// the i8 grid whose zero point and bounds are 128 lower. The flip is then
// gone, and so is its pass over the activations.
//
//===----------------------------------------------------------------------===//

#include "QuantizedOperands.h"
#include "RewritePatterns.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

/// Whether `type` is an 8-bit unsigned per-tensor type.
static bool isUnsigned8(quant::UniformQuantizedType type) {
  return type && !type.isSigned() && type.getStorageTypeIntegralWidth() == 8;
}

/// What a sign flip reads: the producer of the codes, through the storage
/// casts to and from the quantized type and an optional `tensor.pad` of the
/// codes, each value on the way read by the next op alone.
struct FlippedCodes {
  Operation *producer = nullptr;
  tensor::PadOp pad;
};

static FlippedCodes getFlippedCodes(Operation *flip) {
  Value source = getSignFlipSource(flip);
  if (!source || !source.hasOneUse())
    return {};
  FlippedCodes result;
  if (auto pad = source.getDefiningOp<tensor::PadOp>()) {
    APInt padding;
    if (!pad.getConstantPaddingValue() ||
        !matchPattern(pad.getConstantPaddingValue(), m_ConstantInt(&padding)) ||
        !pad.getSource().hasOneUse())
      return {};
    result.pad = pad;
    source = pad.getSource();
  }
  auto toCodes = source.getDefiningOp<quant::StorageCastOp>();
  if (!toCodes || !toCodes.getInput().hasOneUse())
    return {};
  Value quantized = toCodes.getInput();
  if (auto fromCodes = quantized.getDefiningOp<quant::StorageCastOp>()) {
    Value codes = fromCodes.getInput();
    if (codes.hasOneUse())
      result.producer = codes.getDefiningOp<RequantizeOp>();
    return result;
  }
  result.producer = quantized.getDefiningOp<quant::QuantizeCastOp>();
  return result;
}

/// Replaces `flip` by the signed `codes`, padded like the flipped codes
/// were (with the flipped padding value).
static void replaceFlip(PatternRewriter &rewriter, Operation *flip,
                        tensor::PadOp pad, Value codes) {
  if (pad) {
    Location loc = pad.getLoc();
    APInt value;
    (void)matchPattern(pad.getConstantPaddingValue(), m_ConstantInt(&value));
    Value padding = arith::ConstantIntOp::create(
        rewriter, loc, rewriter.getI8Type(),
        (value ^ APInt::getSignMask(8)).getSExtValue());
    codes = tensor::PadOp::create(rewriter, loc, pad.getResultType(), codes,
                                  pad.getMixedLowPad(), pad.getMixedHighPad(),
                                  padding, pad.getNofold());
  }
  rewriter.replaceOp(flip, codes);
}

namespace {
/// flip(codes(requantize(acc) to u8)) -> requantize(acc) to the i8 grid.
struct FoldSignFlipIntoRequantize : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    FlippedCodes flipped = getFlippedCodes(op);
    auto requantize = dyn_cast_or_null<RequantizeOp>(flipped.producer);
    if (!requantize)
      return rewriter.notifyMatchFailure(op, "not a flip of requantized "
                                             "codes");
    auto type = cast<quant::UniformQuantizedType>(requantize.getOutputType());
    if (!isUnsigned8(type))
      return rewriter.notifyMatchFailure(op, "codes are not u8");
    auto shift = [&](std::optional<int64_t> v) {
      return v ? rewriter.getI64IntegerAttr(*v - 128) : IntegerAttr();
    };
    Value codes = RequantizeOp::create(
        rewriter, requantize.getLoc(), requantize.getType(),
        requantize.getInput(), requantize.getInputScalesAttr(),
        requantize.getAxisAttr(), TypeAttr::get(flipSignedness(type)),
        requantize.getModeAttr(), shift(requantize.getClampMin()),
        shift(requantize.getClampMax()));
    replaceFlip(rewriter, op, flipped.pad, codes);
    return success();
  }
};

/// flip(codes(qcast(x) to u8)) -> codes(qcast(x) to the i8 grid).
struct FoldSignFlipIntoQuantize : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    FlippedCodes flipped = getFlippedCodes(op);
    auto qcast = dyn_cast_or_null<quant::QuantizeCastOp>(flipped.producer);
    if (!qcast)
      return rewriter.notifyMatchFailure(op, "not a flip of quantized codes");
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(qcast.getType()));
    auto resultType = dyn_cast<RankedTensorType>(qcast.getType());
    if (!isUnsigned8(type) || !resultType)
      return rewriter.notifyMatchFailure(op, "codes are not u8");
    Value quantized = quant::QuantizeCastOp::create(
        rewriter, qcast.getLoc(), resultType.clone(flipSignedness(type)),
        qcast.getInput());
    Value codes = quant::StorageCastOp::create(
        rewriter, qcast.getLoc(), resultType.clone(rewriter.getI8Type()),
        quantized);
    replaceFlip(rewriter, op, flipped.pad, codes);
    return success();
  }
};
} // namespace

void qnn::populateFoldSignFlipPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldSignFlipIntoRequantize, FoldSignFlipIntoQuantize>(
      patterns.getContext());
}
