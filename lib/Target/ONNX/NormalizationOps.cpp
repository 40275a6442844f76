//===- NormalizationOps.cpp - Softmax and LayerNormalization --------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Operators that normalize along an axis, as reductions into a tensor
// without the axis and element-wise generics reading them back.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

/// Reduces `x` along `axis` into a tensor without it, from `init`.
static Value reduceAlong(OpBuilder &b, Location loc, Value x, int64_t axis,
                         double init, ElementFn combine) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(i == axis ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
    if (i == axis)
      continue;
    shape.push_back(type.getDimSize(i));
    exprs.push_back(b.getAffineDimExpr(i));
  }
  Value acc = createFilled(b, loc, shape,
                           createScalarConstant(b, loc, b.getF32Type(), init));
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, exprs, b.getContext())};
  return linalg::GenericOp::create(
             b, loc, acc.getType(), x, acc, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args));
             })
      .getResult(0);
}

/// Builds a generic over `x` reading `perRow` (reduced along `axis`).
static Value mapWithReduced(OpBuilder &b, Location loc, Value x, Value perRow,
                            int64_t axis, ElementFn fn) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(b.getAffineDimExpr(i));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, exprs, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{x, perRow}, init, maps,
             iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, fn(nb, l, args.drop_back()));
             })
      .getResult(0);
}

/// softmax(x) = exp(x - max) / sum(exp(x - max)) along `axis`.
static LogicalResult importSoftmax(GraphImporter &im) {
  if (failed(im.checkAttributes({"axis"})))
    return failure();
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  bool opset13 = im.getOpsetVersion() >= 13;
  int64_t axis = im.getInt("axis", opset13 ? -1 : 1);
  if (axis < -rank || axis >= rank)
    return im.emitNodeError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  // Before opset 13, Softmax normalizes over all dimensions from `axis`
  // on; that is one dimension only when it is the last.
  if (!opset13 && axis != rank - 1)
    return im.emitNodeError() << "Softmax before opset 13 is supported only "
                                 "along the last axis";
  OpBuilder &b = im.b;
  Location loc = im.loc;
  Value max = reduceAlong(
      b, loc, x->value, axis, -std::numeric_limits<double>::infinity(),
      [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::MaximumFOp::create(nb, l, args[0], args[1]).getResult();
      });
  Value e = mapWithReduced(
      b, loc, x->value, max, axis,
      [](OpBuilder &nb, Location l, ValueRange args) {
        return math::ExpOp::create(
                   nb, l, arith::SubFOp::create(nb, l, args[0], args[1]))
            .getResult();
      });
  Value sum = reduceAlong(
      b, loc, e, axis, 0.0, [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::AddFOp::create(nb, l, args[0], args[1]).getResult();
      });
  Value y = mapWithReduced(
      b, loc, e, sum, axis, [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::DivFOp::create(nb, l, args[0], args[1]).getResult();
      });
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

/// Y = (X - mean) / sqrt(var + epsilon) * Scale + B over the dimensions
/// from `axis` on, with the biased variance, all in f32.
static LogicalResult importLayerNormalization(GraphImporter &im) {
  if (failed(im.checkAttributes({"axis", "epsilon", "stash_type"})))
    return failure();
  for (int i = 1, e = im.getNode().output_size(); i < e; ++i)
    if (!im.getNode().output(i).empty())
      return im.emitNodeError() << "the Mean and InvStdDev outputs are not "
                                   "supported";
  if (im.getInt("stash_type", 1) != 1)
    return im.emitNodeError() << "only stash_type 1 (float) is supported";
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  FailureOr<Tensor> scale = im.getInput(1, "Scale");
  if (failed(x) || failed(scale))
    return failure();
  int64_t rank = x->getRank();
  int64_t axis = im.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return im.emitNodeError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> shape = x->getShape();
  ArrayRef<int64_t> normalized = shape.drop_front(axis);
  auto checkParam = [&](const Tensor &t, StringRef what) -> LogicalResult {
    if (t.type != kFloat || t.getShape() != normalized)
      return im.emitNodeError() << what
                                << " must be float of the normalized "
                                   "shape";
    return success();
  };
  if (failed(checkParam(*scale, "Scale")))
    return failure();
  std::optional<Tensor> bias;
  if (im.hasInput(2)) {
    FailureOr<Tensor> t = im.getInput(2, "B");
    if (failed(t) || failed(checkParam(*t, "B")))
      return failure();
    bias = *t;
  }
  OpBuilder &b = im.b;
  Location loc = im.loc;
  Type f32 = b.getF32Type();
  // Normalize the rows of the 2-D view [outer, inner].
  int64_t inner = 1;
  for (int64_t d : normalized)
    inner *= d;
  int64_t outer = x->getType().getNumElements() / inner;
  Value x2 = reshapeTo(b, loc, x->value, {outer, inner});
  Value count = createScalarConstant(b, loc, f32, static_cast<double>(inner));
  auto add = [](OpBuilder &nb, Location l, ValueRange args) {
    return arith::AddFOp::create(nb, l, args[0], args[1]).getResult();
  };
  Value sum = reduceAlong(b, loc, x2, 1, 0.0, add);
  Value centered = mapWithReduced(
      b, loc, x2, sum, 1, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value mean = arith::DivFOp::create(nb, l, args[1], count);
        return arith::SubFOp::create(nb, l, args[0], mean).getResult();
      });
  Value squares = buildBroadcastElementwise(
      b, loc, centered, {outer, inner}, f32,
      [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::MulFOp::create(nb, l, args[0], args[0]).getResult();
      });
  Value squareSum = reduceAlong(b, loc, squares, 1, 0.0, add);
  Value epsilon =
      createScalarConstant(b, loc, f32, im.getFloat("epsilon", 1e-5f));
  Value y = mapWithReduced(
      b, loc, centered, squareSum, 1,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value variance = arith::DivFOp::create(nb, l, args[1], count);
        Value deviation = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, variance, epsilon));
        return arith::DivFOp::create(nb, l, args[0], deviation).getResult();
      });
  SmallVector<Value> params = {y, reshapeTo(b, loc, scale->value, {inner})};
  if (bias)
    params.push_back(reshapeTo(b, loc, bias->value, {inner}));
  y = buildBroadcastElementwise(
      b, loc, params, {outer, inner}, f32,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value v = arith::MulFOp::create(nb, l, args[0], args[1]);
        if (args.size() > 2)
          v = arith::AddFOp::create(nb, l, v, args[2]);
        return v;
      });
  im.setOutput(0, Tensor::get(reshapeTo(b, loc, y, shape), kFloat));
  return success();
}

void onnx_import::addNormalizationImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["Softmax"] = importSoftmax;
  table["LayerNormalization"] = importLayerNormalization;
}
