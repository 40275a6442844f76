//===- StoreWeights.cpp - Store constant weights in storage types ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Patterns that evaluate quantization of constant weights at compile time and
// keep the result in its storage type: integer codes behind `quant.scast` and
// `quant.dcast`, so that a module no longer carries float weights. Every
// rewrite is bit-identical to the float computation it replaces.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"
#include "qnn/Dialect/QNN/Utils/QuantParams.h"
#include "qnn/Utils/ConstantLimits.h"
#include "qnn/Utils/PatternDriver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNSTOREWEIGHTSPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// Returns `v` as a double (exactly, for every float type).
static double toDouble(APFloat v) {
  bool losesInfo = false;
  v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return v.convertToDouble();
}

/// Returns the elements of a dense float constant as doubles.
static SmallVector<double> getValues(DenseElementsAttr attr) {
  SmallVector<double> values;
  for (APFloat v : attr.getValues<APFloat>())
    values.push_back(toDouble(v));
  return values;
}

/// Replaces `op` by `dcast(scast(codes))` with the quantized type `type`.
static void replaceWithStored(PatternRewriter &rewriter, Operation *op,
                              quant::QuantizedType type,
                              DenseElementsAttr codes) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value stored = arith::ConstantOp::create(rewriter, loc, codes);
  Value quantized = quant::StorageCastOp::create(
      rewriter, loc, resultType.clone(type), stored);
  rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(op, resultType,
                                                       quantized);
}

/// Replaces `op` by `dcast(scast(codes))` with the quantized type `type`;
/// one code is a splat.
static void replaceWithStoredCodes(PatternRewriter &rewriter, Operation *op,
                                   quant::QuantizedType type,
                                   ArrayRef<int64_t> codes) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto storageType = cast<IntegerType>(type.getStorageType());
  SmallVector<APInt> ints;
  for (int64_t code : codes)
    ints.push_back(APInt(storageType.getWidth(), code, type.isSigned(),
                         /*implicitTrunc=*/true));
  replaceWithStored(
      rewriter, op, type,
      DenseElementsAttr::get(resultType.clone(storageType), ints));
}

/// replaceWithStoredCodes for 8-bit storage, from the codes' bytes.
static void replaceWithStoredBytes(PatternRewriter &rewriter, Operation *op,
                                   quant::QuantizedType type,
                                   ArrayRef<int8_t> codes) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(codes.data()),
                       codes.size());
  replaceWithStored(rewriter, op, type,
                    DenseElementsAttr::getFromRawBuffer(
                        resultType.clone(type.getStorageType()), bytes));
}

/// Whether a dequantization by `scale` (used as an f32, as quant.dcast does)
/// reproduces `scale` exactly and satisfies qnn's scale constraint (C3).
static bool isExactF32Scale(double scale) {
  auto sc = static_cast<float>(scale);
  return static_cast<double>(sc) == scale && sc > 0.0f && std::isfinite(sc) &&
         std::isfinite(1.0f / sc);
}

/// Builds a per-tensor or per-axis `i2` type whose scales are `alphas`.
static quant::QuantizedType getCodeType(MLIRContext *ctx, Type expressed,
                                        ArrayRef<double> alphas,
                                        std::optional<int64_t> axis) {
  auto storage = IntegerType::get(ctx, 2);
  unsigned flags = quant::QuantizationFlags::Signed;
  if (!axis)
    return quant::UniformQuantizedType::get(flags, storage, expressed,
                                            alphas.front(), 0, -2, 1);
  SmallVector<int64_t> zeroPoints(alphas.size(), 0);
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, expressed, alphas, zeroPoints, *axis, -2, 1);
}

/// Rounds `value` to `type` and back to a double.
static double roundTo(FloatType type, double value) {
  APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  rounded.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  return rounded.convertToDouble();
}

/// Rounds the scales `alphas` of binary or ternary codes to `elementType`;
/// a zero scale (a group without nonzero codes) becomes 1. Fails unless
/// every scale is an exact f32 scale.
static LogicalResult prepareCodeScales(MutableArrayRef<double> alphas,
                                       FloatType elementType) {
  for (double &alpha : alphas) {
    alpha = roundTo(elementType, alpha);
    if (alpha == 0.0)
      alpha = 1.0;
    if (!isExactF32Scale(alpha))
      return failure();
  }
  return success();
}

namespace {
/// qnn.fake_quant of a constant -> integer codes, scast, dcast.
struct StoreFakeQuantWeights : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    auto type = cast<quant::QuantizedType>(op.getQtype());
    auto shape = cast<ShapedType>(input.getType()).getShape();
    QuantParamsTable grid(type, shape);
    bool inF64 = input.getElementType().isF64();
    // A splat quantized per tensor is one code, however large the tensor.
    if (input.isSplat() && isa<quant::UniformQuantizedType>(type)) {
      double value = toDouble(input.getSplatValue<APFloat>());
      int64_t code =
          numerics::quantize(value, grid.at(0), op.getRounding(), inF64);
      replaceWithStoredCodes(rewriter, op, type, code);
      return success();
    }
    if (!isFoldableSize(input.getType()))
      return rewriter.notifyMatchFailure(op, "constant too large to fold");
    auto quantizeAt = [&](int64_t i, double v) {
      return numerics::quantize(v, grid.at(i), op.getRounding(), inF64);
    };
    // f32 weights to 8-bit codes, the common case, streamed into bytes: a
    // 100 MB weight then needs its 25 MB of codes and nothing else.
    if (input.getElementType().isF32() && !input.isSplat() &&
        type.getStorageTypeIntegralWidth() == 8) {
      SmallVector<int8_t> codes;
      codes.reserve(input.getNumElements());
      for (auto [i, v] : llvm::enumerate(input.getValues<float>()))
        codes.push_back(static_cast<int8_t>(quantizeAt(i, v)));
      replaceWithStoredBytes(rewriter, op, type, codes);
      return success();
    }
    SmallVector<int64_t> codes;
    for (auto [i, v] : llvm::enumerate(getValues(input)))
      codes.push_back(quantizeAt(i, v));
    replaceWithStoredCodes(rewriter, op, type, codes);
    return success();
  }
};

/// qnn.binarize of a constant -> {-1, +1} codes with alpha as the scale.
struct StoreBinaryWeights : OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BinarizeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    if (!isFoldableSize(input.getType()))
      return rewriter.notifyMatchFailure(op, "constant too large to fold");
    auto elementType = cast<FloatType>(input.getElementType());
    SmallVector<double> values = getValues(input);
    numerics::TensorView view{values, input.getType().getShape()};
    std::optional<int64_t> axis = op.getAxis();
    SmallVector<double> alphas{1.0};
    if (op.getScale() == ScaleMode::mean_abs)
      alphas = numerics::meanAbs(view, axis);
    // An all-zero group has alpha 0 with codes +1, which no quantized type
    // can carry: such weights stay a float operation.
    if (llvm::is_contained(alphas, 0.0) ||
        failed(prepareCodeScales(alphas, elementType)))
      return rewriter.notifyMatchFailure(op, "alpha is not an f32 scale");
    SmallVector<int64_t> codes;
    for (double v : values) {
      if (std::isnan(v))
        return rewriter.notifyMatchFailure(op, "NaN has no binary code");
      codes.push_back(v >= 0.0 ? 1 : -1);
    }
    replaceWithStoredCodes(rewriter, op,
                           getCodeType(getContext(), elementType, alphas, axis),
                           codes);
    return success();
  }
};

/// qnn.ternarize of a constant -> {-1, 0, +1} codes with alpha as the scale.
struct StoreTernaryWeights : OpRewritePattern<TernarizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TernarizeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    if (!isFoldableSize(input.getType()))
      return rewriter.notifyMatchFailure(op, "constant too large to fold");
    auto elementType = cast<FloatType>(input.getElementType());
    SmallVector<double> values = getValues(input);
    numerics::TensorView view{values, input.getType().getShape()};
    std::optional<int64_t> axis = op.getAxis();
    numerics::TernaryParams params = numerics::ternaryParams(
        view, op.getThreshold(),
        op.getThresholdRatio().value_or(TernarizeOp::kDefaultThresholdRatio),
        op.getScale(), axis);
    // A group without a kept element has only zero codes (scale 1).
    if (failed(prepareCodeScales(params.alphas, elementType)))
      return rewriter.notifyMatchFailure(op, "alpha is not an f32 scale");
    SmallVector<int64_t> codes;
    for (auto [i, v] : llvm::enumerate(values)) {
      if (std::isnan(v))
        return rewriter.notifyMatchFailure(op, "NaN has no ternary code");
      double delta =
          params.deltas[axis ? numerics::indexAlong(view.shape, *axis, i) : 0];
      codes.push_back(v > delta ? 1 : v < -delta ? -1 : 0);
    }
    replaceWithStoredCodes(
        rewriter, op,
        getCodeType(getContext(), elementType, params.alphas, axis), codes);
    return success();
  }
};

/// Folds an operation whose operands are all constants (masks, masking and
/// power-of-two quantization of constant weights).
template <typename OpTy>
struct FoldConstantOperands : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Attribute> operands;
    for (Value operand : op->getOperands()) {
      Attribute constant;
      matchPattern(operand, m_Constant(&constant));
      operands.push_back(constant);
    }
    SmallVector<OpFoldResult> folded;
    if (failed(op->fold(operands, folded)))
      return rewriter.notifyMatchFailure(op, "operands are not constant");
    if (auto value = dyn_cast<Value>(folded.front())) {
      rewriter.replaceOp(op, value);
      return success();
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(cast<Attribute>(folded.front())));
    return success();
  }
};
} // namespace

void qnn::populateFoldConstantMaskPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConstantOperands<PruneMaskOp>,
               FoldConstantOperands<ApplyMaskOp>>(patterns.getContext());
}

void qnn::populateStoreWeightsPatterns(RewritePatternSet &patterns) {
  patterns.add<StoreFakeQuantWeights, StoreBinaryWeights, StoreTernaryWeights,
               FoldConstantOperands<LogQuantOp>>(patterns.getContext());
  populateFoldConstantMaskPatterns(patterns);
}

namespace {
/// Stores constant weights in their storage types.
struct QNNStoreWeightsPass
    : qnn::impl::QNNStoreWeightsPassBase<QNNStoreWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateStoreWeightsPatterns(patterns);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
