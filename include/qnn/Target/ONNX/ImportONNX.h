//===- ImportONNX.h - ONNX models to MLIR ------------------------*- C++
//-*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Imports an ONNX model (a serialized `onnx.ModelProto`) as a module of one
// `func.func` over tensors, in `linalg`/`tensor`/`arith`/`math` and upstream
// `quant`: QuantizeLinear and DequantizeLinear with constant parameters
// become `quant.qcast`/`quant.dcast`, the forms `--qnn-quantize` rewrites to
// integer kernels. docs/Importers.md describes every operator.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TARGET_ONNX_IMPORTONNX_H
#define QNN_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace mlir::qnn {

/// Options of the ONNX importer.
struct ONNXImportOptions {
  /// Name of the function (default: the graph's name, made an identifier).
  std::string functionName;
};

/// Imports the serialized ONNX model `bytes`, read from `fileName`. Reports
/// an error at the failing node, and returns null, on a model it cannot
/// import.
OwningOpRef<ModuleOp> importONNXModel(StringRef bytes, StringRef fileName,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options = {});

/// Registers the `--import-onnx` translation.
void registerImportONNXTranslation();

} // namespace mlir::qnn

#endif // QNN_TARGET_ONNX_IMPORTONNX_H
