//===- ShapeOps.cpp - Constant, Flatten, Reshape, Transpose, Concat -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Operators that move elements without computing: `tensor` reshapes,
// `linalg.transpose` and `tensor.insert_slice`s. They keep the element type,
// so they apply to float values and integer codes alike.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

static LogicalResult importConstant(GraphImporter &im) {
  if (failed(im.checkAttributes({"value"})))
    return failure();
  const onnx::AttributeProto *value = im.findAttribute("value");
  if (!value || !value->has_t())
    return im.emitNodeError() << "only the 'value' attribute (a tensor) is "
                                 "supported";
  FailureOr<DenseElementsAttr> elements = im.convertTensorProto(value->t());
  if (failed(elements))
    return failure();
  im.setOutput(0, im.createConstant(*elements, value->t().data_type()));
  return success();
}

/// Builds the reshape of `x` to `shape`, keeping its ONNX type.
static void setReshaped(GraphImporter &im, const Tensor &x,
                        ArrayRef<int64_t> shape) {
  Tensor y;
  y.value = reshapeTo(im.b, im.loc, x.value, shape);
  y.type = x.type;
  im.setOutput(0, y);
}

static LogicalResult importFlatten(GraphImporter &im) {
  if (failed(im.checkAttributes({"axis"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "input");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  int64_t axis = im.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return im.emitNodeError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= x->getShape()[i];
  setReshaped(im, *x, {outer, inner});
  return success();
}

static LogicalResult importReshape(GraphImporter &im) {
  if (failed(im.checkAttributes({"allowzero"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "data");
  FailureOr<Tensor> shapeTensor = im.getConstantInput(1, "shape");
  if (failed(x) || failed(shapeTensor))
    return failure();
  bool allowZero = im.getInt("allowzero", 0);
  SmallVector<int64_t> shape;
  for (const APInt &d : shapeTensor->constant.getValues<APInt>())
    shape.push_back(d.getSExtValue());
  int64_t known = 1;
  std::optional<size_t> inferred;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 0 && !allowZero) {
      if (i >= static_cast<size_t>(x->getRank()))
        return im.emitNodeError() << "a 0 in the shape copies a dimension "
                                     "the input does not have";
      d = x->getShape()[i];
    }
    if (d == -1) {
      if (inferred)
        return im.emitNodeError() << "the shape has more than one -1";
      inferred = i;
      continue;
    }
    if (d < 0)
      return im.emitNodeError() << "the shape has the negative dimension " << d;
    // The input's element count bounds any valid shape: a larger product
    // is an error, not an overflow.
    if (d != 0 && known > kMaxElements / d)
      return im.emitNodeError() << "the shape holds more than 2^48 elements";
    known *= d;
  }
  int64_t count = x->getType().getNumElements();
  if (inferred) {
    if (known == 0 || count % known != 0)
      return im.emitNodeError()
             << "no dimension makes " << count << " elements from the shape";
    shape[*inferred] = count / known;
    known = count;
  }
  if (known != count)
    return im.emitNodeError()
           << "the shape holds " << known << " elements, the input " << count;
  setReshaped(im, *x, shape);
  return success();
}

static LogicalResult importTranspose(GraphImporter &im) {
  if (failed(im.checkAttributes({"perm"})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "data");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  SmallVector<int64_t> perm = im.getInts("perm");
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  if (static_cast<int64_t>(perm.size()) != rank ||
      llvm::any_of(llvm::enumerate(sorted),
                   [](auto p) { return p.value() != (int64_t)p.index(); }))
    return im.emitNodeError()
           << "perm is not a permutation of the " << rank << " dimensions";
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x->getShape()[p]);
  Value init = tensor::EmptyOp::create(im.b, im.loc, shape,
                                       x->getType().getElementType());
  Tensor y;
  y.value = linalg::TransposeOp::create(im.b, im.loc, x->value, init, perm)
                .getResult()[0];
  y.type = x->type;
  bool swapsLastTwo =
      rank >= 2 && perm[rank - 1] == rank - 2 && perm[rank - 2] == rank - 1;
  for (int64_t i = 0; i + 2 < rank; ++i)
    swapsLastTwo &= perm[i] == i;
  if (swapsLastTwo)
    y.lastDimsTransposed = x->value;
  im.setOutput(0, y);
  return success();
}

static LogicalResult importConcat(GraphImporter &im) {
  if (failed(im.checkAttributes({"axis"})))
    return failure();
  SmallVector<Tensor> inputs;
  for (int i = 0, e = im.getNode().input_size(); i < e; ++i) {
    FailureOr<Tensor> t = im.getInput(i, "inputs");
    if (failed(t))
      return failure();
    inputs.push_back(*t);
  }
  if (inputs.empty())
    return im.emitNodeError() << "there is nothing to concatenate";
  int64_t rank = inputs[0].getRank();
  int64_t axis = im.getInt("axis", 0);
  if (axis < -rank || axis >= rank)
    return im.emitNodeError() << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> shape(inputs[0].getShape());
  shape[axis] = 0;
  for (const Tensor &t : inputs) {
    if (t.type != inputs[0].type || t.getRank() != rank)
      return im.emitNodeError() << "the inputs differ in type or rank";
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && t.getShape()[i] != inputs[0].getShape()[i])
        return im.emitNodeError() << "the inputs differ in dimension " << i;
    shape[axis] += t.getShape()[axis];
  }
  OpBuilder &b = im.b;
  Value result = tensor::EmptyOp::create(b, im.loc, shape,
                                         inputs[0].getType().getElementType());
  int64_t offset = 0;
  for (const Tensor &t : inputs) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    offsets[axis] = b.getIndexAttr(offset);
    SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
    for (int64_t d : t.getShape())
      sizes.push_back(b.getIndexAttr(d));
    result = tensor::InsertSliceOp::create(b, im.loc, t.value, result, offsets,
                                           sizes, strides);
    offset += t.getShape()[axis];
  }
  im.setOutput(0, Tensor::get(result, inputs[0].type));
  return success();
}

void onnx_import::addShapeImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["Constant"] = importConstant;
  table["Flatten"] = importFlatten;
  table["Reshape"] = importReshape;
  table["Transpose"] = importTranspose;
  table["Concat"] = importConcat;
}
