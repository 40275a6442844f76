//===- MachineCode.h - LLVM dialect to machine code -------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The last step of compilation, shared by quant-compile, quant-calibrate
// and the benchmarks: a module in the LLVM dialect translated to LLVM IR,
// optimized at -O3 and written as an object file, assembly or LLVM IR for a
// target, or JIT-compiled for the running CPU.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TARGET_LLVM_MACHINECODE_H
#define QNN_TARGET_LLVM_MACHINECODE_H

#include "qnn/Codegen/CPU/IR/TargetInfo.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
class DialectRegistry;

namespace qnn {

/// What emitMachineCode writes.
enum class MachineCodeKind { Object, Assembly, LLVMIR };

/// Registers the translations to LLVM IR of the dialects that compiled
/// modules use (builtin, llvm, arm_neon).
void registerMachineCodeTranslations(DialectRegistry &registry);

/// Initializes LLVM's code generators for every target it was built with.
void initializeLLVMTargets();

/// Translates `module` (in the LLVM dialect) to LLVM IR for `description`
/// (every function gets its CPU and features), optimizes it at -O3 and
/// writes it to `os`. Reports errors on the module.
LogicalResult emitMachineCode(ModuleOp module,
                              const cpu::LLVMTargetDescription &description,
                              MachineCodeKind kind, raw_ostream &os);

/// JIT-compiles `module` (in the LLVM dialect) for the running CPU with
/// LLVM's -O3 pipeline, as quant-compile and `mlir-runner -O3` do. The
/// native target must be initialized.
FailureOr<std::unique_ptr<ExecutionEngine>>
createOptimizedExecutionEngine(ModuleOp module);

} // namespace qnn
} // namespace mlir

#endif // QNN_TARGET_LLVM_MACHINECODE_H
