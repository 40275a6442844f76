//===- EliminateSparsity.cpp - Remove pruned channels and zero compute ----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Structured sparsity: an output channel of a matmul whose weight column and
// bias are all zero produces zeros; when every operation up to the next
// matmul maps 0 to 0, that channel contributes nothing there either, so the
// column, the bias entry, the channel of the intermediate values and the
// matching row of the next weights are removed physically (QONNX's
// RemoveMaskedChannels). Also, a matmul with all-zero constant weights is
// its initial value.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Dialect/QNN/Utils/ContractionInit.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNELIMINATESPARSITYPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// Whether element `i` of a dense constant is zero (as a real value for
/// stored codes: the code equals the zero point of its channel).
static SmallVector<bool> getZeroElements(const ConstantWeights &weights) {
  SmallVector<bool> zero;
  if (!weights.type) {
    for (APFloat v : weights.values.getValues<APFloat>())
      zero.push_back(v.isZero());
    return zero;
  }
  auto shape = weights.values.getType().getShape();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weights.type);
  auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights.type);
  for (auto [i, code] : llvm::enumerate(weights.values.getValues<APInt>())) {
    int64_t zp = perTensor ? perTensor.getZeroPoint() : 0;
    if (perAxis) {
      int64_t axis = perAxis.getQuantizedDimension();
      int64_t stride = 1;
      for (size_t d = axis + 1; d < shape.size(); ++d)
        stride *= shape[d];
      zp = perAxis.getZeroPoints()[(i / stride) % shape[axis]];
    }
    int64_t value = weights.type.isSigned()
                        ? code.getSExtValue()
                        : static_cast<int64_t>(code.getZExtValue());
    zero.push_back(value == zp);
  }
  return zero;
}

/// Returns the indices along `dim` whose slice of the weights is all zero.
static SmallVector<int64_t> getZeroSlices(const ConstantWeights &weights,
                                          int64_t dim) {
  auto shape = weights.values.getType().getShape();
  int64_t stride = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d)
    stride *= shape[d];
  SmallVector<bool> allZero(shape[dim], true);
  for (auto [i, zero] : llvm::enumerate(getZeroElements(weights)))
    if (!zero)
      allZero[(i / stride) % shape[dim]] = false;
  SmallVector<int64_t> indices;
  for (auto [i, zero] : llvm::enumerate(allZero))
    if (zero)
      indices.push_back(i);
  return indices;
}

/// Removes the indices `removed` along `dim` of a dense constant.
static DenseElementsAttr dropSlices(DenseElementsAttr values, int64_t dim,
                                    ArrayRef<int64_t> removed) {
  auto type = values.getType();
  auto shape = type.getShape();
  int64_t stride = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d)
    stride *= shape[d];
  SmallVector<Attribute> kept;
  for (auto [i, v] : llvm::enumerate(values.getValues<Attribute>()))
    if (!llvm::is_contained(removed, (i / stride) % shape[dim]))
      kept.push_back(v);
  SmallVector<int64_t> newShape(shape);
  newShape[dim] -= removed.size();
  return DenseElementsAttr::get(type.clone(newShape), kept);
}

/// Materializes weights without the indices `removed` along `dim`.
static Value buildWeights(PatternRewriter &rewriter, Location loc,
                          const ConstantWeights &weights, int64_t dim,
                          ArrayRef<int64_t> removed) {
  DenseElementsAttr values = dropSlices(weights.values, dim, removed);
  Value constant = arith::ConstantOp::create(rewriter, loc, values);
  if (!weights.type)
    return constant;
  quant::QuantizedType type = weights.type;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (perAxis && perAxis.getQuantizedDimension() == dim) {
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    for (auto [i, s, z] :
         llvm::enumerate(perAxis.getScales(), perAxis.getZeroPoints()))
      if (!llvm::is_contained(removed, static_cast<int64_t>(i))) {
        scales.push_back(s);
        zeroPoints.push_back(z);
      }
    type = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), scales, zeroPoints, dim,
        perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  }
  auto valuesType = cast<RankedTensorType>(values.getType());
  Value quantized = quant::StorageCastOp::create(
      rewriter, loc, valuesType.clone(type), constant);
  return quant::DequantizeCastOp::create(
      rewriter, loc, valuesType.clone(type.getExpressedType()), quantized);
}

/// Whether `op` is element-wise, shape-preserving, maps 0 to 0 and can be
/// rebuilt with fewer channels.
static bool preservesZero(Operation *op) {
  if (isa<arith::MaximumFOp, arith::MinimumFOp>(op)) {
    DenseElementsAttr bound;
    if (!matchPattern(op->getOperand(1), m_Constant(&bound)) ||
        !bound.isSplat())
      return false;
    double c = bound.getSplatValue<APFloat>().convertToDouble();
    return isa<arith::MaximumFOp>(op) ? c <= 0.0 : c >= 0.0;
  }
  if (auto fq = dyn_cast<FakeQuantOp>(op))
    return isa<quant::UniformQuantizedType>(fq.getQtype());
  if (isa<quant::QuantizeCastOp, quant::DequantizeCastOp>(op))
    return isa<quant::UniformQuantizedType>(
               getElementTypeOrSelf(op->getResult(0).getType())) ||
           isa<quant::UniformQuantizedType>(
               getElementTypeOrSelf(op->getOperand(0).getType()));
  return false;
}

/// Where a contraction keeps its channels: the weight dimensions of its
/// output and input channels, and the channel dimension of its input and
/// result activations.
struct ChannelDims {
  int64_t weightOut;
  int64_t weightIn;
  int64_t activation;
};

/// The channel dimensions of the contractions whose channels can be
/// removed: matmuls (K x N weights, default maps), NHWC/HWCF and NCHW/FCHW
/// convolutions; std::nullopt for other operations.
static std::optional<ChannelDims> getChannelDims(Operation *op) {
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
    return matmul.getIndexingMapsArray() ==
                   linalg::MatmulOp::getDefaultIndexingMaps(op->getContext())
               ? std::optional<ChannelDims>(ChannelDims{1, 0, 1})
               : std::nullopt;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return ChannelDims{3, 2, 3};
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return ChannelDims{0, 1, 1};
  return std::nullopt;
}

/// Returns `type` (a ranked tensor) with dimension `dim` set to `size`.
static RankedTensorType withDim(Type type, int64_t dim, int64_t size) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  shape[dim] = size;
  return ranked.clone(shape);
}

/// Whether a tensor.pad pads with 0.0 and leaves dimension `dim` alone.
static bool isZeroPadOutside(tensor::PadOp pad, int64_t dim) {
  Value padding = pad.getConstantPaddingValue();
  FloatAttr zero;
  if (!padding || !matchPattern(padding, m_Constant(&zero)) ||
      !zero.getValue().isZero())
    return false;
  auto isZero = [](OpFoldResult v) {
    std::optional<int64_t> c = getConstantIntValue(v);
    return c && *c == 0;
  };
  return isZero(pad.getMixedLowPad()[dim]) &&
         isZero(pad.getMixedHighPad()[dim]);
}

namespace {
/// Removes the all-zero output channels of a matmul or convolution feeding
/// another one.
struct RemoveZeroChannels : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp consumer,
                                PatternRewriter &rewriter) const override {
    std::optional<ChannelDims> consumerDims =
        getChannelDims(consumer.getOperation());
    if (!consumerDims || !consumer.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(consumer, "not a matmul or conv");
    int64_t channelDim = consumerDims->activation;
    // Walk back from the consumer's input to the producer.
    SmallVector<Operation *> chain;
    Value value = consumer.getDpsInputOperand(0)->get();
    Operation *producerOp = nullptr;
    while (Operation *op = value.getDefiningOp()) {
      if (getChannelDims(op)) {
        producerOp = op;
        break;
      }
      auto pad = dyn_cast<tensor::PadOp>(op);
      if (!value.hasOneUse() ||
          (!preservesZero(op) && !(pad && isZeroPadOutside(pad, channelDim))))
        return rewriter.notifyMatchFailure(consumer, "no zero-preserving "
                                                     "path to a contraction");
      chain.push_back(op);
      value = op->getOperand(0);
    }
    if (!producerOp)
      return rewriter.notifyMatchFailure(consumer, "no producer");
    auto producer = cast<linalg::LinalgOp>(producerOp);
    int64_t producerDim = getChannelDims(producerOp)->weightOut;
    if (!value.hasOneUse() || !producer.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(consumer, "producer is shared");
    if (getChannelDims(producerOp)->activation != channelDim)
      return rewriter.notifyMatchFailure(consumer, "channel layouts differ");
    std::optional<ConstantWeights> w1 =
        matchConstantWeights(producer.getDpsInputOperand(1)->get());
    std::optional<ConstantWeights> w2 =
        matchConstantWeights(consumer.getDpsInputOperand(1)->get());
    if (!w1 || !w2)
      return rewriter.notifyMatchFailure(consumer, "weights not constant");

    // Zero channels: zero weight slices with a zero (or no) bias.
    SmallVector<int64_t> zero = getZeroSlices(*w1, producerDim);
    Value init = producer.getDpsInitOperand(0)->get();
    auto producerType = cast<RankedTensorType>(value.getType());
    int64_t rank = producerType.getRank();
    FailureOr<std::optional<ConstantBias>> initBias =
        matchContractionInit(init);
    if (failed(initBias) ||
        (*initBias && (*initBias)->channelDim != channelDim))
      return rewriter.notifyMatchFailure(consumer, "unknown initial value");
    DenseElementsAttr bias;
    if (*initBias) {
      bias = (*initBias)->values;
      auto values = llvm::to_vector(bias.getValues<APFloat>());
      llvm::erase_if(zero, [&](int64_t n) { return !values[n].isZero(); });
    }
    int64_t channels = producerType.getShape()[channelDim];
    if (zero.empty() || static_cast<int64_t>(zero.size()) == channels)
      return rewriter.notifyMatchFailure(consumer, "no removable channel");
    int64_t kept = channels - zero.size();

    // The narrower producer: a clone with the narrower weights and init.
    Location loc = producer.getLoc();
    rewriter.setInsertionPoint(consumer);
    Value newW1 = buildWeights(rewriter, loc, *w1, producerDim, zero);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, init);
    sizes[channelDim] = rewriter.getIndexAttr(kept);
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes,
                                          producerType.getElementType());
    Value newInit;
    if (bias) {
      Value biasConst =
          arith::ConstantOp::create(rewriter, loc, dropSlices(bias, 0, zero));
      SmallVector<int64_t> dims;
      for (int64_t d = 0; d < rank; ++d)
        if (d != channelDim)
          dims.push_back(d);
      newInit =
          linalg::BroadcastOp::create(rewriter, loc, biasConst, empty, dims)
              .getResult()[0];
    } else {
      Value zeroValue = arith::ConstantOp::create(
          rewriter, loc, rewriter.getZeroAttr(producerType.getElementType()));
      newInit =
          linalg::FillOp::create(rewriter, loc, zeroValue, empty).getResult(0);
    }
    Operation *newProducer = rewriter.clone(*producerOp);
    newProducer->setOperand(1, newW1);
    newProducer->setOperand(2, newInit);
    newProducer->getResult(0).setType(withDim(producerType, channelDim, kept));
    Value current = newProducer->getResult(0);

    // The element-wise chain (and zero padding), with fewer channels.
    for (Operation *op : llvm::reverse(chain)) {
      IRMapping mapping;
      mapping.map(op->getOperand(0), current);
      if (isa<arith::MaximumFOp, arith::MinimumFOp>(op)) {
        DenseElementsAttr bound;
        matchPattern(op->getOperand(1), m_Constant(&bound));
        mapping.map(
            op->getOperand(1),
            arith::ConstantOp::create(
                rewriter, op->getLoc(),
                bound.resizeSplat(withDim(bound.getType(), channelDim, kept))));
      }
      Operation *clone = rewriter.clone(*op, mapping);
      clone->getResult(0).setType(
          withDim(op->getResult(0).getType(), channelDim, kept));
      current = clone->getResult(0);
    }
    Value newW2 =
        buildWeights(rewriter, loc, *w2, consumerDims->weightIn, zero);
    rewriter.modifyOpInPlace(consumer, [&] {
      consumer->setOperand(0, current);
      consumer->setOperand(1, newW2);
    });
    return success();
  }
};

/// A matmul or convolution with all-zero constant weights is its initial
/// value.
struct FoldZeroWeights : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp>(
            op.getOperation()) ||
        !op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not a matmul or convolution");
    std::optional<ConstantWeights> weights =
        matchConstantWeights(op.getDpsInputOperand(1)->get());
    if (!weights || !llvm::all_of(getZeroElements(*weights),
                                  [](bool zero) { return zero; }))
      return rewriter.notifyMatchFailure(op, "weights are not all zero");
    rewriter.replaceOp(op, op.getDpsInitOperand(0)->get());
    return success();
  }
};

/// The per-column dequantization of stored weight codes: w = (q - zp) * s.
struct ColumnParams {
  SmallVector<float> scales, zeroPoints;
};

/// The per-column parameters of weights (K x N) stored as codes, per tensor
/// or per axis 1; std::nullopt for other quantized types.
static std::optional<ColumnParams> getColumnParams(quant::QuantizedType type,
                                                   int64_t n) {
  ColumnParams params;
  if (!type.getExpressedType().isF32())
    return std::nullopt;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.scales.assign(n, static_cast<float>(perTensor.getScale()));
    params.zeroPoints.assign(n, static_cast<float>(perTensor.getZeroPoint()));
    return params;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getQuantizedDimension() != 1)
    return std::nullopt;
  for (auto [scale, zeroPoint] :
       llvm::zip(perAxis.getScales(), perAxis.getZeroPoints())) {
    params.scales.push_back(static_cast<float>(scale));
    params.zeroPoints.push_back(static_cast<float>(zeroPoint));
  }
  return params;
}

/// A matmul whose constant weights W (K x N) are mostly zero becomes loops
/// over their nonzeros, stored column by column (CSC: for output n, the
/// rows k and values of its nonzeros in increasing k):
///   y[m, n] = init[m, n] + sum_j x[m, rows[j]] * values[j],
///   j in [starts[n], starts[n + 1]).
/// Weights stored as integer codes (weight-only quantization: x is plain
/// f32) keep their codes; each value is dequantized in the loop as the
/// `quant.dcast` lowering does, (f32(q) - zp[n]) * s[n], and codes equal to
/// their zero point are the zeros. Each sum visits the nonzero terms in the
/// order of the dense loop, so for finite inputs the result is the dense
/// one bit for bit (the skipped terms are exact zeros).
struct CompressSparseWeights : OpRewritePattern<linalg::MatmulOp> {
  CompressSparseWeights(MLIRContext *ctx, double threshold)
      : OpRewritePattern(ctx), threshold(threshold) {}

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() !=
            linalg::MatmulOp::getDefaultIndexingMaps(getContext()))
      return rewriter.notifyMatchFailure(op, "not a plain matmul");
    std::optional<ConstantWeights> weights =
        matchConstantWeights(op.getDpsInputOperand(1)->get());
    if (!weights || !getElementTypeOrSelf(op.getType(0)).isF32() ||
        !getElementTypeOrSelf(op.getDpsInputOperand(0)->get()).isF32() ||
        (!weights->type && !weights->values.getElementType().isF32()))
      return rewriter.notifyMatchFailure(op, "not an f32 matmul with "
                                             "constant weights");
    auto shape = weights->values.getType().getShape();
    int64_t k = shape[0], n = shape[1];
    std::optional<ColumnParams> columns;
    if (weights->type) {
      // Quantized activations (a dequantize, or a fake quantization that
      // --qnn-rewrite-int8 expands into one) are the int8 rewrite's.
      Operation *x = op.getDpsInputOperand(0)->get().getDefiningOp();
      if (isa_and_nonnull<quant::DequantizeCastOp, FakeQuantOp>(x))
        return rewriter.notifyMatchFailure(op, "activations are quantized");
      columns = getColumnParams(weights->type, n);
      if (!columns)
        return rewriter.notifyMatchFailure(op, "not per tensor or per column");
    }
    SmallVector<bool> isZero = getZeroElements(*weights);
    // Flat indices of the nonzeros, in CSC order.
    SmallVector<int64_t> starts{0}, rows, nonzeros;
    for (int64_t col = 0; col < n; ++col) {
      for (int64_t row = 0; row < k; ++row)
        if (!isZero[row * n + col]) {
          rows.push_back(row);
          nonzeros.push_back(row * n + col);
        }
      starts.push_back(static_cast<int64_t>(rows.size()));
    }
    double zeros = 1.0 - static_cast<double>(nonzeros.size()) /
                             static_cast<double>(std::max<int64_t>(k * n, 1));
    if (zeros < threshold)
      return rewriter.notifyMatchFailure(op, "not sparse enough");

    Location loc = op.getLoc();
    Type index = rewriter.getIndexType();
    auto indexTensor = [&](ArrayRef<int64_t> data) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    rewriter.getI64Type()),
              data));
    };
    Value startsTensor = indexTensor(starts);
    // An empty tensor cannot hold a nonzero: pad to one element.
    if (rows.empty()) {
      rows.push_back(0);
      nonzeros.push_back(0);
    }
    Value rowsTensor = indexTensor(rows);
    auto valuesType =
        RankedTensorType::get({static_cast<int64_t>(nonzeros.size())},
                              weights->values.getElementType());
    DenseElementsAttr valuesAttr;
    if (columns) {
      auto codes = llvm::to_vector(weights->values.getValues<APInt>());
      valuesAttr = DenseElementsAttr::get(
          valuesType,
          llvm::map_to_vector(nonzeros, [&](int64_t i) { return codes[i]; }));
    } else {
      auto dense = llvm::to_vector(weights->values.getValues<float>());
      SmallVector<float> values =
          llvm::map_to_vector(nonzeros, [&](int64_t i) { return dense[i]; });
      valuesAttr = DenseElementsAttr::get(valuesType, ArrayRef<float>(values));
    }
    Value valuesTensor = arith::ConstantOp::create(rewriter, loc, valuesAttr);
    auto floatTensor = [&](ArrayRef<float> data) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({n}, rewriter.getF32Type()), data));
    };
    Value scales, zeroPoints;
    if (columns) {
      scales = floatTensor(columns->scales);
      zeroPoints = floatTensor(columns->zeroPoints);
    }
    Value x = op.getDpsInputOperand(0)->get();
    Value init = op.getDpsInitOperand(0)->get();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value rowsCount = tensor::DimOp::create(rewriter, loc, init, 0);
    Value colsCount = arith::ConstantIndexOp::create(rewriter, loc, n);
    auto toIndex = [&](OpBuilder &b, Location l, Value tensor, Value at) {
      Value v = tensor::ExtractOp::create(b, l, tensor, at);
      return arith::IndexCastOp::create(b, l, index, v).getResult();
    };
    auto outer = scf::ForOp::create(
        rewriter, loc, zero, colsCount, one, ValueRange{init},
        [&](OpBuilder &b, Location l, Value col, ValueRange acc) {
          Value begin = toIndex(b, l, startsTensor, col);
          Value next = arith::AddIOp::create(b, l, col, one);
          Value end = toIndex(b, l, startsTensor, next);
          Value scale, zeroPoint;
          if (columns) {
            scale = tensor::ExtractOp::create(b, l, scales, col);
            zeroPoint = tensor::ExtractOp::create(b, l, zeroPoints, col);
          }
          auto perRow = scf::ForOp::create(
              b, l, zero, rowsCount, one, acc,
              [&](OpBuilder &b2, Location l2, Value row, ValueRange acc2) {
                Value start = tensor::ExtractOp::create(b2, l2, acc2[0],
                                                        ValueRange{row, col});
                auto sum = scf::ForOp::create(
                    b2, l2, begin, end, one, ValueRange{start},
                    [&](OpBuilder &b3, Location l3, Value j, ValueRange s) {
                      Value kk = toIndex(b3, l3, rowsTensor, j);
                      Value w =
                          tensor::ExtractOp::create(b3, l3, valuesTensor, j);
                      if (columns)
                        w = dequantize(b3, l3, w, scale, zeroPoint,
                                       weights->type.isSigned());
                      Value xv = tensor::ExtractOp::create(b3, l3, x,
                                                           ValueRange{row, kk});
                      Value product = arith::MulFOp::create(b3, l3, xv, w);
                      scf::YieldOp::create(
                          b3, l3,
                          arith::AddFOp::create(b3, l3, s[0], product)
                              .getResult());
                    });
                Value updated = tensor::InsertOp::create(
                    b2, l2, sum.getResult(0), acc2[0], ValueRange{row, col});
                scf::YieldOp::create(b2, l2, updated);
              });
          scf::YieldOp::create(b, l, perRow.getResult(0));
        });
    rewriter.replaceOp(op, outer.getResult(0));
    return success();
  }

  /// (f32(q) - zp) * s, the `quant.dcast` lowering's arithmetic.
  static Value dequantize(OpBuilder &b, Location loc, Value code, Value scale,
                          Value zeroPoint, bool isSigned) {
    Type f32 = b.getF32Type();
    Value real = isSigned
                     ? arith::SIToFPOp::create(b, loc, f32, code).getResult()
                     : arith::UIToFPOp::create(b, loc, f32, code).getResult();
    return arith::MulFOp::create(
        b, loc, arith::SubFOp::create(b, loc, real, zeroPoint), scale);
  }

  double threshold;
};

/// Removes structurally pruned channels and computation on zero weights.
struct QNNEliminateSparsityPass
    : qnn::impl::QNNEliminateSparsityPassBase<QNNEliminateSparsityPass> {
  using QNNEliminateSparsityPassBase::QNNEliminateSparsityPassBase;

  void runOnOperation() override {
    // Folding stays off: upstream folds dcast(qcast(x)) between layers.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    // Structure first (removed channels, zero weights), then compression of
    // what stays sparse.
    RewritePatternSet structured(&getContext());
    populateEliminateSparsityPatterns(structured);
    if (failed(applyPatternsGreedily(getOperation(), std::move(structured),
                                     config)))
      return signalPassFailure();
    if (compressThreshold > 1.0)
      return;
    RewritePatternSet compressed(&getContext());
    compressed.add<CompressSparseWeights>(&getContext(), compressThreshold);
    if (failed(applyPatternsGreedily(getOperation(), std::move(compressed),
                                     config)))
      return signalPassFailure();
  }
};
} // namespace

void qnn::populateEliminateSparsityPatterns(RewritePatternSet &patterns) {
  patterns.add<RemoveZeroChannels, FoldZeroWeights>(patterns.getContext());
  // Masks of all ones and masks of constants fold.
  populateFoldConstantMaskPatterns(patterns);
}
