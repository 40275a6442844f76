//===- ErrorRun.h - Quantization error per layer on real data ---*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Runs a float model and its quantized form on the same batches and
// measures, at the output of every layer, how far the quantized values are
// from the float ones.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_ERRORRUN_H
#define QNN_CALIBRATION_ERRORRUN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::qnn {

/// The error of one layer's output over all batches.
struct LayerError {
  /// Sum of the squares of the float outputs.
  double signal = 0;
  /// Sum of the squares of quantized minus float outputs.
  double noise = 0;
  double maxAbs = 0;
  int64_t count = 0;

  /// Signal to quantization noise ratio in dB (infinite without noise).
  double getSQNR() const;
  /// sqrt(noise / signal).
  double getRelativeRMS() const;
};

/// Runs `entry` of `floatModel` and of `quantizedModel` on every batch of
/// `batches` (as quant-calibrate takes them) and returns the error at the
/// f32 result of each op `isLayer` selects, the i-th such op of the one
/// model against the i-th of the other, in walk order. Both models are
/// compiled with `--qnn-compile` for this machine and run by MLIR's JIT.
FailureOr<SmallVector<LayerError>>
measureLayerErrors(ModuleOp floatModel, ModuleOp quantizedModel,
                   ModuleOp batches, StringRef entry,
                   llvm::function_ref<bool(Operation *)> isLayer);

} // namespace mlir::qnn

#endif // QNN_CALIBRATION_ERRORRUN_H
