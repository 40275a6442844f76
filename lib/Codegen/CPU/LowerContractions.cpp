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
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Utils/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

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
  return isQuantizedContraction(op) || isBinaryContraction(op) ||
         isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNhwcFhwcOp, linalg::Conv2DNchwFchwOp,
             linalg::DepthwiseConv2DNhwcHwcOp>(op);
}

/// Lowers `op` on the kernels of `target`; the reason when it cannot.
static LogicalResult lowerContraction(linalg::LinalgOp op, Target target,
                                      ModuleOp module, SymbolTable &symbols,
                                      bool packSigns, std::string &reason) {
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
  KernelEmitter(b, *kernel, *c, packSigns).emit(module, symbols, *packed);
  return success();
}

/// Whether `op` is a matmul or convolution of any kind (named or generic;
/// pooling windows are not), for the remarks and the summary.
static bool isContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 ||
      op->getName().getStringRef().starts_with("linalg.pooling_"))
    return false;
  return isKernelCandidate(op) || linalg::isaContractionOpInterface(op) ||
         linalg::isaConvolutionOpInterface(op);
}

namespace {
/// How many contractions end where, for the summary.
struct ContractionCounts {
  int64_t integerKernels = 0, integerPortable = 0;
  int64_t floatKernels = 0, floatPortable = 0;
};

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
    SmallVector<linalg::LinalgOp> contractions;
    module.walk([&](linalg::LinalgOp op) {
      if (isContraction(op) && op.hasPureBufferSemantics())
        contractions.push_back(op);
    });
    SymbolTable symbols(module);
    ContractionCounts counts;
    for (linalg::LinalgOp op : contractions) {
      bool isFloat = isa<FloatType>(getElementTypeOrSelf(op.getDpsInits()[0]));
      auto notQuantized = op->getAttrOfType<StringAttr>(
          qnn::QNNDialect::getNotQuantizedAttrName());
      Location loc = op.getLoc();
      std::string reason = "not a contraction the kernels implement";
      bool lowered = isKernelCandidate(op) &&
                     succeeded(lowerContraction(op, target, module, symbols,
                                                packSigns, reason));
      (isFloat ? (lowered ? counts.floatKernels : counts.floatPortable)
               : (lowered ? counts.integerKernels : counts.integerPortable))++;
      if (target == Target::generic)
        continue;
      if (!lowered)
        emitRemark(loc) << "left to portable loops: " << reason;
      else if (isFloat)
        emitRemark(loc) << "float contraction on f32 kernels: "
                        << (notQuantized ? notQuantized.getValue()
                                         : StringRef("not quantized"));
    }
    eraseUnusedGlobals(module, symbols);
    if (summary)
      emitRemark(module.getLoc())
          << "contractions: " << counts.integerKernels
          << " on integer kernels, " << counts.integerPortable
          << " integer on portable loops, " << counts.floatKernels
          << " float on f32 kernels, " << counts.floatPortable
          << " float on portable loops";
  }
};
} // namespace
