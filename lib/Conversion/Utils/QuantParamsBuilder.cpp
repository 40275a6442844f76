//===- QuantParamsBuilder.cpp - Quantization parameters in IR -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Utils/QuantParamsBuilder.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::qnn;

FloatType qnn::getComputeType(Type elementType) {
  Builder b(elementType.getContext());
  return elementType.isF64() ? b.getF64Type() : b.getF32Type();
}

/// Returns the f32 scale and its f32 reciprocal, as torch uses them.
static std::pair<double, double> scaleAndInverse(double scale) {
  float sc = static_cast<float>(scale);
  float inv = 1.0f / sc;
  return {sc, inv};
}

/// Builds a constant tensor of `shape` and the compute type holding `values`.
static Value createTensorConstant(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> shape,
                                  FloatType computeType,
                                  ArrayRef<double> values) {
  auto type = RankedTensorType::get(shape, computeType);
  SmallVector<APFloat> elements;
  for (double v : values) {
    APFloat value(v);
    bool losesInfo = false;
    value.convert(computeType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    elements.push_back(value);
  }
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, elements));
}

/// Emits a run-time check that dimension `dim` of `input` has size `size`.
static void assertDimSize(OpBuilder &b, Location loc, Value input, int64_t dim,
                          int64_t size, StringRef what) {
  Value actual = tensor::DimOp::create(b, loc, input, dim);
  Value expected = arith::ConstantIndexOp::create(b, loc, size);
  Value equal =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, actual, expected);
  cf::AssertOp::create(b, loc, equal,
                       (Twine(what) + " of dimension " + Twine(dim) +
                        " does not match the quantized type")
                           .str());
}

QuantParamsBuilder QuantParamsBuilder::build(OpBuilder &b, Location loc,
                                             quant::QuantizedType type,
                                             Value input,
                                             FloatType computeType) {
  QuantParamsBuilder params;
  params.computeType = computeType;
  params.qmin = static_cast<double>(type.getStorageTypeMin());
  params.qmax = static_cast<double>(type.getStorageTypeMax());
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    auto [sc, inv] = scaleAndInverse(perTensor.getScale());
    params.perTensor = {
        createFloatConstant(b, loc, computeType, inv),
        createFloatConstant(b, loc, computeType, sc),
        createFloatConstant(b, loc, computeType,
                            static_cast<double>(perTensor.getZeroPoint()))};
    return params;
  }

  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<double> inverses, scales, zeroPoints;
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> exprs;
  auto add = [&](double scale, int64_t zeroPoint) {
    auto [sc, inv] = scaleAndInverse(scale);
    inverses.push_back(inv);
    scales.push_back(sc);
    zeroPoints.push_back(static_cast<double>(zeroPoint));
  };

  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    int64_t axis = perAxis.getQuantizedDimension();
    for (auto [s, z] : llvm::zip(perAxis.getScales(), perAxis.getZeroPoints()))
      add(s, z);
    shape.push_back(static_cast<int64_t>(scales.size()));
    exprs.push_back(getAffineDimExpr(axis, ctx));
    if (inputType.isDynamicDim(axis))
      assertDimSize(b, loc, input, axis, shape.back(), "size");
  } else {
    auto subChannel = cast<quant::UniformQuantizedSubChannelType>(type);
    for (auto [s, z] : llvm::zip(subChannel.getScales().getValues<APFloat>(),
                                 subChannel.getZeroPoints().getValues<APInt>()))
      add(s.convertToDouble(), z.getSExtValue());
    auto scalesType = cast<ShapedType>(subChannel.getScales().getType());
    shape.assign(scalesType.getShape().begin(), scalesType.getShape().end());
    SmallVector<int64_t> blocks(rank, 0);
    for (auto [dim, block] : subChannel.getBlockSizeInfo())
      blocks[dim] = block;
    for (int64_t d = 0; d < rank; ++d) {
      // A dimension without a block size is a single block.
      if (blocks[d] == 0) {
        exprs.push_back(getAffineConstantExpr(0, ctx));
        continue;
      }
      exprs.push_back(getAffineDimExpr(d, ctx).floorDiv(blocks[d]));
      if (inputType.isDynamicDim(d))
        assertDimSize(b, loc, input, d, blocks[d] * shape[d], "size");
    }
  }

  params.operands = {
      createTensorConstant(b, loc, shape, computeType, inverses),
      createTensorConstant(b, loc, shape, computeType, scales),
      createTensorConstant(b, loc, shape, computeType, zeroPoints)};
  AffineMap map = AffineMap::get(rank, 0, exprs, ctx);
  params.maps.assign(3, map);
  return params;
}

QuantParamsBuilder::Scalars
QuantParamsBuilder::resolve(ValueRange operandArgs) const {
  if (operands.empty())
    return perTensor;
  return {operandArgs[0], operandArgs[1], operandArgs[2]};
}

/// Rounds `value` to an integral float with `rounding`.
static Value emitRound(OpBuilder &b, Location loc, Value value,
                       Rounding rounding) {
  switch (rounding) {
  case Rounding::half_even:
    return math::RoundEvenOp::create(b, loc, value);
  case Rounding::half_away_from_zero:
    return math::RoundOp::create(b, loc, value);
  case Rounding::floor:
    return math::FloorOp::create(b, loc, value);
  case Rounding::toward_zero:
    return math::TruncOp::create(b, loc, value);
  }
  llvm_unreachable("unknown rounding");
}

Value QuantParamsBuilder::emitQuantize(OpBuilder &b, Location loc, Value x,
                                       const Scalars &scalars,
                                       Rounding rounding) const {
  Value product = arith::MulFOp::create(b, loc, x, scalars.inverse);
  Value rounded = emitRound(b, loc, product, rounding);
  Value shifted = arith::AddFOp::create(b, loc, rounded, scalars.zeroPoint);
  Value lo = createFloatConstant(b, loc, computeType, qmin);
  Value hi = createFloatConstant(b, loc, computeType, qmax);
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, shifted, lo), hi);
  // NaN quantizes to qmin, as PyTorch's x86 kernels produce.
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  return arith::SelectOp::create(b, loc, isNaN, lo, clamped);
}

Value QuantParamsBuilder::emitDequantize(OpBuilder &b, Location loc, Value q,
                                         const Scalars &scalars) const {
  Value centered = arith::SubFOp::create(b, loc, q, scalars.zeroPoint);
  return arith::MulFOp::create(b, loc, centered, scalars.scale);
}

Value QuantParamsBuilder::buildElementwise(OpBuilder &b, Location loc,
                                           Value input, Type resultType,
                                           ElementFn body) const {
  // A scalar (per-tensor parameters only): the body itself.
  if (!isa<ShapedType>(input.getType()))
    return body(b, loc, input, perTensor);
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<Value> inputs{input};
  llvm::append_range(inputs, operands);
  SmallVector<AffineMap> inputMaps{b.getMultiDimIdentityMap(rank)};
  llvm::append_range(inputMaps, maps);
  return qnn::buildElementwise(
      b, loc, inputs, inputMaps, resultType,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return body(nested, nestedLoc, args.front(),
                    resolve(args.drop_front()));
      });
}
