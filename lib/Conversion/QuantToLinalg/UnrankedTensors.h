//===- UnrankedTensors.h - Quant casts of unranked tensors ------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// An element-wise quant cast of an unranked tensor runs on a ranked view of
// it: 1-D for a per-tensor type, [before, channels, after] for a per-axis
// type (the quantized dimension becomes 1), reshaped back afterwards.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QUANTTOLINALG_UNRANKEDTENSORS_H
#define QNN_LIB_CONVERSION_QUANTTOLINALG_UNRANKEDTENSORS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// A ranked view of an unranked tensor.
struct RankedView {
  /// The tensor reshaped to the view.
  Value ranked;
  /// The original shape (tensor<?xindex>).
  Value shape;
  /// The quantized type for the view (per-axis: on dimension 1).
  quant::QuantizedType type;
};

/// Reshapes the unranked `value` to the view of `type` (per tensor or per
/// axis), with run-time checks that a per-axis tensor has the quantized
/// dimension and its size.
RankedView buildRankedView(OpBuilder &b, Location loc, Value value,
                           quant::QuantizedType type);

/// Reshapes the ranked result of the cast back to `shape`, unranked.
Value restoreUnranked(OpBuilder &b, Location loc, Value ranked, Value shape);

} // namespace mlir::qnn

#endif // QNN_LIB_CONVERSION_QUANTTOLINALG_UNRANKEDTENSORS_H
