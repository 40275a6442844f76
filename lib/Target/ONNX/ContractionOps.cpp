//===- ContractionOps.cpp - Conv, MatMul and Gemm on floats ---------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The float contractions of a QDQ model, between the casts of its
// DequantizeLinear and QuantizeLinear nodes: Conv as the NCHW `linalg`
// convolutions (depthwise and grouped included) into zeros with the bias
// broadcast and added after; MatMul and Gemm as `linalg.matmul` (Gemm's
// transposes through its indexing maps) or `linalg.batch_matmul`.
//
//===----------------------------------------------------------------------===//

#include "Contraction.h"
#include "GraphImporter.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

/// Checks that every input in `indices` is float.
static LogicalResult checkFloatInputs(GraphImporter &im,
                                      ArrayRef<Tensor> inputs) {
  for (const Tensor &t : inputs)
    if (t.type != kFloat)
      return im.emitNodeError()
             << "only float operands are supported, got "
             << getElementTypeName(t.type)
             << " (quantized models give this operator dequantized operands)";
  return success();
}

static LogicalResult importConv(GraphImporter &im) {
  if (failed(im.checkAttributes({"auto_pad", "dilations", "group",
                                 "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "X");
  FailureOr<Tensor> w = im.getInput(1, "W");
  if (failed(x) || failed(w) || failed(checkFloatInputs(im, {*x, *w})))
    return failure();
  FailureOr<ConvGeometry> g = getConvGeometry(im, x->getShape(), w->getShape());
  if (failed(g))
    return failure();
  OpBuilder &b = im.b;
  Value y = buildFloatConv(b, im.loc, x->value, w->value, *g);
  if (im.hasInput(2)) {
    FailureOr<Tensor> bias = im.getInput(2, "B");
    if (failed(bias) || failed(checkFloatInputs(im, {*bias})))
      return failure();
    if (bias->getShape() != ArrayRef<int64_t>{g->resultShape[1]})
      return im.emitNodeError() << "the bias must have one element per "
                                   "output channel";
    y = addChannelBias(b, im.loc, y, bias->value, 1);
  }
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

/// `a` (M x K, or B x M x K) times the transpose of `bt` (N x K, or
/// B x N x K), into zeros.
static Value buildTransposedBMatmul(OpBuilder &b, Location loc, Value a,
                                    Value bt) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto btType = cast<RankedTensorType>(bt.getType());
  SmallVector<int64_t> shape(aType.getShape().drop_back());
  shape.push_back(btType.getShape()[btType.getRank() - 2]);
  Value init = createFilled(b, loc, shape,
                            createScalarConstant(b, loc, b.getF32Type(), 0.0));
  if (aType.getRank() == 2)
    return buildFloatMatmul(b, loc, a, bt, init, /*transA=*/false,
                            /*transB=*/true);
  MLIRContext *ctx = b.getContext();
  AffineExpr batch = b.getAffineDimExpr(0), m = b.getAffineDimExpr(1),
             n = b.getAffineDimExpr(2), k = b.getAffineDimExpr(3);
  ArrayAttr maps =
      b.getAffineMapArrayAttr({AffineMap::get(4, 0, {batch, m, k}, ctx),
                               AffineMap::get(4, 0, {batch, n, k}, ctx),
                               AffineMap::get(4, 0, {batch, m, n}, ctx)});
  return linalg::BatchMatmulOp::create(b, loc, init.getType(),
                                       ValueRange{a, bt}, init,
                                       {b.getNamedAttr("indexing_maps", maps)})
      .getResult(0);
}

static LogicalResult importMatMul(GraphImporter &im) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> a = im.getInput(0, "A");
  FailureOr<Tensor> b = im.getInput(1, "B");
  if (failed(a) || failed(b) || failed(checkFloatInputs(im, {*a, *b})))
    return failure();
  OpBuilder &builder = im.b;
  Location loc = im.loc;
  // B transposed by the node before: read through the indexing maps, as
  // frontends write Q K^T.
  if (b->lastDimsTransposed && a->getRank() == b->getRank() &&
      (a->getRank() == 2 || a->getRank() == 3) &&
      a->getShape().drop_back(2) == b->getShape().drop_back(2) &&
      a->getShape().back() == b->getShape()[b->getRank() - 2]) {
    Value y =
        buildTransposedBMatmul(builder, loc, a->value, b->lastDimsTransposed);
    im.setOutput(0, Tensor::get(y, kFloat));
    return success();
  }
  FailureOr<Value> y = buildMatMul(
      im, a->value, b->value, builder.getF32Type(),
      [&](Value lhs, Value rhs, Value init) {
        return buildFloatMatmul(builder, loc, lhs, rhs, init);
      },
      [&](Value lhs, Value rhs, Value init) {
        return linalg::BatchMatmulOp::create(builder, loc, init.getType(),
                                             ValueRange{lhs, rhs}, init)
            .getResult(0);
      });
  if (failed(y))
    return failure();
  im.setOutput(0, Tensor::get(*y, kFloat));
  return success();
}

/// Y = alpha * A' B' + beta * C.
static LogicalResult importGemm(GraphImporter &im) {
  if (failed(im.checkAttributes({"alpha", "beta", "transA", "transB"})))
    return failure();
  FailureOr<Tensor> a = im.getInput(0, "A");
  FailureOr<Tensor> b = im.getInput(1, "B");
  if (failed(a) || failed(b) || failed(checkFloatInputs(im, {*a, *b})))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2)
    return im.emitNodeError() << "A and B must be 2-D";
  bool transA = im.getInt("transA", 0), transB = im.getInt("transB", 0);
  int64_t m = a->getShape()[transA ? 1 : 0], k = a->getShape()[transA ? 0 : 1];
  int64_t kb = b->getShape()[transB ? 1 : 0], n = b->getShape()[transB ? 0 : 1];
  if (k != kb)
    return im.emitNodeError()
           << "the inner dimensions differ (" << k << " and " << kb << ")";
  OpBuilder &builder = im.b;
  Location loc = im.loc;
  Type f32 = builder.getF32Type();
  Value init = createFilled(builder, loc, {m, n},
                            createScalarConstant(builder, loc, f32, 0.0));
  Value y =
      buildFloatMatmul(builder, loc, a->value, b->value, init, transA, transB);
  float alpha = im.getFloat("alpha", 1.0f), beta = im.getFloat("beta", 1.0f);
  if (alpha != 1.0f) {
    Value scale = createScalarConstant(builder, loc, f32, alpha);
    y = buildBroadcastElementwise(
        builder, loc, y, {m, n}, f32,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::MulFOp::create(nb, l, args[0], scale);
        });
  }
  if (im.hasInput(2) && beta != 0.0f) {
    FailureOr<Tensor> c = im.getInput(2, "C");
    if (failed(c) || failed(checkFloatInputs(im, {*c})))
      return failure();
    std::optional<SmallVector<int64_t>> shape =
        broadcastShapes({ArrayRef<int64_t>{m, n}, c->getShape()});
    if (!shape || *shape != ArrayRef<int64_t>{m, n})
      return im.emitNodeError() << "C does not broadcast to " << m << "x" << n;
    if (c->getRank() == 1 && beta == 1.0f) {
      // The bias of a fully connected layer.
      y = addChannelBias(builder, loc, y, c->value, 1);
    } else {
      Value betaValue = createScalarConstant(builder, loc, f32, beta);
      y = buildBroadcastElementwise(
          builder, loc, ValueRange{y, c->value}, {m, n}, f32,
          [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
            Value scaled = args[1];
            if (beta != 1.0f)
              scaled = arith::MulFOp::create(nb, l, scaled, betaValue);
            return arith::AddFOp::create(nb, l, args[0], scaled);
          });
    }
  }
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

void onnx_import::addContractionImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["Conv"] = importConv;
  table["MatMul"] = importMatMul;
  table["Gemm"] = importGemm;
}
