//===- QuantParamsBuilder.h - Quantization parameters in IR -----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Emits the scalar arithmetic of PyTorch's affine quantization (docs/QNN.md,
// "qnn.fake_quant"), shared by the lowering of `qnn.fake_quant` and of the
// upstream `quant.qcast` / `quant.dcast`.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_UTILS_QUANTPARAMSBUILDER_H
#define QNN_CONVERSION_UTILS_QUANTPARAMSBUILDER_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

namespace mlir::qnn {

/// The float type quantization arithmetic runs in for values of
/// `elementType`: f64 for f64, f32 otherwise.
FloatType getComputeType(Type elementType);

/// The quantization parameters of a tensor, materialized for a
/// `linalg.generic` over it.
class QuantParamsBuilder {
public:
  /// Builds the parameters of `type` for `input`, a ranked tensor (or a
  /// scalar, for a per-tensor type): scalar
  /// constants for a per-tensor type, constant tensors read through
  /// broadcasting maps for per-axis and sub-channel types. Emits a run-time
  /// check that a dynamic quantized dimension has the size of the type.
  /// With `divideByScale`, quantization divides by the scale (ONNX)
  /// instead of multiplying by its f32 reciprocal (PyTorch).
  static QuantParamsBuilder build(OpBuilder &b, Location loc,
                                  quant::QuantizedType type, Value input,
                                  FloatType computeType,
                                  bool divideByScale = false);

  /// Scalars of one element inside the generic body.
  struct Scalars {
    Value inverse;
    Value scale;
    Value zeroPoint;
  };
  /// Returns the scalars given the block arguments of the constant
  /// parameter tensors (none for a per-tensor type).
  Scalars resolve(ValueRange operandArgs) const;

  /// Storage types wider than this have codes that the compute type may
  /// not hold exactly; their zero points are i64 and their arithmetic
  /// integer (emitQuantizeToStorage, emitDequantizeStorage).
  static constexpr unsigned kMaxExactWidth = 16;

  /// Quantizes `x` (in the compute type) to its clamped integer code, as a
  /// float of the compute type: `clamp(round(x * inv) + zp, qmin, qmax)`
  /// (`x / scale` when built to divide by the scale),
  /// NaN giving qmin. Storage of at most kMaxExactWidth bits only.
  Value emitQuantize(OpBuilder &b, Location loc, Value x,
                     const Scalars &scalars, Rounding rounding) const;

  /// Dequantizes the code `q` (a float of the compute type):
  /// `(q - zp) * scale`. Storage of at most kMaxExactWidth bits only.
  Value emitDequantize(OpBuilder &b, Location loc, Value q,
                       const Scalars &scalars) const;

  /// Quantizes `x` (in the compute type) to a code of `storageType`, for
  /// any width up to 32 bits: as emitQuantize, with the zero point added
  /// and the clamp applied on i64 for wide types.
  Value emitQuantizeToStorage(OpBuilder &b, Location loc, Value x,
                              const Scalars &scalars, Rounding rounding,
                              IntegerType storageType, bool isSigned) const;

  /// Dequantizes a storage `code` to the compute type, for any width up to
  /// 32 bits: `(q - zp) * scale`, with `q - zp` on i64 for wide types.
  Value emitDequantizeStorage(OpBuilder &b, Location loc, Value code,
                              const Scalars &scalars, bool isSigned) const;

  /// Body of `buildElementwise`: maps one element of the input and its
  /// parameters to one element of the result.
  using ElementFn =
      llvm::function_ref<Value(OpBuilder &, Location, Value, const Scalars &)>;

  /// Builds an element-wise generic over `input` (the tensor the parameters
  /// were built for) producing `resultType` elements with `body`; for a
  /// scalar `input`, emits `body` alone.
  Value buildElementwise(OpBuilder &b, Location loc, Value input,
                         Type resultType, ElementFn body) const;

private:
  FloatType computeType;
  double qmin = 0;
  double qmax = 0;
  int64_t storageMin = 0;
  int64_t storageMax = 0;
  bool wideStorage = false;
  bool divideByScale = false;
  Scalars perTensor;
  /// Constant tensors of inverses, scales and zero points (per-axis and
  /// sub-channel), read through `maps`.
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
};

} // namespace mlir::qnn

#endif // QNN_CONVERSION_UTILS_QUANTPARAMSBUILDER_H
