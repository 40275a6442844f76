//===- ContractionEpilogue.h - Bias and activation of matmuls ---*- C++ -*-===//
//-*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What producers put between a float contraction and its quantization, read
// as one computation `act(y + b)` whatever its spelling:
//
// - the bias `b`: none, or a constant per channel (or one for all) added
//   after the contraction by `arith.addf` on tensors, `linalg.add` or an
//   element-wise `linalg.generic`, as a float constant or as integer codes
//   behind `quant.scast` + `quant.dcast` (ONNX's i32 bias), broadcast by
//   `linalg.broadcast`, by the generic's indexing map, or written out as a
//   constant tensor;
// - the activation `act`: clamps to constant bounds (ReLU, ReLU6, clamp,
//   hardtanh) spelled as `arith.maximumf`/`minimumf`/`maxnumf`/`minnumf`,
//   `arith.cmpf` + `arith.select`, or `linalg.max`/`linalg.min`, on tensors
//   or inside the bias's generic.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_CONTRACTIONEPILOGUE_H
#define QNN_LIB_QUANTIZE_CONTRACTIONEPILOGUE_H

#include "QuantizedOperands.h"
#include "qnn/Dialect/QNN/Utils/ContractionInit.h"

#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qnn {

/// `act(y + b)` after a contraction whose result is `contraction`.
struct ContractionEpilogue {
  Value contraction;
  /// The bias added after the contraction (channelDim -1: the same value
  /// for every element).
  std::optional<ConstantBias> bias;
  Activation act;
};

/// Peels the bias and activation ops that lead from `value` (the input of a
/// quantization) back to a contraction's result. Stops at the first op
/// that is neither; `contraction` is then the value reached.
ContractionEpilogue peelContractionEpilogue(Value value);

} // namespace mlir::qnn

#endif // QNN_LIB_QUANTIZE_CONTRACTIONEPILOGUE_H
