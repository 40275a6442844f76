//===- QNNToLinalg.cpp - Lower qnn operations to linalg -------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass that lowers the qnn dialect. The patterns live in QuantizeOps.cpp,
// SignOps.cpp and MaskOps.cpp; the numerics they emit are those of
// docs/QNN.md and Numerics.h.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "Patterns.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_CONVERTQNNTOLINALGPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

void qnn::populateQNNToLinalgConversionPatterns(RewritePatternSet &patterns) {
  populateQuantizeOpLoweringPatterns(patterns);
  populateRequantizeOpLoweringPatterns(patterns);
  populateSignOpLoweringPatterns(patterns);
  populateMaskOpLoweringPatterns(patterns);
  populateBitOpLoweringPatterns(patterns);
}

/// Reports operations whose semantics this lowering cannot implement at run
/// time, with the reason.
static LogicalResult verifyLowerable(Operation *root) {
  WalkResult result = root->walk([](PruneMaskOp op) {
    if (op.getMethod() != PruneMethod::l1_unstructured ||
        matchPattern(op.getInput(), m_Constant()))
      return WalkResult::advance();
    op.emitOpError()
        << "l1_unstructured on a non-constant input cannot be lowered: it "
           "selects a global order statistic whose ties follow torch.topk's "
           "CPU order, which is only reproduced at compile time; apply it to "
           "a constant weight";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

namespace {
/// Lowers every qnn operation to linalg, arith, math and tensor.
struct ConvertQNNToLinalgPass
    : qnn::impl::ConvertQNNToLinalgPassBase<ConvertQNNToLinalgPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(verifyLowerable(root)))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<QNNDialect>();
    target.addLegalDialect<arith::ArithDialect, cf::ControlFlowDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    populateQNNToLinalgConversionPatterns(patterns);
    // Never legalize by folding: the driver would also fold operations of
    // other dialects it visits, such as upstream's dcast(qcast(x)) -> x.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(
            applyPartialConversion(root, target, std::move(patterns), config)))
      return signalPassFailure();
  }
};
} // namespace
