//===- Contract.cpp - IR between quantization and codegen -----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/Contract.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

bool qnn::isQuantizedContraction(Operation *op) {
  return isa<linalg::QuantizedMatmulOp, linalg::QuantizedBatchMatmulOp,
             linalg::Conv2DNhwcHwcfQOp, linalg::Conv2DNhwcFhwcQOp,
             linalg::Conv2DNchwFchwQOp, linalg::DepthwiseConv2DNhwcHwcQOp>(op);
}

Value qnn::buildSignFlip(OpBuilder &b, Location loc, Value codes) {
  Type i8 = b.getI8Type();
  return buildElementwise(
      b, loc, codes, {}, i8, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value signBit = arith::ConstantIntOp::create(nb, l, i8, -128);
        return arith::XOrIOp::create(nb, l, args[0], signBit).getResult();
      });
}

Value qnn::getSignFlipSource(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return {};
  Block &body = generic.getRegion().front();
  if (!body.getArgument(0).getType().isInteger(8) ||
      !body.getArgument(1).getType().isInteger(8))
    return {};
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto xorOp = yield.getValues()[0].getDefiningOp<arith::XOrIOp>();
  if (!xorOp || &*body.begin() == yield.getOperation())
    return {};
  // Exactly the xor and its constant besides the terminator.
  if (llvm::range_size(body.without_terminator()) > 2)
    return {};
  APInt signBit;
  bool flips = (xorOp.getLhs() == body.getArgument(0) &&
                matchPattern(xorOp.getRhs(), m_ConstantInt(&signBit))) ||
               (xorOp.getRhs() == body.getArgument(0) &&
                matchPattern(xorOp.getLhs(), m_ConstantInt(&signBit)));
  if (!flips || signBit.getZExtValue() != 0x80)
    return {};
  return generic.getDpsInputOperand(0)->get();
}
