//===- RewriteContraction.cpp - Quantized contractions on the codes -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Rewrites qcast(act(dcast(x) (*) dcast(w) + b)), for a matmul or
// convolution (*), into the named integer contraction of the contract
// (qnn/Utils/Contract.h) on signed codes, from the bias on the i32 grid of
// s_x * s_w, followed by qnn.requantize with the activation folded into its
// clamp bounds. Everything is checked by matchQuantizedContraction before
// buildQuantizedContraction creates the first op.
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"
#include "QuantizedContraction.h"
#include "QuantizedOperands.h"
#include "RewritePatterns.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Dialect/QNN/Utils/ContractionInit.h"
#include "qnn/Utils/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

/// The kind of `op`, if it is a contraction the rewrite handles. Matmuls
/// must read their activations untransposed; their weights may be N x K.
static std::optional<ContractionKind> getContractionKind(Operation *op,
                                                         bool &transposed) {
  transposed = false;
  auto isTransposedWeights = [](linalg::LinalgOp linalgOp, unsigned batch) {
    SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
    MLIRContext *ctx = linalgOp.getContext();
    unsigned n = maps[0].getNumDims();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> prefix;
    for (unsigned i = 0; i < batch; ++i)
      prefix.push_back(d(i));
    auto map = [&](std::initializer_list<unsigned> dims) {
      SmallVector<AffineExpr> exprs = prefix;
      for (unsigned i : dims)
        exprs.push_back(d(batch + i));
      return AffineMap::get(n, 0, exprs, ctx);
    };
    if (maps[0] != map({0, 2}) || maps[2] != map({0, 1}))
      return std::optional<bool>();
    if (maps[1] == map({2, 1}))
      return std::optional<bool>(false);
    if (maps[1] == map({1, 2}))
      return std::optional<bool>(true);
    return std::optional<bool>();
  };
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
    std::optional<bool> t = isTransposedWeights(matmul, 0);
    if (!t)
      return std::nullopt;
    transposed = *t;
    return ContractionKind::Matmul;
  }
  if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op)) {
    std::optional<bool> t = isTransposedWeights(batch, 1);
    if (!t)
      return std::nullopt;
    transposed = *t;
    return ContractionKind::BatchMatmul;
  }
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return ContractionKind::ConvNhwcHwcf;
  if (isa<linalg::Conv2DNhwcFhwcOp>(op))
    return ContractionKind::ConvNhwcFhwc;
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return ContractionKind::ConvNchwFchw;
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return ContractionKind::DepthwiseNhwcHwc;
  if (isa<linalg::DepthwiseConv2DNchwChwOp>(op))
    return ContractionKind::DepthwiseNchwChw;
  if (isa<linalg::Conv2DNgchwGfchwOp>(op))
    return ContractionKind::GroupedNchw;
  if (isa<linalg::Conv2DNhwgcGfhwcOp>(op))
    return ContractionKind::GroupedNhwc;
  if (isa<linalg::DepthwiseConv2DNhwcHwcmOp>(op))
    return ContractionKind::DepthwiseMultiplier;
  return std::nullopt;
}

/// Matches the second operand of a matmul as a dequantized 8-bit
/// activation per tensor: a matmul of two activations (attention's
/// Q K^T and P V).
static LogicalResult matchActivationWeights(QuantizedContraction &c,
                                            Value operand, bool transposed,
                                            PatternRewriter &rewriter) {
  bool isMatmul = c.kind == ContractionKind::Matmul ||
                  c.kind == ContractionKind::BatchMatmul;
  std::optional<QuantizedInput> input = matchQuantizedInput(operand);
  if (!isMatmul || !input || input->pad ||
      input->type.getStorageTypeIntegralWidth() != 8)
    return rewriter.notifyMatchFailure(c.op, "weights are not stored codes "
                                             "or a dequantized activation");
  c.weightInput = input;
  c.weightsTransposed = transposed;
  c.weightZero =
      input->type.getZeroPoint() - (input->type.isSigned() ? 0 : 128);
  c.inputScales.push_back(
      static_cast<double>(static_cast<float>(c.input.type.getScale()) *
                          static_cast<float>(input->type.getScale())));
  return success();
}

/// Matches the weights: codes, their scales per tensor or per output
/// channel (all zero points equal), and the output dimension of the
/// channels.
static LogicalResult matchWeights(QuantizedContraction &c, bool transposed,
                                  PatternRewriter &rewriter) {
  Value operand = c.op.getDpsInputOperand(1)->get();
  std::optional<ConstantWeights> weights = matchConstantWeights(operand);
  if (!weights || !weights->isQuantized())
    return matchActivationWeights(c, operand, transposed, rewriter);
  SmallVector<double> scales;
  int64_t zeroPoint = 0;
  std::optional<int64_t> axis;
  if (failed(getWeightQuantization(*weights, scales, zeroPoint, axis)))
    return rewriter.notifyMatchFailure(c.op, "weight zero points differ");
  if (axis) {
    AffineMap map = c.op.getIndexingMapsArray()[1];
    auto dim = dyn_cast<AffineDimExpr>(map.getResult(*axis));
    std::optional<unsigned> position =
        dim ? c.op.getIndexingMapsArray()[2].getResultPosition(dim)
            : std::nullopt;
    if (!position)
      return rewriter.notifyMatchFailure(c.op, "weight channels are not "
                                               "output channels");
    c.channelDim = *position;
  }
  setWeights(c, *weights, scales, zeroPoint, transposed);
  if (c.kind == ContractionKind::DepthwiseNchwChw) {
    // C x KH x KW -> KH x KW x C: a C x (KH * KW) transpose.
    ArrayRef<int64_t> shape = c.weights.getType().getShape();
    Type element = c.weights.getElementType();
    DenseElementsAttr matrix = c.weights.reshape(
        RankedTensorType::get({shape[0], shape[1] * shape[2]}, element));
    c.weights = getSignedCodes(matrix, /*isSigned=*/true, /*transposed=*/true)
                    .reshape(RankedTensorType::get(
                        {shape[1], shape[2], shape[0]}, element));
  }
  return success();
}

LogicalResult qnn::getWeightQuantization(const ConstantWeights &weights,
                                         SmallVector<double> &scales,
                                         int64_t &zeroPoint,
                                         std::optional<int64_t> &axis) {
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights.type)) {
    scales.push_back(perTensor.getScale());
    zeroPoint = perTensor.getZeroPoint();
    return success();
  }
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(weights.type);
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (llvm::any_of(zeroPoints, [&](int64_t z) { return z != zeroPoints[0]; }))
    return failure();
  scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
  zeroPoint = zeroPoints[0];
  axis = perAxis.getQuantizedDimension();
  return success();
}

void qnn::setWeights(QuantizedContraction &c, const ConstantWeights &weights,
                     ArrayRef<double> scales, int64_t zeroPoint,
                     bool transposed) {
  bool isSigned = weights.type.isSigned();
  unsigned width = weights.type.getStorageTypeIntegralWidth();
  c.weightZero = isSigned ? zeroPoint : zeroPoint - (int64_t(1) << (width - 1));
  c.weights = getSignedCodes(weights.values, isSigned, transposed);
  auto xScale = static_cast<float>(c.input.type.getScale());
  for (double sw : scales)
    c.inputScales.push_back(
        static_cast<double>(xScale * static_cast<float>(sw)));
}

/// The bias code of channel `n` on the i32 grid of the input scales: the
/// codes themselves when they are on that grid, else the real value
/// rounded to it.
static int32_t getBiasCode(const ConstantBias &bias, int64_t index,
                           double inputScale) {
  if (auto perAxis =
          dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(bias.codesType);
      perAxis && perAxis.getStorageTypeIntegralWidth() <= 32 &&
      static_cast<float>(perAxis.getScales()[index]) ==
          static_cast<float>(inputScale)) {
    APInt code = bias.values.getValues<APInt>()[index];
    return static_cast<int32_t>(code.getSExtValue() -
                                perAxis.getZeroPoints()[index]);
  }
  if (auto perTensor =
          dyn_cast_or_null<quant::UniformQuantizedType>(bias.codesType);
      perTensor && perTensor.getStorageTypeIntegralWidth() <= 32 &&
      static_cast<float>(perTensor.getScale()) ==
          static_cast<float>(inputScale)) {
    APInt code = bias.values.getValues<APInt>()[index];
    return static_cast<int32_t>(code.getSExtValue() - perTensor.getZeroPoint());
  }
  double q = std::nearbyint(bias.getRealValue(index) / inputScale);
  q = std::clamp(q, double(std::numeric_limits<int32_t>::min()),
                 double(std::numeric_limits<int32_t>::max()));
  return static_cast<int32_t>(q);
}

/// Matches the bias, in the initial value (zeros or a constant along the
/// channels) or added after the contraction, and puts it on the i32 grid
/// of the input scales.
static LogicalResult matchBias(QuantizedContraction &c,
                               std::optional<ConstantBias> added,
                               PatternRewriter &rewriter) {
  Value initValue = getUngroupedInit(c);
  FailureOr<std::optional<ConstantBias>> init =
      matchContractionInit(initValue, /*allowCodes=*/true);
  if (failed(init))
    return rewriter.notifyMatchFailure(c.op, "initial value is not a bias");
  if (*init &&
      cast<ShapedType>(initValue.getType()).getRank() != c.resultType.getRank())
    return rewriter.notifyMatchFailure(c.op, "the bias of a grouped "
                                             "convolution is not expanded "
                                             "from its channels");
  if (*init && added)
    return rewriter.notifyMatchFailure(c.op, "bias both before and after");
  std::optional<ConstantBias> bias = *init ? *init : added;
  if (!bias)
    return success();
  if (bias->channelDim < 0) {
    // One value for every element: any dimension carries it.
    bias->channelDim = c.channelDim.value_or(c.resultType.getRank() - 1);
  } else if (c.channelDim && *c.channelDim != bias->channelDim) {
    return rewriter.notifyMatchFailure(c.op, "bias is not per channel");
  } else if (bias->values.getNumElements() !=
             c.resultType.getDimSize(bias->channelDim)) {
    return rewriter.notifyMatchFailure(c.op, "bias size mismatch");
  }
  c.channelDim = bias->channelDim;
  int64_t channels = c.resultType.getDimSize(*c.channelDim);
  bool uniform = bias->values.getNumElements() == 1;
  for (int64_t n = 0; n < channels; ++n) {
    double scale = c.inputScales[c.inputScales.size() == 1 ? 0 : n];
    c.bias.push_back(getBiasCode(*bias, uniform ? 0 : n, scale));
  }
  return success();
}

/// The grouped convolution's result behind `value` when `value` is its
/// collapse of (G, F) into channels (through a tensor.cast to the same type,
/// as torch-mlir writes), each used once; null otherwise.
static Value peelGroupedCollapse(Value value) {
  if (auto cast = value.getDefiningOp<tensor::CastOp>();
      cast && cast.getSource().getType() == cast.getType() && value.hasOneUse())
    value = cast.getSource();
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || !value.hasOneUse() ||
      !isa_and_nonnull<linalg::Conv2DNgchwGfchwOp, linalg::Conv2DNhwgcGfhwcOp,
                       linalg::DepthwiseConv2DNhwcHwcmOp>(
          collapse.getSrc().getDefiningOp()))
    return Value();
  return collapse.getSrc();
}

/// Puts the activation's bounds on the output grid, completing `c`.
static FailureOr<QuantizedContraction>
matchActivation(QuantizedContraction &c, const Activation &act,
                quant::QuantizeCastOp op, PatternRewriter &rewriter) {
  if (act.lower)
    c.clampMin = quantizeBound(*act.lower, c.outType);
  if (act.upper)
    c.clampMax = quantizeBound(*act.upper, c.outType);
  if (c.clampMin && c.clampMax && *c.clampMin > *c.clampMax)
    return rewriter.notifyMatchFailure(op, "empty activation range");
  return c;
}

/// Matches `op` as the quantization of an activated quantized contraction.
static FailureOr<QuantizedContraction>
matchQuantizedContraction(quant::QuantizeCastOp op, PatternRewriter &rewriter) {
  QuantizedContraction c;
  c.outType =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(op.getType()));
  c.resultType = dyn_cast<RankedTensorType>(op.getType());
  if (!c.outType || !c.resultType)
    return rewriter.notifyMatchFailure(op, "not a per-tensor tensor qcast");
  ContractionEpilogue epilogue = peelContractionEpilogue(op.getInput());
  Activation act = epilogue.act;
  Value pre = epilogue.contraction;
  Value grouped = peelGroupedCollapse(pre);
  if (grouped)
    std::swap(pre, grouped);
  c.op = pre.getDefiningOp<linalg::LinalgOp>();
  bool transposed = false;
  std::optional<ContractionKind> kind =
      c.op ? getContractionKind(c.op, transposed) : std::nullopt;
  if (!kind && c.op)
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "'" << c.op->getName()
           << "' is not a matmul or convolution the rewrite knows";
    });
  if (!kind)
    return rewriter.notifyMatchFailure(op, "not a matmul or convolution");
  c.kind = *kind;
  if (!pre.hasOneUse() || !c.op.hasPureTensorSemantics())
    return rewriter.notifyMatchFailure(op, "contraction result is shared");
  if (isGrouped(c.kind) != static_cast<bool>(grouped))
    return rewriter.notifyMatchFailure(op, "grouped convolution result is "
                                           "not collapsed into channels");
  std::optional<QuantizedInput> input =
      isGrouped(c.kind)
          ? matchGroupedInput(c)
          : matchQuantizedInput(c.op.getDpsInputOperand(0)->get());
  if (!input)
    return rewriter.notifyMatchFailure(op, "input is not dequantized");
  c.input = *input;
  unsigned inputWidth = c.input.type.getStorageTypeIntegralWidth();
  c.flipInput = !c.input.type.isSigned();
  if (c.flipInput && inputWidth != 8)
    return rewriter.notifyMatchFailure(op, "unsigned input is not 8-bit");
  c.inputZero = c.input.type.getZeroPoint() - (c.flipInput ? 128 : 0);
  if (failed(isGrouped(c.kind) ? matchGroupedWeights(c, rewriter)
                               : matchWeights(c, transposed, rewriter)) ||
      failed(matchBias(c, epilogue.bias, rewriter)))
    return failure();
  return matchActivation(c, act, op, rewriter);
}

/// The signed activation codes the contraction reads: the storage of the
/// quantized input, padded with its zero point, then sign-flipped when
/// unsigned (so that the flip feeds the contraction, which the kernels
/// fold).
Value qnn::buildInputCodes(PatternRewriter &rewriter, Location loc,
                           const QuantizedContraction &c) {
  Type storage = c.input.type.getStorageType();
  Value codes = quant::StorageCastOp::create(
      rewriter, loc,
      cast<RankedTensorType>(c.input.quantized.getType()).clone(storage),
      c.input.quantized);
  if (tensor::PadOp pad = c.input.pad) {
    // Padding with the real value 0 is padding with the zero point.
    Value zeroPoint = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(storage, c.input.type.getZeroPoint()));
    codes = tensor::PadOp::create(rewriter, loc,
                                  pad.getResultType().clone(storage), codes,
                                  pad.getMixedLowPad(), pad.getMixedHighPad(),
                                  zeroPoint, pad.getNofold());
  }
  return c.flipInput ? buildSignFlip(rewriter, loc, codes) : codes;
}

/// The signed codes of activation weights in K x N order: the storage,
/// sign-flipped when unsigned, transposed when stored N x K.
static Value buildActivationWeightCodes(PatternRewriter &rewriter, Location loc,
                                        const QuantizedContraction &c) {
  const QuantizedInput &input = *c.weightInput;
  auto type = cast<RankedTensorType>(input.quantized.getType());
  Value codes = quant::StorageCastOp::create(
      rewriter, loc, type.clone(input.type.getStorageType()), input.quantized);
  if (!input.type.isSigned())
    codes = buildSignFlip(rewriter, loc, codes);
  if (!c.weightsTransposed)
    return codes;
  auto codesType = cast<RankedTensorType>(codes.getType());
  int64_t rank = codesType.getRank();
  SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(permutation[rank - 1], permutation[rank - 2]);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, codes);
  std::swap(sizes[rank - 1], sizes[rank - 2]);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, sizes, codesType.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, codes, empty, permutation)
      .getResult()[0];
}

/// NCHW -> NHWC and back.
static constexpr int64_t kNchwToNhwc[] = {0, 2, 3, 1};
static constexpr int64_t kNhwcToNchw[] = {0, 3, 1, 2};

/// The dimension of the accumulators that holds the channels (NHWC for an
/// NCHW depthwise convolution).
static int64_t getAccumulatorChannelDim(const QuantizedContraction &c) {
  return c.kind == ContractionKind::DepthwiseNchwChw ? 3 : *c.channelDim;
}

Value qnn::buildTranspose(PatternRewriter &rewriter, Location loc, Value value,
                          ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = applyPermutation(
      tensor::getMixedSizes(rewriter, loc, value), permutation);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, value, empty, permutation)
      .getResult()[0];
}

Value qnn::buildAccumulatorInit(PatternRewriter &rewriter, Location loc,
                                ArrayRef<OpFoldResult> sizes,
                                ArrayRef<int32_t> bias, int64_t channelDim) {
  Type i32 = rewriter.getI32Type();
  Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
  if (bias.empty()) {
    Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
    return linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  }
  auto biasType =
      RankedTensorType::get({static_cast<int64_t>(bias.size())}, i32);
  Value values = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(biasType, bias));
  SmallVector<int64_t> dims;
  for (int64_t d = 0, e = sizes.size(); d < e; ++d)
    if (d != channelDim)
      dims.push_back(d);
  return linalg::BroadcastOp::create(rewriter, loc, values, empty, dims)
      .getResult()[0];
}

Value qnn::buildRequantize(PatternRewriter &rewriter, Location loc, Value acc,
                           ArrayRef<double> scales, int64_t channelDim,
                           const QuantizedContraction &c, RequantizeMode mode) {
  auto attr = [&](std::optional<int64_t> v) {
    return v ? rewriter.getI64IntegerAttr(*v) : IntegerAttr();
  };
  std::optional<int64_t> axis;
  if (scales.size() > 1)
    axis = channelDim;
  auto accType = cast<RankedTensorType>(acc.getType());
  return RequantizeOp::create(
      rewriter, loc, accType.clone(c.outType.getStorageType()), acc,
      rewriter.getDenseF64ArrayAttr(scales), attr(axis),
      TypeAttr::get(c.outType),
      RequantizeModeAttr::get(rewriter.getContext(), mode), attr(c.clampMin),
      attr(c.clampMax));
}

/// The named integer contraction of `c` on `inputs` into `init`.
static Value buildNamedContraction(PatternRewriter &rewriter, Location loc,
                                   const QuantizedContraction &c,
                                   ValueRange inputs, Value init) {
  Type accType = init.getType();
  TypeRange types(accType);
  SmallVector<NamedAttribute> attrs = getWindowAttributes(c.op);
  switch (c.kind) {
  case ContractionKind::Matmul:
    return linalg::QuantizedMatmulOp::create(rewriter, loc, types, inputs, init)
        .getResult(0);
  case ContractionKind::BatchMatmul:
    return linalg::QuantizedBatchMatmulOp::create(rewriter, loc, types, inputs,
                                                  init)
        .getResult(0);
  case ContractionKind::ConvNhwcHwcf:
    return linalg::Conv2DNhwcHwcfQOp::create(rewriter, loc, types, inputs, init,
                                             attrs)
        .getResult(0);
  case ContractionKind::ConvNhwcFhwc:
    return linalg::Conv2DNhwcFhwcQOp::create(rewriter, loc, types, inputs, init,
                                             attrs)
        .getResult(0);
  case ContractionKind::ConvNchwFchw:
    return linalg::Conv2DNchwFchwQOp::create(rewriter, loc, types, inputs, init,
                                             attrs)
        .getResult(0);
  case ContractionKind::DepthwiseNhwcHwc:
  case ContractionKind::DepthwiseNchwChw:
    return linalg::DepthwiseConv2DNhwcHwcQOp::create(rewriter, loc, types,
                                                     inputs, init, attrs)
        .getResult(0);
  case ContractionKind::GroupedNchw:
  case ContractionKind::GroupedNhwc:
  case ContractionKind::DepthwiseMultiplier:
    break;
  }
  llvm_unreachable("grouped convolutions are built group by group");
}

/// Replaces `op` by the integer contraction and its requantization.
static void buildQuantizedContraction(quant::QuantizeCastOp op,
                                      const QuantizedContraction &c,
                                      RequantizeMode mode,
                                      PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Type i32 = rewriter.getI32Type();
  bool nchwDepthwise = c.kind == ContractionKind::DepthwiseNchwChw;
  Value x = buildInputCodes(rewriter, loc, c);
  if (nchwDepthwise)
    x = buildTranspose(rewriter, loc, x, kNchwToNhwc);
  Value w =
      c.weightInput
          ? buildActivationWeightCodes(rewriter, loc, c)
          : arith::ConstantOp::create(rewriter, loc, c.weights).getResult();
  Value zx = arith::ConstantIntOp::create(rewriter, loc, i32, c.inputZero);
  Value zw = arith::ConstantIntOp::create(rewriter, loc, i32, c.weightZero);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(
      rewriter, loc, linalg::LinalgOp(c.op).getDpsInitOperand(0)->get());
  if (nchwDepthwise)
    sizes = applyPermutation(sizes, kNchwToNhwc);
  int64_t channelDim = c.channelDim ? getAccumulatorChannelDim(c) : 0;
  Value init = buildAccumulatorInit(rewriter, loc, sizes, c.bias, channelDim);
  Value acc = buildNamedContraction(rewriter, loc, c, {x, w, zx, zw}, init);
  Value requantized =
      buildRequantize(rewriter, loc, acc, c.inputScales, channelDim, c, mode);
  if (nchwDepthwise)
    requantized = buildTranspose(rewriter, loc, requantized, kNhwcToNchw);
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, c.resultType,
                                                    requantized);
}

namespace {
/// qcast(act(dcast(x) (*) dcast(w) + b)) -> requantize(integer contraction).
struct RewriteQuantizedContraction : OpRewritePattern<quant::QuantizeCastOp> {
  RewriteQuantizedContraction(MLIRContext *ctx, RequantizeMode mode)
      : OpRewritePattern(ctx), mode(mode) {}

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<QuantizedContraction> c = matchQuantizedContraction(op, rewriter);
    if (failed(c))
      return failure();
    if (isGrouped(c->kind))
      buildGroupedContraction(op, *c, mode, rewriter);
    else
      buildQuantizedContraction(op, *c, mode, rewriter);
    return success();
  }

  RequantizeMode mode;
};
} // namespace

void qnn::populateRewriteContractionPatterns(RewritePatternSet &patterns,
                                             RequantizeMode mode) {
  patterns.add<RewriteQuantizedContraction>(patterns.getContext(), mode);
}

//===----------------------------------------------------------------------===//
// Contractions that stay in float
//===----------------------------------------------------------------------===//

namespace {
/// Keeps the first reason a pattern gives for not matching.
struct MatchFailureRecorder : RewriterBase::Listener {
  void
  notifyMatchFailure(Location,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    if (!reason.empty())
      return;
    Diagnostic diag(UnknownLoc(), DiagnosticSeverity::Remark);
    reasonCallback(diag);
    reason = diag.str();
  }

  std::string reason;
};
} // namespace

/// Whether `op` is a float matmul or convolution (any named or generic
/// contraction; pooling windows are not).
static bool isFloatContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  // On buffers, a contraction is past the quantize stage.
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 ||
      !isa<FloatType>(getElementTypeOrSelf(linalgOp.getDpsInits()[0])) ||
      op->getName().getStringRef().starts_with("linalg.pooling_"))
    return false;
  return linalg::isaContractionOpInterface(linalgOp) ||
         linalg::isaConvolutionOpInterface(linalgOp) ||
         isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::Conv2DNgchwGfchwOp,
             linalg::Conv2DNhwgcGfhwcOp, linalg::DepthwiseConv2DNhwcHwcmOp>(op);
}

void qnn::annotateFloatContractions(Operation *root) {
  MLIRContext *ctx = root->getContext();
  // Why each quantization of a contraction's result did not match.
  llvm::DenseMap<Operation *, std::string> reasons;
  root->walk([&](quant::QuantizeCastOp qcast) {
    Value contraction = peelContractionEpilogue(qcast.getInput()).contraction;
    if (Value grouped = peelGroupedCollapse(contraction))
      contraction = grouped;
    Operation *producer = contraction.getDefiningOp();
    if (!producer || !isFloatContraction(producer))
      return;
    MatchFailureRecorder recorder;
    PatternRewriter rewriter(ctx);
    rewriter.setListener(&recorder);
    if (failed(matchQuantizedContraction(qcast, rewriter)) &&
        !reasons.count(producer))
      reasons[producer] = recorder.reason;
  });
  root->walk([&](Operation *op) {
    if (!isFloatContraction(op))
      return;
    auto it = reasons.find(op);
    std::string reason;
    if (it != reasons.end()) {
      reason = it->second;
    } else {
      Value result = op->getResult(0);
      reason = "no quant.qcast reads its result through a per-channel bias "
               "and an activation; it goes to ";
      reason +=
          result.use_empty()
              ? std::string("no user")
              : "'" +
                    result.getUsers().begin()->getName().getStringRef().str() +
                    "'";
    }
    op->setAttr(QNNDialect::getNotQuantizedAttrName(),
                StringAttr::get(ctx, reason));
    emitRemark(op->getLoc()) << "stays in float: " << reason;
  });
}
