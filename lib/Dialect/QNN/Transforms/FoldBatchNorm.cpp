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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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
/// affine(contraction(x, W) + b) -> contraction(x, W') + b'.
struct FoldChannelAffine : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumDpsInputs() != 3 || op.getNumDpsInits() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() || !isMultiplyAdd(op))
      return rewriter.notifyMatchFailure(op, "not a per-channel y * s + t");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (!maps[0].isIdentity() || maps[1] != maps[2] ||
        maps[1].getNumResults() != 1 ||
        !isa<AffineDimExpr>(maps[1].getResult(0)))
      return rewriter.notifyMatchFailure(op, "scale and shift not per channel");
    unsigned channelDim =
        cast<AffineDimExpr>(maps[1].getResult(0)).getPosition();
    std::optional<SmallVector<float>> scale =
        getF32Vector(op.getDpsInputs()[1]);
    std::optional<SmallVector<float>> shift =
        getF32Vector(op.getDpsInputs()[2]);
    if (!scale || !shift)
      return rewriter.notifyMatchFailure(op, "scale and shift not constant");

    Value y = op.getDpsInputs()[0];
    auto contraction = y.getDefiningOp<linalg::LinalgOp>();
    if (!contraction || !y.hasOneUse() ||
        !isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp>(
            contraction.getOperation()))
      return rewriter.notifyMatchFailure(op, "not after a matmul or conv");
    std::optional<ConstantWeights> constant =
        matchConstantWeights(contraction.getDpsInputOperand(1)->get());
    if (!constant || constant->isQuantized() ||
        !constant->values.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "weights are not constant f32");
    DenseElementsAttr weights = constant->values;

    // The weight dimension that carries the output channel.
    SmallVector<AffineMap> contractionMaps = contraction.getIndexingMapsArray();
    AffineExpr channelLoop = contractionMaps[2].getResult(channelDim);
    std::optional<unsigned> weightDim =
        contractionMaps[1].getResultPosition(channelLoop);
    if (!weightDim)
      return rewriter.notifyMatchFailure(op, "channel not in the weights");

    // The bias: zeros, or a constant broadcast along the channel.
    Value init = contraction.getDpsInitOperand(0)->get();
    SmallVector<float> bias(scale->size(), 0.0f);
    FailureOr<std::optional<ConstantBias>> initBias =
        matchContractionInit(init);
    if (failed(initBias))
      return rewriter.notifyMatchFailure(op, "initial value is not a bias");
    if (*initBias) {
      if ((*initBias)->channelDim != static_cast<int64_t>(channelDim) ||
          !(*initBias)->values.getElementType().isF32() ||
          (*initBias)->values.getNumElements() !=
              static_cast<int64_t>(scale->size()))
        return rewriter.notifyMatchFailure(op, "bias is not per channel");
      bias = llvm::to_vector((*initBias)->values.getValues<float>());
    }

    // W' = W * s along the channel, b' = b * s + t, in f32.
    auto weightType = cast<RankedTensorType>(weights.getType());
    ArrayRef<int64_t> shape = weightType.getShape();
    if (shape[*weightDim] != static_cast<int64_t>(scale->size()))
      return rewriter.notifyMatchFailure(op, "channel count mismatch");
    int64_t stride = 1;
    for (size_t d = *weightDim + 1; d < shape.size(); ++d)
      stride *= shape[d];
    SmallVector<float> folded;
    for (auto [i, w] : llvm::enumerate(weights.getValues<float>()))
      folded.push_back(w * (*scale)[(i / stride) % shape[*weightDim]]);
    SmallVector<float> foldedBias;
    for (auto [b, s, t] : llvm::zip(bias, *scale, *shift))
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
      if (d != static_cast<int64_t>(channelDim))
        dims.push_back(d);
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
    return success();
  }
};
} // namespace

void qnn::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldChannelAffine>(patterns.getContext());
}

namespace {
/// Folds inference batch normalization into constant weights.
struct QNNFoldBatchNormPass : qnn::impl::QNNFoldBatchNormPassBase<QNNFoldBatchNormPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    // No folding: it would evaluate fake quantization of constant weights
    // to float constants, and fold upstream dcast(qcast(x)).
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
  }
};
} // namespace
