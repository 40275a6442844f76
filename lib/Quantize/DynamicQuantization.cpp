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
// with the scale and zero point computed at run time. The u8 codes are
// written sign-flipped (x_q - 128, zero point z_x - 128) for the signed
// linalg.quantized_matmul of the contract.
//
//===----------------------------------------------------------------------===//

#include "QuantizedOperands.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Dialect/QNN/Utils/ContractionInit.h"
#include "qnn/Quantize/Passes.h"
#include "qnn/Utils/LinalgBuilders.h"

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
/// A float matmul with stored int8 weights, checked before anything is
/// built.
struct DynamicMatmul {
  Value input;
  /// Signed weight codes (K x N) and their zero point.
  DenseElementsAttr weights;
  int64_t weightZero = 0;
  /// Per output channel: the weight scales as f32 and the float bias.
  SmallVector<float> scales;
  SmallVector<float> bias;
};
} // namespace

/// Matches a plain f32 matmul of float activations and stored weight codes
/// (per tensor or per output channel) from zeros or a float bias.
static FailureOr<DynamicMatmul> matchDynamicMatmul(linalg::MatmulOp op,
                                                   PatternRewriter &rewriter) {
  if (!op.hasPureTensorSemantics() ||
      op.getIndexingMapsArray() !=
          linalg::MatmulOp::getDefaultIndexingMaps(op.getContext()))
    return rewriter.notifyMatchFailure(op, "not a plain matmul");
  DynamicMatmul m;
  m.input = op.getDpsInputOperand(0)->get();
  if (!cast<RankedTensorType>(m.input.getType()).getElementType().isF32() ||
      m.input.getDefiningOp<quant::DequantizeCastOp>())
    return rewriter.notifyMatchFailure(op, "input is not plain f32");
  std::optional<ConstantWeights> weights =
      matchConstantWeights(op.getDpsInputOperand(1)->get());
  if (!weights || !weights->isQuantized())
    return rewriter.notifyMatchFailure(op, "weights are not stored codes");
  int64_t channels = weights->values.getType().getDimSize(1);
  int64_t zeroPoint = 0;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights->type)) {
    m.scales.assign(channels, static_cast<float>(perTensor.getScale()));
    zeroPoint = perTensor.getZeroPoint();
  } else {
    auto perAxis = cast<quant::UniformQuantizedPerAxisType>(weights->type);
    ArrayRef<int64_t> zps = perAxis.getZeroPoints();
    if (perAxis.getQuantizedDimension() != 1 ||
        llvm::any_of(zps, [&](int64_t z) { return z != zps[0]; }))
      return rewriter.notifyMatchFailure(op, "weights not per output "
                                             "channel");
    for (double scale : perAxis.getScales())
      m.scales.push_back(static_cast<float>(scale));
    zeroPoint = zps[0];
  }
  bool isSigned = weights->type.isSigned();
  unsigned width = weights->type.getStorageTypeIntegralWidth();
  m.weightZero = isSigned ? zeroPoint : zeroPoint - (int64_t(1) << (width - 1));
  m.weights = getSignedCodes(weights->values, isSigned, /*transposed=*/false);
  m.bias.assign(channels, 0.0f);
  FailureOr<std::optional<ConstantBias>> bias =
      matchContractionInit(op.getDpsInitOperand(0)->get());
  if (failed(bias))
    return rewriter.notifyMatchFailure(op, "unknown initial value");
  if (*bias) {
    if ((*bias)->channelDim != 1 || !(*bias)->values.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "unknown bias");
    m.bias = llvm::to_vector((*bias)->values.getValues<float>());
  }
  return m;
}

/// x_q = clamp(round(x * inv) + z_x, 0, 255) - 128: the u8 codes of torch's
/// dynamic quantization, as the signed codes the contraction reads.
static Value buildSignedCodes(OpBuilder &b, Location loc, Value x,
                              Value inverse, Value zeroPoint) {
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  Value zeroPointF = arith::SIToFPOp::create(b, loc, f32, zeroPoint);
  return buildElementwise(
      b, loc, x, {}, i8, [&](OpBuilder &nb, Location l, ValueRange args) {
        auto constant = [&](float v) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
        };
        Value p = arith::MulFOp::create(nb, l, args[0], inverse);
        Value r = arith::AddFOp::create(
            nb, l, math::RoundEvenOp::create(nb, l, p), zeroPointF);
        Value c = arith::MinimumFOp::create(
            nb, l, arith::MaximumFOp::create(nb, l, r, constant(0.0f)),
            constant(255.0f));
        Value shifted = arith::SubFOp::create(nb, l, c, constant(128.0f));
        return arith::FPToSIOp::create(nb, l, i8, shifted).getResult();
      });
}

/// y = fl32(acc) * fl32(s_x * s_w) + b, per output channel.
static Value buildDequantizedOutput(OpBuilder &b, Location loc,
                                    const DynamicMatmul &m, Value acc,
                                    Value scale, Type outType) {
  Type f32 = b.getF32Type();
  auto channelType =
      RankedTensorType::get({static_cast<int64_t>(m.scales.size())}, f32);
  Value scales = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(channelType, ArrayRef<float>(m.scales)));
  Value bias = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(channelType, ArrayRef<float>(m.bias)));
  AffineMap column =
      AffineMap::get(2, 0, {b.getAffineDimExpr(1)}, b.getContext());
  AffineMap identity = b.getMultiDimIdentityMap(2);
  return buildElementwise(
      b, loc, {acc, scales, bias}, {identity, column, column},
      cast<ShapedType>(outType).getElementType(),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value multiplier = arith::MulFOp::create(nb, l, scale, args[1]);
        Value product = arith::MulFOp::create(
            nb, l, arith::SIToFPOp::create(nb, l, f32, args[0]), multiplier);
        return arith::AddFOp::create(nb, l, product, args[2]).getResult();
      });
}

/// Replaces `op` by the run-time quantization of its activations, the
/// integer matmul and the float output.
static void buildDynamicMatmul(linalg::MatmulOp op, const DynamicMatmul &m,
                               PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Type i32 = rewriter.getI32Type();
  auto [scale, zeroPoint] = emitChooseQParams(
      rewriter, loc, reduceAll(rewriter, loc, m.input, /*min=*/true),
      reduceAll(rewriter, loc, m.input, /*min=*/false));
  Value one =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(1.0f));
  Value inverse = arith::DivFOp::create(rewriter, loc, one, scale);
  Value codes = buildSignedCodes(rewriter, loc, m.input, inverse, zeroPoint);
  Value signedZero = arith::SubIOp::create(
      rewriter, loc, zeroPoint,
      arith::ConstantIntOp::create(rewriter, loc, i32, 128));

  // acc = sum_k (x_q - z_x) * (w_q - z_w), i32.
  Value init = op.getDpsInitOperand(0)->get();
  Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, init), i32);
  Value accInit =
      linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  Value weights = arith::ConstantOp::create(rewriter, loc, m.weights);
  Value weightZero =
      arith::ConstantIntOp::create(rewriter, loc, i32, m.weightZero);
  Value acc = linalg::QuantizedMatmulOp::create(
                  rewriter, loc, TypeRange{accInit.getType()},
                  ValueRange{codes, weights, signedZero, weightZero},
                  ValueRange{accInit})
                  .getResult(0);
  rewriter.replaceOp(op, buildDequantizedOutput(rewriter, loc, m, acc, scale,
                                                op.getResult(0).getType()));
}

namespace {
/// matmul(x, dcast(scast(W))) + b with float x -> dynamic quantization.
struct RewriteDynamicMatmul : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<DynamicMatmul> m = matchDynamicMatmul(op, rewriter);
    if (failed(m))
      return failure();
    buildDynamicMatmul(op, *m, rewriter);
    return success();
  }
};
} // namespace

void qnn::populateDynamicQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteDynamicMatmul>(patterns.getContext());
}
