//===- ConstantWeights.h - Constant weights of contractions -----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The one matcher of constant weights on tensors, shared by every pass that
// rewrites a matmul or convolution by its weights: a float constant, or
// integer codes behind `quant.scast` and `quant.dcast` (as frontends and
// --qnn-store-weights write quantized weights).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CONSTANTWEIGHTS_H
#define QNN_DIALECT_QNN_UTILS_CONSTANTWEIGHTS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qnn {

/// Constant weights: float values, or integer codes with their quantized
/// type (per tensor or per axis).
struct ConstantWeights {
  /// The float values, or the integer codes.
  DenseElementsAttr values;
  /// The type of the codes; null for float weights.
  quant::QuantizedType type;

  bool isQuantized() const { return static_cast<bool>(type); }
};

/// Matches `value` as constant weights: a dense float constant, or
/// `quant.dcast(quant.scast(constant))` with a per-tensor or per-axis
/// uniform type, of at most kMaxFoldedElements elements (ConstantLimits.h).
std::optional<ConstantWeights> matchConstantWeights(Value value);

/// Whether each element of `weights` (in row-major order) is zero: as a
/// real value for codes, where the code equals the zero point of its
/// channel.
SmallVector<bool> getZeroElements(const ConstantWeights &weights);

/// Each code of quantized `weights` minus the zero point of its channel
/// (in row-major order).
SmallVector<int64_t> getCodeOffsets(const ConstantWeights &weights);

/// The real value of each element of `weights` (in row-major order): the
/// float values, or scale * (code - zero point) for codes, in f64.
SmallVector<double> getRealValues(const ConstantWeights &weights);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CONSTANTWEIGHTS_H
