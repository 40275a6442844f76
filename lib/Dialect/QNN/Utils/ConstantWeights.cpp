//===- ConstantWeights.cpp - Constant weights of contractions -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

std::optional<ConstantWeights> qnn::matchConstantWeights(Value value) {
  ConstantWeights weights;
  if (matchPattern(value, m_Constant(&weights.values)))
    return isa<FloatType>(weights.values.getElementType())
               ? std::optional(weights)
               : std::nullopt;
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  auto scast =
      dcast ? dcast.getInput().getDefiningOp<quant::StorageCastOp>() : nullptr;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&weights.values)))
    return std::nullopt;
  weights.type =
      dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(scast.getType()));
  if (!isa_and_nonnull<quant::UniformQuantizedType,
                       quant::UniformQuantizedPerAxisType>(weights.type))
    return std::nullopt;
  return weights;
}

/// Whether element `i` of a dense constant is zero (as a real value for
/// stored codes: the code equals the zero point of its channel).
SmallVector<bool> qnn::getZeroElements(const ConstantWeights &weights) {
  SmallVector<bool> zero;
  if (!weights.type) {
    for (APFloat v : weights.values.getValues<APFloat>())
      zero.push_back(v.isZero());
    return zero;
  }
  auto shape = weights.values.getType().getShape();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weights.type);
  auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights.type);
  for (auto [i, code] : llvm::enumerate(weights.values.getValues<APInt>())) {
    int64_t zp = perTensor ? perTensor.getZeroPoint() : 0;
    if (perAxis) {
      int64_t axis = perAxis.getQuantizedDimension();
      int64_t stride = 1;
      for (size_t d = axis + 1; d < shape.size(); ++d)
        stride *= shape[d];
      zp = perAxis.getZeroPoints()[(i / stride) % shape[axis]];
    }
    int64_t value = weights.type.isSigned()
                        ? code.getSExtValue()
                        : static_cast<int64_t>(code.getZExtValue());
    zero.push_back(value == zp);
  }
  return zero;
}
