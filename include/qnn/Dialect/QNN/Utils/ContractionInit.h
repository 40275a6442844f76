//===- ContractionInit.h - Initial values of contractions -------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The initial value of a matmul or convolution as frontends emit it: zeros
// (`linalg.fill` of 0.0) or a constant bias broadcast over every output
// dimension but the channel one. Shared by the QNN transformations.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H
#define QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qnn {

/// A constant 1-D bias broadcast along every output dimension but
/// `channelDim`.
struct ConstantBias {
  DenseElementsAttr values;
  int64_t channelDim;
};

/// The initial value of a contraction: no bias (zeros) or a constant bias;
/// failure for anything else.
FailureOr<std::optional<ConstantBias>> matchContractionInit(Value init);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H
