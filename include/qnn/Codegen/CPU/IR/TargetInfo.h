//===- TargetInfo.h - What each target stands for ---------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The LLVM triple, CPU and features of each target, and the detection of
// the running machine (`host`).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_IR_TARGETINFO_H
#define QNN_CODEGEN_CPU_IR_TARGETINFO_H

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include <string>

namespace mlir::qnn::cpu {

/// `host` resolved to the most capable target the running CPU supports;
/// any other target unchanged.
Target resolveTarget(Target target);

/// What LLVM needs to generate code for a target.
struct LLVMTargetDescription {
  std::string triple;
  std::string cpu;
  std::string features;
};

/// The LLVM description of `target`; `host` describes the running machine
/// exactly (its CPU name and all its features).
LLVMTargetDescription getLLVMTargetDescription(Target target);

/// The width in bits of the vector registers the kernels of `target` (a
/// resolved one, not `host`) use: 0 for `generic`, which asks for portable
/// loops.
int64_t getVectorBits(Target target);

} // namespace mlir::qnn::cpu

#endif // QNN_CODEGEN_CPU_IR_TARGETINFO_H
