//===- RewriteInt8.cpp - Quantized float compute to integer compute -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Rewrites qcast(act(dcast(x) @ dcast(w) + b)) into an i32 contraction with
// zero-point correction and an i32 bias, followed by qnn.requantize.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ContractionInit.h"
#include "RewriteUtils.h"
#include "qnn/Utils/LinalgBuilders.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Quantize/Passes.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <limits>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNREWRITEINT8PASS
#include "qnn/Quantize/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// Per-channel (or per-tensor) parameters of a quantized weight.
struct WeightParams {
  SmallVector<double> scales;
  int64_t zeroPoint = 0;
  /// Iteration dimension the scales run along, if per channel.
  std::optional<unsigned> loopDim;
};
} // namespace

/// Matches `dcast(scast(constant))` of integer weights and their parameters.
static FailureOr<WeightParams> matchWeights(Value value, AffineMap map,
                                            DenseElementsAttr &codes,
                                            quant::QuantizedType &type) {
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return failure();
  auto scast = dcast.getInput().getDefiningOp<quant::StorageCastOp>();
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&codes)))
    return failure();
  type = cast<quant::QuantizedType>(getElementTypeOrSelf(scast.getType()));
  WeightParams params;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.scales.push_back(perTensor.getScale());
    params.zeroPoint = perTensor.getZeroPoint();
    return params;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return failure();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (llvm::any_of(zeroPoints, [&](int64_t z) { return z != zeroPoints[0]; }))
    return failure();
  auto dimExpr =
      dyn_cast<AffineDimExpr>(map.getResult(perAxis.getQuantizedDimension()));
  if (!dimExpr)
    return failure();
  params.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
  params.zeroPoint = zeroPoints[0];
  params.loopDim = dimExpr.getPosition();
  return params;
}

/// The quantized input of a contraction operand: `dcast(x)`, or
/// `tensor.pad(dcast(x))` padded with 0.0 (which is the zero point on the
/// integer side).
struct QuantizedInput {
  Value quantized;
  quant::UniformQuantizedType type;
  tensor::PadOp pad;
};

static std::optional<QuantizedInput> matchQuantizedInput(Value value) {
  QuantizedInput input;
  if (auto pad = value.getDefiningOp<tensor::PadOp>()) {
    Value padding = pad.getConstantPaddingValue();
    FloatAttr zero;
    if (!padding || !matchPattern(padding, m_Constant(&zero)) ||
        !zero.getValue().isZero())
      return std::nullopt;
    input.pad = pad;
    value = pad.getSource();
  }
  input.type = getDequantizedType(value, input.quantized);
  if (!input.type)
    return std::nullopt;
  return input;
}

/// Whether `op` is a contraction this rewrite handles: matmuls and
/// convolutions (their indexing maps carry transposes, strides and
/// dilations).
static bool isSupportedContraction(Operation *op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp,
             linalg::DepthwiseConv2DNhwcHwcOp>(op);
}

namespace {
/// qcast(act(dcast(x) (*) dcast(w) + b)) -> requantize(int contraction),
/// for a matmul or convolution (*).
struct RewriteQuantizedContraction : OpRewritePattern<quant::QuantizeCastOp> {
  RewriteQuantizedContraction(MLIRContext *ctx, RequantizeMode mode)
      : OpRewritePattern(ctx), mode(mode) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    if (!outType || !resultType)
      return rewriter.notifyMatchFailure(op, "not a per-tensor tensor qcast");
    Activation act;
    Value pre = peelActivation(op.getInput(), act);
    auto contraction = pre.getDefiningOp<linalg::LinalgOp>();
    if (!contraction || !isSupportedContraction(contraction.getOperation()))
      return rewriter.notifyMatchFailure(op, "not a matmul or convolution");
    if (!pre.hasOneUse() || !contraction.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "contraction result is shared");

    SmallVector<AffineMap> maps = contraction.getIndexingMapsArray();
    std::optional<QuantizedInput> input =
        matchQuantizedInput(contraction.getDpsInputOperand(0)->get());
    if (!input)
      return rewriter.notifyMatchFailure(op, "input is not dequantized");
    quant::UniformQuantizedType xType = input->type;
    DenseElementsAttr codes;
    quant::QuantizedType wType;
    FailureOr<WeightParams> weights = matchWeights(
        contraction.getDpsInputOperand(1)->get(), maps[1], codes, wType);
    if (failed(weights))
      return rewriter.notifyMatchFailure(op, "weights are not stored codes");
    Value init = contraction.getDpsInitOperand(0)->get();
    FailureOr<std::optional<ConstantBias>> bias = matchContractionInit(init);
    if (failed(bias))
      return rewriter.notifyMatchFailure(op, "initial value is not a bias");

    // The output dimension of the channels: where the weights' per-channel
    // loop lands in the output, or the bias's unbroadcast dimension.
    AffineMap outMap = maps[2];
    std::optional<int64_t> channelDim;
    if (weights->loopDim) {
      std::optional<unsigned> position = outMap.getResultPosition(
          rewriter.getAffineDimExpr(*weights->loopDim));
      if (!position)
        return rewriter.notifyMatchFailure(op, "weight channels are not "
                                               "output channels");
      channelDim = *position;
    }
    if (*bias) {
      if (channelDim && *channelDim != (*bias)->channelDim)
        return rewriter.notifyMatchFailure(op, "bias is not per channel");
      channelDim = (*bias)->channelDim;
      if ((*bias)->values.getNumElements() !=
          resultType.getDimSize(*channelDim))
        return rewriter.notifyMatchFailure(op, "bias size mismatch");
    }

    // s_in = fl32(s_x) * fl32(s_w), in f32, per channel.
    SmallVector<double> inputScales;
    for (double sw : weights->scales)
      inputScales.push_back(static_cast<double>(
          static_cast<float>(xType.getScale()) * static_cast<float>(sw)));
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    auto accType = resultType.clone(i32);

    // Initial accumulator: the bias on the i32 grid of s_in, or zeros.
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, init);
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
    Value accInit;
    if (*bias) {
      SmallVector<int32_t> quantizedBias;
      for (auto [n, b] :
           llvm::enumerate((*bias)->values.getValues<APFloat>())) {
        double scale = inputScales[inputScales.size() == 1 ? 0 : n];
        double q = std::nearbyint(b.convertToDouble() / scale);
        q = std::clamp(q, double(std::numeric_limits<int32_t>::min()),
                       double(std::numeric_limits<int32_t>::max()));
        quantizedBias.push_back(static_cast<int32_t>(q));
      }
      Value biasConst = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get(
                  {static_cast<int64_t>(quantizedBias.size())}, i32),
              ArrayRef<int32_t>(quantizedBias)));
      SmallVector<int64_t> dims;
      for (int64_t d = 0; d < resultType.getRank(); ++d)
        if (d != *channelDim)
          dims.push_back(d);
      accInit =
          linalg::BroadcastOp::create(rewriter, loc, biasConst, empty, dims)
              .getResult()[0];
    } else {
      Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
      accInit = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
    }

    // The integer contraction with the same indexing maps.
    Value xStorage = quant::StorageCastOp::create(
        rewriter, loc,
        cast<RankedTensorType>(input->quantized.getType())
            .clone(xType.getStorageType()),
        input->quantized);
    if (input->pad) {
      // Padding with the real value 0 is padding with the zero point.
      Value zeroPoint = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getIntegerAttr(xType.getStorageType(),
                                  xType.getZeroPoint()));
      xStorage = tensor::PadOp::create(
          rewriter, loc,
          cast<RankedTensorType>(input->pad.getType())
              .clone(xType.getStorageType()),
          xStorage, input->pad.getMixedLowPad(), input->pad.getMixedHighPad(),
          zeroPoint, input->pad.getNofold());
    }
    Value wStorage = arith::ConstantOp::create(rewriter, loc, codes);
    bool xSigned = xType.isSigned(), wSigned = wType.isSigned();
    int64_t xZero = xType.getZeroPoint(), wZero = weights->zeroPoint;
    auto widen = [&](OpBuilder &b, Location l, Value v, bool isSigned,
                     int64_t zero) -> Value {
      Value wide = isSigned ? arith::ExtSIOp::create(b, l, i32, v).getResult()
                            : arith::ExtUIOp::create(b, l, i32, v).getResult();
      if (zero == 0)
        return wide;
      return arith::SubIOp::create(
          b, l, wide, arith::ConstantIntOp::create(b, l, i32, zero));
    };
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{accType}, ValueRange{xStorage, wStorage},
        ValueRange{accInit}, maps, contraction.getIteratorTypesArray(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = widen(b, l, args[0], xSigned, xZero);
          Value w = widen(b, l, args[1], wSigned, wZero);
          Value product = arith::MulIOp::create(b, l, x, w);
          linalg::YieldOp::create(
              b, l, arith::AddIOp::create(b, l, args[2], product).getResult());
        });

    // Requantize, with the activation folded into the clamp bounds.
    std::optional<int64_t> clampMin, clampMax;
    if (act.lower)
      clampMin = quantizeBound(*act.lower, outType);
    if (act.upper)
      clampMax = quantizeBound(*act.upper, outType);
    if (clampMin && clampMax && *clampMin > *clampMax)
      return rewriter.notifyMatchFailure(op, "empty activation range");
    auto storageResult = resultType.clone(outType.getStorageType());
    std::optional<int64_t> axis;
    if (inputScales.size() > 1)
      axis = channelDim;
    Value requantized = RequantizeOp::create(
        rewriter, loc, storageResult, generic.getResult(0),
        rewriter.getDenseF64ArrayAttr(inputScales),
        axis ? rewriter.getI64IntegerAttr(*axis) : IntegerAttr(),
        TypeAttr::get(outType), RequantizeModeAttr::get(getContext(), mode),
        clampMin ? rewriter.getI64IntegerAttr(*clampMin) : IntegerAttr(),
        clampMax ? rewriter.getI64IntegerAttr(*clampMax) : IntegerAttr());
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType,
                                                      requantized);
    return success();
  }

  RequantizeMode mode;
};

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

/// qnn.fake_quant (round half to even) -> quant.dcast(quant.qcast(x)): the
/// same numerics, in the form the contraction pattern matches.
struct ExpandFakeQuant : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getRounding() != Rounding::half_even)
      return rewriter.notifyMatchFailure(op, "qcast rounds half to even");
    auto type = cast<RankedTensorType>(op.getType());
    Value quantized = quant::QuantizeCastOp::create(
        rewriter, op.getLoc(), type.clone(op.getQtype()), op.getInput());
    rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(op, type, quantized);
    return success();
  }
};

/// Rewrites quantized float contractions into integer compute.
struct QNNRewriteInt8Pass
    : qnn::impl::QNNRewriteInt8PassBase<QNNRewriteInt8Pass> {
  using QNNRewriteInt8PassBase::QNNRewriteInt8PassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRewriteInt8Patterns(patterns, requantizeMode);
    if (dynamic)
      populateDynamicQuantizationPatterns(patterns);
    // No folding: upstream would fold dcast(qcast(x)) between layers.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};
} // namespace

void qnn::populateRewriteInt8Patterns(RewritePatternSet &patterns,
                                      RequantizeMode mode) {
  patterns.add<RewriteQuantizedContraction>(patterns.getContext(), mode);
  patterns.add<ExpandFakeQuant, RewriteQuantizedMaxPool>(patterns.getContext());
  populateRewriteAddPatterns(patterns);
  populateRewriteAveragePoolPatterns(patterns);
}
