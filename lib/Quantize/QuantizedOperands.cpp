//===- QuantizedOperands.cpp - Operands of quantized computations ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "QuantizedOperands.h"

#include "qnn/Dialect/QNN/Utils/Numerics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

/// Matches a splat float constant and returns its value.
static std::optional<double> getSplatFloat(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

Value qnn::peelActivation(Value value, Activation &act) {
  while (Operation *op = value.getDefiningOp()) {
    if (!isa<arith::MaximumFOp, arith::MinimumFOp>(op) ||
        !isa<RankedTensorType>(op->getResult(0).getType()))
      break;
    std::optional<double> bound = getSplatFloat(op->getOperand(1));
    Value other = op->getOperand(0);
    if (!bound) {
      bound = getSplatFloat(op->getOperand(0));
      other = op->getOperand(1);
    }
    if (!bound)
      break;
    if (isa<arith::MaximumFOp>(op))
      act.lower = act.lower ? std::max(*act.lower, *bound) : *bound;
    else
      act.upper = act.upper ? std::min(*act.upper, *bound) : *bound;
    value = other;
  }
  return value;
}

quant::UniformQuantizedType
qnn::flipSignedness(quant::UniformQuantizedType type) {
  bool isSigned = !type.isSigned();
  int64_t shift = isSigned ? -128 : 128;
  return quant::UniformQuantizedType::get(
      isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(type.getContext(), 8), type.getExpressedType(),
      type.getScale(), type.getZeroPoint() + shift,
      type.getStorageTypeMin() + shift, type.getStorageTypeMax() + shift);
}

int64_t qnn::quantizeBound(double value, quant::UniformQuantizedType type) {
  numerics::QuantParams params{type.getScale(), type.getZeroPoint(),
                               type.getStorageTypeMin(),
                               type.getStorageTypeMax()};
  return numerics::quantize(value, params, Rounding::half_even,
                            /*computeInF64=*/false);
}

quant::UniformQuantizedType qnn::getDequantizedType(Value value,
                                                    Value &quantized) {
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return {};
  quantized = dcast.getInput();
  return dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(quantized.getType()));
}

std::optional<QuantizedInput> qnn::matchQuantizedInput(Value value) {
  QuantizedInput input;
  if (auto pad = value.getDefiningOp<tensor::PadOp>()) {
    Value padding = pad.getConstantPaddingValue();
    FloatAttr zero;
    if (!padding || !matchPattern(padding, m_Constant(&zero)) ||
        !zero.getValue().isZero())
      return std::nullopt;
    input.pad = pad;
    value = pad.getSource();
  }
  input.type = getDequantizedType(value, input.quantized);
  if (!input.type)
    return std::nullopt;
  return input;
}

SmallVector<NamedAttribute> qnn::getWindowAttributes(Operation *pool) {
  SmallVector<NamedAttribute> attrs;
  for (StringRef name : {"strides", "dilations"})
    if (Attribute attr = pool->getAttr(name))
      attrs.push_back(NamedAttribute(name, attr));
  return attrs;
}

/// `codes` (integer) as signed codes of the same width, or i8 when
/// narrower: unsigned codes are shifted down by half their range (the zero
/// point moves with them), and N x K weights (`transposed`) become K x N in
/// their last two dimensions.
DenseElementsAttr qnn::getSignedCodes(DenseElementsAttr codes, bool isSigned,
                                      bool transposed) {
  auto type = codes.getType();
  unsigned width = type.getElementTypeBitWidth();
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> newShape(shape);
  if (transposed)
    std::swap(newShape[newShape.size() - 2], newShape.back());
  // Codes narrower than a byte (i4, u4, ...) widen to i8, which the
  // kernels read.
  unsigned newWidth = std::max(width, 8u);
  auto newType = RankedTensorType::get(
      newShape, IntegerType::get(type.getContext(), newWidth));
  auto toSigned = [&](const APInt &v) {
    return (isSigned ? v : v - APInt::getSignMask(width)).sext(newWidth);
  };
  if (codes.isSplat())
    return DenseElementsAttr::get(newType,
                                  toSigned(codes.getSplatValue<APInt>()));
  int64_t rows = shape[shape.size() - 2], cols = shape.back();
  auto getIndex = [&](int64_t i) {
    if (!transposed)
      return i;
    int64_t matrix = i / (rows * cols), r = (i / cols) % rows, c = i % cols;
    return (matrix * cols + c) * rows + r;
  };
  if (width == 8) {
    // Bytes: unsigned codes lose half their range by flipping the sign bit.
    ArrayRef<char> raw = codes.getRawData();
    char flip = isSigned ? 0 : static_cast<char>(0x80);
    SmallVector<char> result(raw.size());
    for (int64_t i = 0, e = raw.size(); i < e; ++i)
      result[getIndex(i)] = static_cast<char>(raw[i] ^ flip);
    return DenseElementsAttr::getFromRawBuffer(newType, result);
  }
  SmallVector<APInt> values(codes.getValues<APInt>());
  SmallVector<APInt> result(values.size(), APInt(newWidth, 0));
  for (auto [i, v] : llvm::enumerate(values))
    result[getIndex(i)] = toSigned(v);
  return DenseElementsAttr::get(newType, result);
}
