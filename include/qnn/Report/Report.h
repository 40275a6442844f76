//===- Report.h - What quantization and compression did, per layer -*- C++
//-*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The compression report of a model: for every matmul and convolution, the
// bit widths it computes with, the sparsity and size of its weights before
// and after, its bit operations, the kernel it runs on (or why not), and
// its error against float on calibration data.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REPORT_REPORT_H
#define QNN_REPORT_REPORT_H

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mlir::qnn {

/// One matmul or convolution of the model.
struct LayerReport {
  /// The operation and its location in the model.
  std::string op;
  std::string location;
  /// Multiply-accumulates per run.
  int64_t macs = 0;
  /// Bits of the activations and of the weights it computes with (32:
  /// float).
  unsigned activationBits = 32;
  unsigned weightBits = 32;
  /// Fraction of zero weights (of their codes once quantized).
  double sparsity = 0;
  /// Bytes of the constant weights in f32 and as stored after quantization
  /// (0 for run-time weights).
  int64_t bytesBefore = 0;
  int64_t bytesAfter = 0;
  /// Bit operations: MACs times the two bit widths.
  double bops = 0;
  /// The kernel it runs on, or why it stays on portable loops or in float.
  std::string kernel;
  /// With calibration data: signal to quantization noise ratio (dB) and
  /// relative RMS error of its output against the float model.
  std::optional<double> sqnr;
  std::optional<double> relativeRMS;
};

struct ReportOptions {
  /// The function of the model.
  std::string entry;
  /// The machine the kernels are chosen for.
  cpu::Target target = cpu::Target::host;
};

/// Builds the report of `entry` of `model` (float operations with
/// `qnn.calibrate` statistics or `qnn.fake_quant`, or QDQ): quantizes and
/// compiles copies of it, and, given `batches` (as quant-calibrate takes
/// them; may be null), runs the float and the fake-quantized model on them.
FailureOr<SmallVector<LayerReport>>
buildCompressionReport(ModuleOp model, ModuleOp batches,
                       const ReportOptions &options);

/// Writes the report as a text table, with totals.
void printReportTable(ArrayRef<LayerReport> layers, llvm::raw_ostream &os);

/// Writes the report as JSON: {"layers": [...], "total": {...}}.
void printReportJSON(ArrayRef<LayerReport> layers, llvm::raw_ostream &os);

} // namespace mlir::qnn

#endif // QNN_REPORT_REPORT_H
