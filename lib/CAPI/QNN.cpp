//===- QNN.cpp - C API of quant-mlir --------------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn-c/QNN.h"

#include "qnn/Codegen/CPU/IR/TargetInfo.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Target/LLVM/MachineCode.h"
#include "qnn/Target/ONNX/ImportONNX.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::qnn;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(QNN, qnn, mlir::qnn::QNNDialect)

void qnnRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::qnn::registerAllDialects(*unwrap(registry));
}

void qnnRegisterAllPasses(void) { mlir::qnn::registerAllPasses(); }

/// Runs the pipeline `build` makes from `options` on `module`.
template <typename Options>
static MlirLogicalResult runPipeline(MlirModule module, MlirStringRef options,
                                     void (*build)(OpPassManager &,
                                                   const Options &)) {
  ModuleOp op = unwrap(module);
  std::unique_ptr<Options> parsed = Options::createFromString(unwrap(options));
  if (!parsed) {
    op.emitError() << "invalid pipeline options '" << unwrap(options) << "'";
    return mlirLogicalResultFailure();
  }
  PassManager pm(op.getContext());
  build(pm, *parsed);
  return wrap(pm.run(op));
}

MlirLogicalResult qnnRunQuantize(MlirModule module, MlirStringRef options) {
  return runPipeline<QNNQuantizeOptions>(module, options,
                                         buildQNNQuantizePipeline);
}

MlirLogicalResult qnnRunCompile(MlirModule module, MlirStringRef options) {
  if (mlirLogicalResultIsFailure(runPipeline<QNNCompileOptions>(
          module, options, buildQNNCompilePipeline)))
    return mlirLogicalResultFailure();
  // The result must be in the LLVM dialect, which emission translates.
  ModuleOp op = unwrap(module);
  WalkResult notLLVM = op.walk([](Operation *nested) {
    if (isa<ModuleOp>(nested) || isa<LLVM::LLVMDialect>(nested->getDialect()))
      return WalkResult::advance();
    nested->emitError() << "is not in the LLVM dialect after --qnn-compile";
    return WalkResult::interrupt();
  });
  return wrap(failure(notLLVM.wasInterrupted()));
}

MlirLogicalResult qnnEmitObjectFile(MlirModule module, MlirStringRef target,
                                    MlirStringRef path) {
  ModuleOp op = unwrap(module);
  std::optional<cpu::Target> parsed = cpu::symbolizeTarget(unwrap(target));
  if (!parsed) {
    op.emitError() << "unknown target '" << unwrap(target)
                   << "'; expected one of " << cpu::getTargetNames();
    return mlirLogicalResultFailure();
  }
  DialectRegistry registry;
  registerMachineCodeTranslations(registry);
  op.getContext()->appendDialectRegistry(registry);
  initializeLLVMTargets();
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(unwrap(path), &error);
  if (!output) {
    op.emitError() << error;
    return mlirLogicalResultFailure();
  }
  if (failed(emitMachineCode(op, cpu::getLLVMTargetDescription(*parsed),
                             MachineCodeKind::Object, output->os())))
    return mlirLogicalResultFailure();
  output->keep();
  return mlirLogicalResultSuccess();
}

MlirModule qnnImportONNX(MlirContext context, MlirStringRef bytes,
                         MlirStringRef fileName) {
  OwningOpRef<ModuleOp> module =
      importONNXModel(unwrap(bytes), unwrap(fileName), unwrap(context));
  return wrap(module.release());
}
