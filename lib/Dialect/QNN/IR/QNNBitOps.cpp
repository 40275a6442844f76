//===- QNNBitOps.cpp - Bit-packed operations ------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Verifiers and folders of qnn.bitpack, qnn.bitunpack and
// qnn.binary_matmul. Comments name the constraint of the operation's
// description that each check enforces.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Utils/ConstantLimits.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::qnn;

/// Checks that `words` holds the innermost dimension of `values` packed
/// (C1 and C2 of qnn.bitpack and qnn.bitunpack).
static LogicalResult verifyPacking(Operation *op, RankedTensorType values,
                                   RankedTensorType words) {
  // C1
  if (values.getRank() == 0 || values.getRank() != words.getRank())
    return op->emitOpError()
           << "packs the innermost dimension: " << values << " and " << words
           << " must have the same rank, at least 1";
  for (int64_t d = 0; d + 1 < values.getRank(); ++d) {
    int64_t a = values.getDimSize(d), b = words.getDimSize(d);
    if (ShapedType::isStatic(a) && ShapedType::isStatic(b) && a != b)
      return op->emitOpError() << "dimension " << d << " differs: " << a
                               << " values and " << b << " words";
  }
  // C2
  int64_t k = values.getShape().back();
  if (ShapedType::isDynamic(k))
    return op->emitOpError()
           << "the number of packed elements (innermost size) must be static";
  unsigned width = words.getElementTypeBitWidth();
  int64_t expected = llvm::divideCeil(k, width);
  int64_t actual = words.getShape().back();
  if (actual != expected)
    return op->emitOpError()
           << k << " elements pack into " << expected << " words of " << width
           << " bits, not the innermost size of " << words;
  return success();
}

LogicalResult BitpackOp::verify() {
  return verifyPacking(*this, getInput().getType(), getOutput().getType());
}

LogicalResult BitunpackOp::verify() {
  return verifyPacking(*this, getOutput().getType(), getInput().getType());
}

/// Checks C1 and C2 of the binary and ternary matmuls: `lhs` rows times
/// `weights` rows (all of `k` bits in words of one type) into `out`.
static LogicalResult verifyPackedMatmul(Operation *op, Value lhsValue,
                                        ArrayRef<Value> weights, int64_t k,
                                        Value outValue) {
  auto lhs = cast<RankedTensorType>(lhsValue.getType());
  auto out = cast<RankedTensorType>(outValue.getType());
  // C1
  for (Value w : weights) {
    auto type = cast<RankedTensorType>(w.getType());
    if (lhs.getElementType() != type.getElementType())
      return op->emitOpError() << "operands pack into different words: " << lhs
                               << " and " << type;
    if (type != cast<RankedTensorType>(weights.front().getType()))
      return op->emitOpError()
             << "the weight planes differ: " << weights.front().getType()
             << " and " << type;
  }
  if (k < 1)
    return op->emitOpError() << "k must be at least 1, not " << k;
  unsigned width = lhs.getElementTypeBitWidth();
  int64_t words = llvm::divideCeil(k, width);
  auto rhs = cast<RankedTensorType>(weights.front().getType());
  for (RankedTensorType type : {lhs, rhs}) {
    int64_t size = type.getDimSize(1);
    if (ShapedType::isStatic(size) && size < words)
      return op->emitOpError()
             << "k = " << k << " needs at least " << words << " words of "
             << width << " bits, but " << type << " has " << size;
  }
  int64_t lhsWords = lhs.getDimSize(1), rhsWords = rhs.getDimSize(1);
  if (ShapedType::isStatic(lhsWords) && ShapedType::isStatic(rhsWords) &&
      lhsWords != rhsWords)
    return op->emitOpError() << "operands have " << lhsWords << " and "
                             << rhsWords << " words per row";
  // C2
  auto compatible = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
  };
  if (!compatible(out.getDimSize(0), lhs.getDimSize(0)) ||
      !compatible(out.getDimSize(1), rhs.getDimSize(0)))
    return op->emitOpError() << "result " << out << " is not rows of " << lhs
                             << " by rows of " << rhs;
  return success();
}

LogicalResult BinaryMatmulOp::verify() {
  return verifyPackedMatmul(*this, getLhs(), {getRhs()}, getK(), getOutput());
}

LogicalResult TernaryMatmulOp::verify() {
  return verifyPackedMatmul(*this, getLhs(), {getSigns(), getMask()}, getK(),
                            getOutput());
}

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

OpFoldResult BitpackOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getOutput().getType();
  unsigned width = type.getElementTypeBitWidth();
  int64_t k = getInput().getType().getShape().back();
  // bitpack(bitunpack(p)) is p when p has no padding bits to clear.
  if (auto unpack = getInput().getDefiningOp<BitunpackOp>())
    if (unpack.getInput().getType() == type && k % width == 0)
      return unpack.getInput();
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!input || !type.hasStaticShape() || !isFoldableSize(input.getType()))
    return {};
  int64_t wordsPerRow = type.getShape().back();
  SmallVector<APInt> words(type.getNumElements(), APInt(width, 0));
  for (auto [i, value] : llvm::enumerate(input.getValues<APFloat>())) {
    int64_t row = i / k, col = i % k;
    if (value.isNegative() && !value.isZero() && !value.isNaN())
      words[row * wordsPerRow + col / width].setBit(col % width);
  }
  return DenseElementsAttr::get(type, words);
}

OpFoldResult BitunpackOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType type = getOutput().getType();
  if (!input || !type.hasStaticShape() || !isFoldableSize(type))
    return {};
  unsigned width = input.getType().getElementTypeBitWidth();
  int64_t k = type.getShape().back();
  int64_t wordsPerRow = input.getType().getShape().back();
  SmallVector<APInt> words(input.getValues<APInt>());
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  APFloat minusOne = APFloat::getOne(semantics, /*Negative=*/true);
  APFloat plusOne = APFloat::getOne(semantics);
  SmallVector<APFloat> values;
  values.reserve(type.getNumElements());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    int64_t row = i / k, col = i % k;
    bool set = words[row * wordsPerRow + col / width][col % width];
    values.push_back(set ? minusOne : plusOne);
  }
  return DenseElementsAttr::get(type, values);
}
