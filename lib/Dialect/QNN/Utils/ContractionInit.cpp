//===- ContractionInit.cpp - Initial values of contractions ---------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ContractionInit.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

double ConstantBias::getRealValue(int64_t i) const {
  if (!codesType)
    return values.getValues<APFloat>()[i].convertToDouble();
  APInt code = values.getValues<APInt>()[i];
  int64_t q = codesType.isSigned() ? code.getSExtValue()
                                   : static_cast<int64_t>(code.getZExtValue());
  double scale = 0;
  int64_t zeroPoint = 0;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(codesType)) {
    scale = perTensor.getScale();
    zeroPoint = perTensor.getZeroPoint();
  } else {
    auto perAxis = cast<quant::UniformQuantizedPerAxisType>(codesType);
    scale = perAxis.getScales()[i];
    zeroPoint = perAxis.getZeroPoints()[i];
  }
  return static_cast<float>(static_cast<float>(q - zeroPoint) *
                            static_cast<float>(scale));
}

std::optional<ConstantBias> qnn::matchBiasValues(Value value, bool allowCodes) {
  ConstantBias bias;
  bias.channelDim = -1;
  if (matchPattern(value, m_Constant(&bias.values)))
    return bias.values.getType().getRank() == 1 &&
                   isa<FloatType>(bias.values.getElementType())
               ? std::optional(bias)
               : std::nullopt;
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  auto scast =
      dcast ? dcast.getInput().getDefiningOp<quant::StorageCastOp>() : nullptr;
  if (!allowCodes || !scast ||
      !matchPattern(scast.getInput(), m_Constant(&bias.values)) ||
      bias.values.getType().getRank() != 1)
    return std::nullopt;
  bias.codesType =
      dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(scast.getType()));
  auto perAxis =
      dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(bias.codesType);
  if (!isa_and_nonnull<quant::UniformQuantizedType>(bias.codesType) &&
      !(perAxis && perAxis.getQuantizedDimension() == 0))
    return std::nullopt;
  return bias;
}

/// A float constant tensor whose values depend on one dimension at most,
/// as a bias along that dimension (-1: a single value).
static std::optional<ConstantBias> getBiasOfTensor(DenseElementsAttr dense) {
  if (!isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  auto type = cast<RankedTensorType>(dense.getType());
  auto oneD = [&](ArrayRef<APFloat> values) {
    auto vectorType = RankedTensorType::get(
        {static_cast<int64_t>(values.size())}, type.getElementType());
    return DenseElementsAttr::get(vectorType, values);
  };
  if (dense.isSplat())
    return ConstantBias{oneD({dense.getSplatValue<APFloat>()}), -1, {}};
  SmallVector<APFloat> values(dense.getValues<APFloat>());
  ArrayRef<int64_t> shape = type.getShape();
  for (int64_t dim = 0, rank = type.getRank(); dim < rank; ++dim) {
    int64_t stride = 1;
    for (int64_t d = dim + 1; d < rank; ++d)
      stride *= shape[d];
    auto isAlongDim = [&](int64_t i) {
      int64_t first = ((i / stride) % shape[dim]) * stride;
      return values[i].bitwiseIsEqual(values[first]);
    };
    if (!llvm::all_of(llvm::seq<int64_t>(0, values.size()), isAlongDim))
      continue;
    SmallVector<APFloat> perChannel;
    for (int64_t c = 0; c < shape[dim]; ++c)
      perChannel.push_back(values[c * stride]);
    return ConstantBias{oneD(perChannel), dim, {}};
  }
  return std::nullopt;
}

/// The value of a float scalar constant.
static std::optional<ConstantBias> getBiasOfScalar(Value value) {
  FloatAttr scalar;
  if (!matchPattern(value, m_Constant(&scalar)))
    return std::nullopt;
  auto type = RankedTensorType::get({1}, scalar.getType());
  return ConstantBias{DenseElementsAttr::get(type, scalar.getValue()), -1, {}};
}

/// A `linalg.generic` that only copies its one input out, broadcasting it.
static bool isBroadcastGeneric(linalg::GenericOp generic) {
  if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getIndexingMapsArray()[1].isIdentity())
    return false;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return body.getOperations().size() == 1 &&
         yield.getValues()[0] == body.getArgument(0);
}

std::optional<ConstantBias> qnn::matchBiasOperand(Value value, AffineMap map,
                                                  bool allowCodes) {
  if (map.isIdentity())
    return matchBiasTensor(value, allowCodes);
  std::optional<int64_t> loop;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (loop)
        return std::nullopt;
      loop = dim.getPosition();
    } else if (!isa<AffineConstantExpr>(expr) ||
               cast<AffineConstantExpr>(expr).getValue() != 0) {
      return std::nullopt;
    }
  }
  if (!loop)
    return map.getNumResults() == 0 ? getBiasOfScalar(value) : std::nullopt;
  // A 1-D bias reshaped to ones but along one dimension (1xCx1x1).
  if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
    value = expand.getSrc();
  std::optional<ConstantBias> bias = matchBiasValues(value, allowCodes);
  DenseElementsAttr dense;
  if (!bias && matchPattern(value, m_Constant(&dense)))
    bias = getBiasOfTensor(dense);
  if (!bias)
    return std::nullopt;
  bias->channelDim = *loop;
  return bias;
}

std::optional<ConstantBias> qnn::matchBiasTensor(Value value, bool allowCodes) {
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)))
    return getBiasOfTensor(dense);
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return getBiasOfScalar(fill.getInputs()[0]);
  if (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    if (!isBroadcastGeneric(generic))
      return std::nullopt;
    return matchBiasOperand(generic.getDpsInputOperand(0)->get(),
                            generic.getIndexingMapsArray()[0], allowCodes);
  }
  auto broadcast = value.getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast)
    return std::nullopt;
  std::optional<ConstantBias> bias =
      matchBiasValues(broadcast.getInput(), allowCodes);
  int64_t rank = cast<ShapedType>(value.getType()).getRank();
  ArrayRef<int64_t> dims = broadcast.getDimensions();
  if (!bias || static_cast<int64_t>(dims.size()) != rank - 1)
    return std::nullopt;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dims, d))
      bias->channelDim = d;
  return bias;
}

FailureOr<std::optional<ConstantBias>>
qnn::matchContractionInit(Value init, bool allowCodes) {
  std::optional<ConstantBias> bias = matchBiasTensor(init, allowCodes);
  if (!bias)
    return failure();
  bool isZero = !bias->codesType &&
                llvm::all_of(bias->values.getValues<APFloat>(),
                             [](const APFloat &v) { return v.isZero(); });
  if (isZero)
    return std::optional<ConstantBias>();
  return bias;
}
