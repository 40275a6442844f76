//===- IRBuilders.h - IR the ONNX operator importers share ------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Builders of the tensor IR ONNX operators become: broadcasting element-wise
// generics, filled tensors, padding and reshapes of static tensors.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_TARGET_ONNX_IRBUILDERS_H
#define QNN_LIB_TARGET_ONNX_IRBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace mlir::qnn::onnx_import {

/// The shape `shapes` broadcast to, under NumPy's rules, or none if they
/// do not broadcast.
std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// Body of an element-wise generic: the operands' scalars to the result's.
using ElementFn = llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Builds a generic of `shape` and `elementType` over `operands`, each
/// broadcast to `shape` under NumPy's rules: an operand of lower rank aligns
/// with the trailing dimensions, and its unit dimensions are collapsed away
/// so that every indexing map is a projection.
Value buildBroadcastElementwise(OpBuilder &b, Location loc, ValueRange operands,
                                ArrayRef<int64_t> shape, Type elementType,
                                ElementFn body);

/// A scalar constant of integer or float type `type`.
Value createScalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// A tensor of `shape` filled with the scalar `value`.
Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value);

/// Pads the last `begin.size()` dimensions of `x` by `begin` and `end`
/// elements of `value`; returns `x` when nothing is padded.
Value padTrailing(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> begin,
                  ArrayRef<int64_t> end, Value value);

/// Reshapes the static tensor `x` to `shape` (same element count): one
/// collapse or expand when the shapes allow it, both otherwise.
Value reshapeTo(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> shape);

/// Extends the integer scalar `value` to i32, as unsigned if `isUnsigned`.
Value extendToI32(OpBuilder &b, Location loc, Value value, bool isUnsigned);

/// Flips the sign bit of the 8-bit codes `x` (u8 `v` to i8 `v - 128`), so
/// that an unsigned operand reaches the signed `*_q` contractions.
Value flipSignBit(OpBuilder &b, Location loc, Value x);

} // namespace mlir::qnn::onnx_import

#endif // QNN_LIB_TARGET_ONNX_IRBUILDERS_H
