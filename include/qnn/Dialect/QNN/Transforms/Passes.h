//===- Passes.h - QNN transformation passes ---------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace qnn {

#define GEN_PASS_DECL
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

/// Adds the patterns that replace `qnn.calibrate` operations carrying
/// statistics by `qnn.fake_quant`.
void populateFoldCalibrationPatterns(RewritePatternSet &patterns);

/// Adds the patterns that fold a per-channel affine (inference batch
/// normalization) after a matmul or convolution with constant weights into
/// those weights and the bias.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// Adds the patterns that evaluate quantization, binarization,
/// ternarization and masking of constant weights and store the results in
/// their storage types.
void populateStoreWeightsPatterns(RewritePatternSet &patterns);

/// Adds the patterns that fold `qnn.prune_mask` and `qnn.apply_mask` whose
/// operands are constants, and `qnn.apply_mask` with a mask of all ones.
void populateFoldConstantMaskPatterns(RewritePatternSet &patterns);

/// Adds the patterns that remove structurally pruned channels and
/// computation on all-zero weights.
void populateEliminateSparsityPatterns(RewritePatternSet &patterns);

/// Adds the pattern that turns matmuls whose constant weights are at least
/// `threshold` zeros into loops over the nonzeros.
void populateCompressSparseWeightsPatterns(RewritePatternSet &patterns,
                                           double threshold);

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

} // namespace qnn
} // namespace mlir

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
