//===- FuseConsumers.h - Element-wise consumers into one generic -*- C++
//-*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_FUSECONSUMERS_H
#define QNN_UTILS_FUSECONSUMERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::qnn {

/// Folds the chain of element-wise consumers of `producer` (on tensors:
/// each the only user of the previous result, all loops parallel) into
/// it, with upstream's element-wise fusion: one body that computes the
/// same operations on the same values. Returns the last fused op.
linalg::GenericOp fuseElementwiseConsumers(RewriterBase &rewriter,
                                           linalg::GenericOp producer);

} // namespace mlir::qnn

#endif // QNN_UTILS_FUSECONSUMERS_H
