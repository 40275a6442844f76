//===- GroupedConvolution.cpp - Grouped convolutions by group -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/GroupedConvolution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

std::optional<GroupedConvolution> qnn::matchGroupedConvolution(Operation *op) {
  GroupedConvolution conv{op, false, false, 0};
  if (isa<linalg::Conv2DNgchwGfchwOp, linalg::Conv2DNgchwGfchwQOp>(op)) {
    conv.nhwc = false;
  } else if (isa<linalg::Conv2DNhwgcGfhwcOp, linalg::Conv2DNhwgcGfhwcQOp>(op)) {
    conv.nhwc = true;
  } else {
    return std::nullopt;
  }
  conv.quantized =
      isa<linalg::Conv2DNgchwGfchwQOp, linalg::Conv2DNhwgcGfhwcQOp>(op);
  auto weights = dyn_cast<RankedTensorType>(op->getOperand(1).getType());
  if (!weights || ShapedType::isDynamic(weights.getDimSize(0)))
    return std::nullopt;
  conv.groups = weights.getDimSize(0);
  return conv;
}

DenseElementsAttr qnn::sliceElements(DenseElementsAttr attr, ShapedType type,
                                     int64_t first) {
  if (attr.isSplat())
    return DenseElementsAttr::get(type, attr.getSplatValue<Attribute>());
  unsigned bits = attr.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return {};
  size_t bytes = bits / 8;
  ArrayRef<char> raw = attr.getRawData();
  return DenseElementsAttr::getFromRawBuffer(
      type, raw.slice(first * bytes, type.getNumElements() * bytes));
}

/// The slice of group `group` along `dim` of the dense constant `attr`;
/// null when its elements are not byte-addressable.
static DenseElementsAttr sliceConstant(DenseElementsAttr attr, int64_t dim,
                                       int64_t group) {
  ArrayRef<int64_t> shape = attr.getType().getShape();
  SmallVector<int64_t> partShape(shape);
  partShape.erase(partShape.begin() + dim);
  auto partType = RankedTensorType::get(partShape, attr.getElementType());
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(dim + 1))
    inner *= size;
  if (dim == 0 || attr.isSplat())
    return sliceElements(attr, partType, group * inner);
  unsigned bits = attr.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return {};
  size_t bytes = bits / 8;
  ArrayRef<char> raw = attr.getRawData();
  int64_t outer = partType.getNumElements() / inner;
  SmallVector<char> data;
  data.reserve(partType.getNumElements() * bytes);
  for (int64_t o = 0; o < outer; ++o) {
    size_t offset = ((o * shape[dim] + group) * inner) * bytes;
    llvm::append_range(data, raw.slice(offset, inner * bytes));
  }
  return DenseElementsAttr::getFromRawBuffer(partType, data);
}

/// The offsets, sizes and strides of group `group` along `dim` of a
/// tensor of `type`.
static void getGroupSlice(RankedTensorType type, int64_t dim, int64_t group,
                          OpBuilder &b, Location loc, Value value,
                          SmallVector<OpFoldResult> &offsets,
                          SmallVector<OpFoldResult> &sizes,
                          SmallVector<OpFoldResult> &strides) {
  offsets.assign(type.getRank(), b.getIndexAttr(0));
  offsets[dim] = b.getIndexAttr(group);
  sizes = tensor::getMixedSizes(b, loc, value);
  sizes[dim] = b.getIndexAttr(1);
  strides.assign(type.getRank(), b.getIndexAttr(1));
}

Value qnn::extractGroup(OpBuilder &b, Location loc, Value value, int64_t dim,
                        int64_t group) {
  DenseElementsAttr attr;
  if (matchPattern(value, m_Constant(&attr)))
    if (DenseElementsAttr part = sliceConstant(attr, dim, group))
      return arith::ConstantOp::create(b, loc, part);
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  getGroupSlice(type, dim, group, b, loc, value, offsets, sizes, strides);
  SmallVector<int64_t> partShape(type.getShape());
  partShape.erase(partShape.begin() + dim);
  auto partType = RankedTensorType::get(partShape, type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, partType, value, offsets, sizes,
                                        strides);
}

Value qnn::insertGroup(OpBuilder &b, Location loc, Value part, Value dest,
                       int64_t dim, int64_t group) {
  auto type = cast<RankedTensorType>(dest.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  getGroupSlice(type, dim, group, b, loc, dest, offsets, sizes, strides);
  return tensor::InsertSliceOp::create(b, loc, part, dest, offsets, sizes,
                                       strides);
}
