//===- Pipelines.h - quant-mlir pass pipelines ------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "qnn/Target/Target.h"

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace qnn {

/// Options of `--qnn-compile`.
struct QNNCompileOptions : public PassPipelineOptions<QNNCompileOptions> {
  PassOptions::Option<CompileTarget> target{
      *this, "target", llvm::cl::desc("Machine to generate code for"),
      llvm::cl::init(CompileTarget::Host),
      llvm::cl::values(
          clEnumValN(CompileTarget::Host, "host",
                     "the machine quant-opt runs on (default)"),
          clEnumValN(CompileTarget::Generic, "generic",
                     "portable loops for any machine"),
          clEnumValN(CompileTarget::X86_64_V3, "x86-64-v3",
                     "x86-64 with AVX2 (vpmaddwd)"),
          clEnumValN(CompileTarget::X86Avx512Vnni, "x86-avx512-vnni",
                     "x86-64 with AVX-512 VNNI (vpdpbusd)"),
          clEnumValN(CompileTarget::AArch64, "aarch64", "AArch64 NEON"),
          clEnumValN(CompileTarget::AArch64Dotprod, "aarch64-dotprod",
                     "AArch64 NEON with the dot product extension (sdot)"),
          clEnumValN(CompileTarget::AArch64I8mm, "aarch64-i8mm",
                     "AArch64 NEON with the int8 matrix extension (smmla)"))};
};

/// Adds to `pm` the passes that compile a module of func, arith, math,
/// tensor, linalg, qnn and quant operations to the LLVM dialect.
void buildQNNCompilePipeline(OpPassManager &pm,
                             const QNNCompileOptions &options);

/// Registers `--qnn-compile`.
void registerQNNPipelines();

} // namespace qnn
} // namespace mlir

#endif // QNN_PIPELINES_PIPELINES_H
