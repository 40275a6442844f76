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
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// The initial value of one group in a tensor of its own, so that the
/// piece writes contiguous memory: a fill of a fresh tensor is redone at
/// the smaller shape, anything else copied out of `slice`.
static Value buildContiguousInit(PatternRewriter &rewriter, Location loc,
                                 Value init, Value slice) {
  auto type = cast<RankedTensorType>(slice.getType());
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, slice),
      type.getElementType());
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    if (fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
      return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
          .getResult(0);
  return linalg::CopyOp::create(rewriter, loc, slice, empty).getResult(0);
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

/// depthwise_conv_2d_nhwc_hwcm{_q} with M > 1 -> M
/// depthwise_conv_2d_nhwc_hwc{_q}, index m computing output channels
/// c * M + m.
template <typename HwcmOp, typename HwcOp>
struct SplitDepthwiseMultiplier : OpRewritePattern<HwcmOp> {
  using OpRewritePattern<HwcmOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(HwcmOp op,
                                PatternRewriter &rewriter) const override {
    auto filterType =
        dyn_cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
    if (!op.hasPureTensorSemantics() || !filterType ||
        filterType.isDynamicDim(3) || filterType.getDimSize(3) < 2)
      return rewriter.notifyMatchFailure(op, "not a static multiplier "
                                             "above 1 on tensors");
    SmallVector<int64_t> inputDims = {-1, 3};
    if (op.getNumDpsInputs() == 4)
      inputDims.append({-1, -1});
    SmallVector<NamedAttribute> window = getWindow(op);
    Location loc = op.getLoc();
    splitByGroup(rewriter, op, filterType.getDimSize(3), inputDims,
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
                                          linalg::DepthwiseConv2DNhwcHwcOp>,
                 SplitDepthwiseMultiplier<linalg::DepthwiseConv2DNhwcHwcmQOp,
                                          linalg::DepthwiseConv2DNhwcHwcQOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
