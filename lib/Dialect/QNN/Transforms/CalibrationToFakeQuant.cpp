//===- CalibrationToFakeQuant.cpp - Calibration statistics to fake quant --===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Replaces `qnn.calibrate` by `qnn.fake_quant` with the quantization
// parameters its statistics give (Calibration.h, docs/QNN.md).
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/Calibration.h"
#include "qnn/Utils/PatternDriver.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNCALIBRATIONTOFAKEQUANTPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::calibration;

/// The clipping range of channel `i` of `op`'s statistics for its method.
static std::pair<float, float> getClippingRange(CalibrateOp op, size_t i,
                                                unsigned bits, bool isSigned) {
  double min = (*op.getMin())[i], max = (*op.getMax())[i];
  std::optional<ArrayRef<double>> histogram = op.getHistogram();
  switch (op.getMethod()) {
  case CalibrationMethod::min_max:
  case CalibrationMethod::moving_average:
    return {static_cast<float>(min), static_cast<float>(max)};
  case CalibrationMethod::percentile: {
    auto [lo, hi] = percentileRange(
        *histogram, min, max,
        op.getPercentile().value_or(CalibrateOp::kDefaultPercentile));
    return {static_cast<float>(lo), static_cast<float>(hi)};
  }
  case CalibrationMethod::mse: {
    auto [lo, hi] = mseRange(*histogram, min, max, bits);
    return {static_cast<float>(lo), static_cast<float>(hi)};
  }
  case CalibrationMethod::entropy: {
    double amax = std::max(-min, max);
    int64_t levels = int64_t(1) << (isSigned ? bits - 1 : bits);
    double threshold = entropyThreshold(*histogram, amax, levels);
    return {static_cast<float>(std::max(min, -threshold)),
            static_cast<float>(std::min(max, threshold))};
  }
  }
  llvm_unreachable("unknown calibration method");
}

/// Computes the quantized type that `op`'s statistics give, reporting
/// through `emitError` a type the quant dialect rejects.
static quant::QuantizedType
getCalibratedType(CalibrateOp op,
                  function_ref<InFlightDiagnostic()> emitError) {
  auto storage = cast<IntegerType>(op.getStorageType());
  unsigned bits = storage.getWidth();
  bool isSigned = !storage.isUnsigned();
  IntegerRange range =
      getIntegerRange(bits, isSigned, op.getNarrowRange(), op.getReduceRange());
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (size_t i = 0, e = op.getMin()->size(); i < e; ++i) {
    auto [lo, hi] = getClippingRange(op, i, bits, isSigned);
    QParams params = computeQParams(lo, hi, range, op.getSymmetric(), isSigned);
    scales.push_back(params.scale);
    zeroPoints.push_back(params.zeroPoint);
  }
  MLIRContext *ctx = op.getContext();
  auto storageType = IntegerType::get(ctx, bits);
  Type expressed = op.getInput().getType().getElementType();
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  if (std::optional<int64_t> axis = op.getAxis())
    return quant::UniformQuantizedPerAxisType::getChecked(
        emitError, flags, storageType, expressed, scales, zeroPoints, *axis,
        range.qmin, range.qmax);
  return quant::UniformQuantizedType::getChecked(
      emitError, flags, storageType, expressed, scales.front(),
      zeroPoints.front(), range.qmin, range.qmax);
}

namespace {
/// qnn.calibrate with statistics -> qnn.fake_quant.
struct CalibrateToFakeQuant : OpRewritePattern<CalibrateOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CalibrateOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getMin())
      return rewriter.notifyMatchFailure(op, "no statistics");
    quant::QuantizedType type =
        getCalibratedType(op, [&] { return op.emitOpError(); });
    if (!type)
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    rewriter.replaceOpWithNewOp<FakeQuantOp>(
        op, op.getInput().getType(), op.getInput(), TypeAttr::get(type),
        RoundingAttr::get(getContext(), Rounding::half_even));
    return success();
  }
};

/// Folds calibration statistics into fake quantization.
struct QNNCalibrationToFakeQuantPass
    : qnn::impl::QNNCalibrationToFakeQuantPassBase<
          QNNCalibrationToFakeQuantPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Report every operation that cannot be folded before changing anything.
    WalkResult checked = func.walk([&](CalibrateOp op) {
      if (!op.getMin()) {
        if (allowMissingStatistics)
          return WalkResult::advance();
        op.emitOpError() << "has no statistics: run a calibration first, or "
                            "pass allow-missing-statistics=true to keep it";
        return WalkResult::interrupt();
      }
      if (!getCalibratedType(op, [&] { return op.emitOpError(); }))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateFoldCalibrationPatterns(patterns);
    if (failed(applyPatternsWithoutFolding(func, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void qnn::populateFoldCalibrationPatterns(RewritePatternSet &patterns) {
  patterns.add<CalibrateToFakeQuant>(patterns.getContext());
}
