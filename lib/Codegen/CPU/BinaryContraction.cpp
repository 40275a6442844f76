//===- BinaryContraction.cpp - Binary contractions on packed words --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Recognizes, on buffers, the contractions qnn.binary_matmul and
// qnn.ternary_matmul lower to:
//
//   C[m, n] = C[m, n] - 2 * popcount(x[m, w] xor w[n, w])
//   C[m, n] = C[m, n] - 2 * popcount((x[m, w] xor s[n, w]) and z[n, w])
//
// over words w (maps (m, w), (n, w) [, (n, w)], (m, n)), as a matmul of
// rows x channels whose reduction runs over words, with constant N x W
// weight planes. The accumulators' initial value (k from a linalg.fill,
// or the nonzero weights per channel from a linalg.broadcast) is folded
// like any other contraction's.
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

/// Whether `value` is `a xor b` of the block arguments (in either order).
static bool isXor(Value value, Value a, Value b) {
  auto xorOp = value.getDefiningOp<arith::XOrIOp>();
  return xorOp && ((xorOp.getLhs() == a && xorOp.getRhs() == b) ||
                   (xorOp.getLhs() == b && xorOp.getRhs() == a));
}

/// Whether `value` is `2 * popcount(a xor b)` of the block arguments `a`
/// and `b` (in either order), or with `mask`,
/// `2 * popcount((a xor b) and mask)`, widened or narrowed to i32.
static bool isTwicePopcount(Value value, Value a, Value b, Value mask) {
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
  if (!popcount)
    return false;
  Value bits = popcount.getOperand();
  if (!mask)
    return isXor(bits, a, b);
  auto andOp = bits.getDefiningOp<arith::AndIOp>();
  if (!andOp)
    return false;
  return (andOp.getRhs() == mask && isXor(andOp.getLhs(), a, b)) ||
         (andOp.getLhs() == mask && isXor(andOp.getRhs(), a, b));
}

bool cpu::isBinaryContraction(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 || generic.getNumLoops() != 3 ||
      (generic.getNumDpsInputs() != 2 && generic.getNumDpsInputs() != 3))
    return false;
  bool ternary = generic.getNumDpsInputs() == 3;
  MLIRContext *ctx = op->getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap weightMap = AffineMap::get(3, 0, {d(1), d(2)}, ctx);
  SmallVector<AffineMap> expected = {AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                     weightMap};
  if (ternary)
    expected.push_back(weightMap);
  expected.push_back(AffineMap::get(3, 0, {d(0), d(1)}, ctx));
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  if (generic.getIndexingMapsArray() != expected ||
      iterators[2] != utils::IteratorType::reduction ||
      iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel)
    return false;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto sub = yield.getValues()[0].getDefiningOp<arith::SubIOp>();
  Value acc = body.getArguments().back();
  return sub && sub.getLhs() == acc && sub.getType().isInteger(32) &&
         isTwicePopcount(sub.getRhs(), body.getArgument(0), body.getArgument(1),
                         ternary ? body.getArgument(2) : Value());
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
  c.ternary = op.getNumDpsInputs() == 3;
  c.layout = WeightLayout::NK;
  c.input = op.getDpsInputOperand(0)->get();
  c.output = op.getDpsInitOperand(0)->get();
  c.weights = getConstantGlobal(op.getDpsInputOperand(1)->get(), op);
  auto inputType = cast<MemRefType>(c.input.getType());
  auto outputType = cast<MemRefType>(c.output.getType());
  if (c.ternary)
    c.mask = getConstantGlobal(op.getDpsInputOperand(2)->get(), op);
  if (!c.weights || (c.ternary && !c.mask)) {
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
