//===- LowerTosa.h - TOSA input to linalg -----------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H
#define QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H

namespace mlir {
class RewritePatternSet;

namespace qnn {

/// Depthwise convolutions with a channel multiplier of 1, as TOSA lowers
/// them, become the contract's multiplier-free ones
/// (DepthwiseMultiplier.cpp).
void populateDepthwiseMultiplierOnePatterns(RewritePatternSet &patterns);

} // namespace qnn
} // namespace mlir

#endif // QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H
