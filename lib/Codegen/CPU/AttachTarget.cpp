//===- AttachTarget.cpp - Record the target on the module -----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/IR/TargetInfo.h"
#include "qnn/Codegen/CPU/Passes.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUATTACHTARGETPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
struct QNNCPUAttachTargetPass
    : cpu::impl::QNNCPUAttachTargetPassBase<QNNCPUAttachTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    setTargetAttr(getOperation(), resolveTarget(target));
  }
};
} // namespace
