//===- FoldBatchNorm.cpp - Fold per-channel affines into weights ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Batch normalization in inference is a per-channel affine
// `y * s + t` (s = gamma / sqrt(var + eps), t = beta - mean * s), which
// frontends emit as a linalg.generic after a convolution or matmul. With
// constant weights and bias it folds into them:
//   W'[.., c, ..] = W[.., c, ..] * s[c],   b'[c] = b[c] * s[c] + t[c]
// (f32 arithmetic, as torch.nn.utils.fusion.fuse_conv_bn_eval).
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Dialect/QNN/Utils/ContractionInit.h"
#include "qnn/Utils/PatternDriver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNFOLDBATCHNORMPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// Returns the f32 values of a 1-D dense constant.
static std::optional<SmallVector<float>> getF32Vector(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isF32() || attr.getType().getRank() != 1)
    return std::nullopt;
  return llvm::to_vector(attr.getValues<float>());
}

/// Matches a body `yield (in0 * in1) + in2` (either operand order) of a
/// generic with three inputs.
static bool isMultiplyAdd(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value product = add.getLhs(), shift = add.getRhs();
  if (!product.getDefiningOp<arith::MulFOp>())
    std::swap(product, shift);
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || shift != body.getArgument(2))
    return false;
  return (mul.getLhs() == body.getArgument(0) &&
          mul.getRhs() == body.getArgument(1)) ||
         (mul.getLhs() == body.getArgument(1) &&
          mul.getRhs() == body.getArgument(0));
}

namespace {
/// A per-channel affine `y * s + t` after a contraction with constant f32
/// weights: everything the fold needs, found before anything is built.
struct ChannelAffine {
  linalg::LinalgOp contraction;
  /// The output dimension of the channels, and the weight dimension that
  /// carries them.
  unsigned channelDim = 0;
  unsigned weightDim = 0;
  DenseElementsAttr weights;
  SmallVector<float> scale, shift, bias;
};
} // namespace

/// Matches the scale and shift of `op`, a per-channel `y * s + t`.
static LogicalResult matchScaleAndShift(linalg::GenericOp op,
                                        ChannelAffine &affine,
                                        PatternRewriter &rewriter) {
  if (op.getNumDpsInputs() != 3 || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || !isMultiplyAdd(op))
    return rewriter.notifyMatchFailure(op, "not a per-channel y * s + t");
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isIdentity() || maps[1] != maps[2] ||
      maps[1].getNumResults() != 1 || !isa<AffineDimExpr>(maps[1].getResult(0)))
    return rewriter.notifyMatchFailure(op, "scale and shift not per channel");
  affine.channelDim = cast<AffineDimExpr>(maps[1].getResult(0)).getPosition();
  std::optional<SmallVector<float>> scale = getF32Vector(op.getDpsInputs()[1]);
  std::optional<SmallVector<float>> shift = getF32Vector(op.getDpsInputs()[2]);
  if (!scale || !shift)
    return rewriter.notifyMatchFailure(op, "scale and shift not constant");
  affine.scale = std::move(*scale);
  affine.shift = std::move(*shift);
  return success();
}

/// Matches the contraction before `op`: constant f32 weights whose channel
/// count is the scale's, and zeros or a constant bias as initial value.
static LogicalResult matchContraction(linalg::GenericOp op,
                                      ChannelAffine &affine,
                                      PatternRewriter &rewriter) {
  Value y = op.getDpsInputs()[0];
  affine.contraction = y.getDefiningOp<linalg::LinalgOp>();
  if (!affine.contraction || !y.hasOneUse() ||
      !isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
           linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp>(
          affine.contraction.getOperation()))
    return rewriter.notifyMatchFailure(op, "not after a matmul or conv");
  std::optional<ConstantWeights> constant =
      matchConstantWeights(affine.contraction.getDpsInputOperand(1)->get());
  if (!constant || constant->isQuantized() ||
      !constant->values.getElementType().isF32())
    return rewriter.notifyMatchFailure(op, "weights are not constant f32");
  affine.weights = constant->values;
  SmallVector<AffineMap> maps = affine.contraction.getIndexingMapsArray();
  AffineExpr channelLoop = maps[2].getResult(affine.channelDim);
  std::optional<unsigned> weightDim = maps[1].getResultPosition(channelLoop);
  if (!weightDim)
    return rewriter.notifyMatchFailure(op, "channel not in the weights");
  affine.weightDim = *weightDim;
  auto channels = static_cast<int64_t>(affine.scale.size());
  if (affine.weights.getType().getDimSize(affine.weightDim) != channels)
    return rewriter.notifyMatchFailure(op, "channel count mismatch");
  affine.bias.assign(channels, 0.0f);
  FailureOr<std::optional<ConstantBias>> bias =
      matchContractionInit(affine.contraction.getDpsInitOperand(0)->get());
  if (failed(bias))
    return rewriter.notifyMatchFailure(op, "initial value is not a bias");
  if (!*bias)
    return success();
  if ((*bias)->channelDim != static_cast<int64_t>(affine.channelDim) ||
      !(*bias)->values.getElementType().isF32() ||
      (*bias)->values.getNumElements() != channels)
    return rewriter.notifyMatchFailure(op, "bias is not per channel");
  affine.bias = llvm::to_vector((*bias)->values.getValues<float>());
  return success();
}

/// Replaces `op` by the contraction with W' = W * s along the channel and
/// the bias b' = b * s + t, in f32.
static void buildFoldedContraction(linalg::GenericOp op,
                                   const ChannelAffine &affine,
                                   PatternRewriter &rewriter) {
  auto weightType = cast<RankedTensorType>(affine.weights.getType());
  ArrayRef<int64_t> shape = weightType.getShape();
  int64_t stride = 1;
  for (size_t d = affine.weightDim + 1; d < shape.size(); ++d)
    stride *= shape[d];
  SmallVector<float> folded;
  for (auto [i, w] : llvm::enumerate(affine.weights.getValues<float>()))
    folded.push_back(w * affine.scale[(i / stride) % shape[affine.weightDim]]);
  SmallVector<float> foldedBias;
  for (auto [b, s, t] : llvm::zip(affine.bias, affine.scale, affine.shift))
    foldedBias.push_back(b * s + t);

  Location loc = op.getLoc();
  Value newWeights = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(weightType, ArrayRef<float>(folded)));
  Value biasValues = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(foldedBias.size())},
                                rewriter.getF32Type()),
          ArrayRef<float>(foldedBias)));
  auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (d != static_cast<int64_t>(affine.channelDim))
      dims.push_back(d);
  linalg::LinalgOp contraction = affine.contraction;
  Value init = contraction.getDpsInitOperand(0)->get();
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, init),
      resultType.getElementType());
  Value newInit =
      linalg::BroadcastOp::create(rewriter, loc, biasValues, empty, dims)
          .getResult()[0];
  Operation *clone = rewriter.clone(*contraction.getOperation());
  rewriter.modifyOpInPlace(clone, [&] {
    clone->setOperand(1, newWeights);
    clone->setOperand(2, newInit);
  });
  rewriter.replaceOp(op, clone->getResult(0));
}

namespace {
/// affine(contraction(x, W) + b) -> contraction(x, W') + b'.
struct FoldChannelAffine : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    ChannelAffine affine;
    if (failed(matchScaleAndShift(op, affine, rewriter)) ||
        failed(matchContraction(op, affine, rewriter)))
      return failure();
    buildFoldedContraction(op, affine, rewriter);
    return success();
  }
};
} // namespace

void qnn::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldChannelAffine>(patterns.getContext());
}

namespace {
/// Folds inference batch normalization into constant weights.
struct QNNFoldBatchNormPass
    : qnn::impl::QNNFoldBatchNormPassBase<QNNFoldBatchNormPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
