//===- FuseBitEpilogues.cpp - Consumers of packed matmuls into one body ---===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// --qnn-cpu-fuse-bit-epilogues: on tensors, the element-wise chain after a
// binary or ternary contraction (its scaling epilogue, a batch norm, the
// quantization of its output for an int8 layer) becomes one generic, which
// the kernels then apply to the accumulators before storing.
//
//===----------------------------------------------------------------------===//

#include "KernelContraction.h"
#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Utils/FuseConsumers.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUFUSEBITEPILOGUESPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The element-wise generic that reads the result of the packed
/// contraction `op` (directly, or through a convolution's reshape), if it
/// is its only reader.
static linalg::GenericOp getEpilogue(linalg::GenericOp op) {
  Value result = op->getResult(0);
  if (!result.hasOneUse())
    return {};
  Operation *user = *result.user_begin();
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(user)) {
    if (!expand->hasOneUse())
      return {};
    user = *expand->user_begin();
  }
  auto epilogue = dyn_cast<linalg::GenericOp>(user);
  if (!epilogue || epilogue.getNumReductionLoops() != 0)
    return {};
  return epilogue;
}

namespace {
struct QNNCPUFuseBitEpiloguesPass
    : cpu::impl::QNNCPUFuseBitEpiloguesPassBase<QNNCPUFuseBitEpiloguesPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> epilogues;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && isBinaryContraction(op))
        if (linalg::GenericOp epilogue = getEpilogue(op))
          epilogues.push_back(epilogue);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp epilogue : epilogues)
      fuseElementwiseConsumers(rewriter, epilogue);
  }
};
} // namespace
