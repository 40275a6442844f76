//===- quant-calibrate.cpp - Record calibration statistics by running -----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// quant-calibrate MODEL.mlir --inputs=BATCHES --entry=NAME [-o OUT]
//
// Runs MODEL's function NAME on every batch of BATCHES, observes the input
// of every qnn.calibrate, and writes the statistics (min, max and, for the
// histogram methods, the histogram) into the qnn.calibrate operations of
// MODEL, which it prints (qnn/Calibration/CalibrationRun.h).
//
// BATCHES is an MLIR file, each function there without arguments being a
// batch (its results are NAME's arguments, in file order), or a directory
// of .npy files, sorted by name and taken one per argument of NAME at a
// time (batch0_x.npy, batch0_y.npy, batch1_x.npy, ...).
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/CalibrationRun.h"
#include "qnn/Calibration/Npy.h"
#include "qnn/InitAllDialects.h"
#include "qnn/Target/LLVM/MachineCode.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
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
    batchesFilename("inputs",
                    llvm::cl::desc("MLIR file of input batches, or a "
                                   "directory of .npy files"),
                    llvm::cl::Required);
static llvm::cl::opt<std::string>
    entryName("entry", llvm::cl::desc("Function of the model to run"),
              llvm::cl::Required);
static llvm::cl::opt<int64_t>
    binCount("bins", llvm::cl::desc("Histogram bins (histogram methods)"),
             llvm::cl::init(2048));
static llvm::cl::opt<std::string>
    outputFilename("o", llvm::cl::desc("Output file"), llvm::cl::init("-"));

/// The tool, after LLVM's initialization.
static int calibrate(int argc, char **argv) {
  llvm::cl::ParseCommandLineOptions(
      argc, argv, "quant-mlir calibration: record qnn.calibrate statistics\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerMachineCodeTranslations(registry);
  MLIRContext context(registry);
  // The instrumentation creates arith, bufferization, func and memref
  // operations that the model may not use.
  context.loadAllAvailableDialects();

  // One source manager per file; the handler opens the other file itself
  // when it reports a location there.
  llvm::SourceMgr modelSources, batchSources;
  SourceMgrDiagnosticHandler handler(modelSources, &context);
  OwningOpRef<ModuleOp> model =
      parseSourceFile<ModuleOp>(inputFilename, modelSources, &context);
  if (!model)
    return 1;
  OwningOpRef<ModuleOp> batches =
      loadBatches(&context, batchesFilename, *model, entryName, batchSources);
  if (!batches)
    return 1;
  if (binCount < 1) {
    llvm::errs() << "quant-calibrate: --bins must be at least 1\n";
    return 1;
  }

  CalibrationOptions options;
  options.entry = entryName;
  options.bins = binCount;
  if (failed(runCalibration(*model, *batches, options)))
    return 1;

  std::string error;
  auto output = openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  (*model)->print(output->os());
  output->os() << "\n";
  output->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  return qnn::runWithLargeStack([&] { return calibrate(argc, argv); });
}
