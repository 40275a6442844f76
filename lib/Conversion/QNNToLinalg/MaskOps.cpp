//===- MaskOps.cpp - Lower prune_mask, apply_mask and calibrate -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

/// Emits "element j comes before element i" in the order of the N:M and
/// structured selections: larger magnitude first, NaN above every number,
/// lower index first among equals. `a*` are magnitudes, `i`/`j` indices.
static Value emitComesBefore(OpBuilder &b, Location loc, Value ai, Value aj,
                             Value i, Value j) {
  Value nanI = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, ai, ai);
  Value nanJ = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, aj, aj);
  Value notNanI = arith::XOrIOp::create(
      b, loc, nanI, arith::ConstantIntOp::create(b, loc, 1, 1));
  Value larger =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, aj, ai);
  Value equal =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, aj, ai);
  Value bothNaN = arith::AndIOp::create(b, loc, nanI, nanJ);
  Value tie = arith::OrIOp::create(b, loc, equal, bothNaN);
  Value lowerIndex =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, j, i);
  Value nanFirst = arith::AndIOp::create(b, loc, nanJ, notNanI);
  Value tieFirst = arith::AndIOp::create(b, loc, tie, lowerIndex);
  return arith::OrIOp::create(b, loc, nanFirst,
                              arith::OrIOp::create(b, loc, larger, tieFirst));
}

/// Builds the i1 mask of a 2:4-style selection: for each element, counts the
/// elements of its group of `m` along `axis` that come before it and keeps
/// it when fewer than `n` do.
static Value buildNMMask(OpBuilder &b, Location loc, Value input, int64_t n,
                         int64_t m, int64_t axis) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();

  // Split `axis` into (groups, m).
  SmallVector<int64_t> expandedShape;
  SmallVector<OpFoldResult> outputShape;
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < rank; ++d) {
    if (d != axis) {
      reassociation.push_back({static_cast<int64_t>(expandedShape.size())});
      expandedShape.push_back(type.getDimSize(d));
      outputShape.push_back(tensor::getMixedSize(b, loc, input, d));
      continue;
    }
    int64_t first = expandedShape.size();
    reassociation.push_back({first, first + 1});
    if (type.isDynamicDim(d)) {
      Value dim = tensor::DimOp::create(b, loc, input, d);
      Value mValue = arith::ConstantIndexOp::create(b, loc, m);
      Value rem = arith::RemUIOp::create(b, loc, dim, mValue);
      Value divisible =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem,
                                arith::ConstantIndexOp::create(b, loc, 0));
      cf::AssertOp::create(b, loc, divisible,
                           "n_m: size along the axis is not a multiple of m");
      expandedShape.push_back(ShapedType::kDynamic);
      outputShape.push_back(
          arith::DivUIOp::create(b, loc, dim, mValue).getResult());
    } else {
      expandedShape.push_back(type.getDimSize(d) / m);
      outputShape.push_back(b.getIndexAttr(type.getDimSize(d) / m));
    }
    expandedShape.push_back(m);
    outputShape.push_back(b.getIndexAttr(m));
  }
  auto expandedType =
      RankedTensorType::get(expandedShape, type.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(b, loc, expandedType, input,
                                                 reassociation, outputShape);

  // Iterate over the expanded tensor and a reduction index j over the group.
  int64_t loops = rank + 2;
  int64_t within = axis + 1;
  AffineMap mapI =
      AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(rank + 1);
  SmallVector<AffineExpr> exprsJ(mapI.getResults());
  exprsJ[within] = getAffineDimExpr(rank + 1, ctx);
  AffineMap mapJ = AffineMap::get(loops, 0, exprsJ, ctx);
  Type i32 = b.getI32Type();
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, expanded), i32);
  Value zero = arith::ConstantIntOp::create(b, loc, i32, 0);
  Value counts0 = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  auto counting = linalg::GenericOp::create(
      b, loc, TypeRange{counts0.getType()}, ValueRange{expanded, expanded},
      ValueRange{counts0}, ArrayRef<AffineMap>{mapI, mapJ, mapI}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value ai = math::AbsFOp::create(nb, l, args[0]);
        Value aj = math::AbsFOp::create(nb, l, args[1]);
        Value i = linalg::IndexOp::create(nb, l, within);
        Value j = linalg::IndexOp::create(nb, l, rank + 1);
        Value before = emitComesBefore(nb, l, ai, aj, i, j);
        Value add = arith::AddIOp::create(
            nb, l, args[2], arith::ExtUIOp::create(nb, l, i32, before));
        linalg::YieldOp::create(nb, l, add);
      });
  Value keep =
      buildElementwise(b, loc, {counting.getResult(0)}, {}, b.getI1Type(),
                       [&](OpBuilder &nb, Location l, ValueRange args) {
                         return arith::CmpIOp::create(
                                    nb, l, arith::CmpIPredicate::ult, args[0],
                                    arith::ConstantIntOp::create(nb, l, i32, n))
                             .getResult();
                       });
  auto maskType = RankedTensorType::get(type.getShape(), b.getI1Type());
  return tensor::CollapseShapeOp::create(b, loc, maskType, keep, reassociation);
}

/// Builds the i1 mask of `ln_structured`: slice norms (f64), then each
/// slice's rank among them; the `size - k` first slices are kept.
static Value buildLnStructuredMask(OpBuilder &b, Location loc, Value input,
                                   Attribute amount, double norm,
                                   int64_t axis) {
  auto type = cast<RankedTensorType>(input.getType());
  Type f64 = b.getF64Type();
  Type i64 = b.getI64Type();
  bool isInf = std::isinf(norm);
  Value sums = buildGroupReduction(
      b, loc, {input}, {}, axis, b.getF64FloatAttr(0.0),
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value x = args[0];
        if (!x.getType().isF64())
          x = arith::ExtFOp::create(nb, l, f64, x);
        Value mag = math::AbsFOp::create(nb, l, x);
        if (isInf)
          return arith::MaximumFOp::create(nb, l, args[1], mag);
        Value term = mag;
        if (norm == 2.0)
          term = arith::MulFOp::create(nb, l, mag, mag);
        else if (norm != 1.0)
          term = math::PowFOp::create(nb, l, mag,
                                      createFloatConstant(nb, l, f64, norm));
        return arith::AddFOp::create(nb, l, args[1], term);
      });
  Value norms = sums;
  if (!isInf && norm != 1.0)
    norms = buildElementwise(
        b, loc, {sums}, {}, f64,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          if (norm == 2.0)
            return math::SqrtOp::create(nb, l, args[0]);
          return math::PowFOp::create(
              nb, l, args[0], createFloatConstant(nb, l, f64, 1.0 / norm));
        });

  // The number of slices to keep: size - k.
  Value size = arith::IndexCastUIOp::create(
      b, loc, i64, tensor::DimOp::create(b, loc, input, axis));
  Value pruned;
  if (auto count = dyn_cast<IntegerAttr>(amount)) {
    pruned = arith::ConstantIntOp::create(b, loc, i64, count.getInt());
  } else {
    double fraction = cast<FloatAttr>(amount).getValueAsDouble();
    if (!type.isDynamicDim(axis)) {
      pruned = arith::ConstantIntOp::create(
          b, loc, i64,
          numerics::pruneCount(std::nullopt, fraction, type.getDimSize(axis)));
    } else {
      // Python's round(fraction * size): half to even.
      Value product = arith::MulFOp::create(
          b, loc, createFloatConstant(b, loc, f64, fraction),
          arith::UIToFPOp::create(b, loc, f64, size));
      pruned = arith::FPToSIOp::create(
          b, loc, i64, math::RoundEvenOp::create(b, loc, product));
    }
  }
  Value keepCount = arith::SubIOp::create(b, loc, size, pruned);

  // rank(s) = number of slices t that come before s.
  MLIRContext *ctx = b.getContext();
  AffineMap mapS = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  AffineMap mapT = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, norms), i64);
  Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
  Value ranks0 = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  auto ranking = linalg::GenericOp::create(
      b, loc, TypeRange{ranks0.getType()}, ValueRange{norms, norms},
      ValueRange{ranks0}, ArrayRef<AffineMap>{mapS, mapT, mapS},
      {utils::IteratorType::parallel, utils::IteratorType::reduction},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value s = linalg::IndexOp::create(nb, l, 0);
        Value t = linalg::IndexOp::create(nb, l, 1);
        Value before = emitComesBefore(nb, l, args[0], args[1], s, t);
        Value add = arith::AddIOp::create(
            nb, l, args[2], arith::ExtUIOp::create(nb, l, i64, before));
        linalg::YieldOp::create(nb, l, add);
      });
  Value keepSlice = buildElementwise(
      b, loc, {ranking.getResult(0)}, {}, b.getI1Type(),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, args[0],
                                     keepCount)
            .getResult();
      });
  int64_t rank = type.getRank();
  return buildElementwise(
      b, loc, {input, keepSlice},
      {b.getMultiDimIdentityMap(rank), getGroupMap(ctx, rank, axis)},
      b.getI1Type(),
      [&](OpBuilder &, Location, ValueRange args) { return args[1]; });
}

namespace {
/// Lowers `qnn.prune_mask`. A constant input is evaluated at compile time
/// (with torch's exact tie order); otherwise the mask is computed at run
/// time. `l1_unstructured` on a non-constant input is rejected beforehand by
/// the pass (see `verifyLowerable`).
struct PruneMaskOpLowering : OpConversionPattern<PruneMaskOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PruneMaskOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Attribute constant;
    if (matchPattern(op.getInput(), m_Constant(&constant))) {
      SmallVector<OpFoldResult> folded;
      if (succeeded(op->fold(ArrayRef<Attribute>{constant}, folded))) {
        auto value = cast<TypedAttr>(cast<Attribute>(folded.front()));
        rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
        return success();
      }
    }
    Value input = adaptor.getInput();
    int64_t rank = op.getInput().getType().getRank();
    Value mask;
    switch (op.getMethod()) {
    case PruneMethod::magnitude: {
      double threshold = *op.getThreshold();
      mask = buildElementwise(
          rewriter, loc, {input}, {}, rewriter.getI1Type(),
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = args[0];
            if (!x.getType().isF64())
              x = arith::ExtFOp::create(b, l, b.getF64Type(), x);
            return arith::CmpFOp::create(
                       b, l, arith::CmpFPredicate::OGT,
                       math::AbsFOp::create(b, l, x),
                       createFloatConstant(b, l, b.getF64Type(), threshold))
                .getResult();
          });
      break;
    }
    case PruneMethod::n_m:
      mask = buildNMMask(rewriter, loc, input, *op.getN(), *op.getM(),
                         op.getAxis().value_or(rank - 1));
      break;
    case PruneMethod::ln_structured:
      mask = buildLnStructuredMask(rewriter, loc, input, op.getAmountAttr(),
                                   *op.getNorm(), *op.getAxis());
      break;
    case PruneMethod::l1_unstructured:
      return rewriter.notifyMatchFailure(
          op, "l1_unstructured needs a constant input");
    }
    rewriter.replaceOp(op, mask);
    return success();
  }
};

/// Lowers `qnn.apply_mask` to a select.
struct ApplyMaskOpLowering : OpConversionPattern<ApplyMaskOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ApplyMaskOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = getElementTypeOrSelf(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), {adaptor.getInput(), adaptor.getMask()}, {},
        elementType, [&](OpBuilder &b, Location l, ValueRange args) {
          Value zero = arith::ConstantOp::create(
              b, l, cast<TypedAttr>(b.getZeroAttr(elementType)));
          return arith::SelectOp::create(b, l, args[1], args[0], zero)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `qnn.calibrate` is an identity once compiled.
struct CalibrateOpLowering : OpConversionPattern<CalibrateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CalibrateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};
} // namespace

void qnn::populateMaskOpLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<PruneMaskOpLowering, ApplyMaskOpLowering, CalibrateOpLowering>(
      patterns.getContext());
}
