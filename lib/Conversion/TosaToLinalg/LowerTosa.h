//===- LowerTosa.h - TOSA input to linalg -----------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H
#define QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class ModuleOp;
class RewritePatternSet;

namespace qnn {

/// Depthwise convolutions with a channel multiplier of 1, as TOSA lowers
/// them, become the contract's multiplier-free ones
/// (DepthwiseMultiplier.cpp).
void populateDepthwiseMultiplierOnePatterns(RewritePatternSet &patterns);

/// Replaces the ui8/si8 tensor arguments and results of the functions of
/// `module`, which the TOSA lowering leaves behind sign casts, by signless
/// ones (SignlessBoundaries.cpp). Fails, with an error on the cast, if a
/// sign cast is left inside a function.
LogicalResult makeBoundariesSignless(ModuleOp module);

} // namespace qnn
} // namespace mlir

#endif // QNN_LIB_CONVERSION_TOSATOLINALG_LOWERTOSA_H
