//===- InitAllPasses.h - Passes quant-opt registers -------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Registers the upstream passes of the dialects in InitAllDialects.h and the
// conversions between them.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_INITALLPASSES_H
#define QNN_INITALLPASSES_H

#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Quantize/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Quant/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/Transforms/Passes.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::qnn {

/// Registers the quant-mlir passes and pipelines, and the upstream passes
/// (canonicalize, cse, bufferization, the dialects' own transformations and
/// the conversions to LLVM) that quant-opt offers next to them.
inline void registerAllPasses() {
  cpu::registerQNNCPUPasses();
  registerQNNConversionPasses();
  registerQNNPasses();
  registerQNNQuantizePasses();
  registerQNNPipelines();

  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  affine::registerAffinePasses();
  arith::registerArithPasses();
  bufferization::registerBufferizationPasses();
  bufferization::registerBufferizationPipelines();
  func::registerFuncPasses();
  registerLinalgPasses();
  math::registerMathPasses();
  memref::registerMemRefPasses();
  quant::registerQuantPasses();
  registerSCFPasses();
  tensor::registerTensorPasses();
  tosa::registerTosaPasses();
  tosa::registerTosaToLinalgPipelines();
  vector::registerVectorPasses();
}

} // namespace mlir::qnn

#endif // QNN_INITALLPASSES_H
