//===- FuseConsumers.cpp - Element-wise consumers into one generic --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/FuseConsumers.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"

using namespace mlir;
using namespace mlir::qnn;

linalg::GenericOp qnn::fuseElementwiseConsumers(RewriterBase &rewriter,
                                                linalg::GenericOp producer) {
  while (producer->hasOneUse()) {
    auto consumer = dyn_cast<linalg::GenericOp>(*producer->user_begin());
    if (!consumer || consumer.getNumReductionLoops() != 0 ||
        !consumer.hasPureTensorSemantics())
      break;
    OpOperand *operand = nullptr;
    for (OpOperand *input : consumer.getDpsInputOperands())
      if (input->get() == producer->getResult(0))
        operand = input;
    if (!operand || !linalg::areElementwiseOpsFusable(operand))
      break;
    rewriter.setInsertionPoint(consumer);
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, operand);
    if (failed(fused))
      break;
    for (OpResult result : consumer->getResults())
      rewriter.replaceAllUsesWith(result, fused->replacements.lookup(result));
    rewriter.eraseOp(consumer);
    rewriter.eraseOp(producer);
    producer = cast<linalg::GenericOp>(fused->fusedOp);
  }
  return producer;
}
