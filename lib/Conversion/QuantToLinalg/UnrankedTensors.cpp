//===- UnrankedTensors.cpp - Quant casts of unranked tensors --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "UnrankedTensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

/// The product of the sizes of dimensions [from, to) of `value`.
static Value buildDimProduct(OpBuilder &b, Location loc, Value value,
                             Value from, Value to) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, from, to, one, ValueRange{one},
      [&](OpBuilder &nested, Location l, Value dim, ValueRange acc) {
        Value size = tensor::DimOp::create(nested, l, value, dim);
        Value product = arith::MulIOp::create(nested, l, acc[0], size);
        scf::YieldOp::create(nested, l, product);
      });
  return loop.getResult(0);
}

/// Reshapes the unranked `value` to `shape` (a static-size 1-D tensor of
/// index) as a tensor of `type`. Goes through an unranked result and a
/// cast: the LLVM lowering of `memref.reshape` takes an unranked source to
/// an unranked result only.
static Value reshapeUnranked(OpBuilder &b, Location loc, Value value,
                             Value shape, RankedTensorType type) {
  auto dynamicShapeType =
      RankedTensorType::get({ShapedType::kDynamic}, b.getIndexType());
  Value dynamicShape = tensor::CastOp::create(b, loc, dynamicShapeType, shape);
  Value reshaped = tensor::ReshapeOp::create(
      b, loc, UnrankedTensorType::get(type.getElementType()), value,
      dynamicShape);
  return tensor::CastOp::create(b, loc, type, reshaped);
}

/// Asserts `lhs == rhs` at run time with `message`.
static void assertEqual(OpBuilder &b, Location loc, Value lhs, Value rhs,
                        const Twine &message) {
  Value equal =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, rhs);
  cf::AssertOp::create(b, loc, equal, message.str());
}

RankedView qnn::buildRankedView(OpBuilder &b, Location loc, Value value,
                                quant::QuantizedType type) {
  auto unranked = cast<UnrankedTensorType>(value.getType());
  Type element = unranked.getElementType();
  Value rank = tensor::RankOp::create(b, loc, value);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto shapeType =
      RankedTensorType::get({ShapedType::kDynamic}, b.getIndexType());
  Value shape = tensor::GenerateOp::create(
      b, loc, shapeType, ValueRange{rank},
      [&](OpBuilder &nested, Location l, ValueRange indices) {
        Value size = tensor::DimOp::create(nested, l, value, indices[0]);
        tensor::YieldOp::create(nested, l, size);
      });

  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis) {
    Value count = buildDimProduct(b, loc, value, zero, rank);
    Value flatShape = tensor::FromElementsOp::create(b, loc, ValueRange{count});
    auto flatType = RankedTensorType::get({ShapedType::kDynamic}, element);
    Value flat = reshapeUnranked(b, loc, value, flatShape, flatType);
    return {flat, shape, type};
  }

  int64_t axis = perAxis.getQuantizedDimension();
  int64_t channels = static_cast<int64_t>(perAxis.getScales().size());
  Value axisValue = arith::ConstantIndexOp::create(b, loc, axis);
  Value afterAxis = arith::ConstantIndexOp::create(b, loc, axis + 1);
  Value isInRange =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, rank, axisValue);
  cf::AssertOp::create(b, loc, isInRange,
                       "rank does not have the quantized dimension " +
                           std::to_string(axis));
  Value size = tensor::DimOp::create(b, loc, value, axisValue);
  Value expected = arith::ConstantIndexOp::create(b, loc, channels);
  assertEqual(b, loc, size, expected,
              "size of dimension " + Twine(axis) +
                  " does not match the quantized type");
  Value before = buildDimProduct(b, loc, value, zero, axisValue);
  Value after = buildDimProduct(b, loc, value, afterAxis, rank);
  Value viewShape = tensor::FromElementsOp::create(
      b, loc, ValueRange{before, expected, after});
  auto viewType = RankedTensorType::get(
      {ShapedType::kDynamic, channels, ShapedType::kDynamic}, element);
  Value view = reshapeUnranked(b, loc, value, viewShape, viewType);
  auto viewQuantType = quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      perAxis.getScales(), perAxis.getZeroPoints(), /*quantizedDimension=*/1,
      perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  return {view, shape, viewQuantType};
}

Value qnn::restoreUnranked(OpBuilder &b, Location loc, Value ranked,
                           Value shape) {
  auto type = UnrankedTensorType::get(
      cast<RankedTensorType>(ranked.getType()).getElementType());
  return tensor::ReshapeOp::create(b, loc, type, ranked, shape);
}
