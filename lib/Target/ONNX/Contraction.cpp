//===- Contraction.cpp - Shapes of ONNX convolutions and matmuls ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Contraction.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

DenseIntElementsAttr ConvGeometry::getStridesAttr(OpBuilder &b) const {
  return b.getI64TensorAttr(strides);
}

DenseIntElementsAttr ConvGeometry::getDilationsAttr(OpBuilder &b) const {
  return b.getI64TensorAttr(dilations);
}

LogicalResult onnx_import::resolvePads(
    GraphImporter &im, ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    SmallVectorImpl<int64_t> &begin, SmallVectorImpl<int64_t> &end) {
  size_t rank = input.size();
  for (ArrayRef<int64_t> values : {kernel, strides, dilations})
    if (llvm::any_of(values, [](int64_t v) { return v > kMaxExtent; }))
      return im.emitNodeError() << "kernel sizes, strides and dilations "
                                   "must be below 2^31";
  std::string autoPad = im.getString("auto_pad", "NOTSET");
  SmallVector<int64_t> pads = im.getInts("pads");
  begin.assign(rank, 0);
  end.assign(rank, 0);
  if (autoPad == "NOTSET") {
    if (pads.empty())
      return success();
    if (pads.size() != 2 * rank ||
        llvm::any_of(pads, [](int64_t p) { return p < 0 || p > kMaxExtent; }))
      return im.emitNodeError() << "pads must be " << 2 * rank
                                << " non-negative integers below 2^31";
    for (size_t i = 0; i < rank; ++i) {
      begin[i] = pads[i];
      end[i] = pads[rank + i];
    }
    return success();
  }
  if (autoPad == "VALID")
    return success();
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return im.emitNodeError()
           << "auto_pad '" << autoPad << "' is not supported";
  for (size_t i = 0; i < rank; ++i) {
    int64_t out = llvm::divideCeil(input[i], strides[i]);
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[i] + extent - input[i]);
    int64_t half = total / 2;
    begin[i] = autoPad == "SAME_UPPER" ? half : total - half;
    end[i] = total - begin[i];
  }
  return success();
}

FailureOr<ConvGeometry> onnx_import::getConvGeometry(GraphImporter &im,
                                                     ArrayRef<int64_t> x,
                                                     ArrayRef<int64_t> w) {
  if (x.size() != 4 || w.size() != 4)
    return im.emitNodeError() << "only 2-D convolutions (4-D NCHW inputs "
                                 "and FCHW weights) are supported";
  ConvGeometry g;
  g.group = im.getInt("group", 1);
  if (g.group < 1 || x[1] % g.group != 0 || w[0] % g.group != 0 ||
      x[1] / g.group != w[1])
    return im.emitNodeError()
           << "input channels " << x[1] << ", weights " << w[0] << "x" << w[1]
           << " and group " << g.group << " do not match";
  SmallVector<int64_t> kernel = im.getInts("kernel_shape");
  if (!kernel.empty() && (kernel[0] != w[2] || kernel[1] != w[3]))
    return im.emitNodeError() << "kernel_shape differs from the weights";
  g.strides.assign(im.getInts("strides"));
  if (g.strides.empty())
    g.strides.assign({1, 1});
  g.dilations.assign(im.getInts("dilations"));
  if (g.dilations.empty())
    g.dilations.assign({1, 1});
  if (g.strides.size() != 2 || g.dilations.size() != 2 ||
      llvm::any_of(g.strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(g.dilations, [](int64_t d) { return d < 1; }))
    return im.emitNodeError() << "strides and dilations must be two "
                                 "positive integers";

  if (failed(resolvePads(im, x.drop_front(2), w.drop_front(2), g.strides,
                         g.dilations, g.padBegin, g.padEnd)))
    return failure();
  g.resultShape.assign({x[0], w[0], 0, 0});
  for (int i = 0; i < 2; ++i) {
    int64_t extent = (w[2 + i] - 1) * g.dilations[i] + 1;
    int64_t padded = x[2 + i] + g.padBegin[i] + g.padEnd[i];
    if (padded < extent)
      return im.emitNodeError() << "the kernel is larger than the padded "
                                   "input";
    g.resultShape[2 + i] = (padded - extent) / g.strides[i] + 1;
  }
  return g;
}

FailureOr<Value> onnx_import::buildMatMul(
    GraphImporter &im, Value a, Value b, Type accType,
    llvm::function_ref<Value(Value, Value, Value)> build2D,
    llvm::function_ref<Value(Value, Value, Value)> buildBatched) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  int64_t aRank = aType.getRank(), bRank = bType.getRank();
  if (aRank < 2 || bRank < 2)
    return im.emitNodeError() << "matmuls of 1-D operands are not supported";
  ArrayRef<int64_t> aShape = aType.getShape(), bShape = bType.getShape();
  int64_t m = aShape[aRank - 2], k = aShape[aRank - 1];
  int64_t n = bShape[bRank - 1];
  if (bShape[bRank - 2] != k)
    return im.emitNodeError() << "the operands' inner dimensions differ (" << k
                              << " and " << bShape[bRank - 2] << ")";
  SmallVector<int64_t> resultShape(aShape.drop_back(2));
  resultShape.append({m, n});
  OpBuilder &builder = im.b;
  Location loc = im.loc;
  Value zero = createScalarConstant(builder, loc, accType, 0.0);

  if (bRank == 2) {
    int64_t rows = aType.getNumElements() / k;
    Value a2 = reshapeTo(builder, loc, a, {rows, k});
    Value init = createFilled(builder, loc, {rows, n}, zero);
    return reshapeTo(builder, loc, build2D(a2, b, init), resultShape);
  }
  if (aRank != bRank || aShape.drop_back(2) != bShape.drop_back(2))
    return im.emitNodeError() << "broadcasting the batch dimensions of a "
                                 "matmul is not supported";
  int64_t batch = aType.getNumElements() / (m * k);
  Value a3 = reshapeTo(builder, loc, a, {batch, m, k});
  Value b3 = reshapeTo(builder, loc, b, {batch, k, n});
  Value init = createFilled(builder, loc, {batch, m, n}, zero);
  return reshapeTo(builder, loc, buildBatched(a3, b3, init), resultShape);
}

/// Adds the per-channel `bias` (1-D) to `y` along `channelDim`: a
/// `linalg.broadcast` and a `linalg.add`.
Value onnx_import::addChannelBias(OpBuilder &b, Location loc, Value y,
                                  Value bias, int64_t channelDim) {
  auto type = cast<RankedTensorType>(y.getType());
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (i != channelDim)
      dims.push_back(i);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value broadcast =
      linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
  Value sumInit =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::AddOp::create(b, loc, ValueRange{y, broadcast}, sumInit)
      .getResult(0);
}

/// Builds the f32 convolution of `x` by `w` (padded already) with `g`.
Value onnx_import::buildFloatConv(OpBuilder &b, Location loc, Value x, Value w,
                                  const ConvGeometry &g) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type f32 = b.getF32Type();
  Value zero = createScalarConstant(b, loc, f32, 0.0);
  // Padding comes after the split into groups, so that a reshape of a
  // dequantized input stays next to its dequantization.
  auto pad = [&](Value input) {
    return padTrailing(b, loc, input, g.padBegin, g.padEnd, zero);
  };
  int64_t channels = xType.getDimSize(1), filters = wType.getDimSize(0);
  int64_t n = g.resultShape[0], oh = g.resultShape[2], ow = g.resultShape[3];
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  if (g.group == 1) {
    Value init = createFilled(b, loc, g.resultShape, zero);
    return linalg::Conv2DNchwFchwOp::create(
               b, loc, init.getType(), ValueRange{pad(x), w}, init,
               g.getStridesAttr(b), g.getDilationsAttr(b))
        .getResult(0);
  }
  if (g.group == channels && filters == channels) {
    Value w3 = reshapeTo(b, loc, w, {channels, kh, kw});
    Value init = createFilled(b, loc, g.resultShape, zero);
    return linalg::DepthwiseConv2DNchwChwOp::create(
               b, loc, init.getType(), ValueRange{pad(x), w3}, init,
               g.getStridesAttr(b), g.getDilationsAttr(b))
        .getResult(0);
  }
  int64_t groups = g.group;
  int64_t h = xType.getDimSize(2), wd = xType.getDimSize(3);
  Value x5 = reshapeTo(b, loc, x, {n, groups, channels / groups, h, wd});
  Value w5 = reshapeTo(b, loc, w,
                       {groups, filters / groups, channels / groups, kh, kw});
  Value init =
      createFilled(b, loc, {n, groups, filters / groups, oh, ow}, zero);
  Value y = linalg::Conv2DNgchwGfchwOp::create(
                b, loc, init.getType(), ValueRange{pad(x5), w5}, init,
                g.getStridesAttr(b), g.getDilationsAttr(b))
                .getResult(0);
  return reshapeTo(b, loc, y, g.resultShape);
}

/// Builds a float matmul of 2-D `a` and `b` into `init`, reading `a` as
/// K x M when `transA` and `b` as N x K when `transB`.
Value onnx_import::buildFloatMatmul(OpBuilder &b, Location loc, Value lhs,
                                    Value rhs, Value init, bool transA,
                                    bool transB) {
  if (!transA && !transB)
    return linalg::MatmulOp::create(b, loc, init.getType(),
                                    ValueRange{lhs, rhs}, init)
        .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineExpr m = b.getAffineDimExpr(0), n = b.getAffineDimExpr(1),
             k = b.getAffineDimExpr(2);
  auto map = [&](AffineExpr r, AffineExpr c) {
    return AffineMap::get(3, 0, {r, c}, ctx);
  };
  ArrayAttr maps =
      b.getAffineMapArrayAttr({transA ? map(k, m) : map(m, k),
                               transB ? map(n, k) : map(k, n), map(m, n)});
  return linalg::MatmulOp::create(b, loc, init.getType(), ValueRange{lhs, rhs},
                                  init, {b.getNamedAttr("indexing_maps", maps)})
      .getResult(0);
}
