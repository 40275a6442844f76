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
// contraction after the reshape reads a dequantization. A per-axis type
// follows its axis when the reshape only adds or drops unit dimensions
// beside it (the depthwise filter F x 1 x KH x KW read as F x KH x KW).
//
//===----------------------------------------------------------------------===//

#include "RewritePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::qnn;

/// The quantized dimension of `axis` after a reshape grouping the dimensions
/// of the larger shape `large` by `groups`: the group of `axis` (collapse),
/// or the one non-unit dimension of group `axis` (expand). None when the
/// axis shares its group with another non-unit dimension.
static std::optional<int32_t>
getReshapedAxis(int32_t axis, ArrayRef<ReassociationIndices> groups,
                ArrayRef<int64_t> large, bool isCollapse) {
  for (auto [index, group] : llvm::enumerate(groups)) {
    bool holdsAxis = isCollapse ? llvm::is_contained(group, axis)
                                : static_cast<int32_t>(index) == axis;
    if (!holdsAxis)
      continue;
    std::optional<int32_t> nonUnit;
    for (int64_t dim : group) {
      if (large[dim] == 1)
        continue;
      if (nonUnit)
        return std::nullopt;
      nonUnit = dim;
    }
    if (isCollapse)
      return (nonUnit && *nonUnit != axis) ? std::nullopt
                                           : std::optional<int32_t>(index);
    return nonUnit ? nonUnit : std::optional<int32_t>(group.front());
  }
  return std::nullopt;
}

/// The quantized type of `dcast`'s input after `op` reshapes it, or null.
template <typename ReshapeOp>
static quant::QuantizedType getReshapedType(ReshapeOp op,
                                            quant::DequantizeCastOp dcast) {
  Type element = getElementTypeOrSelf(dcast.getInput().getType());
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element))
    return perTensor;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!perAxis)
    return {};
  constexpr bool isCollapse =
      std::is_same_v<ReshapeOp, tensor::CollapseShapeOp>;
  ArrayRef<int64_t> large =
      isCollapse ? op.getSrcType().getShape() : op.getResultType().getShape();
  std::optional<int32_t> axis =
      getReshapedAxis(perAxis.getQuantizedDimension(),
                      op.getReassociationIndices(), large, isCollapse);
  if (!axis)
    return {};
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      perAxis.getScales(), perAxis.getZeroPoints(), *axis,
      perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
}

/// Stored codes (`quant.scast` of a constant) reshaped to `type`: the
/// storage cast of the reshaped constant, so that the contraction reading
/// them still finds stored codes. Null for any other value.
static Value reshapeStoredCodes(PatternRewriter &rewriter, Location loc,
                                Value quantized, RankedTensorType type) {
  auto scast = quantized.getDefiningOp<quant::StorageCastOp>();
  DenseElementsAttr codes;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&codes)))
    return {};
  auto storageType =
      cast<quant::QuantizedType>(type.getElementType()).getStorageType();
  Value constant = arith::ConstantOp::create(
      rewriter, loc, codes.reshape(type.clone(storageType)));
  return quant::StorageCastOp::create(rewriter, loc, type, constant);
}

namespace {
/// A reshape of `dcast(q)` becomes the dcast of the same reshape of q, for
/// a per-tensor type and for a per-axis type whose axis the reshape keeps.
template <typename ReshapeOp>
struct DequantizeAfterReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto dcast = op.getSrc().template getDefiningOp<quant::DequantizeCastOp>();
    quant::QuantizedType type =
        dcast ? getReshapedType(op, dcast) : quant::QuantizedType();
    if (!type)
      return rewriter.notifyMatchFailure(
          op, "not a dequantization whose parameters survive the reshape");
    auto resultType = cast<RankedTensorType>(op.getType());
    Value reshaped = reshapeStoredCodes(rewriter, op.getLoc(), dcast.getInput(),
                                        resultType.clone(type));
    if (!reshaped) {
      if constexpr (std::is_same_v<ReshapeOp, tensor::ExpandShapeOp>)
        reshaped = tensor::ExpandShapeOp::create(
            rewriter, op.getLoc(), resultType.clone(type), dcast.getInput(),
            op.getReassociationIndices(), op.getMixedOutputShape());
      else
        reshaped = tensor::CollapseShapeOp::create(
            rewriter, op.getLoc(), resultType.clone(type), dcast.getInput(),
            op.getReassociationIndices());
    }
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
