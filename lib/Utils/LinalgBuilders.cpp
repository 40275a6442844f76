//===- LinalgBuilders.cpp - Helpers that build linalg.generic ops ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;

Value qnn::createEmptyLike(OpBuilder &b, Location loc, Value like,
                           Type elementType) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value qnn::createFloatCast(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = value.getType();
  if (from == to)
    return value;
  if (cast<FloatType>(from).getWidth() < cast<FloatType>(to).getWidth())
    return arith::ExtFOp::create(b, loc, to, value);
  return arith::TruncFOp::create(b, loc, to, value);
}

Value qnn::createFloatConstant(OpBuilder &b, Location loc, Type type,
                               double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value qnn::createClampToStorage(OpBuilder &b, Location loc, Value value,
                                int64_t lo, int64_t hi, Type storageType) {
  Type type = value.getType();
  Value low = arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, lo));
  Value high = arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, hi));
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, value, low), high);
  return arith::TruncIOp::create(b, loc, storageType, clamped);
}

/// Builds a generic whose body yields `body(inputs...)` (element-wise) or
/// `body(inputs..., accumulator)` (reduction).
static Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                          ArrayRef<AffineMap> maps, Value init,
                          ArrayRef<utils::IteratorType> iterators,
                          bool passAccumulator, ScalarBodyFn body) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        ValueRange used = passAccumulator ? args : args.drop_back();
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, used));
      });
  return generic.getResult(0);
}

Value qnn::buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                            ArrayRef<AffineMap> inputMaps, Type resultType,
                            ScalarBodyFn body) {
  int64_t rank = cast<RankedTensorType>(inputs[0].getType()).getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps;
  for (size_t i = 0, e = inputs.size(); i < e; ++i)
    maps.push_back(inputMaps.empty() ? identity : inputMaps[i]);
  maps.push_back(identity);
  Value init = createEmptyLike(b, loc, inputs[0], resultType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return buildGeneric(b, loc, inputs, maps, init, iterators,
                      /*passAccumulator=*/false, body);
}

AffineMap qnn::getGroupMap(MLIRContext *ctx, int64_t rank,
                           std::optional<int64_t> axis) {
  if (!axis)
    return AffineMap::get(rank, 0, {}, ctx);
  return AffineMap::get(rank, 0, {getAffineDimExpr(*axis, ctx)}, ctx);
}

Value qnn::buildGroupReduction(OpBuilder &b, Location loc, ValueRange inputs,
                               ArrayRef<AffineMap> extraMaps,
                               std::optional<int64_t> axis, TypedAttr init,
                               ScalarBodyFn body) {
  Value input = inputs[0];
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<OpFoldResult> sizes;
  if (axis)
    sizes.push_back(tensor::getMixedSize(b, loc, input, *axis));
  Value empty = tensor::EmptyOp::create(b, loc, sizes, init.getType());
  Value initValue = arith::ConstantOp::create(b, loc, init);
  Value filled = linalg::FillOp::create(b, loc, initValue, empty).getResult(0);

  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  for (size_t i = 1, e = inputs.size(); i < e; ++i)
    maps.push_back(extraMaps.empty() ? maps.front() : extraMaps[i - 1]);
  maps.push_back(getGroupMap(b.getContext(), rank, axis));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  if (axis)
    iterators[*axis] = utils::IteratorType::parallel;
  return buildGeneric(b, loc, inputs, maps, filled, iterators,
                      /*passAccumulator=*/true, body);
}

Value qnn::buildGroupSize(OpBuilder &b, Location loc, Value tensor,
                          std::optional<int64_t> axis) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Type f64 = b.getF64Type();
  int64_t staticCount = 1;
  Value dynamicCount;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (axis && d == *axis)
      continue;
    if (!type.isDynamicDim(d)) {
      staticCount *= type.getDimSize(d);
      continue;
    }
    Value dim = tensor::DimOp::create(b, loc, tensor, d);
    dynamicCount =
        dynamicCount ? arith::MulIOp::create(b, loc, dynamicCount, dim) : dim;
  }
  if (!dynamicCount)
    return createFloatConstant(b, loc, f64, static_cast<double>(staticCount));
  Value count = arith::MulIOp::create(
      b, loc, dynamicCount,
      arith::ConstantIndexOp::create(b, loc, staticCount));
  Value count64 = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), count);
  return arith::UIToFPOp::create(b, loc, f64, count64);
}
