//===- ContractionInit.h - Initial values of contractions -------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The constant bias of a matmul or convolution as frontends emit it: in the
// initial value (zeros, or a bias broadcast over every output dimension but
// the channel one) or added after. Shared by the QNN transformations.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H
#define QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qnn {

/// A constant 1-D bias broadcast along every output dimension but
/// `channelDim` (-1: one value for every element).
struct ConstantBias {
  /// Float values, or integer codes when `codesType` is set.
  DenseElementsAttr values;
  int64_t channelDim;
  /// The quantized type of integer codes behind `quant.scast` +
  /// `quant.dcast` (ONNX's and TFLite's i32 bias); null for float values.
  quant::QuantizedType codesType;

  /// The real value of element `i`: the float, or `(q - z) * s` in f32 as
  /// `quant.dcast` computes it.
  double getRealValue(int64_t i) const;
};

/// A 1-D constant bias value: a float constant, or (with `allowCodes`)
/// integer codes behind `quant.scast` + `quant.dcast` with a per-tensor or
/// axis-0 type. The channel dimension is left to the caller.
std::optional<ConstantBias> matchBiasValues(Value value, bool allowCodes);

/// A constant bias written out to the shape of `value`: a constant tensor
/// whose values vary along one dimension at most, `linalg.fill` of a
/// scalar, or a 1-D bias (see matchBiasValues) spread along one dimension
/// by `linalg.broadcast` or by a copying `linalg.generic`.
std::optional<ConstantBias> matchBiasTensor(Value value, bool allowCodes);

/// A bias read by a `linalg.generic` operand through `map`: a full bias
/// tensor (identity map, see matchBiasTensor), a 1-D bias indexed by one
/// loop (possibly `tensor.expand_shape`d to ones but along that dimension,
/// with the other results constant 0), or a scalar.
std::optional<ConstantBias> matchBiasOperand(Value value, AffineMap map,
                                             bool allowCodes);

/// The initial value of a contraction: no bias (zeros) or a constant bias
/// (codes only with `allowCodes`) in any form matchBiasTensor reads;
/// failure for anything else.
FailureOr<std::optional<ConstantBias>>
matchContractionInit(Value init, bool allowCodes = false);

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_CONTRACTIONINIT_H
