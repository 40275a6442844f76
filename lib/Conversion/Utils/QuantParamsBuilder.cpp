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

/// Builds a constant tensor of `shape` and i64 elements holding `values`.
static Value createIndexTensorConstant(OpBuilder &b, Location loc,
                                       ArrayRef<int64_t> shape,
                                       ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, b.getI64Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
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
                                             Value input, FloatType computeType,
                                             bool divideByScale) {
  QuantParamsBuilder params;
  params.computeType = computeType;
  params.divideByScale = divideByScale;
  params.qmin = static_cast<double>(type.getStorageTypeMin());
  params.qmax = static_cast<double>(type.getStorageTypeMax());
  params.storageMin = type.getStorageTypeMin();
  params.storageMax = type.getStorageTypeMax();
  params.wideStorage = type.getStorageTypeIntegralWidth() > kMaxExactWidth;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    auto [sc, inv] = scaleAndInverse(perTensor.getScale());
    int64_t zeroPoint = perTensor.getZeroPoint();
    params.perTensor = {
        createFloatConstant(b, loc, computeType, inv),
        createFloatConstant(b, loc, computeType, sc),
        params.wideStorage
            ? arith::ConstantIntOp::create(b, loc, b.getI64Type(), zeroPoint)
                  .getResult()
            : createFloatConstant(b, loc, computeType,
                                  static_cast<double>(zeroPoint))};
    return params;
  }

  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<double> inverses, scales, zeroPoints;
  SmallVector<int64_t> intZeroPoints, shape;
  SmallVector<AffineExpr> exprs;
  auto add = [&](double scale, int64_t zeroPoint) {
    auto [sc, inv] = scaleAndInverse(scale);
    inverses.push_back(inv);
    scales.push_back(sc);
    zeroPoints.push_back(static_cast<double>(zeroPoint));
    intZeroPoints.push_back(zeroPoint);
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
      params.wideStorage
          ? createIndexTensorConstant(b, loc, shape, intZeroPoints)
          : createTensorConstant(b, loc, shape, computeType, zeroPoints)};
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

/// `x` on the grid of the scale, before rounding: `x * inv`, or `x / scale`
/// when `divide`.
static Value emitScaled(OpBuilder &b, Location loc, Value x,
                        const QuantParamsBuilder::Scalars &scalars,
                        bool divide) {
  if (divide)
    return arith::DivFOp::create(b, loc, x, scalars.scale);
  return arith::MulFOp::create(b, loc, x, scalars.inverse);
}

Value QuantParamsBuilder::emitQuantize(OpBuilder &b, Location loc, Value x,
                                       const Scalars &scalars,
                                       Rounding rounding) const {
  assert(!wideStorage && "codes of wide storage types are not exact floats");
  Value product = emitScaled(b, loc, x, scalars, divideByScale);
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
  assert(!wideStorage && "codes of wide storage types are not exact floats");
  Value centered = arith::SubFOp::create(b, loc, q, scalars.zeroPoint);
  return arith::MulFOp::create(b, loc, centered, scalars.scale);
}

/// Converts the integral float `rounded` to an i64, saturating far beyond
/// any 32-bit storage range (fptosi of an out-of-range value is poison).
static Value convertIntegralToI64(OpBuilder &b, Location loc, Value rounded) {
  auto type = cast<FloatType>(rounded.getType());
  const double limit = 0x1p62;
  Value lo = createFloatConstant(b, loc, type, -limit);
  Value hi = createFloatConstant(b, loc, type, limit);
  Value bounded = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, rounded, lo), hi);
  return arith::FPToSIOp::create(b, loc, b.getI64Type(), bounded);
}

Value QuantParamsBuilder::emitQuantizeToStorage(OpBuilder &b, Location loc,
                                                Value x, const Scalars &scalars,
                                                Rounding rounding,
                                                IntegerType storageType,
                                                bool isSigned) const {
  if (!wideStorage) {
    Value q = emitQuantize(b, loc, x, scalars, rounding);
    // q is integral and within the storage range: exact.
    if (isSigned)
      return arith::FPToSIOp::create(b, loc, storageType, q);
    return arith::FPToUIOp::create(b, loc, storageType, q);
  }
  // The code does not fit the float's mantissa: add the zero point and
  // clamp on integers.
  Value product = emitScaled(b, loc, x, scalars, divideByScale);
  Value rounded =
      convertIntegralToI64(b, loc, emitRound(b, loc, product, rounding));
  Value shifted = arith::AddIOp::create(b, loc, rounded, scalars.zeroPoint);
  Type i64 = b.getI64Type();
  Value lo = arith::ConstantIntOp::create(b, loc, i64, storageMin);
  Value hi = arith::ConstantIntOp::create(b, loc, i64, storageMax);
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, shifted, lo), hi);
  Value code = arith::TruncIOp::create(b, loc, storageType, clamped);
  // NaN quantizes to qmin, as for narrow types.
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  Value minCode = arith::TruncIOp::create(b, loc, storageType, lo);
  return arith::SelectOp::create(b, loc, isNaN, minCode, code);
}

Value QuantParamsBuilder::emitDequantizeStorage(OpBuilder &b, Location loc,
                                                Value code,
                                                const Scalars &scalars,
                                                bool isSigned) const {
  if (!wideStorage) {
    Value q =
        isSigned
            ? arith::SIToFPOp::create(b, loc, computeType, code).getResult()
            : arith::UIToFPOp::create(b, loc, computeType, code).getResult();
    return emitDequantize(b, loc, q, scalars);
  }
  // (q - zp) on integers, then one rounding to the float, as ONNX Runtime
  // and PyTorch dequantize int32.
  Type i64 = b.getI64Type();
  Value wide = isSigned ? arith::ExtSIOp::create(b, loc, i64, code).getResult()
                        : arith::ExtUIOp::create(b, loc, i64, code).getResult();
  Value centered = arith::SubIOp::create(b, loc, wide, scalars.zeroPoint);
  Value real = arith::SIToFPOp::create(b, loc, computeType, centered);
  return arith::MulFOp::create(b, loc, real, scalars.scale);
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
