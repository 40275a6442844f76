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

#include "qnn/Codegen/CPU/IR/TargetInfo.h"
#include "qnn/Codegen/CPU/IR/TargetOption.h"
#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Target/CHeader/CHeader.h"
#include "qnn/Target/LLVM/MachineCode.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                     llvm::cl::desc("<input .mlir>"),
                                     llvm::cl::init("-"));
llvm::cl::opt<std::string> outputFile("o", llvm::cl::desc("Output file"),
                                      llvm::cl::value_desc("file"),
                                      llvm::cl::Required);
llvm::cl::opt<std::string>
    headerFile("header",
               llvm::cl::desc("Also write a C header declaring the entry "
                              "points"),
               llvm::cl::value_desc("file"));
const std::string targetHelp =
    "Machine to generate code for: " + cpu::getTargetNames() +
    " (default: host)";
llvm::cl::opt<cpu::Target> target("target", llvm::cl::desc(targetHelp),
                                  llvm::cl::init(cpu::Target::host));
llvm::cl::opt<std::string>
    tripleOverride("triple",
                   llvm::cl::desc("Target triple (default: the target's; "
                                  "generic: the host's)"));
llvm::cl::opt<std::string>
    passes("passes",
           llvm::cl::desc("Pass pipeline to run before --qnn-compile, e.g. "
                          "'qnn-quantize'"));
llvm::cl::opt<MachineCodeKind> emit(
    "emit", llvm::cl::desc("What to write"),
    llvm::cl::init(MachineCodeKind::Object),
    llvm::cl::values(clEnumValN(MachineCodeKind::Object, "obj",
                                "an object file"),
                     clEnumValN(MachineCodeKind::Assembly, "asm", "assembly"),
                     clEnumValN(MachineCodeKind::LLVMIR, "llvm", "LLVM IR")));

/// The include guard for `path`: its file name in upper case.
std::string getGuard(StringRef path) {
  std::string guard;
  for (char c : llvm::sys::path::filename(path))
    guard += std::isalnum(static_cast<unsigned char>(c))
                 ? std::toupper(static_cast<unsigned char>(c))
                 : '_';
  return "QUANT_COMPILE_" + guard;
}

/// Writes the C header of `module` to --header.
LogicalResult writeHeader(ModuleOp module) {
  std::string error;
  auto header = openOutputFile(headerFile, &error);
  if (!header) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  if (failed(emitCHeader(module, getGuard(headerFile), header->os())))
    return failure();
  header->keep();
  return success();
}

/// The LLVM description of --target, with --triple applied: `host`
/// describes this machine exactly.
cpu::LLVMTargetDescription getDescription() {
  cpu::LLVMTargetDescription description =
      cpu::getLLVMTargetDescription(target);
  if (!tripleOverride.empty())
    description.triple = tripleOverride;
  return description;
}

LogicalResult compile(MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  std::string error;
  auto input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
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
  if (!headerFile.empty() && failed(writeHeader(*module)))
    return failure();

  PassManager lower(&context);
  QNNCompileOptions options;
  options.target = target;
  buildQNNCompilePipeline(lower, options);
  if (failed(lower.run(*module)))
    return failure();

  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "quant-compile: " << error << "\n";
    return failure();
  }
  if (failed(emitMachineCode(*module, getDescription(), emit, output->os())))
    return failure();
  output->keep();
  return success();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  initializeLLVMTargets();
  registerAllPasses();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "quant-mlir ahead-of-time compiler\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerMachineCodeTranslations(registry);
  return qnn::runWithLargeStack([&] {
    MLIRContext context(registry);
    context.loadAllAvailableDialects();
    return failed(compile(context)) ? 1 : 0;
  });
}
