//===- quant-report.cpp - The compression report of a model ---------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Prints, for every matmul and convolution of a model, what quantization
// and compression did to it, and writes the same as JSON:
//
//   quant-report model.mlir --entry=forward [--inputs=batches.mlir|dir]
//       [--target=x86-avx512-vnni] [--json=report.json]
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Npy.h"
#include "qnn/Codegen/CPU/IR/TargetOption.h"
#include "qnn/InitAllDialects.h"
#include "qnn/Report/Report.h"
#include "qnn/Target/LLVM/MachineCode.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::qnn;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<model>"),
                                                llvm::cl::Required);
static llvm::cl::opt<std::string>
    entryName("entry", llvm::cl::desc("Function of the model"),
              llvm::cl::Required);
static llvm::cl::opt<std::string> batchesFilename(
    "inputs",
    llvm::cl::desc("Calibration data (an MLIR file of batches or a directory "
                   "of .npy files): adds each layer's error against float"));
static const std::string targetHelp =
    "Machine the kernels are chosen for: " + cpu::getTargetNames() +
    " (default: host)";
static llvm::cl::opt<cpu::Target> target("target", llvm::cl::desc(targetHelp),
                                         llvm::cl::init(cpu::Target::host));
static llvm::cl::opt<std::string>
    jsonFilename("json", llvm::cl::desc("Also write the report as JSON"),
                 llvm::cl::value_desc("file"));

static int report(int argc, char **argv) {
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "quant-mlir compression report: bits, sparsity, size, BOPs, kernel and "
      "error of every matmul and convolution\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerMachineCodeTranslations(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  llvm::SourceMgr modelSources, batchSources;
  SourceMgrDiagnosticHandler handler(modelSources, &context);
  OwningOpRef<ModuleOp> model =
      parseSourceFile<ModuleOp>(inputFilename, modelSources, &context);
  if (!model)
    return 1;
  OwningOpRef<ModuleOp> batches;
  if (!batchesFilename.empty()) {
    batches =
        loadBatches(&context, batchesFilename, *model, entryName, batchSources);
    if (!batches)
      return 1;
  }
  ReportOptions options;
  options.entry = entryName;
  options.target = target;
  FailureOr<SmallVector<LayerReport>> layers =
      buildCompressionReport(*model, batches ? *batches : ModuleOp(), options);
  if (failed(layers))
    return 1;
  printReportTable(*layers, llvm::outs());
  if (!jsonFilename.empty()) {
    std::string error;
    auto output = openOutputFile(jsonFilename, &error);
    if (!output) {
      llvm::errs() << "quant-report: " << error << "\n";
      return 1;
    }
    printReportJSON(*layers, output->os());
    output->keep();
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  return qnn::runWithLargeStack([&] { return report(argc, argv); });
}
