//===- LinalgBuilders.h - Helpers that build linalg.generic ops -*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Small builders shared by the quantize stage and the lowerings:
// element-wise and per-group generics over ranked tensors with static or
// dynamic shapes.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_LINALGBUILDERS_H
#define QNN_UTILS_LINALGBUILDERS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace mlir::qnn {

/// Body of a generic: receives the scalar block arguments of the inputs (the
/// output's is dropped) and returns the value to yield.
using ScalarBodyFn =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Returns a `tensor.empty` with the shape of the ranked tensor `like` and
/// element type `elementType`.
Value createEmptyLike(OpBuilder &b, Location loc, Value like, Type elementType);

/// Builds an element-wise generic over the shape of `inputs[0]`. `inputMaps`
/// gives one indexing map per input (identity when empty); the result has
/// element type `resultType`.
Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       ArrayRef<AffineMap> inputMaps, Type resultType,
                       ScalarBodyFn body);

/// Map from the iteration space of a tensor of `rank` to the per-group
/// value: `() ` without an axis, `(d_axis)` with one.
AffineMap getGroupMap(MLIRContext *ctx, int64_t rank,
                      std::optional<int64_t> axis);

/// Reduces `inputs` (all of the shape of `inputs[0]`) into one accumulator
/// per tensor (`tensor<T>`) or one per index along `axis`
/// (`tensor<?xT>`), starting from `init` and combining with `body`, which
/// receives the input scalars followed by the accumulator. Loops visit the
/// elements in row-major order. `extraMaps` gives maps for inputs after the
/// first (identity when empty).
Value buildGroupReduction(OpBuilder &b, Location loc, ValueRange inputs,
                          ArrayRef<AffineMap> extraMaps,
                          std::optional<int64_t> axis, TypedAttr init,
                          ScalarBodyFn body);

/// Returns, as an f64 scalar, the number of elements of `tensor` in one group
/// (all of them, or all but `axis`).
Value buildGroupSize(OpBuilder &b, Location loc, Value tensor,
                     std::optional<int64_t> axis);

/// Converts the float `value` to the float type `to`: `arith.extf` when it
/// widens (exact), `arith.truncf` when it narrows (to nearest even), nothing
/// when the types are equal.
Value createFloatCast(OpBuilder &b, Location loc, Value value, Type to);

/// Returns the f64 or f32 constant `value` of type `type`.
Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value);

/// Clamps the signed integer `value` to [lo, hi] and truncates it to the
/// integer type `storageType` (the codes of a quantized type).
Value createClampToStorage(OpBuilder &b, Location loc, Value value, int64_t lo,
                           int64_t hi, Type storageType);

} // namespace mlir::qnn

#endif // QNN_UTILS_LINALGBUILDERS_H
