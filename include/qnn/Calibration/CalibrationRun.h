//===- CalibrationRun.h - Record statistics by running a model --*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Post-training calibration: a copy of the model in which every
// qnn.calibrate reports its input to an observer (a call to a C function)
// is compiled with --qnn-compile, run by MLIR's JIT on every batch, and the
// observers' statistics are written into the model's qnn.calibrate ops.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_CALIBRATIONRUN_H
#define QNN_CALIBRATION_CALIBRATIONRUN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <string>

namespace mlir::qnn {

struct CalibrationOptions {
  /// The function of the model to run.
  std::string entry;
  /// Histogram bins (histogram methods).
  int64_t bins = 2048;
};

/// Runs `options.entry` of `model` on every batch of `batches` (functions
/// without arguments whose results are the entry's arguments, in order) and
/// sets the statistics of every qnn.calibrate of `model` that a batch
/// reached; warns about the others. Needs the native target initialized and
/// the context's translations to LLVM IR registered.
LogicalResult runCalibration(ModuleOp model, ModuleOp batches,
                             const CalibrationOptions &options);

/// The function `name` with a body in `module`, or null after reporting its
/// absence.
func::FuncOp lookupCalibrationEntry(ModuleOp module, StringRef name);

/// Adds to `runner` a copy of every batch function of `batches` (functions
/// without arguments returning the entry's arguments) and a function
/// `driverName` that calls the entry on each of them, in file order.
LogicalResult addBatchDriver(ModuleOp runner, ModuleOp batches,
                             StringRef entryName, StringRef driverName);

} // namespace mlir::qnn

#endif // QNN_CALIBRATION_CALIBRATIONRUN_H
