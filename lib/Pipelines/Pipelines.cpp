//===- Pipelines.cpp - quant-mlir pass pipelines --------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Quantize/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::qnn;

/// Adds the function pass `pass` to `pm`, which runs on functions or on
/// the operations around them.
static void addFunctionPass(OpPassManager &pm, std::unique_ptr<Pass> pass) {
  if (pm.getOpAnchorName() == func::FuncOp::getOperationName())
    pm.addPass(std::move(pass));
  else
    pm.nest<func::FuncOp>().addPass(std::move(pass));
}

/// Batch norm, calibration statistics and (optionally) weight storage.
static void addFoldCalibrationPasses(OpPassManager &pm,
                                     bool allowMissingStatistics,
                                     bool storeWeights) {
  addFunctionPass(pm, createQNNFoldBatchNormPass());
  QNNCalibrationToFakeQuantPassOptions calibration;
  calibration.allowMissingStatistics = allowMissingStatistics;
  addFunctionPass(pm, createQNNCalibrationToFakeQuantPass(calibration));
  if (storeWeights)
    addFunctionPass(pm, createQNNStoreWeightsPass());
}

void qnn::buildQNNFoldCalibrationPipeline(
    OpPassManager &pm, const QNNFoldCalibrationOptions &options) {
  addFoldCalibrationPasses(pm, options.allowMissingStatistics,
                           options.storeWeights);
}

void qnn::buildQNNQuantizePipeline(OpPassManager &pm,
                                   const QNNQuantizeOptions &options) {
  // Batch norm folds into float weights, statistics become fake
  // quantization, and constant weights are stored as codes before
  // sparsity elimination reads their zeros and the rewrite their codes.
  addFoldCalibrationPasses(pm, options.allowMissingStatistics,
                           /*storeWeights=*/true);
  QNNEliminateSparsityPassOptions sparsity;
  sparsity.compressThreshold = options.compressThreshold;
  addFunctionPass(pm, createQNNEliminateSparsityPass(sparsity));
  QNNRewriteBinaryPassOptions binary;
  binary.ternaryKernel = options.ternaryKernel;
  addFunctionPass(pm, createQNNRewriteBinaryPass(binary));
  QNNRewriteInt8PassOptions rewrite;
  rewrite.dynamic = options.dynamic;
  rewrite.requantizeMode = options.mode;
  addFunctionPass(pm, createQNNRewriteInt8Pass(rewrite));
}

void qnn::buildQNNCompilePipeline(OpPassManager &pm,
                                  const QNNCompileOptions &options) {
  // 0. Shapes no CPU can run are errors, not out-of-bounds code; the
  //    machine, resolved once and read by every backend pass.
  pm.addPass(cpu::createQNNCPUCheckShapesPass());
  cpu::QNNCPUAttachTargetPassOptions attach;
  attach.target = options.target;
  pm.addPass(cpu::createQNNCPUAttachTargetPass(attach));

  // 1. Lower the quantization ops on tensors. quant casts go first, with
  //    PyTorch's numerics, before anything could fold dcast(qcast(x)) away;
  //    the pipeline runs no canonicalization.
  pm.addPass(createConvertQuantToLinalgPass());
  // TOSA input (TFLite models), now on storage types, to linalg: its
  // quantized contractions become the named integer ops of the contract.
  pm.addPass(createQNNLowerTosaPass());
  pm.addPass(createConvertQNNToLinalgPass());
  // Element-wise arith/math on tensors becomes linalg.generic too.
  pm.addPass(createConvertElementwiseToLinalgPass());
  // Grouped convolutions and depthwise multipliers as the convolutions the
  // kernels take, one per group.
  pm.addNestedPass<func::FuncOp>(
      cpu::createQNNCPUSplitGroupedConvolutionsPass());
  // The element-wise chain after a binary or ternary contraction (scales,
  // batch norm, quantization for an int8 layer) as one epilogue.
  pm.addNestedPass<func::FuncOp>(cpu::createQNNCPUFuseBitEpiloguesPass());

  // 2. Bufferize, function boundaries included, with identity layouts so
  //    that functions are callable from C and printable by the runner.
  //    Callers' inputs are never written.
  pm.addPass(cpu::createQNNReadOnlyArgumentsPass());
  // Element-wise ops write buffers of their own: bufferization's analysis
  // of in-place chains is quadratic in their length.
  pm.addNestedPass<func::FuncOp>(
      cpu::createQNNCPUDetachElementwiseOutputsPass());
  // Constants' globals in program order: bufferization would name them in
  // the order it visits functions, which varies from run to run.
  pm.addPass(cpu::createQNNConstantsToGlobalsPass());
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  // Upstream's simplification compares every pair of a dealloc's buffers:
  // the known allocations are freed first, in linear time.
  pm.addNestedPass<func::FuncOp>(cpu::createQNNFreeKnownBuffersPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Strided copies become loops: no dependence on the MLIR runtime library.
  pm.addNestedPass<func::FuncOp>(cpu::createQNNExpandCopiesPass());

  // 3. Integer contractions become the target's packed, vectorized
  //    kernels; everything else portable loops.
  pm.addPass(cpu::createQNNCPULowerContractionsPass(
      cpu::QNNCPULowerContractionsPassOptions{options.summary,
                                              options.packSigns}));
  // A network's layers each in a function of their own: LLVM's loop
  // passes are superlinear in the size of a function.
  // Element-wise ops as long 1-D loops, which LLVM vectorizes, exp
  // included.
  pm.addNestedPass<func::FuncOp>(cpu::createQNNCPUVectorizeBitpackPass());
  pm.addNestedPass<func::FuncOp>(cpu::createQNNCPUFlattenElementwisePass());
  pm.addNestedPass<func::FuncOp>(cpu::createQNNCPUPolynomialExpPass());
  pm.addPass(cpu::createQNNCPUOutlineLoopNestsPass());
  // One allocation per call for the intermediate buffers.
  pm.addNestedPass<func::FuncOp>(cpu::createQNNCPUPlanBuffersPass());
  pm.addPass(createConvertLinalgToLoopsPass());

  // 4. To the LLVM dialect. bf16 conversions are expanded to integer
  //    arithmetic, which every target supports.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // aligned_alloc rather than malloc plus pointer arithmetic: the aligned
  // pointer keeps malloc's provenance, so LLVM knows a buffer aliases no
  // argument and vectorizes without run-time overlap checks.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useAlignedAlloc = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(cpu::createQNNCPUFinalizeLLVMPass());
}

void qnn::registerQNNPipelines() {
  PassPipelineRegistration<QNNQuantizeOptions>(
      "qnn-quantize",
      "Quantize stage: fold batch norm and calibration statistics, store "
      "weights, eliminate sparsity and rewrite QDQ compute into integer "
      "compute",
      buildQNNQuantizePipeline);
  PassPipelineRegistration<QNNFoldCalibrationOptions>(
      "qnn-fold-calibration",
      "Fold batch norm and calibration statistics and store weights (the "
      "earlier name of --qnn-fold-batch-norm, "
      "--qnn-calibration-to-fake-quant, --qnn-store-weights)",
      buildQNNFoldCalibrationPipeline);
  PassPipelineRegistration<QNNCompileOptions>(
      "qnn-compile",
      "Compile func/arith/math/tensor/linalg/qnn/quant to the LLVM dialect",
      buildQNNCompilePipeline);
  PassPipelineRegistration<QNNLowerInt8KernelsOptions>(
      "qnn-lower-int8-kernels",
      "Attach the target and lower contractions to its kernels (the "
      "earlier name of --qnn-cpu-attach-target, "
      "--qnn-cpu-lower-contractions)",
      [](OpPassManager &pm, const QNNLowerInt8KernelsOptions &options) {
        cpu::QNNCPUAttachTargetPassOptions attach;
        attach.target = options.target;
        pm.addPass(cpu::createQNNCPUCheckShapesPass());
        pm.addPass(cpu::createQNNCPUAttachTargetPass(attach));
        pm.addPass(cpu::createQNNCPULowerContractionsPass());
      });
}
