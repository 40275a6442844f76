//===- ImportONNX.cpp - ONNX models to MLIR -------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/ONNX/ImportONNX.h"
#include "GraphImporter.h"

#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::qnn;

/// `name` with every character outside [A-Za-z0-9_] replaced by `_`.
static std::string makeIdentifier(StringRef name) {
  std::string id;
  for (char c : name)
    id.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (id.empty() || llvm::isDigit(id[0]))
    id.insert(0, "model_");
  return id;
}

OwningOpRef<ModuleOp> qnn::importONNXModel(StringRef bytes, StringRef fileName,
                                           MLIRContext *context,
                                           const ONNXImportOptions &options) {
  context
      ->loadDialect<arith::ArithDialect, func::FuncDialect,
                    linalg::LinalgDialect, math::MathDialect,
                    quant::QuantDialect, tensor::TensorDialect, QNNDialect>();
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(fileLoc) << "not a serialized ONNX model";
    return {};
  }
  OpBuilder builder(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  // ONNX quantizes by dividing by the scale (docs/Importers.md).
  (*module)->setAttr("qnn.divide_by_scale", builder.getUnitAttr());
  std::string name = options.functionName.empty()
                         ? makeIdentifier(model.graph().name())
                         : options.functionName;
  onnx_import::GraphImporter importer(builder, fileName);
  if (failed(importer.importModel(model, *module, name)))
    return {};
  if (failed(verify(*module)))
    return {};
  return module;
}

void qnn::registerImportONNXTranslation() {
  static llvm::cl::opt<std::string> functionName(
      "onnx-function-name",
      llvm::cl::desc("Name of the imported function (default: the graph's)"),
      llvm::cl::init(""));
  TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model (protobuf) as linalg and quant",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        ONNXImportOptions options;
        options.functionName = functionName;
        OwningOpRef<ModuleOp> module =
            importONNXModel(buffer->getBuffer(), buffer->getBufferIdentifier(),
                            context, options);
        return OwningOpRef<Operation *>(module.release());
      });
}
