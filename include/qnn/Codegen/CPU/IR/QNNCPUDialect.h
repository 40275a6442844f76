//===- QNNCPUDialect.h - CPU code generation dialect ------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_IR_QNNCPUDIALECT_H
#define QNN_CODEGEN_CPU_IR_QNNCPUDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h.inc"
#include "qnn/Codegen/CPU/IR/QNNCPUEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Codegen/CPU/IR/QNNCPUAttrs.h.inc"

namespace mlir::qnn::cpu {

/// Every target name, comma-separated, in declaration order.
std::string getTargetNames();

/// The target attached to `module`, or null.
TargetAttr getTargetAttr(ModuleOp module);

/// Attaches `target` to `module`.
void setTargetAttr(ModuleOp module, Target target);

} // namespace mlir::qnn::cpu

#endif // QNN_CODEGEN_CPU_IR_QNNCPUDIALECT_H
