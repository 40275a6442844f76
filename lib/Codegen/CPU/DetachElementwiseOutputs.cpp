//===- DetachElementwiseOutputs.cpp - Fresh outputs for element-wise ops --===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Replaces the outputs that element-wise linalg.generic ops do not read by
// tensor.empty, so that bufferization has no chain of in-place candidates
// to analyse.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUDETACHELEMENTWISEOUTPUTSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
struct QNNCPUDetachElementwiseOutputsPass
    : cpu::impl::QNNCPUDetachElementwiseOutputsPassBase<
          QNNCPUDetachElementwiseOutputsPass> {
  using Base::Base;

  void runOnOperation() override {
    OpBuilder b(&getContext());
    getOperation().walk([&](linalg::GenericOp op) {
      if (!op.hasPureTensorSemantics() ||
          op.getNumParallelLoops() != op.getNumLoops())
        return;
      for (OpOperand &init : op.getDpsInitsMutable()) {
        Value value = init.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type || op.payloadUsesValueFromOperand(&init) ||
            value.getDefiningOp<tensor::EmptyOp>())
          continue;
        b.setInsertionPoint(op);
        SmallVector<Value> dynamicSizes;
        for (auto [dim, size] : llvm::enumerate(type.getShape()))
          if (ShapedType::isDynamic(size))
            dynamicSizes.push_back(
                tensor::DimOp::create(b, op.getLoc(), value, dim));
        init.set(tensor::EmptyOp::create(b, op.getLoc(), type.getShape(),
                                         type.getElementType(), dynamicSizes,
                                         type.getEncoding()));
      }
    });
  }
};
} // namespace
