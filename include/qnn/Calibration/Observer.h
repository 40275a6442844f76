//===- Observer.h - Calibration statistics of observed tensors --*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The statistics a calibration run records for one qnn.calibrate, batch by
// batch, as torch.ao.quantization's observers record them (docs/QNN.md,
// "Statistics").
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_OBSERVER_H
#define QNN_CALIBRATION_OBSERVER_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// Observes the batches of one calibrated value.
class Observer {
public:
  Observer(CalibrationMethod method, std::optional<int64_t> axis,
           double averagingConstant, int64_t bins)
      : method(method), axis(axis), averagingConstant(averagingConstant),
        bins(bins) {}

  /// Whether a second pass over the batches (the histogram) is needed.
  bool needsHistogram() const;

  /// Records one batch: `values` in row-major order with `shape`. In the
  /// first pass it updates min/max; in the second, the histogram.
  void observe(llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape,
               bool histogramPass);

  /// Whether any batch was observed.
  bool observed() const { return !min.empty(); }

  llvm::ArrayRef<double> getMin() const { return min; }
  llvm::ArrayRef<double> getMax() const { return max; }
  llvm::ArrayRef<double> getHistogram() const { return histogram; }

private:
  CalibrationMethod method;
  std::optional<int64_t> axis;
  double averagingConstant;
  int64_t bins;
  llvm::SmallVector<double> min, max, histogram;
};

} // namespace mlir::qnn

#endif // QNN_CALIBRATION_OBSERVER_H
