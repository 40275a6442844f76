//===- DequantizeReshapes.cpp - Dequantization after reshapes -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Exporters reshape dequantized values (the flatten before a classifier,
// the head split of attention): reshape(dcast(q)) -> dcast(reshape(q)) for
// a per-tensor type, where both compute the same values, so that the
// contraction after the reshape reads a dequantization.
//
//===----------------------------------------------------------------------===//

#include "RewritePatterns.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// A reshape of `dcast(q)` with a per-tensor type becomes the dcast of the
/// same reshape of q.
template <typename ReshapeOp>
struct DequantizeAfterReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto dcast = op.getSrc().template getDefiningOp<quant::DequantizeCastOp>();
    auto type = dcast ? dyn_cast<quant::UniformQuantizedType>(
                            getElementTypeOrSelf(dcast.getInput().getType()))
                      : quant::UniformQuantizedType();
    if (!type)
      return rewriter.notifyMatchFailure(op, "not a per-tensor dequantization");
    auto resultType = cast<RankedTensorType>(op.getType());
    Value reshaped;
    if constexpr (std::is_same_v<ReshapeOp, tensor::ExpandShapeOp>)
      reshaped = tensor::ExpandShapeOp::create(
          rewriter, op.getLoc(), resultType.clone(type), dcast.getInput(),
          op.getReassociationIndices(), op.getMixedOutputShape());
    else
      reshaped = tensor::CollapseShapeOp::create(
          rewriter, op.getLoc(), resultType.clone(type), dcast.getInput(),
          op.getReassociationIndices());
    rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(op, resultType,
                                                         reshaped);
    return success();
  }
};
} // namespace

void qnn::populateDequantizeAfterReshapePatterns(RewritePatternSet &patterns) {
  patterns.add<DequantizeAfterReshape<tensor::CollapseShapeOp>,
               DequantizeAfterReshape<tensor::ExpandShapeOp>>(
      patterns.getContext());
}
