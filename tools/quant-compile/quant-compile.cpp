//===- quant-compile.cpp - Ahead-of-time compiler for quant-mlir ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Compiles an MLIR module with --qnn-compile for a target and emits an
// object file (or assembly, LLVM IR) for the target's triple, plus a C
// header declaring the `_mlir_ciface_` entry point of every public
// function. The code needs nothing but libc and libm (malloc, free and, on
// targets without a rounding instruction, roundevenf).
//
//   quant-compile model.mlir --target=aarch64-dotprod -o model.o \
//       --header=model.h [--passes='func.func(qnn-rewrite-int8)']
//
//===----------------------------------------------------------------------===//

#include "CHeader.h"

#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/ArmNeon/ArmNeonToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
enum class Emit { Object, Assembly, LLVMIR };

llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                     llvm::cl::desc("<input .mlir>"),
                                     llvm::cl::init("-"));
llvm::cl::opt<std::string> outputFile("o", llvm::cl::desc("Output file"),
                                      llvm::cl::value_desc("file"),
                                      llvm::cl::Required);
llvm::cl::opt<std::string> headerFile(
    "header", llvm::cl::desc("Also write a C header declaring the entry "
                             "points"),
    llvm::cl::value_desc("file"));
llvm::cl::opt<std::string> targetName(
    "target",
    llvm::cl::desc("host (default), generic, x86-64-v3, x86-avx512-vnni, "
                   "aarch64, aarch64-dotprod, aarch64-i8mm"),
    llvm::cl::init("host"));
llvm::cl::opt<std::string> tripleOverride(
    "triple", llvm::cl::desc("Target triple (default: the target's; "
                             "generic: the host's)"));
llvm::cl::opt<std::string> passes(
    "passes",
    llvm::cl::desc("Pass pipeline to run before --qnn-compile, e.g. "
                   "'func.func(qnn-fold-calibration,qnn-rewrite-int8)'"));
llvm::cl::opt<Emit> emit(
    "emit", llvm::cl::desc("What to write"), llvm::cl::init(Emit::Object),
    llvm::cl::values(clEnumValN(Emit::Object, "obj", "an object file"),
                     clEnumValN(Emit::Assembly, "asm", "assembly"),
                     clEnumValN(Emit::LLVMIR, "llvm", "LLVM IR")));

/// The include guard for `path`: its file name in upper case.
std::string getGuard(StringRef path) {
  std::string guard;
  for (char c : llvm::sys::path::filename(path))
    guard += std::isalnum(static_cast<unsigned char>(c))
                 ? std::toupper(static_cast<unsigned char>(c))
                 : '_';
  return "QUANT_COMPILE_" + guard;
}

LogicalResult compile(MLIRContext &context) {
  std::optional<CompileTarget> target = parseCompileTarget(targetName);
  if (!target) {
    llvm::errs() << "quant-compile: unknown target '" << targetName
                 << "'; expected one of " << getCompileTargetNames() << "\n";
    return failure();
  }
  llvm::SourceMgr sourceMgr;
  std::string error;
  auto input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return failure();

  PassManager pm(&context);
  if (!passes.empty() && failed(parsePassPipeline(passes, pm))) {
    llvm::errs() << "quant-compile: invalid --passes\n";
    return failure();
  }
  if (failed(pm.run(*module)))
    return failure();

  // Every public function gets a C entry point, declared in the header.
  for (auto func : module->getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      func->setAttr("llvm.emit_c_interface", UnitAttr::get(&context));
  if (!headerFile.empty()) {
    auto header = openOutputFile(headerFile, &error);
    if (!header) {
      llvm::errs() << "quant-compile: " << error << "\n";
      return failure();
    }
    if (failed(emitCHeader(*module, getGuard(headerFile), header->os())))
      return failure();
    header->keep();
  }

  PassManager lower(&context);
  QNNCompileOptions options;
  options.target = *target;
  buildQNNCompilePipeline(lower, options);
  if (failed(lower.run(*module)))
    return failure();

  // The LLVM target machine.
  LLVMTargetDescription description =
      getLLVMTargetDescription(resolveCompileTarget(*target));
  if (*target == CompileTarget::Host)
    description = getLLVMTargetDescription(CompileTarget::Host);
  if (!tripleOverride.empty())
    description.triple = tripleOverride;
  llvm::Triple triple(description.triple);
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  // Assembly comes with loop structure comments.
  llvm::TargetOptions targetOptions;
  targetOptions.MCOptions.AsmVerbose = true;
  std::unique_ptr<llvm::TargetMachine> machine(
      llvmTarget->createTargetMachine(triple, description.cpu,
                                      description.features, targetOptions,
                                      llvm::Reloc::PIC_,
                                      std::nullopt,
                                      llvm::CodeGenOptLevel::Aggressive));
  if (!machine) {
    llvm::errs() << "quant-compile: cannot generate code for "
                 << description.triple << "\n";
    return failure();
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, inputFile);
  if (!llvmModule) {
    llvm::errs() << "quant-compile: translation to LLVM IR failed\n";
    return failure();
  }
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", description.cpu);
    if (!description.features.empty())
      f.addFnAttr("target-features", description.features);
  }
  if (llvm::Error err =
          makeOptimizingTransformer(3, 0, machine.get())(llvmModule.get())) {
    llvm::errs() << "quant-compile: " << llvm::toString(std::move(err))
                 << "\n";
    return failure();
  }

  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  if (emit == Emit::LLVMIR) {
    llvmModule->print(output->os(), nullptr);
  } else {
    llvm::legacy::PassManager codegen;
    auto fileType = emit == Emit::Object ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile;
    if (machine->addPassesToEmitFile(codegen, output->os(), nullptr,
                                     fileType)) {
      llvm::errs() << "quant-compile: the target cannot emit this file "
                      "type\n";
      return failure();
    }
    codegen.run(*llvmModule);
  }
  output->keep();
  return success();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  registerAllPasses();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  llvm::cl::ParseCommandLineOptions(
      argc, argv, "quant-mlir ahead-of-time compiler\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerArmNeonDialectTranslation(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  return failed(compile(context)) ? 1 : 0;
}
