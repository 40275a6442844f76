//===- GroupedContraction.cpp - Quantized grouped convolutions ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The grouped convolutions of torch-mlir (and of ONNX models imported
// through it) are spelled on the dequantized values as
//
//   x5 = expand_shape(pad(dcast(x)))       N x C x H x W -> N x G x C/G x H x W
//   w5 = expand_shape(dcast(scast(codes))) F x C/G x .. -> G x F/G x C/G x ..
//   y5 = conv_2d_ngchw_gfchw(x5, w5, expand_shape(init))
//   y  = collapse_shape(y5)                 N x G x F/G x .. -> N x F x ..
//
// followed by the bias, the activation and the quantization of `y`; or
// channels last with conv_2d_nhwgc_gfhwc; or, for a depthwise convolution
// with a channel multiplier M (IREE's), depthwise_conv_2d_nhwc_hwcm with
// its (C, M) result collapsed. The contract has no grouped op: each group
// becomes an integer convolution of the contract on its slice of the codes
// (each multiplier index, a depthwise convolution of the whole input),
// requantized with its channels' scales and bias, and the codes of the
// groups are inserted into the result: side by side, or for a multiplier,
// every M-th channel.
//
//===----------------------------------------------------------------------===//

#include "QuantizedContraction.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Utils/GroupedConvolution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::qnn;

/// The dimension of the group in the grouped op's activations and results;
/// the channels of the ungrouped result are there too.
static int64_t getGroupDim(const QuantizedContraction &c) {
  return c.nchw ? 1 : 3;
}

/// NCHW -> NHWC and back.
static constexpr int64_t kNchwToNhwc[] = {0, 2, 3, 1};
static constexpr int64_t kNhwcToNchw[] = {0, 3, 1, 2};

/// Whether `expand` splits dimension `dim` of its source in two and keeps
/// every other dimension.
static bool splitsOneDim(tensor::ExpandShapeOp expand, int64_t dim) {
  for (auto [i, group] : llvm::enumerate(expand.getReassociationIndices()))
    if (group.size() != (static_cast<int64_t>(i) == dim ? 2u : 1u))
      return false;
  return true;
}

std::optional<QuantizedInput> qnn::matchGroupedInput(QuantizedContraction &c) {
  c.nchw = c.kind == ContractionKind::GroupedNchw;
  Value operand = c.op.getDpsInputOperand(0)->get();
  if (std::optional<QuantizedInput> input = matchQuantizedInput(operand))
    return input;
  if (c.kind == ContractionKind::DepthwiseMultiplier)
    return std::nullopt;
  auto expand = operand.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || !splitsOneDim(expand, getGroupDim(c)))
    return std::nullopt;
  c.inputExpand = expand;
  return matchQuantizedInput(expand.getSrc());
}

/// The depthwise filters `codes` of `channels` input channels, a
/// multiplier `m` and KH x KW taps as M x KH x KW x C: the filters of each
/// multiplier index one after the other. `index(t, ch, g)` is the position
/// in `codes` of tap t of input channel ch, multiplier index g.
static DenseElementsAttr
groupMultiplierFilters(DenseElementsAttr codes, int64_t kh, int64_t kw,
                       int64_t channels, int64_t m,
                       function_ref<int64_t(int64_t, int64_t, int64_t)> index) {
  SmallVector<APInt> values(codes.getValues<APInt>());
  SmallVector<APInt> grouped;
  grouped.reserve(values.size());
  for (int64_t g = 0; g < m; ++g)
    for (int64_t t = 0; t < kh * kw; ++t)
      for (int64_t ch = 0; ch < channels; ++ch)
        grouped.push_back(values[index(t, ch, g)]);
  return DenseElementsAttr::get(
      RankedTensorType::get({m, kh, kw, channels}, codes.getElementType()),
      grouped);
}

/// Constant weight codes and their quantization.
struct WeightCodes {
  ConstantWeights weights;
  SmallVector<double> scales;
  int64_t zeroPoint = 0;
  /// The quantized dimension of per-channel codes.
  std::optional<int64_t> axis;
};

/// Matches the weights of `c.op`: constant codes, or the expand_shape that
/// splits dimension `splitDim` of constant codes (`what` names them in the
/// reasons), of at most 16 bits with one zero point.
static FailureOr<WeightCodes> matchWeightCodes(const QuantizedContraction &c,
                                               int64_t splitDim, StringRef what,
                                               PatternRewriter &rewriter) {
  Operation *op = c.op;
  Value operand = op->getOperand(1);
  std::optional<ConstantWeights> weights;
  if (auto expand = operand.getDefiningOp<tensor::ExpandShapeOp>();
      expand && splitsOneDim(expand, splitDim))
    weights = matchConstantWeights(expand.getSrc());
  else
    weights = matchConstantWeights(operand);
  if (!weights || !weights->isQuantized() ||
      !cast<ShapedType>(operand.getType()).hasStaticShape())
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << what << " are not constant codes";
    });
  WeightCodes codes;
  codes.weights = *weights;
  if (failed(getWeightQuantization(*weights, codes.scales, codes.zeroPoint,
                                   codes.axis)))
    return rewriter.notifyMatchFailure(op, "weight zero points differ");
  if (weights->type.getStorageTypeIntegralWidth() > 16)
    return rewriter.notifyMatchFailure(op, "weights wider than 16 bits");
  return codes;
}

/// Matches the KH x KW x C x M weights of a depthwise multiplier.
static LogicalResult matchMultiplierWeights(QuantizedContraction &c,
                                            PatternRewriter &rewriter) {
  auto type = cast<RankedTensorType>(c.op->getOperand(1).getType());
  FailureOr<WeightCodes> codes =
      matchWeightCodes(c, /*splitDim=*/2, "depthwise weights", rewriter);
  if (failed(codes))
    return failure();
  ConstantWeights &weights = codes->weights;
  SmallVector<double> &scales = codes->scales;
  std::optional<int64_t> axis = codes->axis;
  int64_t channels = type.getDimSize(2), m = type.getDimSize(3);
  bool merged = weights.values.getType().getRank() == 3;
  if (axis) {
    // Scales per output channel c * M + m: the merged dimension's, or
    // those of the input channel c or of the multiplier index m.
    if (*axis < 2)
      return rewriter.notifyMatchFailure(c.op, "depthwise weights are not "
                                               "quantized per channel");
    if (!merged) {
      SmallVector<double> perOutput;
      for (int64_t ch = 0; ch < channels; ++ch)
        for (int64_t g = 0; g < m; ++g)
          perOutput.push_back(scales[*axis == 2 ? ch : g]);
      scales = perOutput;
    }
  }
  weights.values =
      weights.values.reshape(type.clone(weights.values.getElementType()));
  setWeights(c, weights, scales, codes->zeroPoint, /*transposed=*/false);
  // KH x KW x C x M.
  c.weights = groupMultiplierFilters(c.weights, type.getDimSize(0),
                                     type.getDimSize(1), channels, m,
                                     [&](int64_t t, int64_t ch, int64_t g) {
                                       return (t * channels + ch) * m + g;
                                     });
  c.groups = m;
  c.channelDim = getGroupDim(c);
  if (c.resultType.getDimSize(*c.channelDim) != channels * m)
    return rewriter.notifyMatchFailure(c.op, "depthwise channels do not "
                                             "collapse into the result's");
  return success();
}

LogicalResult qnn::matchGroupedWeights(QuantizedContraction &c,
                                       PatternRewriter &rewriter) {
  if (c.kind == ContractionKind::DepthwiseMultiplier)
    return matchMultiplierWeights(c, rewriter);
  auto groupedType = cast<RankedTensorType>(c.op->getOperand(1).getType());
  FailureOr<WeightCodes> codes =
      matchWeightCodes(c, /*splitDim=*/0, "grouped weights", rewriter);
  if (failed(codes))
    return failure();
  ConstantWeights &weights = codes->weights;
  std::optional<int64_t> axis = codes->axis;
  // Per channel only along the output channels of all groups, F first.
  bool merged = weights.values.getType().getRank() == groupedType.getRank() - 1;
  if (axis && (!merged || *axis != 0))
    return rewriter.notifyMatchFailure(c.op, "grouped weights are not "
                                             "quantized per output channel");
  c.groups = groupedType.getDimSize(0);
  c.channelDim = getGroupDim(c);
  if (!merged) {
    // G x F/G x ... -> F x ...: the same elements.
    ArrayRef<int64_t> shape = groupedType.getShape();
    SmallVector<int64_t> mergedShape = {shape[0] * shape[1]};
    llvm::append_range(mergedShape, shape.drop_front(2));
    weights.values = weights.values.reshape(
        RankedTensorType::get(mergedShape, weights.values.getElementType()));
  }
  setWeights(c, weights, codes->scales, codes->zeroPoint,
             /*transposed=*/false);
  ArrayRef<int64_t> shape = c.weights.getType().getShape();
  if (c.resultType.getDimSize(*c.channelDim) != shape[0])
    return rewriter.notifyMatchFailure(c.op, "grouped channels do not "
                                             "collapse into the result's");
  int64_t inChannels = c.nchw ? shape[1] : shape[3];
  if (inChannels == 1) {
    // One input channel per group: a depthwise convolution with a
    // multiplier of F / G. Filter c * M + m, F x 1 x KH x KW or
    // F x KH x KW x 1.
    int64_t m = shape[0] / c.groups, taps = shape[1] * shape[2] * shape[3];
    int64_t kh = c.nchw ? shape[2] : shape[1];
    int64_t kw = c.nchw ? shape[3] : shape[2];
    c.weights = groupMultiplierFilters(c.weights, kh, kw, c.groups, m,
                                       [&](int64_t t, int64_t ch, int64_t g) {
                                         return (ch * m + g) * taps + t;
                                       });
    c.kind = ContractionKind::DepthwiseMultiplier;
    c.groups = m;
  }
  return success();
}

Value qnn::getUngroupedInit(const QuantizedContraction &c) {
  linalg::LinalgOp op = c.op;
  Value init = op.getDpsInitOperand(0)->get();
  if (!isGrouped(c.kind))
    return init;
  if (auto expand = init.getDefiningOp<tensor::ExpandShapeOp>();
      expand && splitsOneDim(expand, getGroupDim(c)))
    return expand.getSrc();
  return init;
}

/// The codes of the filters of group `group` (constant, F/G x ..., or
/// KH x KW x C for a depthwise multiplier).
static Value buildGroupWeights(PatternRewriter &rewriter, Location loc,
                               const QuantizedContraction &c, int64_t group) {
  ShapedType type = c.weights.getType();
  SmallVector<int64_t> shape(type.getShape());
  int64_t perGroup = shape[0] / c.groups;
  int64_t filterSize = type.getNumElements() / shape[0];
  if (c.kind == ContractionKind::DepthwiseMultiplier)
    shape.erase(shape.begin());
  else
    shape[0] = perGroup;
  auto groupType = RankedTensorType::get(shape, type.getElementType());
  return arith::ConstantOp::create(
      rewriter, loc,
      sliceElements(c.weights, groupType, group * perGroup * filterSize));
}

/// The bias and scales of the output channels `channel(j)` of one group,
/// `perGroup` of them.
static void getGroupChannels(const QuantizedContraction &c, int64_t perGroup,
                             function_ref<int64_t(int64_t)> channel,
                             SmallVector<int32_t> &bias,
                             SmallVector<double> &scales) {
  for (int64_t j = 0; j < perGroup; ++j) {
    if (!c.bias.empty())
      bias.push_back(c.bias[channel(j)]);
    if (c.inputScales.size() > 1)
      scales.push_back(c.inputScales[channel(j)]);
  }
  if (c.inputScales.size() == 1)
    scales.push_back(c.inputScales[0]);
}

/// Grouped convolutions: one conv_2d_nchw_fchw_q or conv_2d_nhwc_fhwc_q
/// per group, on its slice of the codes, its codes side by side.
static void buildGroups(quant::QuantizeCastOp op, const QuantizedContraction &c,
                        RequantizeMode mode, PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Type i32 = rewriter.getI32Type();
  int64_t groupDim = getGroupDim(c);
  Value x = buildInputCodes(rewriter, loc, c);
  if (tensor::ExpandShapeOp expand = c.inputExpand) {
    auto type = expand.getResultType().clone(
        cast<RankedTensorType>(x.getType()).getElementType());
    x = tensor::ExpandShapeOp::create(rewriter, loc, type, x,
                                      expand.getReassociationIndices(),
                                      expand.getMixedOutputShape());
  }
  Value zx = arith::ConstantIntOp::create(rewriter, loc, i32, c.inputZero);
  Value zw = arith::ConstantIntOp::create(rewriter, loc, i32, c.weightZero);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, op.getInput());
  Value result =
      tensor::EmptyOp::create(rewriter, loc, sizes, c.outType.getStorageType());
  int64_t perGroup = c.resultType.getDimSize(groupDim) / c.groups;
  sizes[groupDim] = rewriter.getIndexAttr(perGroup);
  SmallVector<OpFoldResult> offsets(sizes.size(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(sizes.size(), rewriter.getIndexAttr(1));
  SmallVector<NamedAttribute> window = getWindowAttributes(c.op);
  for (int64_t g = 0; g < c.groups; ++g) {
    SmallVector<int32_t> bias;
    SmallVector<double> scales;
    getGroupChannels(
        c, perGroup, [&](int64_t j) { return g * perGroup + j; }, bias, scales);
    Value xg = extractGroup(rewriter, loc, x, groupDim, g);
    Value wg = buildGroupWeights(rewriter, loc, c, g);
    Value init = buildAccumulatorInit(rewriter, loc, sizes, bias, groupDim);
    SmallVector<Value> inputs = {xg, wg, zx, zw};
    Type accType = init.getType();
    Operation *conv;
    if (c.nchw)
      conv = linalg::Conv2DNchwFchwQOp::create(
          rewriter, loc, TypeRange(accType), inputs, init, window);
    else
      conv = linalg::Conv2DNhwcFhwcQOp::create(
          rewriter, loc, TypeRange(accType), inputs, init, window);
    Value codes = buildRequantize(rewriter, loc, conv->getResult(0), scales,
                                  groupDim, c, mode);
    offsets[groupDim] = rewriter.getIndexAttr(g * perGroup);
    result = tensor::InsertSliceOp::create(rewriter, loc, codes, result,
                                           offsets, sizes, strides);
  }
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, c.resultType, result);
}

/// The filters of input channel `channel` of a multiplier's
/// M x KH x KW x C codes, as KH x KW x 1 x M.
static Value buildChannelFilters(PatternRewriter &rewriter, Location loc,
                                 const QuantizedContraction &c,
                                 int64_t channel) {
  ArrayRef<int64_t> shape = c.weights.getType().getShape();
  int64_t m = shape[0], taps = shape[1] * shape[2], channels = shape[3];
  SmallVector<APInt> values(c.weights.getValues<APInt>());
  SmallVector<APInt> filters;
  for (int64_t t = 0; t < taps; ++t)
    for (int64_t g = 0; g < m; ++g)
      filters.push_back(values[(g * taps + t) * channels + channel]);
  auto type = RankedTensorType::get({shape[1], shape[2], 1, m},
                                    c.weights.getElementType());
  return arith::ConstantOp::create(rewriter, loc,
                                   DenseElementsAttr::get(type, filters));
}

/// Depthwise multipliers on the NHWC codes `x` of the whole input, into
/// the NHWC codes `result`: one depthwise_conv_2d_nhwc_hwc_q per
/// multiplier index m, its codes every M-th channel from m; or, with more
/// multiplier indices than channels, one conv_2d_nhwc_hwcf_q per input
/// channel c (its M filters, its codes the channels c * M ..), so that
/// the kernels vectorize over the larger of C and M.
static Value buildMultiplierPieces(PatternRewriter &rewriter, Location loc,
                                   const QuantizedContraction &c,
                                   RequantizeMode mode, Value x, Value result) {
  constexpr int64_t channelDim = 3;
  Type i32 = rewriter.getI32Type();
  Value zx = arith::ConstantIntOp::create(rewriter, loc, i32, c.inputZero);
  Value zw = arith::ConstantIntOp::create(rewriter, loc, i32, c.weightZero);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, result);
  int64_t m = c.groups;
  int64_t channels = c.resultType.getDimSize(getGroupDim(c)) / m;
  bool wide = m > channels;
  sizes[channelDim] = rewriter.getIndexAttr(wide ? m : channels);
  SmallVector<OpFoldResult> offsets(sizes.size(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(sizes.size(), rewriter.getIndexAttr(1));
  if (!wide)
    strides[channelDim] = rewriter.getIndexAttr(m);
  SmallVector<NamedAttribute> window = getWindowAttributes(c.op);
  for (int64_t piece = 0, e = wide ? channels : m; piece < e; ++piece) {
    SmallVector<int32_t> bias;
    SmallVector<double> scales;
    getGroupChannels(
        c, wide ? m : channels,
        [&](int64_t j) { return wide ? piece * m + j : j * m + piece; }, bias,
        scales);
    Value init = buildAccumulatorInit(rewriter, loc, sizes, bias, channelDim);
    Type accType = init.getType();
    Value acc;
    if (wide) {
      // The channel's activations, one byte apart once copied.
      SmallVector<OpFoldResult> xOffsets(4, rewriter.getIndexAttr(0));
      xOffsets[channelDim] = rewriter.getIndexAttr(piece);
      SmallVector<OpFoldResult> xSizes =
          tensor::getMixedSizes(rewriter, loc, x);
      xSizes[channelDim] = rewriter.getIndexAttr(1);
      SmallVector<OpFoldResult> ones(4, rewriter.getIndexAttr(1));
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, x, xOffsets,
                                                   xSizes, ones);
      Value empty = tensor::EmptyOp::create(
          rewriter, loc, xSizes,
          cast<RankedTensorType>(x.getType()).getElementType());
      Value xc =
          linalg::CopyOp::create(rewriter, loc, slice, empty).getResult(0);
      Value w = buildChannelFilters(rewriter, loc, c, piece);
      acc = linalg::Conv2DNhwcHwcfQOp::create(rewriter, loc, TypeRange(accType),
                                              ValueRange{xc, w, zx, zw}, init,
                                              window)
                .getResult(0);
    } else {
      Value w = buildGroupWeights(rewriter, loc, c, piece);
      acc = linalg::DepthwiseConv2DNhwcHwcQOp::create(
                rewriter, loc, TypeRange(accType), ValueRange{x, w, zx, zw},
                init, window)
                .getResult(0);
    }
    Value codes =
        buildRequantize(rewriter, loc, acc, scales, channelDim, c, mode);
    offsets[channelDim] = rewriter.getIndexAttr(wide ? piece * m : piece);
    result = tensor::InsertSliceOp::create(rewriter, loc, codes, result,
                                           offsets, sizes, strides);
  }
  return result;
}

/// Depthwise multipliers: the pieces of buildMultiplierPieces on the NHWC
/// codes of the whole input; NCHW codes are transposed in and out.
static void buildMultiplier(quant::QuantizeCastOp op,
                            const QuantizedContraction &c, RequantizeMode mode,
                            PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Value x = buildInputCodes(rewriter, loc, c);
  if (cast<RankedTensorType>(x.getType()).getRank() == 5) {
    // The groups of one channel each, merged back into channels.
    SmallVector<ReassociationIndices> merge =
        c.nchw ? SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}
               : SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}};
    x = tensor::CollapseShapeOp::create(rewriter, loc, x, merge);
  }
  if (c.nchw)
    x = buildTranspose(rewriter, loc, x, kNchwToNhwc);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, op.getInput());
  if (c.nchw)
    sizes = applyPermutation(sizes, kNchwToNhwc);
  Value result =
      tensor::EmptyOp::create(rewriter, loc, sizes, c.outType.getStorageType());
  result = buildMultiplierPieces(rewriter, loc, c, mode, x, result);
  if (c.nchw)
    result = buildTranspose(rewriter, loc, result, kNhwcToNchw);
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, c.resultType, result);
}

void qnn::buildGroupedContraction(quant::QuantizeCastOp op,
                                  const QuantizedContraction &c,
                                  RequantizeMode mode,
                                  PatternRewriter &rewriter) {
  if (c.kind == ContractionKind::DepthwiseMultiplier)
    buildMultiplier(op, c, mode, rewriter);
  else
    buildGroups(op, c, mode, rewriter);
}
