//===- BitpackLowering.cpp - qnn.bitpack's lowering, recognized -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "BitpackLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Whether `value` is `1 << index(dim)` in the word type.
static bool isBitOfIndex(Value value, unsigned dim) {
  auto shift = value.getDefiningOp<arith::ShLIOp>();
  APInt one;
  if (!shift || !matchPattern(shift.getLhs(), m_ConstantInt(&one)) || one != 1)
    return false;
  auto cast = shift.getRhs().getDefiningOp<arith::IndexCastOp>();
  auto index = cast ? cast.getIn().getDefiningOp<linalg::IndexOp>() : nullptr;
  return index && index.getDim() == dim;
}

bool cpu::isBitpackLowering(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1)
    return false;
  unsigned loops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d + 1 < loops; ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (iterators.back() != utils::IteratorType::reduction ||
      !maps[0].isIdentity() || maps[1] != maps[0].dropResult(loops - 1))
    return false;
  auto input = dyn_cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  auto output = dyn_cast<MemRefType>(op.getDpsInitOperand(0)->get().getType());
  if (!input || !output || !input.getElementType().isF32() ||
      !input.isLastDimUnitStride() ||
      input.getShape().back() != output.getElementTypeBitWidth())
    return false;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto orOp = yield.getValues()[0].getDefiningOp<arith::OrIOp>();
  if (!orOp || orOp.getLhs() != body.getArgument(1))
    return false;
  auto select = orOp.getRhs().getDefiningOp<arith::SelectOp>();
  auto compare =
      select ? select.getCondition().getDefiningOp<arith::CmpFOp>() : nullptr;
  return compare && compare.getPredicate() == arith::CmpFPredicate::OLT &&
         compare.getLhs() == body.getArgument(0) &&
         matchPattern(compare.getRhs(), m_PosZeroFloat()) &&
         isBitOfIndex(select.getTrueValue(), loops - 1) &&
         matchPattern(select.getFalseValue(), m_Zero());
}
