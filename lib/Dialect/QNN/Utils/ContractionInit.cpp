//===- ContractionInit.cpp - Initial values of contractions ---------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ContractionInit.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

FailureOr<std::optional<ConstantBias>> qnn::matchContractionInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    FloatAttr scalar;
    if (!matchPattern(fill.getInputs()[0], m_Constant(&scalar)) ||
        !scalar.getValue().isZero())
      return failure();
    return std::optional<ConstantBias>();
  }
  auto broadcast = init.getDefiningOp<linalg::BroadcastOp>();
  DenseElementsAttr values;
  if (!broadcast || !matchPattern(broadcast.getInput(), m_Constant(&values)) ||
      values.getType().getRank() != 1)
    return failure();
  int64_t rank = cast<ShapedType>(init.getType()).getRank();
  ArrayRef<int64_t> dims = broadcast.getDimensions();
  if (static_cast<int64_t>(dims.size()) != rank - 1)
    return failure();
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dims, d))
      return std::optional<ConstantBias>(ConstantBias{values, d});
  return failure();
}
