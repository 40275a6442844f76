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
