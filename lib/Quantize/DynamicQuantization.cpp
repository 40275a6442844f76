//===- DynamicQuantization.cpp - Quantize activations at run time ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Dynamic quantization, as torch.ao.quantization.quantize_dynamic with the
// qnnpack engine: a float matmul with int8 weights (dcast of stored codes)
// and float activations becomes
//   (s_x, z_x) = ChooseQuantizationParams(min(x), max(x), 0, 255)
//   x_q        = clamp(round(x * fl32(1 / s_x)) + z_x, 0, 255)       (u8)
//   acc        = sum_k (x_q - z_x) * (w_q - z_w)                      (i32)
//   y          = fl32(acc) * fl32(s_x * s_w) + b                      (f32)
// with the scale and zero point computed at run time.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ContractionInit.h"
#include "qnn/Quantize/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnn;

/// Reduces all of the f32 tensor `x` with `min` or max, from +-Inf.
static Value reduceAll(OpBuilder &b, Location loc, Value x, bool min) {
  Type f32 = b.getF32Type();
  float start = min ? std::numeric_limits<float>::infinity()
                    : -std::numeric_limits<float>::infinity();
  Value startValue =
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(start));
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, f32);
  Value init = linalg::FillOp::create(b, loc, startValue, empty).getResult(0);
  SmallVector<int64_t> dims;
  for (int64_t d = 0, e = cast<RankedTensorType>(x.getType()).getRank(); d < e;
       ++d)
    dims.push_back(d);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{x}, ValueRange{init}, dims,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value r =
            min ? arith::MinimumFOp::create(nb, l, args[0], args[1]).getResult()
                : arith::MaximumFOp::create(nb, l, args[0], args[1])
                      .getResult();
        linalg::YieldOp::create(nb, l, r);
      });
  return tensor::ExtractOp::create(b, loc, reduce.getResult(0), ValueRange{});
}

/// Emits torch's quant_utils::ChooseQuantizationParams(min, max, 0, 255)
/// (no sparsity preservation, no power-of-two scale, no reduce_range):
/// returns the f32 scale and the i32 zero point.
static std::pair<Value, Value> emitChooseQParams(OpBuilder &b, Location loc,
                                                 Value min, Value max) {
  Type f32 = b.getF32Type(), f64 = b.getF64Type(), i32 = b.getI32Type();
  auto c32 = [&](float v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  auto c64 = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  };
  auto cmp = [&](arith::CmpFPredicate p, Value x, Value y) -> Value {
    return arith::CmpFOp::create(b, loc, p, x, y);
  };
  auto sel = [&](Value c, Value x, Value y) -> Value {
    return arith::SelectOp::create(b, loc, c, x, y);
  };
  auto ext = [&](Value x) -> Value {
    return arith::ExtFOp::create(b, loc, f64, x);
  };
  const float threshold = 6.1e-5f; // SMALL_SCALE_THRESHOLD
  const double range = 255.0;

  // The range always contains zero.
  Value lo = arith::MinimumFOp::create(b, loc, min, c32(0.0f));
  Value hi = arith::MaximumFOp::create(b, loc, max, c32(0.0f));
  // double scale = (max - min) / (qmax - qmin); 0.1 if unusable.
  Value scale = arith::DivFOp::create(
      b, loc, arith::SubFOp::create(b, loc, ext(hi), ext(lo)), c64(range));
  Value scale32 = arith::TruncFOp::create(b, loc, f32, scale);
  Value reciprocal = arith::DivFOp::create(b, loc, c32(1.0f), scale32);
  Value unusable = arith::OrIOp::create(
      b, loc, cmp(arith::CmpFPredicate::OEQ, scale32, c32(0.0f)),
      cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, reciprocal),
          c32(std::numeric_limits<float>::infinity())));
  scale = sel(unusable, c64(0.1), scale);
  // Cut off small scales, widening the range accordingly (in f32).
  Value small = cmp(arith::CmpFPredicate::OLT, scale, c64(threshold));
  Value original = arith::TruncFOp::create(b, loc, f32, scale);
  Value amplifier = arith::DivFOp::create(b, loc, c32(threshold), original);
  Value loZero = cmp(arith::CmpFPredicate::OEQ, lo, c32(0.0f));
  Value hiZero = cmp(arith::CmpFPredicate::OEQ, hi, c32(0.0f));
  Value wideHi = c32(threshold * static_cast<float>(range));
  Value wideLo = c32(-threshold * static_cast<float>(range));
  Value loAmplified = arith::MulFOp::create(b, loc, lo, amplifier);
  Value hiAmplified = arith::MulFOp::create(b, loc, hi, amplifier);
  Value newLo = sel(loZero, lo, sel(hiZero, wideLo, loAmplified));
  Value newHi = sel(loZero, wideHi, sel(hiZero, hi, hiAmplified));
  lo = sel(small, newLo, lo);
  hi = sel(small, newHi, hi);
  scale = sel(small, c64(threshold), scale);
  // The zero point from the pair with the smaller error, nudged to [0, 255].
  Value loOverScale = arith::DivFOp::create(b, loc, ext(lo), scale);
  Value hiOverScale = arith::DivFOp::create(b, loc, ext(hi), scale);
  Value fromMin = arith::NegFOp::create(b, loc, loOverScale);
  Value fromMax = arith::SubFOp::create(b, loc, c64(range), hiOverScale);
  Value errorMin =
      arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, loOverScale));
  Value errorMax = arith::SubFOp::create(
      b, loc, c64(range), math::AbsFOp::create(b, loc, hiOverScale));
  Value initial =
      sel(cmp(arith::CmpFPredicate::OLT, errorMin, errorMax), fromMin, fromMax);
  Value nudged =
      sel(cmp(arith::CmpFPredicate::OLT, initial, c64(0.0)), c64(0.0),
          sel(cmp(arith::CmpFPredicate::OGT, initial, c64(range)), c64(range),
              math::RoundEvenOp::create(b, loc, initial)));
  return {arith::TruncFOp::create(b, loc, f32, scale),
          arith::FPToSIOp::create(b, loc, i32, nudged)};
}

namespace {
/// matmul(x, dcast(scast(W))) + b with float x -> dynamic quantization.
struct RewriteDynamicMatmul : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() !=
            linalg::MatmulOp::getDefaultIndexingMaps(getContext()))
      return rewriter.notifyMatchFailure(op, "not a plain matmul");
    Value x = op.getDpsInputOperand(0)->get();
    auto xType = cast<RankedTensorType>(x.getType());
    if (!xType.getElementType().isF32() ||
        x.getDefiningOp<quant::DequantizeCastOp>())
      return rewriter.notifyMatchFailure(op, "input is not plain f32");
    auto dcast = op.getDpsInputOperand(1)
                     ->get()
                     .getDefiningOp<quant::DequantizeCastOp>();
    auto scast = dcast ? dcast.getInput().getDefiningOp<quant::StorageCastOp>()
                       : quant::StorageCastOp();
    DenseElementsAttr codes;
    if (!scast || !matchPattern(scast.getInput(), m_Constant(&codes)))
      return rewriter.notifyMatchFailure(op, "weights are not stored codes");
    auto wType = getElementTypeOrSelf(scast.getType());
    int64_t channels = codes.getType().getDimSize(1);
    SmallVector<float> scales;
    int64_t wZero = 0;
    if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(wType)) {
      scales.assign(channels, static_cast<float>(perTensor.getScale()));
      wZero = perTensor.getZeroPoint();
    } else if (auto perAxis =
                   dyn_cast<quant::UniformQuantizedPerAxisType>(wType)) {
      ArrayRef<int64_t> zps = perAxis.getZeroPoints();
      if (perAxis.getQuantizedDimension() != 1 ||
          llvm::any_of(zps, [&](int64_t z) { return z != zps[0]; }))
        return rewriter.notifyMatchFailure(op, "weights not per output "
                                               "channel");
      for (double s : perAxis.getScales())
        scales.push_back(static_cast<float>(s));
      wZero = zps[0];
    } else {
      return rewriter.notifyMatchFailure(op, "unsupported weight type");
    }
    bool wSigned = cast<quant::QuantizedType>(wType).isSigned();
    SmallVector<float> bias(channels, 0.0f);
    Value init = op.getDpsInitOperand(0)->get();
    FailureOr<std::optional<ConstantBias>> initBias =
        matchContractionInit(init);
    if (failed(initBias))
      return rewriter.notifyMatchFailure(op, "unknown initial value");
    if (*initBias) {
      if ((*initBias)->channelDim != 1 ||
          !(*initBias)->values.getElementType().isF32())
        return rewriter.notifyMatchFailure(op, "unknown bias");
      bias = llvm::to_vector((*initBias)->values.getValues<float>());
    }

    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type(),
         i8 = rewriter.getI8Type();
    auto [scaleValue, zeroPointValue] = emitChooseQParams(
        rewriter, loc, reduceAll(rewriter, loc, x, /*min=*/true),
        reduceAll(rewriter, loc, x, /*min=*/false));
    Value scale = scaleValue, zeroPoint = zeroPointValue;
    Value inverse = arith::DivFOp::create(
        rewriter, loc,
        arith::ConstantOp::create(rewriter, loc,
                                  rewriter.getF32FloatAttr(1.0f)),
        scale);
    Value zeroPointF = arith::SIToFPOp::create(rewriter, loc, f32, zeroPoint);

    // x_q = clamp(round(x * inv) + z_x, 0, 255), as u8 codes.
    int64_t rank = xType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value codesInit = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, x), i8);
    Value xq =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{codesInit.getType()}, ValueRange{x},
            ValueRange{codesInit}, ArrayRef<AffineMap>{identity, identity},
            parallel,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value p = arith::MulFOp::create(b, l, args[0], inverse);
              Value r = arith::AddFOp::create(
                  b, l, math::RoundEvenOp::create(b, l, p), zeroPointF);
              Value c = arith::MinimumFOp::create(
                  b, l,
                  arith::MaximumFOp::create(
                      b, l, r,
                      arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f))),
                  arith::ConstantOp::create(b, l, b.getF32FloatAttr(255.0f)));
              linalg::YieldOp::create(
                  b, l, arith::FPToUIOp::create(b, l, i8, c).getResult());
            })
            .getResult(0);

    // acc = sum_k (x_q - z_x) * (w_q - z_w), i32.
    auto outType = cast<RankedTensorType>(op.getResult(0).getType());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, init);
    Value zeroI32 = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
    Value accEmpty = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
    Value accInit =
        linalg::FillOp::create(rewriter, loc, zeroI32, accEmpty).getResult(0);
    Value wCodes = arith::ConstantOp::create(rewriter, loc, codes);
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accInit.getType()}, ValueRange{xq, wCodes},
            ValueRange{accInit}, op.getIndexingMapsArray(),
            op.getIteratorTypesArray(),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value xv = arith::SubIOp::create(
                  b, l, arith::ExtUIOp::create(b, l, i32, args[0]), zeroPoint);
              Value wv =
                  wSigned
                      ? arith::ExtSIOp::create(b, l, i32, args[1]).getResult()
                      : arith::ExtUIOp::create(b, l, i32, args[1]).getResult();
              if (wZero != 0)
                wv = arith::SubIOp::create(
                    b, l, wv, arith::ConstantIntOp::create(b, l, i32, wZero));
              Value product = arith::MulIOp::create(b, l, xv, wv);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddIOp::create(b, l, args[2], product).getResult());
            })
            .getResult(0);

    // y = fl32(acc) * fl32(s_x * s_w) + b.
    auto channelType = RankedTensorType::get({channels}, f32);
    Value scalesConst = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(channelType, ArrayRef<float>(scales)));
    Value biasConst = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(channelType, ArrayRef<float>(bias)));
    AffineMap outId = rewriter.getMultiDimIdentityMap(2);
    AffineMap column =
        AffineMap::get(2, 0, {rewriter.getAffineDimExpr(1)}, getContext());
    Value yInit = tensor::EmptyOp::create(rewriter, loc, sizes, f32);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{outType},
            ValueRange{acc, scalesConst, biasConst}, ValueRange{yInit},
            ArrayRef<AffineMap>{outId, column, column, outId},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value multiplier = arith::MulFOp::create(b, l, scale, args[1]);
              Value product = arith::MulFOp::create(
                  b, l, arith::SIToFPOp::create(b, l, f32, args[0]),
                  multiplier);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, product, args[2]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};
} // namespace

void qnn::populateDynamicQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteDynamicMatmul>(patterns.getContext());
}
