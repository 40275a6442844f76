//===- BinaryContraction.cpp - Binary contractions on packed words --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Recognizes, on buffers, the contraction qnn.binary_matmul lowers to:
//
//   C[m, n] = C[m, n] - 2 * popcount(x[m, w] xor w[n, w])
//
// over words w (maps (m, w), (n, w), (m, n)), as a matmul of rows x
// channels whose reduction runs over words, with constant N x W weights.
// The accumulators' initial value (k, from a linalg.fill) is folded like
// any other contraction's.
//
//===----------------------------------------------------------------------===//

#include "KernelContraction.h"
#include "qnn/Utils/ConstantLimits.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Whether `value` is `2 * popcount(a xor b)` of the block arguments `a`
/// and `b` (in either order), widened or narrowed to i32.
static bool isTwicePopcount(Value value, Value a, Value b) {
  Value count;
  APInt constant;
  if (auto shift = value.getDefiningOp<arith::ShLIOp>()) {
    if (!matchPattern(shift.getRhs(), m_ConstantInt(&constant)) ||
        constant != 1)
      return false;
    count = shift.getLhs();
  } else if (auto mul = value.getDefiningOp<arith::MulIOp>()) {
    if (matchPattern(mul.getRhs(), m_ConstantInt(&constant)) && constant == 2)
      count = mul.getLhs();
    else if (matchPattern(mul.getLhs(), m_ConstantInt(&constant)) &&
             constant == 2)
      count = mul.getRhs();
    else
      return false;
  } else {
    return false;
  }
  if (auto trunc = count.getDefiningOp<arith::TruncIOp>())
    count = trunc.getIn();
  auto popcount = count.getDefiningOp<math::CtPopOp>();
  auto xorOp =
      popcount ? popcount.getOperand().getDefiningOp<arith::XOrIOp>() : nullptr;
  if (!xorOp)
    return false;
  return (xorOp.getLhs() == a && xorOp.getRhs() == b) ||
         (xorOp.getLhs() == b && xorOp.getRhs() == a);
}

bool cpu::isBinaryContraction(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() != 3)
    return false;
  MLIRContext *ctx = op->getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> expected = {AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                     AffineMap::get(3, 0, {d(1), d(2)}, ctx),
                                     AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  if (generic.getIndexingMapsArray() != expected ||
      iterators[2] != utils::IteratorType::reduction ||
      iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel)
    return false;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto sub = yield.getValues()[0].getDefiningOp<arith::SubIOp>();
  return sub && sub.getLhs() == body.getArgument(2) &&
         sub.getType().isInteger(32) &&
         isTwicePopcount(sub.getRhs(), body.getArgument(0),
                         body.getArgument(1));
}

FailureOr<KernelContraction> cpu::matchBinaryContraction(linalg::GenericOp op,
                                                         std::string &reason) {
  if (!isBinaryContraction(op) || !op.hasPureBufferSemantics()) {
    reason = "not a contraction the kernels implement";
    return failure();
  }
  KernelContraction c;
  c.op = op;
  c.binary = true;
  c.layout = WeightLayout::NK;
  c.input = op.getDpsInputOperand(0)->get();
  c.output = op.getDpsInitOperand(0)->get();
  c.weights = getConstantGlobal(op.getDpsInputOperand(1)->get(), op);
  auto inputType = cast<MemRefType>(c.input.getType());
  auto outputType = cast<MemRefType>(c.output.getType());
  if (!c.weights) {
    reason = "the packed weights are not a compile-time constant";
    return failure();
  }
  if (!inputType.getElementType().isInteger(32) ||
      !c.weights.getElementType().isInteger(32)) {
    reason = "the binary kernels take words of 32 bits";
    return failure();
  }
  if (ShapedType::isDynamic(inputType.getDimSize(1)) ||
      ShapedType::isDynamic(outputType.getDimSize(1)) ||
      !inputType.isLastDimUnitStride() || !outputType.isLastDimUnitStride()) {
    reason = "a shape other than the batch is dynamic, or an operand is "
             "strided";
    return failure();
  }
  if (!isFoldableSize(c.weights.getType())) {
    reason = "the constant weights have more than 2^26 words, which the "
             "kernels do not pack at compile time";
    return failure();
  }
  llvm::append_range(c.weightShape, c.weights.getType().getShape());
  c.rows = inputType.getDimSize(0);
  c.reduction = inputType.getDimSize(1);
  c.channels = outputType.getDimSize(1);
  if (c.weightShape[0] != c.channels || c.weightShape[1] != c.reduction) {
    reason = "the weights do not match the operand shapes";
    return failure();
  }
  matchInitialValue(c);
  return c;
}
