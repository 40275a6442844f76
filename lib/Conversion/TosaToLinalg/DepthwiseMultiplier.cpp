//===- DepthwiseMultiplier.cpp - Depthwise without a multiplier -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// TOSA lowers every depthwise convolution to `depthwise_conv_2d_nhwc_hwcm`
// (a channel multiplier M, KH x KW x C x M filters, N x OH x OW x C x M
// outputs), then collapses C x M. With M = 1 that is the contract's
// `depthwise_conv_2d_nhwc_hwc`, which the kernels take: this rewrites it
// so, the unit dimension dropped from the filter and the initial value and
// restored on the result, where it cancels against TOSA's collapse.
//
//===----------------------------------------------------------------------===//

#include "LowerTosa.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;

/// The reassociation that merges the last two dimensions of a rank `rank`
/// shape.
static SmallVector<ReassociationIndices> mergeLastTwo(int64_t rank) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d + 2 < rank; ++d)
    groups.push_back({d});
  groups.push_back({rank - 2, rank - 1});
  return groups;
}

/// `value` without its trailing unit dimension: a fill of a fresh tensor is
/// rebuilt at the smaller shape, anything else collapsed.
static Value dropTrailingUnitDim(PatternRewriter &rewriter, Location loc,
                                 Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto smaller =
      RankedTensorType::get(type.getShape().drop_back(), type.getElementType());
  if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
    if (fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>() &&
        smaller.hasStaticShape()) {
      Value empty = tensor::EmptyOp::create(rewriter, loc, smaller.getShape(),
                                            smaller.getElementType());
      return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
          .getResult(0);
    }
  }
  return tensor::CollapseShapeOp::create(rewriter, loc, smaller, value,
                                         mergeLastTwo(type.getRank()));
}

namespace {
/// depthwise_conv_2d_nhwc_hwcm{_q} with M = 1 -> depthwise_conv_2d_nhwc_hwc
/// {_q} and an expand_shape of its result.
template <typename HwcmOp, typename HwcOp>
struct DropUnitMultiplier : OpRewritePattern<HwcmOp> {
  using OpRewritePattern<HwcmOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(HwcmOp op,
                                PatternRewriter &rewriter) const override {
    auto filterType =
        dyn_cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!filterType || !resultType || filterType.getDimSize(3) != 1 ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not a multiplier of 1 on "
                                             "static tensors");
    Location loc = op.getLoc();
    SmallVector<Value> inputs(op.getDpsInputs());
    inputs[1] = dropTrailingUnitDim(rewriter, loc, inputs[1]);
    Value init =
        dropTrailingUnitDim(rewriter, loc, op.getDpsInitOperand(0)->get());
    SmallVector<NamedAttribute> window = {
        rewriter.getNamedAttr("strides", op.getStrides()),
        rewriter.getNamedAttr("dilations", op.getDilations())};
    Value result = HwcOp::create(rewriter, loc, TypeRange{init.getType()},
                                 inputs, ValueRange{init}, window)
                       .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, result, mergeLastTwo(resultType.getRank()));
    return success();
  }
};
} // namespace

void qnn::populateDepthwiseMultiplierOnePatterns(RewritePatternSet &patterns) {
  patterns.add<DropUnitMultiplier<linalg::DepthwiseConv2DNhwcHwcmQOp,
                                  linalg::DepthwiseConv2DNhwcHwcQOp>,
               DropUnitMultiplier<linalg::DepthwiseConv2DNhwcHwcmOp,
                                  linalg::DepthwiseConv2DNhwcHwcOp>>(
      patterns.getContext());
  // The restored unit dimension cancels against TOSA's collapse.
  tensor::populateReassociativeReshapeFoldingPatterns(patterns);
}
