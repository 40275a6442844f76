//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_PASSES_H
#define QNN_CODEGEN_CPU_PASSES_H

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"
#include "qnn/Codegen/CPU/IR/TargetOption.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qnn::cpu {

#define GEN_PASS_DECL
#include "qnn/Codegen/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Codegen/CPU/Passes.h.inc"

} // namespace mlir::qnn::cpu

#endif // QNN_CODEGEN_CPU_PASSES_H
