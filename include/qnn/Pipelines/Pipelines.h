//===- Pipelines.h - quant-mlir pass pipelines ------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "qnn/Codegen/CPU/IR/TargetOption.h"
#include "qnn/Quantize/Passes.h"

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace qnn {

/// Options of `--qnn-quantize`.
struct QNNQuantizeOptions : public PassPipelineOptions<QNNQuantizeOptions> {
  PassOptions::Option<bool> allowMissingStatistics{
      *this, "allow-missing-statistics",
      llvm::cl::desc("Leave qnn.calibrate operations without statistics in "
                     "place instead of failing"),
      llvm::cl::init(false)};
  PassOptions::Option<double> compressThreshold{
      *this, "compress-threshold",
      llvm::cl::desc("Fraction of zeros from which constant f32 matmul "
                     "weights are stored compressed (above 1: never)"),
      llvm::cl::init(0.95)};
  PassOptions::Option<bool> dynamic{
      *this, "dynamic",
      llvm::cl::desc("Also quantize the float activations of matmuls with "
                     "int8 weights at run time (torch's quantize_dynamic)"),
      llvm::cl::init(false)};
  PassOptions::Option<RequantizeMode> mode{
      *this, "mode", llvm::cl::desc("Requantization of the i32 accumulators"),
      llvm::cl::init(RequantizeMode::floating_point),
      getRequantizeModeOptionValues()};
  PassOptions::Option<TernaryKernel> ternaryKernel{
      *this, "ternary-kernel",
      llvm::cl::desc("How matmuls of binarized activations and ternary "
                     "weights run"),
      llvm::cl::init(TernaryKernel::bit_planes),
      getTernaryKernelOptionValues()};
};

/// Adds to `pm` the quantize stage, on every function: batch-norm folding,
/// calibration statistics to fake quantization, weight storage, sparsity
/// elimination and the int8 rewrite, in that order.
void buildQNNQuantizePipeline(OpPassManager &pm,
                              const QNNQuantizeOptions &options);

/// Options of `--qnn-fold-calibration`.
struct QNNFoldCalibrationOptions
    : public PassPipelineOptions<QNNFoldCalibrationOptions> {
  PassOptions::Option<bool> allowMissingStatistics{
      *this, "allow-missing-statistics",
      llvm::cl::desc("Leave qnn.calibrate operations without statistics in "
                     "place instead of failing"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> storeWeights{
      *this, "store-weights",
      llvm::cl::desc("Store constant quantized, binary and ternary weights "
                     "in their storage types"),
      llvm::cl::init(true)};
};

/// Adds to `pm` batch-norm folding, calibration statistics to fake
/// quantization and (optionally) weight storage: the first half of the
/// quantize stage.
void buildQNNFoldCalibrationPipeline(OpPassManager &pm,
                                     const QNNFoldCalibrationOptions &options);

/// Options of `--qnn-compile`.
struct QNNCompileOptions : public PassPipelineOptions<QNNCompileOptions> {
  PassOptions::Option<cpu::Target> target{
      *this, "target",
      llvm::cl::desc("Machine to generate code for (default: host)"),
      llvm::cl::init(cpu::Target::host)};
  PassOptions::Option<bool> summary{
      *this, "summary",
      llvm::cl::desc("Emit one remark counting the matmuls and convolutions "
                     "on integer kernels, f32 kernels and portable loops"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> packSigns{
      *this, "pack-signs",
      llvm::cl::desc("Let a kernel whose output only feeds the next binary "
                     "layer write its packed signs (false: write f32 and "
                     "pack in a loop of its own)"),
      llvm::cl::init(true)};
};

/// Adds to `pm` the passes that compile a module of func, arith, math,
/// tensor, linalg, qnn and quant operations to the LLVM dialect.
void buildQNNCompilePipeline(OpPassManager &pm,
                             const QNNCompileOptions &options);

/// Options of `--qnn-lower-int8-kernels`.
struct QNNLowerInt8KernelsOptions
    : public PassPipelineOptions<QNNLowerInt8KernelsOptions> {
  PassOptions::Option<cpu::Target> target{
      *this, "target",
      llvm::cl::desc("Machine to generate code for (default: host)"),
      llvm::cl::init(cpu::Target::host)};
};

/// Registers `--qnn-quantize` and `--qnn-compile`, and under their earlier
/// names `--qnn-fold-calibration` (`--qnn-fold-batch-norm`,
/// `--qnn-calibration-to-fake-quant`, `--qnn-store-weights`) and
/// `--qnn-lower-int8-kernels` (`--qnn-cpu-attach-target`,
/// `--qnn-cpu-lower-contractions`).
void registerQNNPipelines();

} // namespace qnn
} // namespace mlir

#endif // QNN_PIPELINES_PIPELINES_H
