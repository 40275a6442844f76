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
#include "qnn/Target/LLVM/MachineCode.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
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
  registerMachineCodeTranslations(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

/// JIT-compiles `module` (in the LLVM dialect) for the running CPU at -O3
/// and returns the address of `symbol`.
inline std::pair<std::unique_ptr<ExecutionEngine>, void *>
createOptimizedEngine(ModuleOp module, StringRef symbol) {
  FailureOr<std::unique_ptr<ExecutionEngine>> engine =
      createOptimizedExecutionEngine(module);
  if (failed(engine))
    llvm::report_fatal_error("cannot JIT-compile the benchmark");
  auto address = (*engine)->lookup(symbol);
  if (!address)
    llvm::report_fatal_error(llvm::toString(address.takeError()).c_str());
  return {std::move(*engine), *address};
}

} // namespace mlir::qnn

#endif // QNN_BENCHMARKS_JITCONTEXT_H
