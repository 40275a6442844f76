//===- MachineCode.cpp - LLVM dialect to machine code ---------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/LLVM/MachineCode.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Dialect/ArmNeon/ArmNeonToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

using namespace mlir;
using namespace mlir::qnn;

void qnn::registerMachineCodeTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerArmNeonDialectTranslation(registry);
}

void qnn::initializeLLVMTargets() {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
}

/// The target machine of `description`, at -O3, with assembly comments
/// (loop structure) on.
static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const cpu::LLVMTargetDescription &description,
                    std::string &error) {
  llvm::Triple triple(description.triple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  options.MCOptions.AsmVerbose = true;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, description.cpu, description.features, options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot generate code for " + description.triple;
  return machine;
}

/// Writes `module` to `os` as `kind` with `machine`.
static LogicalResult writeModule(llvm::Module &module,
                                 llvm::TargetMachine &machine,
                                 MachineCodeKind kind, raw_ostream &os,
                                 std::string &error) {
  if (kind == MachineCodeKind::LLVMIR) {
    module.print(os, nullptr);
    return success();
  }
  // The legacy pass manager needs a seekable stream for object files.
  SmallString<0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  auto fileType = kind == MachineCodeKind::Object
                      ? llvm::CodeGenFileType::ObjectFile
                      : llvm::CodeGenFileType::AssemblyFile;
  if (machine.addPassesToEmitFile(codegen, stream, nullptr, fileType)) {
    error = "the target cannot emit this file type";
    return failure();
  }
  codegen.run(module);
  os << buffer;
  return success();
}

LogicalResult
qnn::emitMachineCode(ModuleOp module,
                     const cpu::LLVMTargetDescription &description,
                     MachineCodeKind kind, raw_ostream &os) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(description, error);
  if (!machine)
    return module.emitError() << error;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";
  llvmModule->setTargetTriple(llvm::Triple(description.triple));
  llvmModule->setDataLayout(machine->createDataLayout());
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", description.cpu);
    if (!description.features.empty())
      f.addFnAttr("target-features", description.features);
  }
  if (llvm::Error err =
          makeOptimizingTransformer(3, 0, machine.get())(llvmModule.get()))
    return module.emitError() << llvm::toString(std::move(err));
  if (failed(writeModule(*llvmModule, *machine, kind, os, error)))
    return module.emitError() << error;
  return success();
}

FailureOr<std::unique_ptr<ExecutionEngine>>
qnn::createOptimizedExecutionEngine(ModuleOp module) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return module.emitError() << llvm::toString(builder.takeError());
  auto machine = builder->createTargetMachine();
  if (!machine)
    return module.emitError() << llvm::toString(machine.takeError());
  // Used while the engine is created.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(3, 0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = optimize;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return module.emitError() << llvm::toString(engine.takeError());
  return std::move(*engine);
}
