//===- ConstantWeights.cpp - Constant weights of contractions -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Utils/ConstantLimits.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qnn;

std::optional<ConstantWeights> qnn::matchConstantWeights(Value value) {
  ConstantWeights weights;
  if (matchPattern(value, m_Constant(&weights.values)))
    return isa<FloatType>(weights.values.getElementType()) &&
                   isFoldableSize(weights.values.getType())
               ? std::optional(weights)
               : std::nullopt;
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  auto scast =
      dcast ? dcast.getInput().getDefiningOp<quant::StorageCastOp>() : nullptr;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&weights.values)))
    return std::nullopt;
  if (!isFoldableSize(weights.values.getType()))
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
  DenseElementsAttr values = weights.values;
  int64_t size = values.getNumElements();
  SmallVector<bool> zero;
  zero.reserve(size);
  if (!weights.type) {
    if (values.getElementType().isF32() && !values.isSplat()) {
      // Raw f32: +0 and -0 are zero.
      ArrayRef<char> raw = values.getRawData();
      for (int64_t i = 0; i < size; ++i) {
        uint32_t bits;
        std::memcpy(&bits, raw.data() + 4 * i, 4);
        zero.push_back((bits & 0x7fffffffu) == 0);
      }
      return zero;
    }
    for (APFloat v : values.getValues<APFloat>())
      zero.push_back(v.isZero());
    return zero;
  }
  auto shape = values.getType().getShape();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weights.type);
  auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights.type);
  // The zero point of element i: one, or one per index of the axis.
  int64_t stride = 1, axisSize = 1;
  if (perAxis) {
    int64_t axis = perAxis.getQuantizedDimension();
    for (size_t d = axis + 1; d < shape.size(); ++d)
      stride *= shape[d];
    axisSize = shape[axis];
  }
  auto getZeroPoint = [&](int64_t i) -> int64_t {
    if (perAxis)
      return perAxis.getZeroPoints()[(i / stride) % axisSize];
    return perTensor ? perTensor.getZeroPoint() : 0;
  };
  bool isSigned = weights.type.isSigned();
  if (values.getElementType().getIntOrFloatBitWidth() == 8 &&
      !values.isSplat()) {
    ArrayRef<char> raw = values.getRawData();
    for (int64_t i = 0; i < size; ++i) {
      int64_t value =
          isSigned ? static_cast<int8_t>(raw[i]) : static_cast<uint8_t>(raw[i]);
      zero.push_back(value == getZeroPoint(i));
    }
    return zero;
  }
  for (auto [i, code] : llvm::enumerate(values.getValues<APInt>())) {
    int64_t value = isSigned ? code.getSExtValue()
                             : static_cast<int64_t>(code.getZExtValue());
    zero.push_back(value == getZeroPoint(i));
  }
  return zero;
}

/// The zero point and scale of element `i` of quantized `weights`.
static std::pair<int64_t, double> getParams(const ConstantWeights &weights,
                                            int64_t i) {
  auto shape = weights.values.getType().getShape();
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(weights.type)) {
    int64_t axis = perAxis.getQuantizedDimension(), stride = 1;
    for (size_t d = axis + 1; d < shape.size(); ++d)
      stride *= shape[d];
    int64_t channel = (i / stride) % shape[axis];
    return {perAxis.getZeroPoints()[channel], perAxis.getScales()[channel]};
  }
  auto perTensor = cast<quant::UniformQuantizedType>(weights.type);
  return {perTensor.getZeroPoint(), perTensor.getScale()};
}

SmallVector<int64_t> qnn::getCodeOffsets(const ConstantWeights &weights) {
  bool isSigned = weights.type.isSigned();
  SmallVector<int64_t> offsets;
  offsets.reserve(weights.values.getNumElements());
  for (auto [i, code] : llvm::enumerate(weights.values.getValues<APInt>())) {
    int64_t value = isSigned ? code.getSExtValue()
                             : static_cast<int64_t>(code.getZExtValue());
    offsets.push_back(value - getParams(weights, i).first);
  }
  return offsets;
}

SmallVector<double> qnn::getRealValues(const ConstantWeights &weights) {
  DenseElementsAttr values = weights.values;
  SmallVector<double> real;
  real.reserve(values.getNumElements());
  if (!weights.type) {
    for (APFloat v : values.getValues<APFloat>()) {
      bool losesInfo = false;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
      real.push_back(v.convertToDouble());
    }
    return real;
  }
  for (auto [i, offset] : llvm::enumerate(getCodeOffsets(weights)))
    real.push_back(getParams(weights, i).second * static_cast<double>(offset));
  return real;
}
