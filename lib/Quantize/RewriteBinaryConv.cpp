//===- RewriteBinaryConv.cpp - Binarized convolutions onto packed bits ----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A float 2-D convolution (NHWC x HWCF or NCHW x FCHW) of binarized
// activations, zero-padded or not, and binary or ternary constant weights
// becomes a binary (or ternary) matmul on packed bits:
//
//   p = qnn.bitpack(x)                       N x H x W x CW words (NHWC)
//   q = p padded with zero words             (packed +1: see below)
//   patches[n, oh, ow, kh, kw, cw] = q[n, oh*sh + kh*dh, ow*sw + kw*dw, cw]
//   d = qnn.binary_matmul(patches, W) k = KH * KW * C
//   y = fl32(d + corr[oh, ow, f]) * fl32(alpha_x * a_f) + init
//
// Each window position holds its channels in whole words (the bits past C
// zero in the activations and the weights). The float model pads the
// binarized activations with 0.0, which no bit can hold: a padded tap
// packs as +1 and adds sum_c w[kh, kw, c, f] to the dot product, so the
// correction corr[oh, ow, f] (computed at compile time) subtracts those
// sums over the taps of each output position that fall in the padding
// (Larq Compute Engine's zero-padding correction).
//
//===----------------------------------------------------------------------===//

#include "RewritePatterns.h"
#include "SignWeights.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Quantize/Passes.h"
#include "qnn/Utils/ConvolutionWindow.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// Everything the rewrite needs, found before any op is created.
struct BinaryConv {
  linalg::LinalgOp op;
  bool nchw = false;
  BinarizeOp activation;
  /// Padding of H and W (top, left, bottom, right), from a tensor.pad of
  /// the binarized activations with +-0.0.
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  int64_t kernelH = 0, kernelW = 0, inChannels = 0, height = 0, width = 0;
  int64_t outH = 0, outW = 0;
  /// Channels x (kh, kw, c) reduction.
  SignWeights weights;
  InitKind initKind = InitKind::None;
  Value init;
};
} // namespace

/// Matches the activations: qnn.binarize, through a tensor.pad of H and W
/// with zeros.
static LogicalResult matchActivations(BinaryConv &c, Value input,
                                      std::string &reason) {
  if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
    Value padValue = pad.getConstantPaddingValue();
    SmallVector<int64_t> low(pad.getStaticLow()), high(pad.getStaticHigh());
    int64_t h = c.nchw ? 2 : 1, w = c.nchw ? 3 : 2, ch = c.nchw ? 1 : 3;
    if (!padValue || !matchPattern(padValue, m_AnyZeroFloat()) ||
        llvm::any_of(low, ShapedType::isDynamic) ||
        llvm::any_of(high, ShapedType::isDynamic) || low[0] || high[0] ||
        low[ch] || high[ch]) {
      reason = "the activations are padded with something other than zeros "
               "on the image";
      return failure();
    }
    c.padTop = low[h];
    c.padLeft = low[w];
    c.padBottom = high[h];
    c.padRight = high[w];
    input = pad.getSource();
  }
  c.activation = input.getDefiningOp<BinarizeOp>();
  if (!c.activation) {
    reason = "the activations are not binarized";
    return failure();
  }
  if (c.activation.getAxis()) {
    reason = "the activations are binarized with one scale per index of "
             "an axis, which a binary convolution cannot factor out";
    return failure();
  }
  auto type = cast<RankedTensorType>(c.activation.getType());
  if (!type.getElementType().isF32()) {
    reason = "the convolution is not on f32";
    return failure();
  }
  c.height = type.getDimSize(c.nchw ? 2 : 1);
  c.width = type.getDimSize(c.nchw ? 3 : 2);
  return success();
}

/// Matches the weights as sign weights over (kh, kw, c).
static LogicalResult matchWeights(BinaryConv &c, std::string &reason) {
  std::optional<ConstantWeights> weights =
      matchConstantWeights(c.op.getDpsInputOperand(1)->get());
  if (!weights) {
    reason = "the weights are not a constant";
    return failure();
  }
  ArrayRef<int64_t> shape = weights->values.getType().getShape();
  // HWCF or FCHW.
  int64_t channels = c.nchw ? shape[0] : shape[3];
  c.inChannels = c.nchw ? shape[1] : shape[2];
  c.kernelH = c.nchw ? shape[2] : shape[0];
  c.kernelW = c.nchw ? shape[3] : shape[1];
  int64_t taps = c.kernelW * c.inChannels;
  FailureOr<SignWeights> signs = readSignWeights(
      getRealValues(*weights), channels, c.kernelH * taps,
      [&](int64_t f, int64_t k) {
        int64_t kh = k / taps, kw = k / c.inChannels % c.kernelW,
                ch = k % c.inChannels;
        return c.nchw
                   ? ((f * c.inChannels + ch) * c.kernelH + kh) * c.kernelW + kw
                   : ((kh * c.kernelW + kw) * c.inChannels + ch) * channels + f;
      },
      reason);
  if (failed(signs))
    return failure();
  c.weights = std::move(*signs);
  return success();
}

/// Matches `op` as a binarized convolution; the reason when it is not one.
static FailureOr<BinaryConv> matchBinaryConv(linalg::LinalgOp op,
                                             std::string &reason) {
  BinaryConv c;
  c.op = op;
  c.nchw = isa<linalg::Conv2DNchwFchwOp>(op);
  // The caller passes only named NHWC/HWCF and NCHW/FCHW convolutions.
  ConvolutionWindow window = *getConvolutionWindow(op);
  c.strideH = window.strideH;
  c.strideW = window.strideW;
  c.dilationH = window.dilationH;
  c.dilationW = window.dilationW;
  if (!op.hasPureTensorSemantics() ||
      failed(matchActivations(c, op.getDpsInputOperand(0)->get(), reason)) ||
      failed(matchWeights(c, reason)))
    return failure();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType.getElementType().isF32()) {
    reason = "the convolution is not on f32";
    return failure();
  }
  c.outH = resultType.getDimSize(c.nchw ? 2 : 1);
  c.outW = resultType.getDimSize(c.nchw ? 3 : 2);
  auto inputType = cast<RankedTensorType>(c.activation.getType());
  if (llvm::any_of(resultType.getShape().drop_front(), ShapedType::isDynamic) ||
      llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic)) {
    reason = "a shape other than the batch is dynamic";
    return failure();
  }
  std::tie(c.initKind, c.init) =
      matchContractionInit(op.getDpsInitOperand(0)->get(), c.nchw ? 1 : 3, 4);
  return c;
}

/// The zero-padding correction per (oh, ow, f): minus the sum of the
/// weights under the taps that fall in the padding. Null without padding.
static DenseElementsAttr buildCorrection(MLIRContext *ctx,
                                         const BinaryConv &c) {
  if (!c.padTop && !c.padLeft && !c.padBottom && !c.padRight)
    return {};
  int64_t channels = c.weights.channels;
  // Sum over the input channels of each tap's weights, per channel.
  SmallVector<int64_t> tapSums(c.kernelH * c.kernelW * channels, 0);
  for (int64_t f = 0; f < channels; ++f)
    for (int64_t k = 0; k < c.weights.reduction; ++k) {
      int64_t i = f * c.weights.reduction + k;
      if (!c.weights.zero[i])
        tapSums[(k / c.inChannels) * channels + f] +=
            c.weights.negative[i] ? -1 : 1;
    }
  SmallVector<int32_t> correction(c.outH * c.outW * channels, 0);
  for (int64_t oh = 0; oh < c.outH; ++oh)
    for (int64_t ow = 0; ow < c.outW; ++ow)
      for (int64_t kh = 0; kh < c.kernelH; ++kh)
        for (int64_t kw = 0; kw < c.kernelW; ++kw) {
          int64_t y = oh * c.strideH + kh * c.dilationH - c.padTop;
          int64_t x = ow * c.strideW + kw * c.dilationW - c.padLeft;
          if (y >= 0 && y < c.height && x >= 0 && x < c.width)
            continue;
          for (int64_t f = 0; f < channels; ++f)
            correction[(oh * c.outW + ow) * channels + f] -=
                tapSums[(kh * c.kernelW + kw) * channels + f];
        }
  return DenseElementsAttr::get(
      RankedTensorType::get({c.outH, c.outW, channels},
                            IntegerType::get(ctx, 32)),
      ArrayRef<int32_t>(correction));
}

/// The weights' bit planes over (kh, kw, cw words), each window position's
/// channels padded to whole words: F x (KH * KW * CW * 32) bits.
static SmallVector<bool> getTapBits(const BinaryConv &c, ArrayRef<bool> bits) {
  int64_t words = llvm::divideCeil(c.inChannels, 32);
  int64_t taps = c.kernelH * c.kernelW, length = taps * words * 32;
  SmallVector<bool> padded(c.weights.channels * length, false);
  for (int64_t f = 0; f < c.weights.channels; ++f)
    for (int64_t k = 0; k < c.weights.reduction; ++k)
      padded[f * length + (k / c.inChannels) * words * 32 + k % c.inChannels] =
          bits[f * c.weights.reduction + k];
  return padded;
}

/// The i32 dot products of each output pixel (N * OH * OW rows) with each
/// channel, on packed bits, before the padding correction.
static Value buildDot(PatternRewriter &rewriter, Location loc,
                      const BinaryConv &c) {
  MLIRContext *ctx = rewriter.getContext();
  Type i32 = rewriter.getI32Type();
  BinarizeOp activation = c.activation;
  Value x = activation.getInput();
  if (c.nchw) {
    // NCHW -> NHWC: the channels innermost, as qnn.bitpack packs them.
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, {sizes[0], sizes[2], sizes[3], sizes[1]},
        rewriter.getF32Type());
    x = linalg::TransposeOp::create(rewriter, loc, x, empty,
                                    ArrayRef<int64_t>{0, 2, 3, 1})
            ->getResult(0);
  }
  auto xType = cast<RankedTensorType>(activation.getType());
  int64_t batch = xType.getDimSize(0);
  int64_t words = llvm::divideCeil(c.inChannels, 32);
  Value packed = BitpackOp::create(
      rewriter, loc,
      RankedTensorType::get({batch, c.height, c.width, words}, i32), x);
  if (c.padTop || c.padLeft || c.padBottom || c.padRight) {
    auto index = [&](int64_t v) { return rewriter.getIndexAttr(v); };
    SmallVector<OpFoldResult> low = {index(0), index(c.padTop),
                                     index(c.padLeft), index(0)};
    SmallVector<OpFoldResult> high = {index(0), index(c.padBottom),
                                      index(c.padRight), index(0)};
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0));
    packed = tensor::PadOp::create(
        rewriter, loc,
        RankedTensorType::get({batch, c.height + c.padTop + c.padBottom,
                               c.width + c.padLeft + c.padRight, words},
                              i32),
        packed, low, high, zero);
  }
  // Patches: N x OH x OW x KH x KW x CW words.
  SmallVector<int64_t> patchShape = {batch,     c.outH,    c.outW,
                                     c.kernelH, c.kernelW, words};
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(batch))
    dynamic.push_back(tensor::DimOp::create(rewriter, loc, packed, 0));
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, patchShape, i32, dynamic);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap read = AffineMap::get(6, 0,
                                  {d(0), d(1) * c.strideH + d(3) * c.dilationH,
                                   d(2) * c.strideW + d(4) * c.dilationW, d(5)},
                                  ctx);
  Value patches =
      linalg::GenericOp::create(
          rewriter, loc, empty.getType(), packed, empty,
          {read, AffineMap::getMultiDimIdentityMap(6, ctx)},
          SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
          [](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, args[0]);
          })
          .getResult(0);
  int64_t rowWords = c.kernelH * c.kernelW * words;
  int64_t rows = ShapedType::isDynamic(batch) ? ShapedType::kDynamic
                                              : batch * c.outH * c.outW;
  Value matrix = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({rows, rowWords}, i32), patches,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
  int64_t length = rowWords * 32, channels = c.weights.channels;
  Value signs = arith::ConstantOp::create(
      rewriter, loc,
      packBits(ctx, getTapBits(c, c.weights.negative), channels, length));
  auto dotType = RankedTensorType::get({rows, channels}, i32);
  int64_t k = c.weights.reduction;
  if (!c.weights.ternary)
    return BinaryMatmulOp::create(rewriter, loc, dotType, matrix, signs, k);
  SmallVector<bool> nonzero;
  for (bool isZero : c.weights.zero)
    nonzero.push_back(!isZero);
  Value mask = arith::ConstantOp::create(
      rewriter, loc, packBits(ctx, getTapBits(c, nonzero), channels, length));
  return TernaryMatmulOp::create(rewriter, loc, dotType, matrix, signs, mask,
                                 k);
}

/// y = fl32(d + corr) * fl32(alpha_x * a_f) + init, in the convolution's
/// layout.
static Value buildEpilogue(PatternRewriter &rewriter, Location loc,
                           const BinaryConv &c, Value dot, Value alphaX) {
  MLIRContext *ctx = rewriter.getContext();
  Type f32 = rewriter.getF32Type();
  auto resultType = cast<RankedTensorType>(c.op->getResult(0).getType());
  int64_t batch = resultType.getDimSize(0), channels = c.weights.channels;
  // The dot products as N x OH x OW x F (N: rows / (OH * OW)).
  OpFoldResult batchSize = rewriter.getIndexAttr(batch);
  if (ShapedType::isDynamic(batch)) {
    Value rows = tensor::DimOp::create(rewriter, loc, dot, 0);
    Value pixelsPerImage =
        arith::ConstantIndexOp::create(rewriter, loc, c.outH * c.outW);
    batchSize =
        arith::DivUIOp::create(rewriter, loc, rows, pixelsPerImage).getResult();
  }
  Value pixels = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({batch, c.outH, c.outW, channels},
                            rewriter.getI32Type()),
      dot, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}},
      ArrayRef<OpFoldResult>{batchSize, rewriter.getIndexAttr(c.outH),
                             rewriter.getIndexAttr(c.outW),
                             rewriter.getIndexAttr(channels)});
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Iteration over the result: (n, h, w, f) or (n, f, h, w).
  AffineExpr n = d(0), h = d(c.nchw ? 2 : 1), w = d(c.nchw ? 3 : 2),
             f = d(c.nchw ? 1 : 3);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  Value multipliers = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({channels}, f32),
                             ArrayRef<float>(c.weights.alphas)));
  SmallVector<Value> inputs = {pixels, multipliers};
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {n, h, w, f}, ctx),
                                 AffineMap::get(4, 0, {f}, ctx)};
  DenseElementsAttr correction = buildCorrection(ctx, c);
  if (correction) {
    inputs.push_back(arith::ConstantOp::create(rewriter, loc, correction));
    maps.push_back(AffineMap::get(4, 0, {h, w, f}, ctx));
  }
  if (c.initKind == InitKind::PerChannel || c.initKind == InitKind::Full) {
    inputs.push_back(c.init);
    maps.push_back(c.initKind == InitKind::Full
                       ? identity
                       : AffineMap::get(4, 0, {f}, ctx));
  }
  maps.push_back(identity);
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, resultType.getShape(), f32,
      ShapedType::isDynamic(batch)
          ? ValueRange{tensor::DimOp::create(rewriter, loc, pixels, 0)}
          : ValueRange{});
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultType, inputs, empty, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value dotValue = args[0];
        unsigned next = 2;
        if (correction)
          dotValue = arith::AddIOp::create(b, loc, dotValue, args[next++]);
        Value m = args[1];
        if (alphaX)
          m = arith::MulFOp::create(b, loc, alphaX, m);
        Value y = arith::SIToFPOp::create(b, loc, f32, dotValue);
        y = arith::MulFOp::create(b, loc, y, m);
        if (c.initKind == InitKind::Scalar)
          y = arith::AddFOp::create(b, loc, c.init, y);
        else if (c.initKind != InitKind::None)
          y = arith::AddFOp::create(b, loc, args[next], y);
        linalg::YieldOp::create(b, loc, ValueRange{y});
      });
  return generic.getResult(0);
}

namespace {
template <typename ConvOp>
struct RewriteBinaryConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    std::string reason;
    FailureOr<BinaryConv> c =
        matchBinaryConv(cast<linalg::LinalgOp>(op.getOperation()), reason);
    if (failed(c))
      return rewriter.notifyMatchFailure(op, reason);
    Location loc = op.getLoc();
    Value dot = buildDot(rewriter, loc, *c);
    Value alphaX = buildActivationScale(rewriter, loc, c->activation);
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, *c, dot, alphaX));
    return success();
  }
};
} // namespace

LogicalResult qnn::explainBinaryConv(Operation *op, std::string &reason) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp ||
      !isa<linalg::Conv2DNhwcHwcfOp, linalg::Conv2DNchwFchwOp>(op)) {
    reason = "not a 2-D convolution";
    return failure();
  }
  return matchBinaryConv(linalgOp, reason);
}

void qnn::populateRewriteBinaryConvPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteBinaryConv<linalg::Conv2DNhwcHwcfOp>,
               RewriteBinaryConv<linalg::Conv2DNchwFchwOp>>(
      patterns.getContext());
}
