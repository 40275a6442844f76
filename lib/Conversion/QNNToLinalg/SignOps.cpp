//===- SignOps.cpp - Lower binarize and ternarize -------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Scales and thresholds are reduced at run time in f64, in row-major order,
// into one value per tensor or per index along the axis, exactly as the
// folders compute them (Numerics.h).
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qnn;

/// Widens `x` to f64 (a no-op for f64).
static Value toF64(OpBuilder &b, Location loc, Value x) {
  if (x.getType().isF64())
    return x;
  return arith::ExtFOp::create(b, loc, b.getF64Type(), x);
}

/// Returns `count == 0 ? 0 : sum / count` (f64).
static Value emitMean(OpBuilder &b, Location loc, Value sum, Value count) {
  Value zero = createFloatConstant(b, loc, b.getF64Type(), 0.0);
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, count, zero);
  Value mean = arith::DivFOp::create(b, loc, sum, count);
  return arith::SelectOp::create(b, loc, empty, zero, mean);
}

namespace {
/// A per-group value: a scalar for every element, or a tensor read through
/// the group map.
struct GroupValue {
  Value scalar;
  Value tensor;

  /// Adds the tensor (if any) to the inputs of a generic.
  void addTo(SmallVectorImpl<Value> &inputs, SmallVectorImpl<AffineMap> &maps,
             AffineMap groupMap) const {
    if (!tensor)
      return;
    inputs.push_back(tensor);
    maps.push_back(groupMap);
  }
  /// Returns the value inside the body; `args` is advanced past its
  /// argument.
  Value get(ValueRange &args) const {
    if (!tensor)
      return scalar;
    Value v = args.front();
    args = args.drop_front();
    return v;
  }
};
} // namespace

/// Sums `|x|` (f64) per group, optionally only over `|x| > delta`.
static Value reduceAbs(OpBuilder &b, Location loc, Value input,
                       std::optional<int64_t> axis, const GroupValue *delta,
                       bool countOnly) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps;
  AffineMap groupMap = getGroupMap(b.getContext(), rank, axis);
  if (delta)
    delta->addTo(inputs, maps, groupMap);
  return buildGroupReduction(
      b, loc, inputs, maps, axis, b.getF64FloatAttr(0.0),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value magnitude = math::AbsFOp::create(nb, l, toF64(nb, l, args[0]));
        Value term = countOnly
                         ? createFloatConstant(nb, l, nb.getF64Type(), 1.0)
                         : magnitude;
        ValueRange rest = args.drop_front().drop_back();
        if (delta) {
          Value kept = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT,
                                             magnitude, delta->get(rest));
          term = arith::SelectOp::create(
              nb, l, kept, term,
              createFloatConstant(nb, l, nb.getF64Type(), 0.0));
        }
        return arith::AddFOp::create(nb, l, args.back(), term).getResult();
      });
}

/// Maps per-group f64 sums (and counts) to per-group values with `fn`.
static Value mapGroups(OpBuilder &b, Location loc, ValueRange groups,
                       Type resultType, ScalarBodyFn fn) {
  return buildElementwise(b, loc, groups, {}, resultType, fn);
}

/// Returns the per-group `mean(|x|)` (f64): a rank-0 tensor or one value
/// per index along `axis`.
static Value buildMeanAbs(OpBuilder &b, Location loc, Value input,
                          std::optional<int64_t> axis) {
  Value sums = reduceAbs(b, loc, input, axis, nullptr, false);
  Value count = buildGroupSize(b, loc, input, axis);
  return mapGroups(b, loc, {sums}, b.getF64Type(),
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     return emitMean(nb, l, args[0], count);
                   });
}

/// Rounds per-group f64 values to the element type.
static Value roundGroups(OpBuilder &b, Location loc, Value groups,
                         Type elementType) {
  if (elementType.isF64())
    return groups;
  return mapGroups(
      b, loc, {groups}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return arith::TruncFOp::create(nb, l, elementType, args[0]).getResult();
      });
}

namespace {
/// Lowers `qnn.binarize`: an optional mean(|x|) reduction, then a select.
struct BinarizeOpLowering : OpConversionPattern<BinarizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BinarizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type elementType = getElementTypeOrSelf(input.getType());
    std::optional<int64_t> axis = op.getAxis();
    int64_t rank = op.getInput().getType().getRank();
    GroupValue alpha;
    if (op.getScale() == ScaleMode::mean_abs)
      alpha.tensor = roundGroups(
          rewriter, loc, buildMeanAbs(rewriter, loc, input, axis), elementType);
    else
      alpha.scalar = createFloatConstant(rewriter, loc, elementType, 1.0);
    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    alpha.addTo(inputs, maps, getGroupMap(rewriter.getContext(), rank, axis));
    Value result = buildElementwise(
        rewriter, loc, inputs, maps, elementType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0];
          ValueRange rest = args.drop_front();
          Value a = alpha.get(rest);
          Value zero = createFloatConstant(b, l, elementType, 0.0);
          // -0.0 >= 0 holds: zero of either sign maps to +alpha.
          Value nonNegative =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x, zero);
          Value value = arith::SelectOp::create(b, l, nonNegative, a,
                                                arith::NegFOp::create(b, l, a));
          Value isNaN =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
          return arith::SelectOp::create(b, l, isNaN, x, value).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers `qnn.ternarize`: the threshold (given, or ratio * mean(|x|)), the
/// TWN scale (mean of |x| over |x| > delta), then a select.
struct TernarizeOpLowering : OpConversionPattern<TernarizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TernarizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type elementType = getElementTypeOrSelf(input.getType());
    Type f64 = rewriter.getF64Type();
    std::optional<int64_t> axis = op.getAxis();
    int64_t rank = op.getInput().getType().getRank();
    AffineMap groupMap = getGroupMap(rewriter.getContext(), rank, axis);

    GroupValue delta;
    if (std::optional<double> threshold = op.getThreshold()) {
      delta.scalar = createFloatConstant(rewriter, loc, f64, *threshold);
    } else {
      double ratio =
          op.getThresholdRatio().value_or(TernarizeOp::kDefaultThresholdRatio);
      delta.tensor = mapGroups(
          rewriter, loc, {buildMeanAbs(rewriter, loc, input, axis)}, f64,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return arith::MulFOp::create(
                       b, l, createFloatConstant(b, l, f64, ratio), args[0])
                .getResult();
          });
    }

    GroupValue alpha;
    if (op.getScale() == ScaleMode::none)
      alpha.scalar = createFloatConstant(rewriter, loc, elementType, 1.0);
    if (op.getScale() == ScaleMode::mean_abs) {
      Value sums = reduceAbs(rewriter, loc, input, axis, &delta, false);
      Value counts = reduceAbs(rewriter, loc, input, axis, &delta, true);
      Value means = mapGroups(rewriter, loc, {sums, counts}, f64,
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                return emitMean(b, l, args[0], args[1]);
                              });
      alpha.tensor = roundGroups(rewriter, loc, means, elementType);
    }

    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    delta.addTo(inputs, maps, groupMap);
    alpha.addTo(inputs, maps, groupMap);
    Value result = buildElementwise(
        rewriter, loc, inputs, maps, elementType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0];
          ValueRange rest = args.drop_front();
          Value d = delta.get(rest);
          Value a = alpha.get(rest);
          Value wide = toF64(b, l, x);
          Value above =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, wide, d);
          Value below =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, wide,
                                    arith::NegFOp::create(b, l, d));
          Value zero = createFloatConstant(b, l, elementType, 0.0);
          Value value = arith::SelectOp::create(
              b, l, above, a,
              arith::SelectOp::create(b, l, below,
                                      arith::NegFOp::create(b, l, a), zero));
          Value isNaN =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
          return arith::SelectOp::create(b, l, isNaN, x, value).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void qnn::populateSignOpLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<BinarizeOpLowering, TernarizeOpLowering>(patterns.getContext());
}
