//===- SplitGroupedConvolutions.cpp - One convolution per group -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Grouped convolutions and depthwise convolutions with a channel
// multiplier become the ungrouped convolutions the kernels take, one per
// group or multiplier index, on slices of their operands.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Utils/GroupedConvolution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUSPLITGROUPEDCONVOLUTIONSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The window attributes of a named convolution.
static SmallVector<NamedAttribute> getWindow(Operation *op) {
  SmallVector<NamedAttribute> window;
  for (StringRef name : {"strides", "dilations"})
    if (Attribute attr = op->getAttr(name))
      window.emplace_back(StringAttr::get(op->getContext(), name), attr);
  return window;
}

/// `value` copied into a tensor of its own (contiguous once bufferized).
static Value buildContiguousCopy(PatternRewriter &rewriter, Location loc,
                                 Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, value),
      type.getElementType());
  return linalg::CopyOp::create(rewriter, loc, value, empty).getResult(0);
}

/// The initial value of one group in a tensor of its own, so that the
/// piece writes contiguous memory: a fill of a fresh tensor is redone at
/// the smaller shape, anything else copied out of `slice`.
static Value buildContiguousInit(PatternRewriter &rewriter, Location loc,
                                 Value init, Value slice) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return buildContiguousCopy(rewriter, loc, slice);
  auto type = cast<RankedTensorType>(slice.getType());
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, slice),
      type.getElementType());
  return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
      .getResult(0);
}

/// Replaces `op` by `groups` convolutions built by `build` from the slices
/// of group g of each input (`inputDims[i]`: the dimension of the group in
/// input i, -1 to pass it whole) and of the initial value (`initDim`),
/// each inserted into the result at group g. With `contiguousInit`, each
/// piece starts from a tensor of its own rather than a strided slice.
static void
splitByGroup(PatternRewriter &rewriter, linalg::LinalgOp op, int64_t groups,
             ArrayRef<int64_t> inputDims, int64_t initDim, bool contiguousInit,
             function_ref<Value(ValueRange inputs, Value init)> build) {
  Location loc = op.getLoc();
  Value init = op.getDpsInitOperand(0)->get();
  Value result = init;
  for (int64_t g = 0; g < groups; ++g) {
    SmallVector<Value> inputs;
    for (auto [input, dim] : llvm::zip(op.getDpsInputs(), inputDims))
      inputs.push_back(dim < 0 ? input
                               : extractGroup(rewriter, loc, input, dim, g));
    Value partInit = extractGroup(rewriter, loc, init, initDim, g);
    if (contiguousInit)
      partInit = buildContiguousInit(rewriter, loc, init, partInit);
    Value part = build(inputs, partInit);
    result = insertGroup(rewriter, loc, part, result, initDim, g);
  }
  rewriter.replaceOp(op, result);
}

namespace {
/// conv_2d_ngchw_gfchw{_q} -> conv_2d_nchw_fchw{_q} per group;
/// conv_2d_nhwgc_gfhwc{_q} -> conv_2d_nhwc_fhwc{_q} per group.
template <typename GroupedOp>
struct SplitGroupedConvolution : OpRewritePattern<GroupedOp> {
  using OpRewritePattern<GroupedOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<GroupedConvolution> conv = matchGroupedConvolution(op);
    if (!conv || !op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "dynamic groups or buffers");
    int64_t dim = conv->getGroupDim();
    SmallVector<int64_t> inputDims = {dim, 0};
    if (conv->quantized)
      inputDims.append({-1, -1});
    SmallVector<NamedAttribute> window = getWindow(op);
    Location loc = op.getLoc();
    splitByGroup(
        rewriter, op, conv->groups, inputDims, dim,
        /*contiguousInit=*/false, [&](ValueRange inputs, Value init) -> Value {
          Type type = init.getType();
          TypeRange types(type);
          Operation *part;
          if (conv->nhwc && conv->quantized)
            part = linalg::Conv2DNhwcFhwcQOp::create(rewriter, loc, types,
                                                     inputs, init, window);
          else if (conv->nhwc)
            part = linalg::Conv2DNhwcFhwcOp::create(rewriter, loc, types,
                                                    inputs, init, window);
          else if (conv->quantized)
            part = linalg::Conv2DNchwFchwQOp::create(rewriter, loc, types,
                                                     inputs, init, window);
          else
            part = linalg::Conv2DNchwFchwOp::create(rewriter, loc, types,
                                                    inputs, init, window);
          return part->getResult(0);
        });
    return success();
  }
};

/// Index `index` of dimension `dim` of `value`, kept as a unit dimension;
/// dense constants are sliced at compile time.
static Value extractUnitSlice(OpBuilder &b, Location loc, Value value,
                              int64_t dim, int64_t index) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = 1;
  auto unitType = RankedTensorType::get(shape, type.getElementType());
  Value part = extractGroup(b, loc, value, dim, index);
  DenseElementsAttr attr;
  if (matchPattern(part, m_Constant(&attr)))
    return arith::ConstantOp::create(b, loc, attr.reshape(unitType));
  // The unit dimension joins the one before it (after it, when first).
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0, e = type.getRank() - 1; d < e; ++d) {
    if (d == std::max<int64_t>(dim - 1, 0))
      groups.push_back({d, d + 1});
    else
      groups.push_back({d < dim ? d : d + 1});
  }
  return tensor::ExpandShapeOp::create(b, loc, unitType, part, groups);
}

/// depthwise_conv_2d_nhwc_hwcm{_q} with M > 1: with more multiplier indices
/// than channels, one conv_2d_nhwc_hwcf{_q} per input channel c (one input
/// channel, M filters KH x KW x 1 x M, the contiguous output channels
/// c * M ..); otherwise one depthwise_conv_2d_nhwc_hwc{_q} per multiplier
/// index m, computing the output channels c * M + m. Either way the kernels
/// vectorize over the larger of C and M.
template <typename HwcmOp, typename HwcOp, typename HwcfOp>
struct SplitDepthwiseMultiplier : OpRewritePattern<HwcmOp> {
  using OpRewritePattern<HwcmOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(HwcmOp op,
                                PatternRewriter &rewriter) const override {
    auto filterType =
        dyn_cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
    if (!op.hasPureTensorSemantics() || !filterType ||
        !filterType.hasStaticShape() || filterType.getDimSize(3) < 2)
      return rewriter.notifyMatchFailure(op, "not a static multiplier "
                                             "above 1 on tensors");
    int64_t channels = filterType.getDimSize(2);
    int64_t multiplier = filterType.getDimSize(3);
    bool quantized = op.getNumDpsInputs() == 4;
    SmallVector<NamedAttribute> window = getWindow(op);
    Location loc = op.getLoc();
    if (multiplier > channels) {
      Value init = op.getDpsInitOperand(0)->get();
      Value result = init;
      for (int64_t ch = 0; ch < channels; ++ch) {
        // The channel's activations, one byte apart once copied.
        Value x = buildContiguousCopy(
            rewriter, loc,
            extractUnitSlice(rewriter, loc, op.getDpsInputs()[0], 3, ch));
        SmallVector<Value> inputs = {
            x, extractUnitSlice(rewriter, loc, op.getDpsInputs()[1], 2, ch)};
        if (quantized)
          inputs.append({op.getDpsInputs()[2], op.getDpsInputs()[3]});
        Value part = extractGroup(rewriter, loc, init, 3, ch);
        Type type = part.getType();
        Value conv =
            HwcfOp::create(rewriter, loc, TypeRange(type), inputs, part, window)
                .getResult(0);
        result = insertGroup(rewriter, loc, conv, result, 3, ch);
      }
      rewriter.replaceOp(op, result);
      return success();
    }
    SmallVector<int64_t> inputDims = {-1, 3};
    if (quantized)
      inputDims.append({-1, -1});
    splitByGroup(rewriter, op, multiplier, inputDims,
                 /*initDim=*/4, /*contiguousInit=*/true,
                 [&](ValueRange inputs, Value init) -> Value {
                   Type type = init.getType();
                   return HwcOp::create(rewriter, loc, TypeRange(type), inputs,
                                        init, window)
                       .getResult(0);
                 });
    return success();
  }
};

struct QNNCPUSplitGroupedConvolutionsPass
    : cpu::impl::QNNCPUSplitGroupedConvolutionsPassBase<
          QNNCPUSplitGroupedConvolutionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SplitGroupedConvolution<linalg::Conv2DNgchwGfchwOp>,
                 SplitGroupedConvolution<linalg::Conv2DNgchwGfchwQOp>,
                 SplitGroupedConvolution<linalg::Conv2DNhwgcGfhwcOp>,
                 SplitGroupedConvolution<linalg::Conv2DNhwgcGfhwcQOp>,
                 SplitDepthwiseMultiplier<linalg::DepthwiseConv2DNhwcHwcmOp,
                                          linalg::DepthwiseConv2DNhwcHwcOp,
                                          linalg::Conv2DNhwcHwcfOp>,
                 SplitDepthwiseMultiplier<linalg::DepthwiseConv2DNhwcHwcmQOp,
                                          linalg::DepthwiseConv2DNhwcHwcQOp,
                                          linalg::Conv2DNhwcHwcfQOp>>(
        &getContext());
    // One walk: the pieces are never grouped again, and a network's
    // thousands of other operations need no fixpoint.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    // The grouped weights, sliced at compile time, are dead now.
    IRRewriter rewriter(&getContext());
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
  }
};
} // namespace
