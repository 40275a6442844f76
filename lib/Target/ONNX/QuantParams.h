//===- QuantParams.h - ONNX quantization parameters -------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The scale and zero point operands of ONNX's quantized operators: as an
// upstream `!quant.uniform` type when they are constants, or as run-time
// tensors read by explicit arithmetic otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_TARGET_ONNX_QUANTPARAMS_H
#define QNN_LIB_TARGET_ONNX_QUANTPARAMS_H

#include "GraphImporter.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <optional>

namespace mlir::qnn::onnx_import {

/// The quantization parameters of one operand of a node.
struct QuantParams {
  Tensor scale;
  std::optional<Tensor> zeroPoint;
  /// ONNX element type of the codes.
  int32_t storageType = kUInt8;
  /// The quantized dimension (per axis and blocked), or none (per tensor).
  std::optional<int64_t> axis;
  /// Block size along `axis` (blocked quantization), or 0.
  int64_t blockSize = 0;

  bool isConstant() const {
    return scale.constant && (!zeroPoint || zeroPoint->constant);
  }
  int64_t getStorageMin() const;
  int64_t getStorageMax() const;
};

/// Reads the scale (input `scaleIndex`) and zero point (input `zpIndex`, if
/// present) applying to `codesShape`, with the node's `axis` (default
/// `defaultAxis`) and `block_size` attributes. `storageType` is the type of
/// the codes, or 0 to take the zero point's (uint8 without one).
FailureOr<QuantParams> getQuantParams(GraphImporter &importer,
                                      unsigned scaleIndex, unsigned zpIndex,
                                      ArrayRef<int64_t> codesShape,
                                      int32_t storageType,
                                      int64_t defaultAxis = 1);

/// The `!quant.uniform` type of constant `params` (f32 expressed).
quant::QuantizedType buildQuantizedType(OpBuilder &b, const QuantParams &params,
                                        ArrayRef<int64_t> codesShape);

/// Builds `quant.scast` of `codes` to `qtype` and `quant.dcast` to f32.
Value buildDequantizeCasts(OpBuilder &b, Location loc, Value codes,
                           quant::QuantizedType qtype);

/// Builds `quant.qcast` of the f32 tensor `x` to `qtype`; returns the
/// quantized tensor and its codes (`quant.scast` to storage).
std::pair<Value, Value> buildQuantizeCasts(OpBuilder &b, Location loc, Value x,
                                           quant::QuantizedType qtype);

/// The run-time parameter `t` (one element, or one per index of `axis`) as
/// a generic over a tensor of `rank` reads it: a rank-0 tensor and the map
/// `() `, or a 1-D tensor and the map `(d_axis)`.
std::pair<Value, AffineMap> getParamOperand(OpBuilder &b, Location loc,
                                            const Tensor &t, int64_t rank,
                                            std::optional<int64_t> axis);

/// The scalar parameters of one element inside an element-wise body.
struct ScalarParams {
  Value scale;
  /// The zero point as f32 (0 without one).
  Value zeroPoint;
};

/// Builds an element-wise generic over `x` reading run-time `params`
/// through broadcasting maps; `body` receives the element of `x` and its
/// parameters.
FailureOr<Value> buildRuntimeParamsElementwise(
    GraphImporter &importer, Value x, const QuantParams &params,
    Type resultType,
    llvm::function_ref<Value(OpBuilder &, Location, Value,
                             const ScalarParams &)>
        body);

/// ONNX's quantization of the f32 `x`: `clamp(roundeven(x / scale) + zp)`,
/// converted to the storage integer type of `params`.
Value emitQuantize(OpBuilder &b, Location loc, Value x,
                   const ScalarParams &scalars, const QuantParams &params);

/// ONNX's dequantization of the code `q`: `(q - zp) * scale`.
Value emitDequantize(OpBuilder &b, Location loc, Value q,
                     const ScalarParams &scalars, const QuantParams &params);

} // namespace mlir::qnn::onnx_import

#endif // QNN_LIB_TARGET_ONNX_QUANTPARAMS_H
