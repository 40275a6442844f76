//===- RewritePooling.cpp - Quantized pooling on the codes ----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Rewrites max pooling between a dequantize and a quantize of one type into
// max pooling of the codes, and qcast(sum_pool(pad(dcast(x), 0.0)) / d)
// into an i32 sum pool of the zero-point-corrected codes and PyTorch's
// requantization of the sum (avg_pool2d on quantized tensors, aten's
// reference kernel).
//
//===----------------------------------------------------------------------===//

#include "QuantizedOperands.h"
#include "RewritePatterns.h"
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

using namespace mlir;
using namespace mlir::qnn;

/// The value of a float constant, scalar or splat.
static std::optional<double> getFloatConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto scalar = dyn_cast<FloatAttr>(attr))
    return scalar.getValueAsDouble();
  auto dense = dyn_cast<DenseFPElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return std::nullopt;
  return dense.getSplatValue<APFloat>().convertToDouble();
}

/// Matches `value = dividend / d` with a constant d, element-wise: an
/// `arith.divf` on tensors or a `linalg.generic` whose body divides its
/// only input by a scalar constant (the form frontends emit). Returns d.
static std::optional<double> matchDivision(Value value, Value &dividend) {
  if (auto div = value.getDefiningOp<arith::DivFOp>()) {
    if (!isa<RankedTensorType>(div.getType()))
      return std::nullopt;
    dividend = div.getLhs();
    return getFloatConstant(div.getRhs());
  }
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics() ||
      generic.getNumReductionLoops() != 0 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto div = yield.getValues()[0].getDefiningOp<arith::DivFOp>();
  if (!div || div->getBlock() != &body || body.getOperations().size() != 2 ||
      div.getLhs() != body.getArgument(0))
    return std::nullopt;
  dividend = generic.getDpsInputOperand(0)->get();
  return getFloatConstant(div.getRhs());
}

namespace {
/// A quantized average pool, found before anything is built.
struct AveragePool {
  linalg::LinalgOp pooling;
  tensor::PadOp pad;
  Value quantized;
  quant::UniformQuantizedType xType, yType;
  double divisor = 1.0;
};
} // namespace

/// Matches qcast(sum_pool(pad?(dcast(x), 0.0)) / d), a sum pool NHWC or
/// NCHW from 0.0, d a positive count.
static FailureOr<AveragePool> matchAveragePool(quant::QuantizeCastOp op,
                                               PatternRewriter &rewriter) {
  AveragePool m;
  m.yType =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(op.getType()));
  Value floatSum;
  std::optional<double> divisor = matchDivision(op.getInput(), floatSum);
  if (!m.yType || !floatSum || !op.getInput().hasOneUse())
    return rewriter.notifyMatchFailure(op, "not a quantized division");
  if (!divisor || !(*divisor > 0.0) || *divisor != std::floor(*divisor) ||
      *divisor > double(1 << 24))
    return rewriter.notifyMatchFailure(op, "divisor is not a count");
  m.divisor = *divisor;
  Operation *pool = floatSum.getDefiningOp();
  if (!isa_and_nonnull<linalg::PoolingNhwcSumOp, linalg::PoolingNchwSumOp>(
          pool) ||
      !floatSum.hasOneUse())
    return rewriter.notifyMatchFailure(op, "not a sum pool");
  m.pooling = cast<linalg::LinalgOp>(pool);
  if (!m.pooling.hasPureTensorSemantics())
    return rewriter.notifyMatchFailure(op, "not on tensors");
  // Zeros in any form (a fill, a splat constant): no bias.
  FailureOr<std::optional<ConstantBias>> initial =
      matchContractionInit(m.pooling.getDpsInitOperand(0)->get());
  if (failed(initial) || *initial)
    return rewriter.notifyMatchFailure(op, "initial value is not 0.0");
  Value source = m.pooling.getDpsInputOperand(0)->get();
  m.pad = source.getDefiningOp<tensor::PadOp>();
  if (m.pad) {
    Value padding = m.pad.getConstantPaddingValue();
    std::optional<double> padValue =
        padding ? getFloatConstant(padding) : std::nullopt;
    if (!padValue || *padValue != 0.0)
      return rewriter.notifyMatchFailure(op, "padding is not 0.0");
    source = m.pad.getSource();
  }
  m.xType = getDequantizedType(source, m.quantized);
  if (!m.xType)
    return rewriter.notifyMatchFailure(op, "input is not dequantized");
  return m;
}

/// sum over the window of (x - z_x), in i32: padding adds nothing.
static Value buildCenteredSum(PatternRewriter &rewriter, Location loc,
                              const AveragePool &m, Type accType) {
  Type i32 = rewriter.getI32Type();
  auto xTensor = cast<RankedTensorType>(m.quantized.getType());
  Value codes = quant::StorageCastOp::create(
      rewriter, loc, xTensor.clone(m.xType.getStorageType()), m.quantized);
  int64_t zx = m.xType.getZeroPoint();
  bool isSigned = m.xType.isSigned();
  Value centered = buildElementwise(
      rewriter, loc, codes, {}, i32,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value wide =
            isSigned ? arith::ExtSIOp::create(b, l, i32, args[0]).getResult()
                     : arith::ExtUIOp::create(b, l, i32, args[0]).getResult();
        return arith::SubIOp::create(
            b, l, wide, arith::ConstantIntOp::create(b, l, i32, zx));
      });
  Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  if (tensor::PadOp pad = m.pad)
    centered = tensor::PadOp::create(
        rewriter, loc, pad.getResultType().clone(i32), centered,
        pad.getMixedLowPad(), pad.getMixedHighPad(), zero, pad.getNofold());
  linalg::LinalgOp pooling = m.pooling;
  Value empty =
      createEmptyLike(rewriter, loc, pooling.getDpsInitOperand(0)->get(), i32);
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  SmallVector<NamedAttribute> attrs = getWindowAttributes(pooling);
  SmallVector<Value> inputs{centered, pooling.getDpsInputOperand(1)->get()};
  Operation *sum = isa<linalg::PoolingNhwcSumOp>(pooling.getOperation())
                       ? linalg::PoolingNhwcSumOp::create(
                             rewriter, loc, accType, inputs, init, attrs)
                       : linalg::PoolingNchwSumOp::create(
                             rewriter, loc, accType, inputs, init, attrs);
  return sum->getResult(0);
}

/// acc = sum over the window of (x - z_x) (i32, padding adds 0), then
///   y = clamp(nearbyint(fl32(acc) * m + z_y)),  m = fl32(fl32(s_x/s_y)/d)
/// with the f32 operations of aten's quantized avg_pool2d (NCHW kernel).
static void buildAveragePool(quant::QuantizeCastOp op, const AveragePool &m,
                             PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Type i32 = rewriter.getI32Type(), f32 = rewriter.getF32Type();
  Type accType = cast<RankedTensorType>(op.getType()).clone(i32);
  Value sum = buildCenteredSum(rewriter, loc, m, accType);
  auto ratio = static_cast<float>(m.xType.getScale() / m.yType.getScale());
  float multiplier = ratio / static_cast<float>(m.divisor);
  auto zy = static_cast<float>(m.yType.getZeroPoint());
  quant::UniformQuantizedType yType = m.yType;
  Value result = buildElementwise(
      rewriter, loc, sum, {}, yType.getStorageType(),
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value acc = arith::SIToFPOp::create(b, l, f32, args[0]);
        Value scaled = arith::AddFOp::create(
            b, l,
            arith::MulFOp::create(b, l, acc,
                                  createFloatConstant(b, l, f32, multiplier)),
            createFloatConstant(b, l, f32, zy));
        Value rounded = arith::FPToSIOp::create(
            b, l, i32, math::RoundEvenOp::create(b, l, scaled));
        return createClampToStorage(b, l, rounded, yType.getStorageTypeMin(),
                                    yType.getStorageTypeMax(),
                                    yType.getStorageType());
      });
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), result);
}

namespace {
/// qcast(sum_pool(pad?(dcast(x), 0.0)) / d) -> the average on the codes.
/// d is the window size for count_include_pad=True and any
/// divisor_override.
struct RewriteQuantizedAveragePool : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<AveragePool> m = matchAveragePool(op, rewriter);
    if (failed(m))
      return failure();
    buildAveragePool(op, *m, rewriter);
    return success();
  }
};
} // namespace

void qnn::populateRewriteAveragePoolPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteQuantizedAveragePool>(patterns.getContext());
}

/// Matches a splat float constant equal to -Inf or the lowest f32 (the
/// identity of a max).
static bool isMaxIdentity(Value value) {
  FloatAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  APFloat v = attr.getValue();
  return (v.isInfinity() && v.isNegative()) ||
         (v.isLargest() && v.isNegative());
}

namespace {
/// qcast(max_pool(dcast(x))) with the same quantized type in and out ->
/// max_pool on the integer codes: dequantization is monotonic, so the max of
/// the codes is the code of the max (and quantizing a value of the grid
/// gives its code back). Padding and the initial value become the smallest
/// code.
struct RewriteQuantizedMaxPool : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto pool = op.getInput().getDefiningOp<linalg::PoolingNhwcMaxOp>();
    if (!pool || !op.getInput().hasOneUse() || !pool.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not a max pool");
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    Value source = pool.getDpsInputOperand(0)->get();
    auto pad = source.getDefiningOp<tensor::PadOp>();
    if (pad) {
      Value padding = pad.getConstantPaddingValue();
      if (!padding || !isMaxIdentity(padding))
        return rewriter.notifyMatchFailure(op, "padding is not -inf");
      source = pad.getSource();
    }
    Value quantized;
    quant::UniformQuantizedType inType = getDequantizedType(source, quantized);
    if (!type || type != inType)
      return rewriter.notifyMatchFailure(op, "not the same quantized type");
    auto fill =
        pool.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
    if (!fill || !isMaxIdentity(fill.getInputs()[0]))
      return rewriter.notifyMatchFailure(op, "initial value is not -inf");

    Location loc = op.getLoc();
    Type storage = type.getStorageType();
    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(storage, type.getStorageTypeMin()));
    Value codes = quant::StorageCastOp::create(
        rewriter, loc,
        cast<RankedTensorType>(quantized.getType()).clone(storage), quantized);
    if (pad)
      codes = tensor::PadOp::create(
          rewriter, loc, cast<RankedTensorType>(pad.getType()).clone(storage),
          codes, pad.getMixedLowPad(), pad.getMixedHighPad(), lowest,
          pad.getNofold());
    auto resultType = cast<RankedTensorType>(op.getType()).clone(storage);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc,
        tensor::getMixedSizes(rewriter, loc, pool.getDpsInitOperand(0)->get()),
        storage);
    Value init =
        linalg::FillOp::create(rewriter, loc, lowest, empty).getResult(0);
    SmallVector<NamedAttribute> attrs = getWindowAttributes(pool);
    SmallVector<Value> inputs{codes, pool.getDpsInputOperand(1)->get()};
    Value result;
    if (type.isSigned())
      result =
          linalg::PoolingNhwcMaxOp::create(rewriter, loc, TypeRange{resultType},
                                           inputs, ValueRange{init}, attrs)
              .getResult(0);
    else
      result = linalg::PoolingNhwcMaxUnsignedOp::create(
                   rewriter, loc, TypeRange{resultType}, inputs,
                   ValueRange{init}, attrs)
                   .getResult(0);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), result);
    return success();
  }
};
} // namespace

void qnn::populateRewriteMaxPoolPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteQuantizedMaxPool>(patterns.getContext());
}
