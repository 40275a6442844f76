//===- CHeader.h - C declarations of compiled functions ---------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TARGET_CHEADER_CHEADER_H
#define QNN_TARGET_CHEADER_CHEADER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir::qnn {

/// Writes a C header declaring the `_mlir_ciface_` entry points of the
/// public functions of `module` (still on tensors or memrefs), with one
/// memref descriptor struct per element type and rank. Emits an error and
/// fails on a signature C cannot express (several results, unsupported
/// element types, unranked tensors).
LogicalResult emitCHeader(ModuleOp module, StringRef guard, raw_ostream &os);

} // namespace mlir::qnn

#endif // QNN_TARGET_CHEADER_CHEADER_H
