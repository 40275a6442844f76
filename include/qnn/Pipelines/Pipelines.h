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

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace qnn {

/// Options of `--qnn-compile`.
struct QNNCompileOptions : public PassPipelineOptions<QNNCompileOptions> {
  PassOptions::Option<cpu::Target> target{
      *this, "target",
      llvm::cl::desc("Machine to generate code for (default: host)"),
      llvm::cl::init(cpu::Target::host)};
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

/// Registers `--qnn-compile`, and `--qnn-lower-int8-kernels`, the earlier
/// name of `--qnn-cpu-attach-target` followed by
/// `--qnn-cpu-lower-contractions`.
void registerQNNPipelines();

} // namespace qnn
} // namespace mlir

#endif // QNN_PIPELINES_PIPELINES_H
