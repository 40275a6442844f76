//===- ConstantsToGlobals.cpp - Tensor constants' globals, in order -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Creates the globals of tensor constants before bufferization, in the
// order the constants appear, so that their names and order do not depend
// on the order in which bufferization visits functions.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/BufferUtils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCONSTANTSTOGLOBALSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The alignment of the globals, as --qnn-compile's bufferization gives
/// them.
static constexpr uint64_t kAlignment = 64;

namespace {
struct QNNConstantsToGlobalsPass
    : cpu::impl::QNNConstantsToGlobalsPassBase<QNNConstantsToGlobalsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<arith::ConstantOp> constants;
    getOperation().walk([&](arith::ConstantOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      if (type && type.hasStaticShape() && !type.getEncoding())
        constants.push_back(op);
    });
    SymbolTableCollection symbolTables;
    // getGlobalFor puts each new global first in the module; they are
    // moved into the order of their constants.
    llvm::DenseSet<Operation *> seen;
    Operation *last = nullptr;
    for (arith::ConstantOp op : constants) {
      FailureOr<memref::GlobalOp> global =
          bufferization::getGlobalFor(op, symbolTables, kAlignment);
      if (failed(global)) {
        op.emitError() << "could not create the global of this constant";
        return signalPassFailure();
      }
      if (seen.insert(*global).second) {
        if (last)
          (*global)->moveAfter(last);
        last = *global;
      }
      OpBuilder b(op);
      Value memref = memref::GetGlobalOp::create(
          b, op.getLoc(), global->getType(), global->getSymName());
      auto tensor = bufferization::ToTensorOp::create(
          b, op.getLoc(), op.getType(), memref, /*restrict=*/true,
          /*writable=*/false);
      op.replaceAllUsesWith(tensor.getResult());
      op.erase();
    }
  }
};
} // namespace
