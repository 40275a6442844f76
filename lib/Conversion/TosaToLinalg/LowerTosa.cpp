//===- LowerTosa.cpp - TOSA input to linalg -------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// --qnn-lower-tosa: upstream's TOSA lowering, run as a dynamic pipeline only
// on modules that hold TOSA, with the fixed-point rescale lowered too, and
// a check that nothing of TOSA is left.
//
//===----------------------------------------------------------------------===//

#include "LowerTosa.h"
#include "qnn/Conversion/Passes.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToSCF/TosaToSCF.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNLOWERTOSAPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// The first TOSA operation under `root`, or null.
static Operation *findTosaOp(Operation *root) {
  Operation *found = nullptr;
  root->walk([&](Operation *op) {
    if (!isa<tosa::TosaDialect>(op->getDialect()))
      return WalkResult::advance();
    found = op;
    return WalkResult::interrupt();
  });
  return found;
}

namespace {
struct QNNLowerTosaPass : qnn::impl::QNNLowerTosaPassBase<QNNLowerTosaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!findTosaOp(module))
      return;
    // Upstream's lowering does not handle quantized element types (it
    // crashes on some): they must be storage types by now.
    WalkResult quantized = module.walk([](Operation *op) {
      if (!isa<tosa::TosaDialect>(op->getDialect()))
        return WalkResult::advance();
      for (Type type :
           llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
        if (isa<quant::QuantizedType>(getElementTypeOrSelf(type))) {
          op->emitOpError()
              << "has quantized element types, which the TOSA lowering "
                 "does not take: run --convert-quant-to-linalg first";
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (quantized.wasInterrupted())
      return signalPassFailure();
    OpPassManager pm(ModuleOp::getOperationName());
    // Upstream's --tosa-to-linalg-pipeline without the validation, whose
    // default profile rejects the DOUBLE_ROUND rescales TFLite emits.
    tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                                TosaToLinalgNamedOptions(), std::nullopt);
    TosaToArithPassOptions arith;
    arith.includeApplyRescale = true;
    pm.addNestedPass<func::FuncOp>(createTosaToArithPass(arith));
    pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
    pm.addNestedPass<func::FuncOp>(createTosaToSCFPass());
    // Shapes (tosa.const_shape) only feed the reshapes lowered above.
    pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
    if (failed(runPipeline(pm, module)))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateDepthwiseMultiplierOnePatterns(patterns);
    if (failed(applyPatternsGreedily(module, std::move(patterns))) ||
        failed(makeBoundariesSignless(module)))
      return signalPassFailure();
    if (Operation *left = findTosaOp(module)) {
      left->emitOpError() << "is not lowered by the TOSA to linalg "
                             "conversion";
      return signalPassFailure();
    }
  }
};
} // namespace
