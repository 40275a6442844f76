//===- ElementwiseOps.cpp - Activations and arithmetic --------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Element-wise operators as `linalg.generic`s with NumPy broadcasting, and
// Softmax as reductions along its axis.
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

/// Imports a unary float operator computing `fn`.
static LogicalResult importUnary(GraphImporter &im, ElementFn fn) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  if (failed(x))
    return failure();
  Value y = buildBroadcastElementwise(im.b, im.loc, x->value, x->getShape(),
                                      im.b.getF32Type(), fn);
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

static LogicalResult importRelu(GraphImporter &im) {
  return importUnary(im, [](OpBuilder &b, Location l, ValueRange args) {
    Value zero = createScalarConstant(b, l, b.getF32Type(), 0.0);
    return arith::MaximumFOp::create(b, l, args[0], zero).getResult();
  });
}

static LogicalResult importSigmoid(GraphImporter &im) {
  return importUnary(im, [](OpBuilder &b, Location l, ValueRange args) {
    Value one = createScalarConstant(b, l, b.getF32Type(), 1.0);
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, args[0]));
    return arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, e))
        .getResult();
  });
}

static LogicalResult importRound(GraphImporter &im) {
  // ONNX rounds halves to even.
  return importUnary(im, [](OpBuilder &b, Location l, ValueRange args) {
    return math::RoundEvenOp::create(b, l, args[0]).getResult();
  });
}

/// Converts the scalar `v` of ONNX type `from` to ONNX type `to`.
static Value convertScalar(OpBuilder &b, Location l, Value v, int32_t from,
                           int32_t to, Type toType) {
  bool fromFloat = from == kFloat, toFloat = to == kFloat;
  if (fromFloat && toFloat)
    return v;
  if (fromFloat)
    return isUnsignedType(to)
               ? arith::FPToUIOp::create(b, l, toType, v).getResult()
               : arith::FPToSIOp::create(b, l, toType, v).getResult();
  if (toFloat)
    return isUnsignedType(from)
               ? arith::UIToFPOp::create(b, l, toType, v).getResult()
               : arith::SIToFPOp::create(b, l, toType, v).getResult();
  unsigned fromWidth = getBitWidth(from), toWidth = getBitWidth(to);
  if (fromWidth == toWidth)
    return v;
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, l, toType, v);
  return isUnsignedType(from)
             ? arith::ExtUIOp::create(b, l, toType, v).getResult()
             : arith::ExtSIOp::create(b, l, toType, v).getResult();
}

static LogicalResult importCast(GraphImporter &im) {
  if (failed(im.checkAttributes({"to", "saturate"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "input");
  if (failed(x))
    return failure();
  int32_t to = im.getInt("to", 0);
  Type toType = im.convertElementType(to);
  if (!toType || to == kBool || x->type == kBool)
    return im.emitNodeError()
           << "casting from " << getElementTypeName(x->type) << " to "
           << getElementTypeName(to) << " is not supported";
  int32_t from = x->type;
  Value y = buildBroadcastElementwise(
      im.b, im.loc, x->value, x->getShape(), toType,
      [&](OpBuilder &b, Location l, ValueRange args) {
        return convertScalar(b, l, args[0], from, to, toType);
      });
  im.setOutput(0, Tensor::get(y, to));
  return success();
}

static LogicalResult importIdentity(GraphImporter &im) {
  if (failed(im.checkAttributes({"seed", "ratio", "training_mode"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "input");
  if (failed(x))
    return failure();
  if (im.getNode().output_size() > 1 && !im.getNode().output(1).empty())
    return im.emitNodeError() << "the mask output of Dropout is not supported";
  im.setOutput(0, *x);
  return success();
}

/// Reads the bound of Clip: input `index` (opset 11) or attribute `name`.
static FailureOr<std::optional<Value>>
getClipBound(GraphImporter &im, unsigned index, StringRef name) {
  if (im.getOpsetVersion() < 11) {
    if (!im.findAttribute(name))
      return std::optional<Value>();
    return std::optional<Value>(createScalarConstant(
        im.b, im.loc, im.b.getF32Type(), im.getFloat(name, 0.0f)));
  }
  if (!im.hasInput(index))
    return std::optional<Value>();
  FailureOr<Tensor> t = im.getInput(index, name);
  if (failed(t))
    return failure();
  if (t->type != kFloat || t->getType().getNumElements() != 1)
    return im.emitNodeError() << "the " << name << " bound must be one float";
  SmallVector<Value> indices(t->getRank(),
                             arith::ConstantIndexOp::create(im.b, im.loc, 0));
  return std::optional<Value>(
      tensor::ExtractOp::create(im.b, im.loc, t->value, indices));
}

static LogicalResult importClip(GraphImporter &im) {
  if (failed(im.checkAttributes({"min", "max"})))
    return failure();
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  FailureOr<std::optional<Value>> lo = getClipBound(im, 1, "min");
  FailureOr<std::optional<Value>> hi = getClipBound(im, 2, "max");
  if (failed(x) || failed(lo) || failed(hi))
    return failure();
  Value y = buildBroadcastElementwise(
      im.b, im.loc, x->value, x->getShape(), im.b.getF32Type(),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0];
        if (*lo)
          v = arith::MaximumFOp::create(b, l, v, **lo);
        if (*hi)
          v = arith::MinimumFOp::create(b, l, v, **hi);
        return v;
      });
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

namespace {
/// The scalar operation of a binary operator on floats and on integers.
struct BinaryFns {
  Value (*onFloats)(OpBuilder &, Location, Value, Value);
  Value (*onIntegers)(OpBuilder &, Location, Value, Value);
};
} // namespace

/// Imports a broadcasting binary operator.
static LogicalResult importBinary(GraphImporter &im, BinaryFns fns) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> a = im.getInput(0, "A");
  FailureOr<Tensor> b = im.getInput(1, "B");
  if (failed(a) || failed(b))
    return failure();
  if (im.getNode().input_size() != 2)
    return im.emitNodeError() << "only two operands are supported";
  if (a->type != b->type)
    return im.emitNodeError()
           << "the operands' types differ (" << getElementTypeName(a->type)
           << " and " << getElementTypeName(b->type) << ")";
  bool isFloat = a->type == kFloat;
  if (!isFloat && (!fns.onIntegers || (a->type != kInt32 && a->type != kInt64)))
    return im.emitNodeError() << "operands of " << getElementTypeName(a->type)
                              << " are not supported";
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes({a->getShape(), b->getShape()});
  if (!shape)
    return im.emitNodeError() << "the operands' shapes do not broadcast";
  auto fn = isFloat ? fns.onFloats : fns.onIntegers;
  Value y = buildBroadcastElementwise(
      im.b, im.loc, ValueRange{a->value, b->value}, *shape,
      a->getType().getElementType(),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return fn(nb, l, args[0], args[1]);
      });
  im.setOutput(0, Tensor::get(y, a->type));
  return success();
}

template <typename FloatOp, typename IntOp>
static Value createBinary(OpBuilder &b, Location l, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return FloatOp::create(b, l, x, y);
  return IntOp::create(b, l, x, y);
}

static LogicalResult importAdd(GraphImporter &im) {
  auto fn = createBinary<arith::AddFOp, arith::AddIOp>;
  return importBinary(im, {fn, fn});
}

static LogicalResult importSub(GraphImporter &im) {
  auto fn = createBinary<arith::SubFOp, arith::SubIOp>;
  return importBinary(im, {fn, fn});
}

static LogicalResult importMul(GraphImporter &im) {
  auto fn = createBinary<arith::MulFOp, arith::MulIOp>;
  return importBinary(im, {fn, fn});
}

static LogicalResult importMin(GraphImporter &im) {
  return importBinary(im, {createBinary<arith::MinimumFOp, arith::MinSIOp>,
                           createBinary<arith::MinimumFOp, arith::MinSIOp>});
}

static LogicalResult importMax(GraphImporter &im) {
  return importBinary(im, {createBinary<arith::MaximumFOp, arith::MaxSIOp>,
                           createBinary<arith::MaximumFOp, arith::MaxSIOp>});
}

static LogicalResult importDiv(GraphImporter &im) {
  return importBinary(im,
                      {createBinary<arith::DivFOp, arith::DivSIOp>, nullptr});
}

/// Reduces float input 0 over the node's axes (attribute `axes`, or input
/// 1 from opset 18), from `init` with `combine`, keeping the reduced
/// dimensions as 1 with `keepdims`.
static LogicalResult importReduce(GraphImporter &im, double init,
                                  ElementFn combine) {
  if (failed(im.checkAttributes({"axes", "keepdims", "noop_with_empty_axes"})))
    return failure();
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  SmallVector<int64_t> axes = im.getInts("axes");
  if (im.hasInput(1)) {
    FailureOr<Tensor> t = im.getConstantInput(1, "axes");
    if (failed(t))
      return failure();
    for (const APInt &a : t->constant.getValues<APInt>())
      axes.push_back(a.getSExtValue());
  }
  if (axes.empty()) {
    if (im.getInt("noop_with_empty_axes", 0)) {
      im.setOutput(0, *x);
      return success();
    }
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return im.emitNodeError() << "axis " << a << " is out of range";
    reduced[a < 0 ? a + rank : a] = true;
  }
  OpBuilder &b = im.b;
  SmallVector<int64_t> shape, kept;
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(reduced[i] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
    kept.push_back(reduced[i] ? 1 : x->getShape()[i]);
    if (reduced[i])
      continue;
    shape.push_back(x->getShape()[i]);
    exprs.push_back(b.getAffineDimExpr(i));
  }
  Value acc = createFilled(
      b, im.loc, shape, createScalarConstant(b, im.loc, b.getF32Type(), init));
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, exprs, b.getContext())};
  Value y = linalg::GenericOp::create(
                b, im.loc, acc.getType(), x->value, acc, maps, iterators,
                [&](OpBuilder &nb, Location l, ValueRange args) {
                  linalg::YieldOp::create(nb, l, combine(nb, l, args));
                })
                .getResult(0);
  if (im.getInt("keepdims", 1))
    y = reshapeTo(b, im.loc, y, kept);
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

static LogicalResult importReduceMin(GraphImporter &im) {
  return importReduce(
      im, std::numeric_limits<double>::infinity(),
      [](OpBuilder &b, Location l, ValueRange args) {
        return arith::MinimumFOp::create(b, l, args[0], args[1]).getResult();
      });
}

static LogicalResult importReduceMax(GraphImporter &im) {
  return importReduce(
      im, -std::numeric_limits<double>::infinity(),
      [](OpBuilder &b, Location l, ValueRange args) {
        return arith::MaximumFOp::create(b, l, args[0], args[1]).getResult();
      });
}

void onnx_import::addElementwiseImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["Relu"] = importRelu;
  table["Sigmoid"] = importSigmoid;
  table["Clip"] = importClip;
  table["Add"] = importAdd;
  table["Sub"] = importSub;
  table["Mul"] = importMul;
  table["Div"] = importDiv;
  table["Min"] = importMin;
  table["Max"] = importMax;
  table["Round"] = importRound;
  table["Cast"] = importCast;
  table["ReduceMin"] = importReduceMin;
  table["ReduceMax"] = importReduceMax;
  table["Identity"] = importIdentity;
  table["Dropout"] = importIdentity;
}
