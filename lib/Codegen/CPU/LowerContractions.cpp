//===- LowerContractions.cpp - Contractions onto the target's kernels -----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// --qnn-cpu-lower-contractions: every named contraction the kernels know is
// matched (KernelContraction.h), given to the kernel family that implements
// it (KernelFamily.h), packed and emitted (KernelEmitter.h). A contraction
// that stays on the portable loops gets a remark with the reason.
//
//===----------------------------------------------------------------------===//

#include "DepthwiseKernel.h"
#include "KernelEmitter.h"
#include "qnn/Codegen/CPU/IR/TargetInfo.h"
#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Utils/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPULOWERCONTRACTIONSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Whether `op` is a contraction some kernel family could implement: the
/// named integer ops of the contract and the f32 named matmul and
/// convolutions.
static bool isKernelCandidate(Operation *op) {
  return isQuantizedContraction(op) ||
         isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp,
             linalg::DepthwiseConv2DNhwcHwcOp>(op);
}

/// Lowers `op` on the kernels of `target`; the reason when it cannot.
static LogicalResult lowerContraction(linalg::LinalgOp op, Target target,
                                      ModuleOp module, SymbolTable &symbols,
                                      std::string &reason) {
  FailureOr<KernelContraction> c = matchKernelContraction(op, reason);
  if (failed(c))
    return failure();
  if (c->depthwise)
    return emitDepthwiseKernel(*c, target, module, symbols, reason);
  const KernelFamily *family = nullptr;
  for (const KernelFamily *candidate : getKernelFamilies()) {
    if (candidate->implements(*c)) {
      family = candidate;
      break;
    }
  }
  std::optional<Microkernel> kernel =
      family ? family->getMicrokernel(target) : std::nullopt;
  if (!kernel) {
    reason = "target '" + stringifyTarget(target).str() + "' has no " +
             (family ? family->getName().str() + " " : "") + "kernel";
    return failure();
  }
  if (failed(checkKernelApplies(*c, *kernel, reason)))
    return failure();
  FailureOr<PackedWeights> packed = family->pack(*c, *kernel, reason);
  if (failed(packed))
    return failure();
  OpBuilder b(op);
  KernelEmitter(b, *kernel, *c).emit(module, symbols, *packed);
  return success();
}

namespace {
struct QNNCPULowerContractionsPass
    : cpu::impl::QNNCPULowerContractionsPassBase<QNNCPULowerContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr targetAttr = getTargetAttr(module);
    if (!targetAttr) {
      module.emitError() << "no '" << QNNCPUDialect::getTargetAttrName()
                         << "' attribute: run --qnn-cpu-attach-target first";
      return signalPassFailure();
    }
    Target target = resolveTarget(targetAttr.getValue());
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      if (isKernelCandidate(op) && op.hasPureBufferSemantics())
        candidates.push_back(op);
    });
    SymbolTable symbols(module);
    for (linalg::LinalgOp op : candidates) {
      std::string reason;
      if (failed(lowerContraction(op, target, module, symbols, reason)) &&
          target != Target::generic)
        emitRemark(op.getLoc()) << "left to portable loops: " << reason;
    }
  }
};
} // namespace
