//===- Patterns.h - Pattern groups of the qnn lowering ----------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The lowering of the qnn dialect is split by operation family; each file
// adds its patterns through one of these functions.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_PATTERNS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_PATTERNS_H

namespace mlir {
class RewritePatternSet;

namespace qnn {

/// `qnn.fake_quant` and `qnn.log_quant` (QuantizeOps.cpp).
void populateQuantizeOpLoweringPatterns(RewritePatternSet &patterns);

/// `qnn.requantize` (RequantizeOps.cpp).
void populateRequantizeOpLoweringPatterns(RewritePatternSet &patterns);

/// `qnn.binarize` and `qnn.ternarize` (SignOps.cpp).
void populateSignOpLoweringPatterns(RewritePatternSet &patterns);

/// `qnn.prune_mask`, `qnn.apply_mask` and `qnn.calibrate` (MaskOps.cpp).
void populateMaskOpLoweringPatterns(RewritePatternSet &patterns);

/// `qnn.bitpack`, `qnn.bitunpack` and `qnn.binary_matmul` (BitOps.cpp).
void populateBitOpLoweringPatterns(RewritePatternSet &patterns);

} // namespace qnn
} // namespace mlir

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_PATTERNS_H
