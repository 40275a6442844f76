//===- RewriteUtils.cpp - Helpers of the int8 rewrite patterns ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "RewriteUtils.h"

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

int64_t qnn::quantizeBound(double value,
                           quant::UniformQuantizedType type) {
  numerics::AffineParams params{type.getScale(), type.getZeroPoint(),
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

SmallVector<NamedAttribute> qnn::getWindowAttributes(Operation *pool) {
  SmallVector<NamedAttribute> attrs;
  for (StringRef name : {"strides", "dilations"})
    if (Attribute attr = pool->getAttr(name))
      attrs.push_back(NamedAttribute(name, attr));
  return attrs;
}
