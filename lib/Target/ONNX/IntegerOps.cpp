//===- IntegerOps.cpp - MatMulInteger, ConvInteger, QLinear* --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// ONNX's integer contractions. MatMulInteger and ConvInteger become the
// upstream `linalg.quantized_matmul`, `quantized_batch_matmul` and
// `conv_2d_nchw_fchw_q` with their zero points; uint8 operands reach them
// with the sign bit flipped (codes and zero point both minus 128, which
// leaves every `q - zp` as it was).
//
// QLinearMatMul and QLinearConv with constant scales and zero points become
// QDQ: the operands dequantized by `quant.scast` + `quant.dcast`, the f32
// contraction, the int32 bias dequantized on the `s_x * s_w` grid and added,
// and `quant.qcast` to the output, which `--qnn-quantize` turns back into an
// integer contraction. With run-time parameters they become the integer
// contraction and ONNX's requantization:
//   y = saturate(round(acc * (s_x * s_w / s_y)) + zp_y)   (in f32).
//
//===----------------------------------------------------------------------===//

#include "Contraction.h"
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

namespace {
/// An 8-bit operand of an integer contraction, as signed codes, with its
/// zero point as an i32 scalar.
struct IntegerOperand {
  Value codes;
  Value zeroPoint;
};
} // namespace

/// Reads the codes `t` and the zero point at input `zpIndex` (0 if absent):
/// one zero point for the whole tensor, constant or run-time.
static FailureOr<IntegerOperand> getIntegerOperand(GraphImporter &im,
                                                   const Tensor &t,
                                                   unsigned zpIndex,
                                                   StringRef what) {
  if (t.type != kInt8 && t.type != kUInt8)
    return im.emitNodeError() << what << " must be int8 or uint8, got "
                              << getElementTypeName(t.type);
  OpBuilder &b = im.b;
  Location loc = im.loc;
  bool isUnsigned = t.type == kUInt8;
  Type i32 = b.getI32Type();
  Value zp;
  if (!im.hasInput(zpIndex)) {
    zp = createScalarConstant(b, loc, i32, 0);
  } else {
    FailureOr<Tensor> zpTensor = im.getInput(zpIndex, "zero point");
    if (failed(zpTensor))
      return failure();
    if (zpTensor->type != t.type)
      return im.emitNodeError() << "the zero point of " << what << " is "
                                << getElementTypeName(zpTensor->type)
                                << ", not " << getElementTypeName(t.type);
    if (zpTensor->constant) {
      auto values = zpTensor->constant.getValues<APInt>();
      APInt first = *values.begin();
      if (llvm::any_of(values, [&](const APInt &v) { return v != first; }))
        return im.emitNodeError()
               << "the zero points of " << what
               << " differ along an axis; only one zero point per tensor is "
                  "supported";
      int64_t value = isUnsigned ? first.getZExtValue() : first.getSExtValue();
      zp = createScalarConstant(b, loc, i32, value);
    } else {
      if (zpTensor->getType().getNumElements() != 1)
        return im.emitNodeError()
               << "a run-time zero point of " << what
               << " must have one element; per-axis zero points must be "
                  "constants";
      SmallVector<Value> indices(zpTensor->getRank(),
                                 arith::ConstantIndexOp::create(b, loc, 0));
      Value element =
          tensor::ExtractOp::create(b, loc, zpTensor->value, indices);
      zp = extendToI32(b, loc, element, isUnsigned);
    }
  }
  IntegerOperand operand{t.value, zp};
  if (isUnsigned) {
    operand.codes = flipSignBit(b, loc, t.value);
    operand.zeroPoint = arith::SubIOp::create(
        b, loc, zp, createScalarConstant(b, loc, i32, 128));
  }
  return operand;
}

/// The i32 matmul of two integer operands.
static FailureOr<Value> buildIntegerMatMul(GraphImporter &im,
                                           const IntegerOperand &a,
                                           const IntegerOperand &b) {
  OpBuilder &builder = im.b;
  Location loc = im.loc;
  return buildMatMul(
      im, a.codes, b.codes, builder.getI32Type(),
      [&](Value lhs, Value rhs, Value init) {
        return linalg::QuantizedMatmulOp::create(
                   builder, loc, init.getType(),
                   ValueRange{lhs, rhs, a.zeroPoint, b.zeroPoint}, init)
            .getResult(0);
      },
      [&](Value lhs, Value rhs, Value init) {
        return linalg::QuantizedBatchMatmulOp::create(
                   builder, loc, init.getType(),
                   ValueRange{lhs, rhs, a.zeroPoint, b.zeroPoint}, init)
            .getResult(0);
      });
}

/// The i32 convolution of two integer operands; padding holds the input's
/// zero point, so that it contributes nothing.
static FailureOr<Value> buildIntegerConv(GraphImporter &im,
                                         const IntegerOperand &x,
                                         const IntegerOperand &w) {
  FailureOr<ConvGeometry> g =
      getConvGeometry(im, cast<RankedTensorType>(x.codes.getType()).getShape(),
                      cast<RankedTensorType>(w.codes.getType()).getShape());
  if (failed(g))
    return failure();
  if (g->group != 1)
    return im.emitNodeError() << "grouped integer convolutions are not "
                                 "supported (group "
                              << g->group << ")";
  OpBuilder &b = im.b;
  Location loc = im.loc;
  Value padValue = arith::TruncIOp::create(b, loc, b.getI8Type(), x.zeroPoint);
  Value padded = padTrailing(b, loc, x.codes, g->padBegin, g->padEnd, padValue);
  Value init = createFilled(b, loc, g->resultShape,
                            createScalarConstant(b, loc, b.getI32Type(), 0));
  return linalg::Conv2DNchwFchwQOp::create(
             b, loc, init.getType(),
             ValueRange{padded, w.codes, x.zeroPoint, w.zeroPoint}, init,
             g->getStridesAttr(b), g->getDilationsAttr(b))
      .getResult(0);
}

static LogicalResult importMatMulInteger(GraphImporter &im) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> a = im.getInput(0, "A");
  FailureOr<Tensor> b = im.getInput(1, "B");
  if (failed(a) || failed(b))
    return failure();
  FailureOr<IntegerOperand> lhs = getIntegerOperand(im, *a, 2, "A");
  FailureOr<IntegerOperand> rhs = getIntegerOperand(im, *b, 3, "B");
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> y = buildIntegerMatMul(im, *lhs, *rhs);
  if (failed(y))
    return failure();
  im.setOutput(0, Tensor::get(*y, kInt32));
  return success();
}

static LogicalResult importConvInteger(GraphImporter &im) {
  if (failed(im.checkAttributes({"auto_pad", "dilations", "group",
                                 "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "x");
  FailureOr<Tensor> w = im.getInput(1, "w");
  if (failed(x) || failed(w))
    return failure();
  FailureOr<IntegerOperand> input = getIntegerOperand(im, *x, 2, "x");
  FailureOr<IntegerOperand> weights = getIntegerOperand(im, *w, 3, "w");
  if (failed(input) || failed(weights))
    return failure();
  FailureOr<Value> y = buildIntegerConv(im, *input, *weights);
  if (failed(y))
    return failure();
  im.setOutput(0, Tensor::get(*y, kInt32));
  return success();
}

namespace {
/// The operands of QLinearMatMul and QLinearConv.
struct QLinearOperands {
  Tensor x, w;
  QuantParams xParams, wParams, yParams;
};
} // namespace

/// Reads x (input 0), w (input 3) and the three parameter pairs; the
/// weights' scale may be per output channel (`wAxis`).
static FailureOr<QLinearOperands>
getQLinearOperands(GraphImporter &im, int64_t wAxis, int64_t yRank) {
  QLinearOperands ops;
  FailureOr<Tensor> x = im.getInput(0, "x");
  FailureOr<Tensor> w = im.getInput(3, "w");
  if (failed(x) || failed(w))
    return failure();
  ops.x = *x;
  ops.w = *w;
  FailureOr<QuantParams> xParams =
      getQuantParams(im, 1, 2, x->getShape(), x->type);
  FailureOr<QuantParams> wParams =
      getQuantParams(im, 4, 5, w->getShape(), w->type, wAxis);
  if (failed(xParams) || failed(wParams))
    return failure();
  if (!im.hasInput(7))
    return im.emitNodeError() << "input 7 ('y_zero_point') is missing";
  FailureOr<Tensor> yZeroPoint = im.getInput(7, "y_zero_point");
  if (failed(yZeroPoint))
    return failure();
  SmallVector<int64_t> yShape(yRank, 1);
  FailureOr<QuantParams> yParams =
      getQuantParams(im, 6, 7, yShape, yZeroPoint->type);
  if (failed(yParams))
    return failure();
  if (xParams->axis || yParams->axis)
    return im.emitNodeError() << "x and y must be quantized per tensor";
  for (const QuantParams *p : {&*xParams, &*wParams, &*yParams})
    if (p->storageType != kInt8 && p->storageType != kUInt8)
      return im.emitNodeError()
             << "only int8 and uint8 codes are supported, got "
             << getElementTypeName(p->storageType);
  ops.xParams = *xParams;
  ops.wParams = *wParams;
  ops.yParams = *yParams;
  return ops;
}

/// The f32 values of codes `t` with constant `params`.
static Value dequantizeConstantParams(GraphImporter &im, const Tensor &t,
                                      const QuantParams &params) {
  quant::QuantizedType qtype = buildQuantizedType(im.b, params, t.getShape());
  if (t.quantized &&
      cast<RankedTensorType>(t.quantized.getType()).getElementType() == qtype)
    return quant::DequantizeCastOp::create(
        im.b, im.loc, t.getType().clone(im.b.getF32Type()), t.quantized);
  return buildDequantizeCasts(im.b, im.loc, t.value, qtype);
}

/// The int32 bias (input 8 of QLinearConv) as f32 on the grid of
/// `s_x * s_w`, as `quant.scast` + `quant.dcast`.
static FailureOr<Value> dequantizeBias(GraphImporter &im, const Tensor &bias,
                                       const QLinearOperands &ops) {
  float sx = *ops.xParams.scale.constant.getValues<float>().begin();
  SmallVector<double> scales;
  for (float sw : ops.wParams.scale.constant.getValues<float>())
    scales.push_back(static_cast<float>(sx * sw));
  OpBuilder &b = im.b;
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  int64_t lo = std::numeric_limits<int32_t>::min();
  int64_t hi = std::numeric_limits<int32_t>::max();
  quant::QuantizedType qtype;
  if (scales.size() == 1)
    qtype = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                             i32, f32, scales[0], 0, lo, hi);
  else
    qtype = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i32, f32, scales,
        SmallVector<int64_t>(scales.size(), 0), 0, lo, hi);
  return buildDequantizeCasts(b, im.loc, bias.value, qtype);
}

/// Quantizes the f32 result `y` with the constant output parameters.
static Tensor quantizeResult(GraphImporter &im, Value y,
                             const QuantParams &params) {
  auto type = cast<RankedTensorType>(y.getType());
  quant::QuantizedType qtype =
      buildQuantizedType(im.b, params, type.getShape());
  Tensor result;
  result.type = params.storageType;
  std::tie(result.quantized, result.value) =
      buildQuantizeCasts(im.b, im.loc, y, qtype);
  return result;
}

/// ONNX's requantization of the i32 `acc` with run-time parameters; the
/// weights' scale, if per channel, applies along `channelDim`.
static FailureOr<Value> buildRequantize(GraphImporter &im, Value acc,
                                        const QLinearOperands &ops,
                                        int64_t channelDim) {
  OpBuilder &b = im.b;
  Location loc = im.loc;
  auto type = cast<RankedTensorType>(acc.getType());
  int64_t rank = type.getRank();
  std::optional<int64_t> wAxis;
  if (ops.wParams.axis)
    wAxis = channelDim;
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  for (auto [t, axis] :
       {std::pair{ops.xParams.scale, std::optional<int64_t>()},
        std::pair{ops.wParams.scale, wAxis},
        std::pair{ops.yParams.scale, std::optional<int64_t>()},
        std::pair{*ops.yParams.zeroPoint, std::optional<int64_t>()}}) {
    auto [value, map] = getParamOperand(b, loc, t, rank, axis);
    inputs.push_back(value);
    maps.push_back(map);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), b.getI8Type());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  const QuantParams &yParams = ops.yParams;
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Type f32 = nb.getF32Type();
        Value multiplier = arith::DivFOp::create(
            nb, l, arith::MulFOp::create(nb, l, args[1], args[2]), args[3]);
        Value value = arith::MulFOp::create(
            nb, l, arith::SIToFPOp::create(nb, l, f32, args[0]), multiplier);
        Value zp =
            isUnsignedType(yParams.storageType)
                ? arith::UIToFPOp::create(nb, l, f32, args[4]).getResult()
                : arith::SIToFPOp::create(nb, l, f32, args[4]).getResult();
        Value shifted = arith::AddFOp::create(
            nb, l, math::RoundEvenOp::create(nb, l, value), zp);
        Value lo = createScalarConstant(nb, l, f32, yParams.getStorageMin());
        Value hi = createScalarConstant(nb, l, f32, yParams.getStorageMax());
        Value clamped = arith::MinimumFOp::create(
            nb, l, arith::MaximumFOp::create(nb, l, shifted, lo), hi);
        Value code =
            isUnsignedType(yParams.storageType)
                ? arith::FPToUIOp::create(nb, l, nb.getI8Type(), clamped)
                      .getResult()
                : arith::FPToSIOp::create(nb, l, nb.getI8Type(), clamped)
                      .getResult();
        linalg::YieldOp::create(nb, l, code);
      });
  return generic.getResult(0);
}

/// Checks that the parameters are all constants or all at run time.
static FailureOr<bool> areParamsConstant(GraphImporter &im,
                                         const QLinearOperands &ops) {
  bool x = ops.xParams.isConstant(), w = ops.wParams.isConstant(),
       y = ops.yParams.isConstant();
  if (x && w && y)
    return true;
  if (ops.wParams.axis && !w)
    return im.emitNodeError() << "per-channel weight scales must be "
                                 "constants";
  return false;
}

static LogicalResult importQLinearMatMul(GraphImporter &im) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> a = im.getInput(0, "a");
  if (failed(a))
    return failure();
  FailureOr<QLinearOperands> ops =
      getQLinearOperands(im, /*wAxis=*/-1, a->getRank());
  if (failed(ops))
    return failure();
  FailureOr<bool> constant = areParamsConstant(im, *ops);
  if (failed(constant))
    return failure();
  OpBuilder &b = im.b;
  Location loc = im.loc;
  if (*constant) {
    Value x = dequantizeConstantParams(im, ops->x, ops->xParams);
    Value w = dequantizeConstantParams(im, ops->w, ops->wParams);
    FailureOr<Value> y = buildMatMul(
        im, x, w, b.getF32Type(),
        [&](Value lhs, Value rhs, Value init) {
          return buildFloatMatmul(b, loc, lhs, rhs, init);
        },
        [&](Value lhs, Value rhs, Value init) {
          return linalg::BatchMatmulOp::create(b, loc, init.getType(),
                                               ValueRange{lhs, rhs}, init)
              .getResult(0);
        });
    if (failed(y))
      return failure();
    im.setOutput(0, quantizeResult(im, *y, ops->yParams));
    return success();
  }
  FailureOr<IntegerOperand> lhs = getIntegerOperand(im, ops->x, 2, "a");
  FailureOr<IntegerOperand> rhs = getIntegerOperand(im, ops->w, 5, "b");
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> acc = buildIntegerMatMul(im, *lhs, *rhs);
  if (failed(acc))
    return failure();
  int64_t rank = cast<RankedTensorType>(acc->getType()).getRank();
  FailureOr<Value> y = buildRequantize(im, *acc, *ops, rank - 1);
  if (failed(y))
    return failure();
  im.setOutput(0, Tensor::get(*y, ops->yParams.storageType));
  return success();
}

static LogicalResult importQLinearConv(GraphImporter &im) {
  if (failed(im.checkAttributes({"auto_pad", "dilations", "group",
                                 "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<QLinearOperands> ops = getQLinearOperands(im, /*wAxis=*/0, 4);
  if (failed(ops))
    return failure();
  FailureOr<bool> constant = areParamsConstant(im, *ops);
  if (failed(constant))
    return failure();
  std::optional<Tensor> bias;
  if (im.hasInput(8)) {
    FailureOr<Tensor> t = im.getInput(8, "B");
    if (failed(t))
      return failure();
    if (t->type != kInt32 || t->getRank() != 1 ||
        t->getShape()[0] != ops->w.getShape()[0])
      return im.emitNodeError() << "the bias must be int32 with one element "
                                   "per output channel";
    bias = *t;
  }
  OpBuilder &b = im.b;
  Location loc = im.loc;
  if (*constant) {
    Value x = dequantizeConstantParams(im, ops->x, ops->xParams);
    Value w = dequantizeConstantParams(im, ops->w, ops->wParams);
    FailureOr<ConvGeometry> g =
        getConvGeometry(im, ops->x.getShape(), ops->w.getShape());
    if (failed(g))
      return failure();
    Value y = buildFloatConv(b, loc, x, w, *g);
    if (bias) {
      FailureOr<Value> biasValues = dequantizeBias(im, *bias, *ops);
      if (failed(biasValues))
        return failure();
      y = addChannelBias(b, loc, y, *biasValues, 1);
    }
    im.setOutput(0, quantizeResult(im, y, ops->yParams));
    return success();
  }
  FailureOr<IntegerOperand> input = getIntegerOperand(im, ops->x, 2, "x");
  FailureOr<IntegerOperand> weights = getIntegerOperand(im, ops->w, 5, "w");
  if (failed(input) || failed(weights))
    return failure();
  FailureOr<Value> acc = buildIntegerConv(im, *input, *weights);
  if (failed(acc))
    return failure();
  if (bias) {
    auto type = cast<RankedTensorType>(acc->getType());
    Value broadcast =
        linalg::BroadcastOp::create(
            b, loc, bias->value,
            tensor::EmptyOp::create(b, loc, type.getShape(), b.getI32Type()),
            ArrayRef<int64_t>{0, 2, 3})
            .getResult()[0];
    acc = buildBroadcastElementwise(
        b, loc, ValueRange{*acc, broadcast}, type.getShape(), b.getI32Type(),
        [](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::AddIOp::create(nb, l, args[0], args[1]);
        });
  }
  FailureOr<Value> y = buildRequantize(im, *acc, *ops, 1);
  if (failed(y))
    return failure();
  im.setOutput(0, Tensor::get(*y, ops->yParams.storageType));
  return success();
}

void onnx_import::addIntegerImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["MatMulInteger"] = importMatMulInteger;
  table["ConvInteger"] = importConvInteger;
  table["QLinearMatMul"] = importQLinearMatMul;
  table["QLinearConv"] = importQLinearConv;
}
