//===- RewriteInt8.cpp - Quantized float compute to integer compute -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// --qnn-rewrite-int8: runs the pattern families of RewritePatterns.h that
// turn float compute between dequantize and quantize into integer compute
// on the codes.
//
//===----------------------------------------------------------------------===//

#include "RewritePatterns.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Quantize/Passes.h"
#include "qnn/Utils/PatternDriver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNREWRITEINT8PASS
#include "qnn/Quantize/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// qnn.fake_quant (round half to even) -> quant.dcast(quant.qcast(x)): the
/// same numerics, in the form the other patterns match.
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

/// Rewrites quantized float compute into integer compute.
struct QNNRewriteInt8Pass
    : qnn::impl::QNNRewriteInt8PassBase<QNNRewriteInt8Pass> {
  using QNNRewriteInt8PassBase::QNNRewriteInt8PassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRewriteInt8Patterns(patterns, requantizeMode);
    if (dynamic)
      populateDynamicQuantizationPatterns(patterns);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      return signalPassFailure();
    annotateFloatContractions(getOperation());
  }
};
} // namespace

void qnn::populateExpandFakeQuantPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandFakeQuant>(patterns.getContext());
}

void qnn::populateRewriteInt8Patterns(RewritePatternSet &patterns,
                                      RequantizeMode mode) {
  populateExpandFakeQuantPatterns(patterns);
  populateDequantizeAfterReshapePatterns(patterns);
  populateRewriteContractionPatterns(patterns, mode);
  populateRewriteMaxPoolPatterns(patterns);
  populateRewriteAveragePoolPatterns(patterns);
  populateRewriteAddPatterns(patterns);
  populateRewriteActivationPatterns(patterns);
  populateFoldSignFlipPatterns(patterns);
}
