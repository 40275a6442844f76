//===- QuantParams.h - Per-element quantization parameters ------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_QUANTPARAMS_H
#define QNN_DIALECT_QNN_UTILS_QUANTPARAMS_H

#include "qnn/Dialect/QNN/Utils/Numerics.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::qnn {

/// Looks up the affine parameters of each element of a tensor quantized with
/// a per-tensor, per-axis or sub-channel type.
class QuantParamsTable {
public:
  QuantParamsTable(quant::QuantizedType type, ArrayRef<int64_t> shape)
      : type(type), shape(shape) {
    if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
      params.push_back(make(perTensor.getScale(), perTensor.getZeroPoint()));
      return;
    }
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
      axis = perAxis.getQuantizedDimension();
      for (auto [s, z] :
           llvm::zip(perAxis.getScales(), perAxis.getZeroPoints()))
        params.push_back(make(s, z));
      return;
    }
    auto subChannel = cast<quant::UniformQuantizedSubChannelType>(type);
    auto scales = subChannel.getScales();
    auto zeroPoints = subChannel.getZeroPoints();
    scalesShape =
        llvm::to_vector(cast<ShapedType>(scales.getType()).getShape());
    blockSizes.assign(shape.begin(), shape.end());
    for (auto [dim, block] : subChannel.getBlockSizeInfo())
      blockSizes[dim] = block;
    for (auto [s, z] :
         llvm::zip(scales.getValues<APFloat>(), zeroPoints.getValues<APInt>()))
      params.push_back(make(s.convertToDouble(), z.getSExtValue()));
  }

  /// Whether every element shares one set of parameters.
  bool isPerTensor() const { return params.size() == 1 && !axis; }

  /// The parameters of the element at row-major position `flat`.
  const numerics::QuantParams &at(int64_t flat) const {
    if (params.size() == 1 && scalesShape.empty())
      return params.front();
    if (axis)
      return params[numerics::indexAlong(shape, *axis, flat)];
    // Sub-channel: map the element's multi-index to its block's index.
    int64_t blockIndex = 0;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1, stride = 1,
                 scaleStride = 1;
         d >= 0; --d) {
      int64_t index = (flat / stride) % shape[d];
      blockIndex += (index / blockSizes[d]) * scaleStride;
      stride *= shape[d];
      scaleStride *= scalesShape[d];
    }
    return params[blockIndex];
  }

private:
  numerics::QuantParams make(double scale, int64_t zeroPoint) const {
    return {scale, zeroPoint, type.getStorageTypeMin(),
            type.getStorageTypeMax()};
  }

  quant::QuantizedType type;
  ArrayRef<int64_t> shape;
  SmallVector<numerics::QuantParams> params;
  std::optional<int64_t> axis;
  SmallVector<int64_t> scalesShape;
  SmallVector<int64_t> blockSizes;
};

} // namespace mlir::qnn

#endif // QNN_DIALECT_QNN_UTILS_QUANTPARAMS_H
