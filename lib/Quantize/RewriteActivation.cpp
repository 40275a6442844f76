//===- RewriteActivation.cpp - Quantized clamps on the codes --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Rewrites an activation that stands between quantizations of its own,
// qcast(act(dcast(x))), into a clamp of the codes. This is how PyTorch's
// quantized ReLU6 and hardtanh, and an ONNX Clip between Q/DQ pairs,
// reach MLIR when they are not fused into the convolution before them.
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"
#include "QuantizedOperands.h"
#include "RewritePatterns.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

/// When the activation's input comes straight from a `qnn.requantize`
/// that nothing else reads, the clamp is that requantization's, to the
/// output type: round(acc M) + z_in, saturated, then moved by z_out - z_in
/// and clamped is round(acc M) + z_out clamped to the intersection (the
/// multiplier only depends on the scale, which is the same).
static LogicalResult foldIntoRequantize(quant::QuantizeCastOp op,
                                        Value quantized,
                                        quant::UniformQuantizedType outType,
                                        int64_t lo, int64_t hi,
                                        PatternRewriter &rewriter) {
  auto storage = quantized.getDefiningOp<quant::StorageCastOp>();
  auto requantize =
      storage ? storage.getInput().getDefiningOp<RequantizeOp>() : nullptr;
  if (!requantize || !requantize->hasOneUse() || !quantized.hasOneUse() ||
      !(*quantized.user_begin())->hasOneUse())
    return failure();
  auto inType = cast<quant::UniformQuantizedType>(requantize.getOutputType());
  if (inType.getStorageTypeIntegralWidth() !=
      outType.getStorageTypeIntegralWidth())
    return failure();
  int64_t shift = outType.getZeroPoint() - inType.getZeroPoint();
  auto [inLo, inHi] = requantize.getClampBounds();
  lo = std::max(lo, inLo + shift);
  hi = std::min(hi, inHi + shift);
  if (lo > hi)
    return failure();
  auto fused = cast<RequantizeOp>(rewriter.clone(*requantize));
  rewriter.modifyOpInPlace(fused, [&] {
    fused.setOutputType(outType);
    fused.setClampMin(lo);
    fused.setClampMax(hi);
  });
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(),
                                                    fused.getOutput());
  return success();
}

namespace {
/// qcast(act(dcast(x))) with per-tensor types of one scale -> a clamp of
/// the codes of x, moved to the output's zero point:
///   y = clamp(x - z_x + z_y, q_y(lower), q_y(upper))
/// This is exact: with equal scales, q_y(dcast(x)) is x - z_x + z_y, and
/// quantization is monotonic, so it commutes with max and min.
struct RewriteQuantizedClamp : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    if (!outType || !isa<RankedTensorType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "not a per-tensor tensor qcast");
    ContractionEpilogue epilogue = peelContractionEpilogue(op.getInput());
    if (epilogue.bias || (!epilogue.act.lower && !epilogue.act.upper))
      return rewriter.notifyMatchFailure(op, "not an activation alone");
    Value quantized;
    quant::UniformQuantizedType inType =
        getDequantizedType(epilogue.contraction, quantized);
    if (!inType)
      return rewriter.notifyMatchFailure(op,
                                         "activation input not dequantized");
    if (inType.getScale() != outType.getScale())
      return rewriter.notifyMatchFailure(op, "scales differ");
    if (inType.getStorageTypeIntegralWidth() > 16 ||
        outType.getStorageTypeIntegralWidth() > 16)
      return rewriter.notifyMatchFailure(op, "storage wider than 16 bits");
    int64_t lo = outType.getStorageTypeMin();
    int64_t hi = outType.getStorageTypeMax();
    if (epilogue.act.lower)
      lo = std::max(lo, quantizeBound(*epilogue.act.lower, outType));
    if (epilogue.act.upper)
      hi = std::min(hi, quantizeBound(*epilogue.act.upper, outType));
    if (lo > hi)
      return rewriter.notifyMatchFailure(op, "empty activation range");

    if (succeeded(foldIntoRequantize(op, quantized, outType, lo, hi, rewriter)))
      return success();

    Location loc = op.getLoc();
    auto shaped = cast<RankedTensorType>(quantized.getType());
    Type inStorage =
        rewriter.getIntegerType(inType.getStorageTypeIntegralWidth());
    Type outStorage =
        rewriter.getIntegerType(outType.getStorageTypeIntegralWidth());
    Value codes = quant::StorageCastOp::create(
        rewriter, loc, shaped.clone(inStorage), quantized);
    Type i32 = rewriter.getI32Type();
    int64_t shift = outType.getZeroPoint() - inType.getZeroPoint();
    bool inSigned = inType.isSigned();
    Value result = buildElementwise(
        rewriter, loc, {codes}, {}, outStorage,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x =
              inSigned ? arith::ExtSIOp::create(b, l, i32, args[0]).getResult()
                       : arith::ExtUIOp::create(b, l, i32, args[0]).getResult();
          if (shift != 0)
            x = arith::AddIOp::create(
                b, l, x, arith::ConstantIntOp::create(b, l, i32, shift));
          return createClampToStorage(b, l, x, lo, hi, outStorage);
        });
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), result);
    return success();
  }
};
} // namespace

void qnn::populateRewriteActivationPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteQuantizedClamp>(patterns.getContext());
}
