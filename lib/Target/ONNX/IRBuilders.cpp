//===- IRBuilders.cpp - IR the ONNX operator importers share --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "IRBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

std::optional<SmallVector<int64_t>>
onnx_import::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    size_t offset = rank - s.size();
    for (auto [i, d] : llvm::enumerate(s)) {
      int64_t &r = result[offset + i];
      if (d == r || d == 1)
        continue;
      if (r != 1)
        return std::nullopt;
      r = d;
    }
  }
  return result;
}

/// Collapses away the dimensions of `x` that broadcast to `shape` and
/// returns it with the map from `shape`'s iteration space.
static std::pair<Value, AffineMap> dropBroadcastDims(OpBuilder &b, Location loc,
                                                     Value x,
                                                     ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = shape.size();
  int64_t offset = rank - type.getRank();
  SmallVector<int64_t> kept;
  for (auto [i, d] : llvm::enumerate(type.getShape()))
    if (d == shape[offset + i])
      kept.push_back(i);
  SmallVector<AffineExpr> exprs;
  for (int64_t i : kept)
    exprs.push_back(b.getAffineDimExpr(offset + i));
  AffineMap map = AffineMap::get(rank, 0, exprs, b.getContext());
  if (static_cast<int64_t>(kept.size()) == type.getRank())
    return {x, map};

  // Each dropped unit dimension joins the group of the kept dimension
  // before it (leading ones join the first group).
  SmallVector<ReassociationIndices> groups(kept.size());
  SmallVector<int64_t> collapsedShape;
  for (int64_t i : kept)
    collapsedShape.push_back(type.getDimSize(i));
  int64_t group = 0;
  for (int64_t i = 0; i < type.getRank() && !kept.empty(); ++i) {
    auto next = llvm::find(kept, i);
    if (next != kept.end())
      group = next - kept.begin();
    groups[group].push_back(i);
  }
  auto collapsedType =
      RankedTensorType::get(collapsedShape, type.getElementType());
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, collapsedType, x, groups);
  return {collapsed, map};
}

Value onnx_import::buildBroadcastElementwise(OpBuilder &b, Location loc,
                                             ValueRange operands,
                                             ArrayRef<int64_t> shape,
                                             Type elementType, ElementFn body) {
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    auto [input, map] = dropBroadcastDims(b, loc, operand, shape);
    inputs.push_back(input);
    maps.push_back(map);
  }
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  Value init = tensor::EmptyOp::create(b, loc, shape, elementType);
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange args) {
        Value result = body(nested, l, args.drop_back());
        linalg::YieldOp::create(nested, l, result);
      });
  return generic.getResult(0);
}

Value onnx_import::createScalarConstant(OpBuilder &b, Location loc, Type type,
                                        double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value onnx_import::createFilled(OpBuilder &b, Location loc,
                                ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value onnx_import::padTrailing(OpBuilder &b, Location loc, Value x,
                               ArrayRef<int64_t> begin, ArrayRef<int64_t> end,
                               Value value) {
  if (llvm::all_of(begin, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(end, [](int64_t p) { return p == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  int64_t leading = type.getRank() - begin.size();
  SmallVector<int64_t> low(leading, 0), high(leading, 0);
  llvm::append_range(low, begin);
  llvm::append_range(high, end);
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t i = 0; i < type.getRank(); ++i)
    shape[i] += low[i] + high[i];
  auto padType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(
      b, loc, padType, x, getAsIndexOpFoldResult(b.getContext(), low),
      getAsIndexOpFoldResult(b.getContext(), high), value);
}

Value onnx_import::reshapeTo(OpBuilder &b, Location loc, Value x,
                             ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (shape.size() < static_cast<size_t>(type.getRank())) {
    if (std::optional<SmallVector<ReassociationIndices>> groups =
            getReassociationIndicesForCollapse(type.getShape(), shape))
      return tensor::CollapseShapeOp::create(b, loc, resultType, x, *groups);
  } else if (shape.size() > static_cast<size_t>(type.getRank())) {
    if (std::optional<SmallVector<ReassociationIndices>> groups =
            getReassociationIndicesForCollapse(shape, type.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, resultType, x, *groups);
  }
  // Through one dimension. (Rank 0 to or from all-ones shapes was one
  // collapse or expand above, so both shapes here have dimensions.)
  auto allDims = [](size_t rank) {
    return SmallVector<ReassociationIndices>{
        llvm::to_vector(llvm::seq<int64_t>(0, rank))};
  };
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  Value flat = x;
  if (type.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, x,
                                           allDims(type.getRank()));
  if (shape.size() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       allDims(shape.size()));
}

Value onnx_import::extendToI32(OpBuilder &b, Location loc, Value value,
                               bool isUnsigned) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, i32, value);
  return arith::ExtSIOp::create(b, loc, i32, value);
}

Value onnx_import::flipSignBit(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  return buildBroadcastElementwise(
      b, loc, x, type.getShape(), type.getElementType(),
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value signBit = arith::ConstantOp::create(
            nb, l, nb.getIntegerAttr(args[0].getType(), -128));
        return arith::XOrIOp::create(nb, l, args[0], signBit);
      });
}
