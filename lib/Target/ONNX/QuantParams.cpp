//===- QuantParams.cpp - ONNX quantization parameters ---------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "QuantParams.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

int64_t QuantParams::getStorageMin() const {
  unsigned width = getBitWidth(storageType);
  return isUnsignedType(storageType) ? 0 : -(int64_t(1) << (width - 1));
}

int64_t QuantParams::getStorageMax() const {
  unsigned width = getBitWidth(storageType);
  return isUnsignedType(storageType) ? (int64_t(1) << width) - 1
                                     : (int64_t(1) << (width - 1)) - 1;
}

FailureOr<QuantParams>
onnx_import::getQuantParams(GraphImporter &importer, unsigned scaleIndex,
                            unsigned zpIndex, ArrayRef<int64_t> codesShape,
                            int32_t storageType, int64_t defaultAxis) {
  QuantParams params;
  FailureOr<Tensor> scale = importer.getInput(scaleIndex, "scale");
  if (failed(scale))
    return failure();
  params.scale = *scale;
  if (scale->type != kFloat)
    return importer.emitNodeError() << "the scale must be float, got "
                                    << getElementTypeName(scale->type);
  if (importer.hasInput(zpIndex)) {
    FailureOr<Tensor> zp = importer.getInput(zpIndex, "zero point");
    if (failed(zp))
      return failure();
    params.zeroPoint = *zp;
    if (zp->getShape() != scale->getShape())
      return importer.emitNodeError()
             << "the zero point's shape differs from the scale's";
  }
  if (storageType == 0) {
    storageType = params.zeroPoint ? params.zeroPoint->type : kUInt8;
    int64_t outputType = importer.getInt("output_dtype", 0);
    if (outputType != 0 && !params.zeroPoint)
      storageType = outputType;
  }
  params.storageType = storageType;
  if (!isQuantizedStorageType(storageType) && storageType != kInt32)
    return importer.emitNodeError()
           << "codes of " << getElementTypeName(storageType)
           << " are not supported (int8, uint8, int16, uint16, int4, uint4 "
              "and int32 are)";
  if (params.zeroPoint && params.zeroPoint->type != storageType)
    return importer.emitNodeError()
           << "the zero point is " << getElementTypeName(params.zeroPoint->type)
           << " but the codes are " << getElementTypeName(storageType);

  int64_t rank = codesShape.size();
  int64_t axis = importer.getInt("axis", defaultAxis);
  params.blockSize = importer.getInt("block_size", 0);
  ArrayRef<int64_t> scaleShape = scale->getShape();
  // A one-element scale is per tensor, whatever the axis.
  bool perTensor =
      scaleShape.empty() ||
      (scaleShape.size() == 1 && scaleShape[0] == 1 && params.blockSize == 0);
  // ONNX requires positive scales; a zero, negative or non-finite one would
  // only surface later as infinities or a verifier error.
  if (scale->constant)
    for (float v : scale->constant.getValues<float>())
      if (!std::isfinite(v) || v <= 0)
        return importer.emitNodeError()
               << "scales must be positive and finite, got " << v;
  if (perTensor)
    return params;
  if (axis < -rank || axis >= rank)
    return importer.emitNodeError()
           << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  params.axis = axis;
  if (params.blockSize == 0) {
    if (scaleShape.size() != 1 || scaleShape[0] != codesShape[axis])
      return importer.emitNodeError()
             << "a per-axis scale must have one element per index of axis "
             << axis << " (" << codesShape[axis] << ")";
    return params;
  }
  if (params.blockSize < 0)
    return importer.emitNodeError() << "block_size must be positive";
  if (static_cast<int64_t>(scaleShape.size()) != rank)
    return importer.emitNodeError()
           << "a blocked scale must have the rank of the codes";
  // ONNX lets the last block be short; quant's sub-channel types do not.
  if (codesShape[axis] % params.blockSize != 0)
    return importer.emitNodeError()
           << "block_size " << params.blockSize << " does not divide dimension "
           << axis << " (" << codesShape[axis]
           << "); a shorter last block is not supported";
  for (int64_t i = 0; i < rank; ++i) {
    int64_t expected =
        i == axis ? codesShape[i] / params.blockSize : codesShape[i];
    if (scaleShape[i] != expected)
      return importer.emitNodeError()
             << "dimension " << i << " of the blocked scale is "
             << scaleShape[i] << ", expected " << expected;
  }
  return params;
}

/// The zero points of constant `params`, as integers.
static SmallVector<int64_t> getZeroPoints(const QuantParams &params,
                                          int64_t count) {
  SmallVector<int64_t> zeroPoints(count, 0);
  if (!params.zeroPoint)
    return zeroPoints;
  bool isUnsigned = isUnsignedType(params.storageType);
  for (auto [i, v] :
       llvm::enumerate(params.zeroPoint->constant.getValues<APInt>()))
    zeroPoints[i] = isUnsigned ? v.getZExtValue() : v.getSExtValue();
  return zeroPoints;
}

quant::QuantizedType
onnx_import::buildQuantizedType(OpBuilder &b, const QuantParams &params,
                                ArrayRef<int64_t> codesShape) {
  Type storage = b.getIntegerType(getBitWidth(params.storageType));
  unsigned flags =
      isUnsignedType(params.storageType) ? 0 : quant::QuantizationFlags::Signed;
  SmallVector<double> scales;
  for (float s : params.scale.constant.getValues<float>())
    scales.push_back(s);
  SmallVector<int64_t> zeroPoints = getZeroPoints(params, scales.size());
  int64_t lo = params.getStorageMin(), hi = params.getStorageMax();
  Type f32 = b.getF32Type();
  if (!params.axis)
    return quant::UniformQuantizedType::get(flags, storage, f32, scales[0],
                                            zeroPoints[0], lo, hi);
  if (params.blockSize == 0)
    return quant::UniformQuantizedPerAxisType::get(
        flags, storage, f32, scales, zeroPoints, *params.axis, lo, hi);
  // Sub-channel types carry their scales and zero points as tensors of the
  // expressed and storage types, and a block size for every dimension.
  SmallVector<APInt> zpValues;
  for (int64_t zp : zeroPoints)
    zpValues.push_back(APInt(getBitWidth(params.storageType), zp,
                             /*isSigned=*/true, /*implicitTrunc=*/true));
  auto zpType = RankedTensorType::get(params.scale.getShape(), storage);
  SmallVector<int32_t> dims;
  SmallVector<int64_t> blockSizes;
  for (int64_t i = 0, e = codesShape.size(); i < e; ++i) {
    if (i != *params.axis && codesShape[i] == 1)
      continue;
    dims.push_back(i);
    blockSizes.push_back(i == *params.axis ? params.blockSize : 1);
  }
  return quant::UniformQuantizedSubChannelType::get(
      flags, storage, f32, params.scale.constant,
      DenseElementsAttr::get(zpType, zpValues), dims, blockSizes, lo, hi);
}

Value onnx_import::buildDequantizeCasts(OpBuilder &b, Location loc, Value codes,
                                        quant::QuantizedType qtype) {
  auto type = cast<RankedTensorType>(codes.getType());
  Value quantized =
      quant::StorageCastOp::create(b, loc, type.clone(qtype), codes);
  return quant::DequantizeCastOp::create(b, loc, type.clone(b.getF32Type()),
                                         quantized);
}

std::pair<Value, Value>
onnx_import::buildQuantizeCasts(OpBuilder &b, Location loc, Value x,
                                quant::QuantizedType qtype) {
  auto type = cast<RankedTensorType>(x.getType());
  Value quantized = quant::QuantizeCastOp::create(b, loc, type.clone(qtype), x);
  Value codes = quant::StorageCastOp::create(
      b, loc, type.clone(qtype.getStorageType()), quantized);
  return {quantized, codes};
}

std::pair<Value, AffineMap>
onnx_import::getParamOperand(OpBuilder &b, Location loc, const Tensor &t,
                             int64_t rank, std::optional<int64_t> axis) {
  if (!axis) {
    Value scalar = t.value;
    if (t.getRank() == 1) {
      auto type = RankedTensorType::get({}, t.getType().getElementType());
      scalar = tensor::CollapseShapeOp::create(
          b, loc, type, t.value, SmallVector<ReassociationIndices>{});
    }
    return {scalar, AffineMap::get(rank, 0, {}, b.getContext())};
  }
  return {t.value, AffineMap::get(rank, 0, b.getAffineDimExpr(*axis))};
}

FailureOr<Value> onnx_import::buildRuntimeParamsElementwise(
    GraphImporter &importer, Value x, const QuantParams &params,
    Type resultType,
    llvm::function_ref<Value(OpBuilder &, Location, Value,
                             const ScalarParams &)>
        body) {
  if (params.blockSize != 0)
    return importer.emitNodeError()
           << "blocked quantization needs constant scales and zero points";
  OpBuilder &b = importer.b;
  Location loc = importer.loc;
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  auto [scale, scaleMap] =
      getParamOperand(b, loc, params.scale, rank, params.axis);
  inputs.push_back(scale);
  maps.push_back(scaleMap);
  if (params.zeroPoint) {
    auto [zp, zpMap] =
        getParamOperand(b, loc, *params.zeroPoint, rank, params.axis);
    inputs.push_back(zp);
    maps.push_back(zpMap);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), resultType);
  bool isUnsigned = isUnsignedType(params.storageType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ScalarParams scalars;
        scalars.scale = args[1];
        Type f32 = nb.getF32Type();
        if (params.zeroPoint) {
          Value zp = args[2];
          scalars.zeroPoint =
              isUnsigned ? arith::UIToFPOp::create(nb, l, f32, zp).getResult()
                         : arith::SIToFPOp::create(nb, l, f32, zp).getResult();
        } else {
          scalars.zeroPoint = createScalarConstant(nb, l, f32, 0.0);
        }
        linalg::YieldOp::create(nb, l, body(nb, l, args[0], scalars));
      });
  return generic.getResult(0);
}

Value onnx_import::emitQuantize(OpBuilder &b, Location loc, Value x,
                                const ScalarParams &scalars,
                                const QuantParams &params) {
  Type f32 = b.getF32Type();
  Value scaled = arith::DivFOp::create(b, loc, x, scalars.scale);
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  Value shifted = arith::AddFOp::create(b, loc, rounded, scalars.zeroPoint);
  Value lo = createScalarConstant(b, loc, f32, params.getStorageMin());
  Value hi = createScalarConstant(b, loc, f32, params.getStorageMax());
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, shifted, lo), hi);
  Type storage = b.getIntegerType(getBitWidth(params.storageType));
  if (isUnsignedType(params.storageType))
    return arith::FPToUIOp::create(b, loc, storage, clamped);
  return arith::FPToSIOp::create(b, loc, storage, clamped);
}

Value onnx_import::emitDequantize(OpBuilder &b, Location loc, Value q,
                                  const ScalarParams &scalars,
                                  const QuantParams &params) {
  Type f32 = b.getF32Type();
  Value code = isUnsignedType(params.storageType)
                   ? arith::UIToFPOp::create(b, loc, f32, q).getResult()
                   : arith::SIToFPOp::create(b, loc, f32, q).getResult();
  Value centered = arith::SubFOp::create(b, loc, code, scalars.zeroPoint);
  return arith::MulFOp::create(b, loc, centered, scalars.scale);
}
