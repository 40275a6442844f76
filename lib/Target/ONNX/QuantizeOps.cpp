//===- QuantizeOps.cpp - QuantizeLinear, DequantizeLinear and co. ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// With constant parameters, QuantizeLinear and DequantizeLinear become the
// upstream casts `quant.qcast` + `quant.scast` and `quant.scast` +
// `quant.dcast`; with run-time parameters, element-wise generics with
// ONNX's arithmetic. DynamicQuantizeLinear computes its parameters.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "IRBuilders.h"
#include "QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

/// y = saturate(round(x / y_scale) + y_zero_point).
static LogicalResult importQuantizeLinear(GraphImporter &im) {
  if (failed(im.checkAttributes(
          {"axis", "block_size", "output_dtype", "saturate", "precision"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "x");
  if (failed(x))
    return failure();
  if (x->type != kFloat)
    return im.emitNodeError()
           << "input 'x' must be float, got " << getElementTypeName(x->type);
  FailureOr<QuantParams> params =
      getQuantParams(im, 1, 2, x->getShape(), /*storageType=*/0);
  if (failed(params))
    return failure();
  if (params->storageType == kInt32)
    return im.emitNodeError() << "quantizing to int32 is not supported";

  Tensor y;
  y.type = params->storageType;
  if (params->isConstant()) {
    quant::QuantizedType qtype =
        buildQuantizedType(im.b, *params, x->getShape());
    std::tie(y.quantized, y.value) =
        buildQuantizeCasts(im.b, im.loc, x->value, qtype);
  } else {
    FailureOr<Value> codes = buildRuntimeParamsElementwise(
        im, x->value, *params,
        im.b.getIntegerType(getBitWidth(params->storageType)),
        [&](OpBuilder &b, Location l, Value element,
            const ScalarParams &scalars) {
          return emitQuantize(b, l, element, scalars, *params);
        });
    if (failed(codes))
      return failure();
    y.value = *codes;
  }
  im.setOutput(0, y);
  return success();
}

/// y = (x - x_zero_point) * x_scale.
static LogicalResult importDequantizeLinear(GraphImporter &im) {
  if (failed(im.checkAttributes({"axis", "block_size", "output_dtype"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "x");
  if (failed(x))
    return failure();
  FailureOr<QuantParams> params =
      getQuantParams(im, 1, 2, x->getShape(), x->type);
  if (failed(params))
    return failure();
  if (int64_t outputType = im.getInt("output_dtype", kFloat);
      outputType != kFloat)
    return im.emitNodeError() << "only float outputs are supported, got "
                              << getElementTypeName(outputType);

  Tensor y;
  y.type = kFloat;
  if (params->isConstant()) {
    quant::QuantizedType qtype =
        buildQuantizedType(im.b, *params, x->getShape());
    // Codes quantized by a QuantizeLinear of the same parameters are read
    // as the quantized tensor itself: qcast then dcast.
    if (x->quantized &&
        cast<RankedTensorType>(x->quantized.getType()).getElementType() ==
            qtype) {
      y.value = quant::DequantizeCastOp::create(
          im.b, im.loc, x->getType().clone(im.b.getF32Type()), x->quantized);
    } else {
      y.value = buildDequantizeCasts(im.b, im.loc, x->value, qtype);
    }
  } else {
    FailureOr<Value> values = buildRuntimeParamsElementwise(
        im, x->value, *params, im.b.getF32Type(),
        [&](OpBuilder &b, Location l, Value element,
            const ScalarParams &scalars) {
          return emitDequantize(b, l, element, scalars, *params);
        });
    if (failed(values))
      return failure();
    y.value = *values;
  }
  im.setOutput(0, y);
  return success();
}

/// Reduces the f32 tensor `x` to a scalar, starting from `init`, with
/// `combine`.
static Value
buildScalarReduction(OpBuilder &b, Location loc, Value x, double init,
                     Value (*combine)(OpBuilder &, Location, Value, Value)) {
  auto type = cast<RankedTensorType>(x.getType());
  Type f32 = b.getF32Type();
  Value acc = createFilled(b, loc, {}, createScalarConstant(b, loc, f32, init));
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, acc.getType(), x, acc, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, combine(nb, l, args[0], args[1]));
      });
  return tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
}

/// y_scale = (max(0, max(x)) - min(0, min(x))) / 255,
/// y_zero_point = saturate(round(-min(0, min(x)) / y_scale)),
/// y = saturate(round(x / y_scale) + y_zero_point), all in f32.
static LogicalResult importDynamicQuantizeLinear(GraphImporter &im) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "x");
  if (failed(x))
    return failure();
  if (x->type != kFloat)
    return im.emitNodeError()
           << "input 'x' must be float, got " << getElementTypeName(x->type);
  OpBuilder &b = im.b;
  Location loc = im.loc;
  Type f32 = b.getF32Type();
  Value lo = buildScalarReduction(
      b, loc, x->value, 0.0, [](OpBuilder &nb, Location l, Value v, Value a) {
        return arith::MinimumFOp::create(nb, l, v, a).getResult();
      });
  Value hi = buildScalarReduction(
      b, loc, x->value, 0.0, [](OpBuilder &nb, Location l, Value v, Value a) {
        return arith::MaximumFOp::create(nb, l, v, a).getResult();
      });
  Value range = arith::SubFOp::create(b, loc, hi, lo);
  Value scale = arith::DivFOp::create(b, loc, range,
                                      createScalarConstant(b, loc, f32, 255.0));
  Value qmin = createScalarConstant(b, loc, f32, 0.0);
  Value qmax = createScalarConstant(b, loc, f32, 255.0);
  Value zpFloat = math::RoundEvenOp::create(
      b, loc,
      arith::SubFOp::create(b, loc, qmin,
                            arith::DivFOp::create(b, loc, lo, scale)));
  zpFloat = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, zpFloat, qmin), qmax);

  QuantParams params;
  params.storageType = kUInt8;
  ScalarParams scalars{scale, zpFloat};
  Value codes = buildBroadcastElementwise(
      b, loc, x->value, x->getShape(), b.getI8Type(),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return emitQuantize(nb, l, args[0], scalars, params);
      });

  Tensor y = Tensor::get(codes, kUInt8);
  Tensor yScale =
      Tensor::get(tensor::FromElementsOp::create(
                      b, loc, RankedTensorType::get({}, f32), scale),
                  kFloat);
  Value zpCode = arith::FPToUIOp::create(b, loc, b.getI8Type(), zpFloat);
  Tensor yZeroPoint =
      Tensor::get(tensor::FromElementsOp::create(
                      b, loc, RankedTensorType::get({}, b.getI8Type()), zpCode),
                  kUInt8);
  im.setOutput(0, y);
  im.setOutput(1, yScale);
  im.setOutput(2, yZeroPoint);
  return success();
}

void onnx_import::addQuantizeImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["QuantizeLinear"] = importQuantizeLinear;
  table["DequantizeLinear"] = importDequantizeLinear;
  table["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
}
