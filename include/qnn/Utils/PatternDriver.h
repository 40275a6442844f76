//===- PatternDriver.h - Rewrites that keep fake quantization ---*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// quant-mlir's passes apply their patterns without the greedy driver's
// folding: upstream folds `quant.dcast(quant.qcast(x))` to `x`, which would
// erase fake quantization between layers, and the constant folders of
// `qnn` would evaluate fake-quantized weights to floats before they could
// be stored as integer codes.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_PATTERNDRIVER_H
#define QNN_UTILS_PATTERNDRIVER_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::qnn {

/// Applies `patterns` greedily to `op` without folding.
LogicalResult applyPatternsWithoutFolding(Operation *op,
                                          RewritePatternSet &&patterns);

} // namespace mlir::qnn

#endif // QNN_UTILS_PATTERNDRIVER_H
