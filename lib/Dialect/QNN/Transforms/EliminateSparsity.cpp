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
#include "qnn/Utils/PatternDriver.h"

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

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNELIMINATESPARSITYPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

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
/// Removable output channels of a producer contraction that reaches a
/// consumer contraction through zero-preserving ops, found before anything
/// is built.
struct ZeroChannels {
  linalg::LinalgOp producer, consumer;
  /// The ops from the producer to the consumer, consumer side first.
  SmallVector<Operation *> chain;
  ConstantWeights producerWeights, consumerWeights;
  ChannelDims producerDims, consumerDims;
  /// The activations between them, with their channels in `channelDim`.
  RankedTensorType activationType;
  int64_t channelDim = 0;
  /// The removed channels, the bias (null: zeros) and the kept count.
  SmallVector<int64_t> removed;
  DenseElementsAttr bias;
  int64_t kept = 0;
};
} // namespace

/// Walks back from the consumer's input through zero-preserving ops to the
/// producer contraction.
static LogicalResult matchChain(ZeroChannels &m, PatternRewriter &rewriter) {
  Value value = m.consumer.getDpsInputOperand(0)->get();
  Operation *producer = nullptr;
  while (Operation *op = value.getDefiningOp()) {
    if (getChannelDims(op)) {
      producer = op;
      break;
    }
    auto pad = dyn_cast<tensor::PadOp>(op);
    if (!value.hasOneUse() ||
        (!preservesZero(op) && !(pad && isZeroPadOutside(pad, m.channelDim))))
      return rewriter.notifyMatchFailure(m.consumer, "no zero-preserving "
                                                     "path to a contraction");
    m.chain.push_back(op);
    value = op->getOperand(0);
  }
  if (!producer)
    return rewriter.notifyMatchFailure(m.consumer, "no producer");
  m.producer = cast<linalg::LinalgOp>(producer);
  m.producerDims = *getChannelDims(producer);
  m.activationType = cast<RankedTensorType>(value.getType());
  if (!value.hasOneUse() || !m.producer.hasPureTensorSemantics())
    return rewriter.notifyMatchFailure(m.consumer, "producer is shared");
  if (m.producerDims.activation != m.channelDim)
    return rewriter.notifyMatchFailure(m.consumer, "channel layouts differ");
  return success();
}

/// The channels whose producer weights and bias are all zero.
static LogicalResult matchRemovedChannels(ZeroChannels &m,
                                          PatternRewriter &rewriter) {
  m.removed = getZeroSlices(m.producerWeights, m.producerDims.weightOut);
  FailureOr<std::optional<ConstantBias>> bias =
      matchContractionInit(m.producer.getDpsInitOperand(0)->get());
  if (failed(bias) || (*bias && (*bias)->channelDim != m.channelDim))
    return rewriter.notifyMatchFailure(m.consumer, "unknown initial value");
  if (*bias) {
    m.bias = (*bias)->values;
    auto values = llvm::to_vector(m.bias.getValues<APFloat>());
    llvm::erase_if(m.removed, [&](int64_t n) { return !values[n].isZero(); });
  }
  int64_t channels = m.activationType.getShape()[m.channelDim];
  if (m.removed.empty() || static_cast<int64_t>(m.removed.size()) == channels)
    return rewriter.notifyMatchFailure(m.consumer, "no removable channel");
  m.kept = channels - m.removed.size();
  return success();
}

static FailureOr<ZeroChannels> matchZeroChannels(linalg::LinalgOp consumer,
                                                 PatternRewriter &rewriter) {
  std::optional<ChannelDims> consumerDims =
      getChannelDims(consumer.getOperation());
  if (!consumerDims || !consumer.hasPureTensorSemantics())
    return rewriter.notifyMatchFailure(consumer, "not a matmul or conv");
  ZeroChannels m;
  m.consumer = consumer;
  m.consumerDims = *consumerDims;
  m.channelDim = consumerDims->activation;
  if (failed(matchChain(m, rewriter)))
    return failure();
  std::optional<ConstantWeights> w1 =
      matchConstantWeights(m.producer.getDpsInputOperand(1)->get());
  std::optional<ConstantWeights> w2 =
      matchConstantWeights(consumer.getDpsInputOperand(1)->get());
  if (!w1 || !w2)
    return rewriter.notifyMatchFailure(consumer, "weights not constant");
  m.producerWeights = *w1;
  m.consumerWeights = *w2;
  if (failed(matchRemovedChannels(m, rewriter)))
    return failure();
  return m;
}

/// The producer with the kept channels: narrower weights and initial value.
static Value buildNarrowProducer(PatternRewriter &rewriter,
                                 const ZeroChannels &m) {
  linalg::LinalgOp producer = m.producer;
  Location loc = producer.getLoc();
  Value newWeights = buildWeights(rewriter, loc, m.producerWeights,
                                  m.producerDims.weightOut, m.removed);
  Value init = producer.getDpsInitOperand(0)->get();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, init);
  sizes[m.channelDim] = rewriter.getIndexAttr(m.kept);
  Type element = m.activationType.getElementType();
  Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, element);
  Value newInit;
  if (m.bias) {
    Value bias = arith::ConstantOp::create(rewriter, loc,
                                           dropSlices(m.bias, 0, m.removed));
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < m.activationType.getRank(); ++d)
      if (d != m.channelDim)
        dims.push_back(d);
    newInit = linalg::BroadcastOp::create(rewriter, loc, bias, empty, dims)
                  .getResult()[0];
  } else {
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(element));
    newInit = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  }
  Operation *newProducer = rewriter.clone(*producer.getOperation());
  rewriter.modifyOpInPlace(newProducer, [&] {
    newProducer->setOperand(1, newWeights);
    newProducer->setOperand(2, newInit);
    newProducer->getResult(0).setType(
        withDim(m.activationType, m.channelDim, m.kept));
  });
  return newProducer->getResult(0);
}

/// The element-wise chain (and zero padding) on `current`, with the kept
/// channels.
static Value buildNarrowChain(PatternRewriter &rewriter, const ZeroChannels &m,
                              Value current) {
  for (Operation *op : llvm::reverse(m.chain)) {
    IRMapping mapping;
    mapping.map(op->getOperand(0), current);
    if (isa<arith::MaximumFOp, arith::MinimumFOp>(op)) {
      DenseElementsAttr bound;
      (void)matchPattern(op->getOperand(1), m_Constant(&bound));
      mapping.map(op->getOperand(1),
                  arith::ConstantOp::create(
                      rewriter, op->getLoc(),
                      bound.resizeSplat(
                          withDim(bound.getType(), m.channelDim, m.kept))));
    }
    Operation *clone = rewriter.clone(*op, mapping);
    rewriter.modifyOpInPlace(clone, [&] {
      clone->getResult(0).setType(
          withDim(op->getResult(0).getType(), m.channelDim, m.kept));
    });
    current = clone->getResult(0);
  }
  return current;
}

namespace {
/// Removes the all-zero output channels of a matmul or convolution feeding
/// another one.
struct RemoveZeroChannels : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp consumer,
                                PatternRewriter &rewriter) const override {
    FailureOr<ZeroChannels> m = matchZeroChannels(consumer, rewriter);
    if (failed(m))
      return failure();
    rewriter.setInsertionPoint(consumer);
    Value narrow =
        buildNarrowChain(rewriter, *m, buildNarrowProducer(rewriter, *m));
    Value newWeights =
        buildWeights(rewriter, m->producer.getLoc(), m->consumerWeights,
                     m->consumerDims.weightIn, m->removed);
    rewriter.modifyOpInPlace(consumer, [&] {
      consumer->setOperand(0, narrow);
      consumer->setOperand(1, newWeights);
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

/// Removes structurally pruned channels and computation on zero weights.
struct QNNEliminateSparsityPass
    : qnn::impl::QNNEliminateSparsityPassBase<QNNEliminateSparsityPass> {
  using QNNEliminateSparsityPassBase::QNNEliminateSparsityPassBase;

  void runOnOperation() override {
    // Structure first (removed channels, zero weights), then compression of
    // what stays sparse.
    RewritePatternSet structured(&getContext());
    populateEliminateSparsityPatterns(structured);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(structured))))
      return signalPassFailure();
    if (compressThreshold > 1.0)
      return;
    RewritePatternSet compressed(&getContext());
    populateCompressSparseWeightsPatterns(compressed, compressThreshold);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(compressed))))
      return signalPassFailure();
  }
};
} // namespace

void qnn::populateEliminateSparsityPatterns(RewritePatternSet &patterns) {
  patterns.add<RemoveZeroChannels, FoldZeroWeights>(patterns.getContext());
  // Masks of all ones and masks of constants fold.
  populateFoldConstantMaskPatterns(patterns);
}
