//===- Observer.cpp - Calibration statistics of observed tensors ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Observer.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::qnn;

bool Observer::needsHistogram() const {
  return method == CalibrationMethod::percentile ||
         method == CalibrationMethod::entropy ||
         method == CalibrationMethod::mse;
}

void Observer::observe(llvm::ArrayRef<float> values,
                       llvm::ArrayRef<int64_t> shape, bool histogramPass) {
  int64_t groups = axis ? shape[*axis] : 1;
  int64_t stride = 1;
  if (axis)
    for (size_t d = *axis + 1; d < shape.size(); ++d)
      stride *= shape[d];
  auto groupOf = [&](size_t i) -> int64_t {
    return axis ? static_cast<int64_t>(i / stride) % groups : 0;
  };

  if (histogramPass) {
    // torch.histc over the final range: bin floor((x - lo) * bins / width),
    // the upper end in the last bin, values outside ignored. Entropy
    // observes |x| over [0, max(-min, max)].
    bool magnitudes = method == CalibrationMethod::entropy;
    double lo = magnitudes ? 0.0 : min[0];
    double hi = magnitudes ? std::max(-min[0], max[0]) : max[0];
    histogram.resize(bins, 0.0);
    for (float v : values) {
      double x = magnitudes ? std::fabs(v) : v;
      if (std::isnan(x) || x < lo || x > hi)
        continue;
      int64_t bin =
          hi > lo ? static_cast<int64_t>((x - lo) * bins / (hi - lo)) : 0;
      histogram[std::min(bin, bins - 1)] += 1.0;
    }
    return;
  }

  // This batch's range (in f32, as torch.aminmax).
  llvm::SmallVector<float> batchMin(groups,
                                    std::numeric_limits<float>::infinity());
  llvm::SmallVector<float> batchMax(groups,
                                    -std::numeric_limits<float>::infinity());
  for (auto [i, v] : llvm::enumerate(values)) {
    int64_t g = groupOf(i);
    batchMin[g] = std::min(batchMin[g], v);
    batchMax[g] = std::max(batchMax[g], v);
  }
  if (min.empty()) {
    min.assign(batchMin.begin(), batchMin.end());
    max.assign(batchMax.begin(), batchMax.end());
    return;
  }
  for (int64_t g = 0; g < groups; ++g) {
    if (method == CalibrationMethod::moving_average) {
      // min += c * (min_cur - min), in f32.
      auto c = static_cast<float>(averagingConstant);
      auto oldMin = static_cast<float>(min[g]);
      auto oldMax = static_cast<float>(max[g]);
      min[g] = oldMin + c * (batchMin[g] - oldMin);
      max[g] = oldMax + c * (batchMax[g] - oldMax);
    } else {
      min[g] = std::min<double>(min[g], batchMin[g]);
      max[g] = std::max<double>(max[g], batchMax[g]);
    }
  }
}
