//===- JitContext.h - MLIR context for JIT benchmarks -----------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_BENCHMARKS_JITCONTEXT_H
#define QNN_BENCHMARKS_JITCONTEXT_H

#include "qnn/InitAllDialects.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include <memory>

namespace mlir::qnn {

/// A context with every dialect quant-mlir compiles and their translations
/// to LLVM IR, the native target initialized for the ExecutionEngine.
inline std::unique_ptr<MLIRContext> createJitContext() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

/// JIT-compiles `module` (in the LLVM dialect) for the running CPU with
/// LLVM's -O3 pipeline, as `quant-compile` and `mlir-runner -O3` do, and
/// returns the address of `symbol`.
inline std::pair<std::unique_ptr<ExecutionEngine>, void *>
createOptimizedEngine(ModuleOp module, StringRef symbol) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    llvm::report_fatal_error("no host target");
  auto machine = builder->createTargetMachine();
  if (!machine)
    llvm::report_fatal_error("no host target machine");
  auto optimize = makeOptimizingTransformer(3, 0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = optimize;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    llvm::report_fatal_error(llvm::toString(engine.takeError()).c_str());
  auto address = (*engine)->lookup(symbol);
  if (!address)
    llvm::report_fatal_error(llvm::toString(address.takeError()).c_str());
  return {std::move(*engine), *address};
}

} // namespace mlir::qnn

#endif // QNN_BENCHMARKS_JITCONTEXT_H
