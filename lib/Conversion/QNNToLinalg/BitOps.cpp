//===- BitOps.cpp - Lower bit packing and binary contractions -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// - qnn.bitpack: the row padded with +0.0 to whole words and split into
//   words of W elements, then a reduction over the bits of each word that
//   ors in the sign bits.
// - qnn.bitunpack: an element-wise generic that reads each element's word.
// - qnn.binary_matmul: accumulators filled with k, then a contraction that
//   subtracts 2 * popcount(a xor b) per word.
// - qnn.ternary_matmul: accumulators set to each channel's number of
//   nonzero weights (a constant for a constant mask), then a contraction
//   that subtracts 2 * popcount((a xor signs) and mask) per word.
// The CPU backend runs both contractions on its bit kernels
// (BinaryKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qnn;

/// A zero-filled tensor of `type`, its dynamic sizes those of `like`.
static Value buildZeros(OpBuilder &b, Location loc, RankedTensorType type,
                        Value like) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, like, d));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType(), sizes);
  Value zero = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(type.getElementType())));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// An empty M x N i32 tensor, its dynamic sizes those of `lhs` (rows) and
/// `rhs` (channels).
static Value buildEmptyProducts(OpBuilder &b, Location loc,
                                RankedTensorType type, Value lhs, Value rhs) {
  SmallVector<Value> sizes;
  if (type.isDynamicDim(0))
    sizes.push_back(tensor::DimOp::create(b, loc, lhs, 0));
  if (type.isDynamicDim(1))
    sizes.push_back(tensor::DimOp::create(b, loc, rhs, 0));
  return tensor::EmptyOp::create(b, loc, type.getShape(), b.getI32Type(),
                                 sizes);
}

/// The contraction both packed matmuls lower to: `init` minus
/// 2 * popcount(lhs xor signs [and mask]) per word, maps (m, w), (n, w)
/// [, (n, w)], (m, n).
static Value buildPopcountContraction(OpBuilder &b, Location loc,
                                      RankedTensorType type, Value lhs,
                                      Value signs, Value mask, Value init) {
  MLIRContext *ctx = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap weights = AffineMap::get(3, 0, {d(1), d(2)}, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                 weights};
  SmallVector<Value> inputs = {lhs, signs};
  if (mask) {
    inputs.push_back(mask);
    maps.push_back(weights);
  }
  maps.push_back(AffineMap::get(3, 0, {d(0), d(1)}, ctx));
  Type i32 = b.getI32Type();
  auto generic = linalg::GenericOp::create(
      b, loc, type, inputs, init, maps,
      {utils::IteratorType::parallel, utils::IteratorType::parallel,
       utils::IteratorType::reduction},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value bits = arith::XOrIOp::create(b, loc, args[0], args[1]);
        if (mask)
          bits = arith::AndIOp::create(b, loc, bits, args[2]);
        Value count = math::CtPopOp::create(b, loc, bits);
        if (count.getType() != i32)
          count = arith::TruncIOp::create(b, loc, i32, count);
        Value one = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(1));
        Value twice = arith::ShLIOp::create(b, loc, count, one);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::SubIOp::create(b, loc, args.back(), twice)});
      });
  return generic.getResult(0);
}

namespace {
struct BitpackOpLowering : OpConversionPattern<BitpackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitpackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    RankedTensorType inputType = op.getInput().getType();
    RankedTensorType wordsType = op.getOutput().getType();
    Type element = inputType.getElementType();
    auto word = cast<IntegerType>(wordsType.getElementType());
    int64_t width = word.getWidth(), rank = inputType.getRank();
    int64_t words = wordsType.getShape().back();
    // Pad the row with +0.0, which packs as a zero bit, to whole words.
    SmallVector<int64_t> shape(inputType.getShape());
    if (shape.back() != words * width) {
      Value zero = createFloatConstant(rewriter, loc, element, 0.0);
      SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> high = low;
      high.back() = rewriter.getIndexAttr(words * width - shape.back());
      shape.back() = words * width;
      input = tensor::PadOp::create(rewriter, loc,
                                    RankedTensorType::get(shape, element),
                                    input, low, high, zero);
    }
    // ... x words x W.
    shape.back() = words;
    shape.push_back(width);
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d + 1 < rank; ++d)
      groups.push_back({d});
    groups.push_back({rank - 1, rank});
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d + 1 < rank; ++d)
      sizes.push_back(
          inputType.isDynamicDim(d)
              ? OpFoldResult(tensor::DimOp::create(rewriter, loc, input, d))
              : OpFoldResult(rewriter.getIndexAttr(shape[d])));
    sizes.push_back(rewriter.getIndexAttr(words));
    sizes.push_back(rewriter.getIndexAttr(width));
    Value split = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, element), input, groups,
        sizes);
    Value init = buildZeros(rewriter, loc, wordsType, op.getInput());
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, wordsType, split, init,
        {identity, identity.dropResult(rank)}, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value bit = linalg::IndexOp::create(b, loc, rank);
          bit = arith::IndexCastOp::create(b, loc, word, bit);
          Value one =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(word, 1));
          Value zero =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(word, 0));
          Value floatZero = createFloatConstant(b, loc, element, 0.0);
          Value negative = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OLT, args[0], floatZero);
          Value mask = arith::ShLIOp::create(b, loc, one, bit);
          mask = arith::SelectOp::create(b, loc, negative, mask, zero);
          linalg::YieldOp::create(
              b, loc, ValueRange{arith::OrIOp::create(b, loc, args[1], mask)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct BitunpackOpLowering : OpConversionPattern<BitunpackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitunpackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type element = resultType.getElementType();
    auto word = cast<IntegerType>(op.getInput().getType().getElementType());
    int64_t width = word.getWidth(), rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    // Element (..., k) reads word (..., k floordiv W).
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap wordMap = identity.replace(
        getAffineDimExpr(rank - 1, ctx),
        getAffineDimExpr(rank - 1, ctx).floorDiv(width), rank, 0);
    Value init = tensor::EmptyOp::create(
        rewriter, loc, resultType.getShape(), element,
        tensor::createDynamicDimValues(rewriter, loc, adaptor.getInput()));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getInput(), init,
        {wordMap, identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value k = linalg::IndexOp::create(b, loc, rank - 1);
          k = arith::IndexCastOp::create(b, loc, word, k);
          Value bits =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(word, width));
          Value one =
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(word, 1));
          Value shift = arith::RemUIOp::create(b, loc, k, bits);
          Value bit = arith::ShRUIOp::create(b, loc, args[0], shift);
          bit = arith::AndIOp::create(b, loc, bit, one);
          Value set =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, bit, one);
          Value minusOne = createFloatConstant(b, loc, element, -1.0);
          Value plusOne = createFloatConstant(b, loc, element, 1.0);
          linalg::YieldOp::create(b, loc,
                                  ValueRange{arith::SelectOp::create(
                                      b, loc, set, minusOne, plusOne)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct BinaryMatmulOpLowering : OpConversionPattern<BinaryMatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BinaryMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    Value empty = buildEmptyProducts(rewriter, loc, resultType,
                                     adaptor.getLhs(), adaptor.getRhs());
    Value k = arith::ConstantOp::create(rewriter, loc,
                                        rewriter.getI32IntegerAttr(op.getK()));
    Value init = linalg::FillOp::create(rewriter, loc, k, empty).getResult(0);
    rewriter.replaceOp(op, buildPopcountContraction(
                               rewriter, loc, resultType, adaptor.getLhs(),
                               adaptor.getRhs(), Value(), init));
    return success();
  }
};

struct TernaryMatmulOpLowering : OpConversionPattern<TernaryMatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TernaryMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    Type i32 = rewriter.getI32Type();
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto maskType = cast<RankedTensorType>(op.getMask().getType());
    auto nonzeroType = RankedTensorType::get({maskType.getDimSize(0)}, i32);
    // The nonzero weights of each channel: a constant for a constant mask.
    Value nonzero;
    DenseIntElementsAttr mask;
    if (maskType.hasStaticShape() &&
        matchPattern(adaptor.getMask(), m_Constant(&mask))) {
      SmallVector<int32_t> counts(maskType.getDimSize(0), 0);
      int64_t words = maskType.getDimSize(1);
      for (auto [i, word] : llvm::enumerate(mask.getValues<APInt>()))
        counts[i / words] += word.popcount();
      nonzero = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(nonzeroType, ArrayRef<int32_t>(counts)));
    } else {
      Value zeros = buildZeros(rewriter, loc, nonzeroType, adaptor.getMask());
      nonzero =
          linalg::GenericOp::create(
              rewriter, loc, nonzeroType, adaptor.getMask(), zeros,
              {AffineMap::get(2, 0, {d(0), d(1)}, ctx),
               AffineMap::get(2, 0, {d(0)}, ctx)},
              {utils::IteratorType::parallel, utils::IteratorType::reduction},
              [&](OpBuilder &b, Location loc, ValueRange args) {
                Value count = math::CtPopOp::create(b, loc, args[0]);
                if (count.getType() != i32)
                  count = arith::TruncIOp::create(b, loc, i32, count);
                linalg::YieldOp::create(
                    b, loc,
                    ValueRange{arith::AddIOp::create(b, loc, args[1], count)});
              })
              .getResult(0);
    }
    Value empty = buildEmptyProducts(rewriter, loc, resultType,
                                     adaptor.getLhs(), adaptor.getMask());
    Value init = linalg::BroadcastOp::create(rewriter, loc, nonzero, empty,
                                             ArrayRef<int64_t>{0})
                     .getResult()[0];
    rewriter.replaceOp(op, buildPopcountContraction(
                               rewriter, loc, resultType, adaptor.getLhs(),
                               adaptor.getSigns(), adaptor.getMask(), init));
    return success();
  }
};
} // namespace

void qnn::populateBitOpLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<BitpackOpLowering, BitunpackOpLowering, BinaryMatmulOpLowering,
               TernaryMatmulOpLowering>(patterns.getContext());
}
