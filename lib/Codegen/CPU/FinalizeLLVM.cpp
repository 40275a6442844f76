//===- FinalizeLLVM.cpp - Check that only the LLVM dialect is left --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUFINALIZELLVMPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
struct QNNCPUFinalizeLLVMPass
    : cpu::impl::QNNCPUFinalizeLLVMPassBase<QNNCPUFinalizeLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    WalkResult result = module.walk([](Operation *op) {
      Dialect *dialect = op->getDialect();
      if (isa<ModuleOp>(op) ||
          isa_and_nonnull<LLVM::LLVMDialect, arm_neon::ArmNeonDialect>(dialect))
        return WalkResult::advance();
      op->emitError() << "'" << op->getName()
                      << "' is left after the lowering to the LLVM dialect";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    module->removeAttr(QNNCPUDialect::getTargetAttrName());
    // The buffers outlining proved distinct, now pointer arguments.
    StringRef noalias = QNNCPUDialect::getNoAliasPointersAttrName();
    for (auto function : module.getOps<LLVM::LLVMFuncOp>()) {
      auto positions = function->getAttrOfType<DenseI64ArrayAttr>(noalias);
      if (!positions)
        continue;
      function->removeAttr(noalias);
      for (int64_t position : positions.asArrayRef()) {
        if (position >= function.getNumArguments() ||
            !isa<LLVM::LLVMPointerType>(
                function.getArgumentTypes()[position])) {
          function.emitError() << "'" << noalias << "' names argument "
                               << position << ", which is not a pointer";
          return signalPassFailure();
        }
        function.setArgAttr(position, LLVM::LLVMDialect::getNoAliasAttrName(),
                            UnitAttr::get(&getContext()));
      }
    }
  }
};
} // namespace
