//===- QNNOps.cpp - QNN dialect operations --------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the QNN operations. Comments name the constraint (C1, ...) of
// the operation's description and docs/QNN.md that each check enforces;
// constraints that traits and type constraints express are not re-checked.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// Parses `[` float (`,` float)* `]` into a DenseF64ArrayAttr.
static ParseResult parseExactF64Array(OpAsmParser &parser,
                                      DenseF64ArrayAttr &attr) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        double value = 0.0;
        if (parser.parseFloat(value))
          return failure();
        values.push_back(value);
        return success();
      }))
    return failure();
  attr = DenseF64ArrayAttr::get(parser.getContext(), values);
  return success();
}

/// Prints a DenseF64ArrayAttr as `[` float (`,` float)* `]`, each value
/// exactly (the default printing of dense arrays rounds to 6 digits, which
/// would change statistics and scales on a round trip).
static void printExactF64Array(OpAsmPrinter &printer, Operation *,
                               DenseF64ArrayAttr attr) {
  printer << '[';
  llvm::interleaveComma(attr.asArrayRef(), printer, [&](double value) {
    printer.printFloat(APFloat(value));
  });
  printer << ']';
}

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Checks that `axis` names a dimension of a tensor of rank `rank`.
static LogicalResult verifyAxis(Operation *op, StringRef name, int64_t axis,
                                int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError()
           << name << " " << axis << " is out of range for a tensor of rank "
           << rank;
  return success();
}

/// Checks that a scale is positive and finite as an f32 with a finite f32
/// reciprocal.
static LogicalResult verifyScale(Operation *op, double scale) {
  float sc = static_cast<float>(scale);
  if (!(sc > 0.0f) || !std::isfinite(sc) || !std::isfinite(1.0f / sc))
    return op->emitOpError()
           << "scale " << scale
           << " must be positive and finite as an f32, with a finite f32 "
              "reciprocal";
  return success();
}

/// Checks that a zero point lies in the storage range of `type`.
static LogicalResult verifyZeroPoint(Operation *op, int64_t zeroPoint,
                                     quant::QuantizedType type) {
  if (zeroPoint < type.getStorageTypeMin() ||
      zeroPoint > type.getStorageTypeMax())
    return op->emitOpError()
           << "zero point " << zeroPoint << " is outside the storage range ["
           << type.getStorageTypeMin() << ", " << type.getStorageTypeMax()
           << "]";
  return success();
}

/// Checks that a finite, non-negative value was given for `name`.
static LogicalResult verifyNonNegative(Operation *op, StringRef name,
                                       double value) {
  if (!std::isfinite(value) || value < 0.0)
    return op->emitOpError()
           << name << " must be finite and non-negative, got " << value;
  return success();
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

/// C5: per-axis parameters.
static LogicalResult verifyPerAxis(Operation *op, RankedTensorType inputType,
                                   quant::UniformQuantizedPerAxisType type) {
  int64_t axis = type.getQuantizedDimension();
  if (failed(verifyAxis(op, "quantized dimension", axis, inputType.getRank())))
    return failure();
  int64_t numScales = type.getScales().size();
  if (!inputType.isDynamicDim(axis) && inputType.getDimSize(axis) != numScales)
    return op->emitOpError() << "quantized dimension " << axis << " has size "
                             << inputType.getDimSize(axis)
                             << " but the type has " << numScales << " scales";
  for (auto [scale, zeroPoint] :
       llvm::zip(type.getScales(), type.getZeroPoints()))
    if (failed(verifyScale(op, scale)) ||
        failed(verifyZeroPoint(op, zeroPoint, type)))
      return failure();
  return success();
}

/// C6: sub-channel (block-wise) parameters.
static LogicalResult
verifySubChannel(Operation *op, RankedTensorType inputType,
                 quant::UniformQuantizedSubChannelType type) {
  auto scalesType = cast<ShapedType>(type.getScales().getType());
  int64_t rank = inputType.getRank();
  if (scalesType.getRank() != rank)
    return op->emitOpError()
           << "sub-channel scales have rank " << scalesType.getRank()
           << " but the input has rank " << rank;
  SmallVector<int64_t> blockSizes(rank, ShapedType::kDynamic);
  for (auto [dim, block] : type.getBlockSizeInfo()) {
    if (failed(verifyAxis(op, "quantized dimension", dim, rank)))
      return failure();
    blockSizes[dim] = block;
  }
  for (int64_t d = 0; d < rank; ++d) {
    // A dimension without a block size is a single block.
    if (ShapedType::isDynamic(blockSizes[d]) && scalesType.getDimSize(d) != 1)
      return op->emitOpError()
             << "dimension " << d << " has no block size, so the scales must "
             << "have size 1 along it, not " << scalesType.getDimSize(d);
    if (inputType.isDynamicDim(d))
      continue;
    int64_t block = ShapedType::isDynamic(blockSizes[d])
                        ? inputType.getDimSize(d)
                        : blockSizes[d];
    if (block * scalesType.getDimSize(d) != inputType.getDimSize(d))
      return op->emitOpError()
             << "dimension " << d << " of size " << inputType.getDimSize(d)
             << " is not " << scalesType.getDimSize(d) << " blocks of size "
             << block;
  }
  for (APFloat scale : type.getScales().getValues<APFloat>())
    if (failed(verifyScale(op, scale.convertToDouble())))
      return failure();
  for (APInt zeroPoint : type.getZeroPoints().getValues<APInt>())
    if (failed(verifyZeroPoint(op, zeroPoint.getSExtValue(), type)))
      return failure();
  return success();
}

LogicalResult FakeQuantOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto qtype = cast<quant::QuantizedType>(getQtype());
  // C1
  if (qtype.getExpressedType() != inputType.getElementType())
    return emitOpError() << "expressed type " << qtype.getExpressedType()
                         << " of " << qtype
                         << " does not match the input element type "
                         << inputType.getElementType();
  // C2
  unsigned width = qtype.getStorageTypeIntegralWidth();
  if (width < 2 || width > 16)
    return emitOpError() << "storage type of " << width
                         << " bits is outside the supported 2 to 16 bits";
  // C3, C4
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(qtype))
    return failure(
        failed(verifyScale(*this, perTensor.getScale())) ||
        failed(verifyZeroPoint(*this, perTensor.getZeroPoint(), perTensor)));
  // C5
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype))
    return verifyPerAxis(*this, inputType, perAxis);
  // C6
  return verifySubChannel(*this, inputType,
                          cast<quant::UniformQuantizedSubChannelType>(qtype));
}

//===----------------------------------------------------------------------===//
// LogQuantOp
//===----------------------------------------------------------------------===//

LogicalResult LogQuantOp::verify() {
  int64_t bits = getBits(), minExp = getMinExp(), maxExp = getMaxExp();
  // C1
  if (bits < 2 || bits > 16)
    return emitOpError() << "bits must be in [2, 16], got " << bits;
  // C2
  if (minExp > maxExp)
    return emitOpError() << "min_exp " << minExp << " exceeds max_exp "
                         << maxExp;
  // C4
  Type elementType = getInput().getType().getElementType();
  const llvm::fltSemantics &sem =
      cast<FloatType>(elementType).getFloatSemantics();
  int64_t largest = llvm::APFloat::semanticsMaxExponent(sem);
  int64_t smallest =
      static_cast<int64_t>(llvm::APFloat::semanticsMinExponent(sem)) -
      static_cast<int64_t>(llvm::APFloat::semanticsPrecision(sem)) + 1;
  if (minExp < smallest || maxExp > largest)
    return emitOpError() << "exponent range [" << minExp << ", " << maxExp
                         << "] is not representable in " << elementType
                         << " (powers of two from 2^" << smallest << " to 2^"
                         << largest << ")";
  // C3
  int64_t levels = maxExp - minExp + 1;
  int64_t codes = (int64_t(1) << (bits - 1)) - 1;
  if (levels > codes)
    return emitOpError() << "exponent range [" << minExp << ", " << maxExp
                         << "] has " << levels << " levels but " << bits
                         << " bits hold at most " << codes;
  return success();
}

//===----------------------------------------------------------------------===//
// BinarizeOp
//===----------------------------------------------------------------------===//

LogicalResult BinarizeOp::verify() {
  std::optional<int64_t> axis = getAxis();
  if (!axis)
    return success();
  // C1
  if (getScale() != ScaleMode::mean_abs)
    return emitOpError() << "axis requires scale = mean_abs";
  // C2
  return verifyAxis(*this, "axis", *axis, getInput().getType().getRank());
}

//===----------------------------------------------------------------------===//
// TernarizeOp
//===----------------------------------------------------------------------===//

LogicalResult TernarizeOp::verify() {
  std::optional<double> threshold = getThreshold();
  std::optional<double> ratio = getThresholdRatio();
  // C1
  if (threshold && ratio)
    return emitOpError() << "threshold and threshold_ratio are exclusive";
  // C2
  if (threshold && failed(verifyNonNegative(*this, "threshold", *threshold)))
    return failure();
  if (ratio && failed(verifyNonNegative(*this, "threshold_ratio", *ratio)))
    return failure();
  // C3
  if (std::optional<int64_t> axis = getAxis())
    return verifyAxis(*this, "axis", *axis, getInput().getType().getRank());
  return success();
}

//===----------------------------------------------------------------------===//
// PruneMaskOp
//===----------------------------------------------------------------------===//

/// C3: `amount` as a count in [0, size] or a fraction in [0, 1].
static LogicalResult verifyAmount(Operation *op, Attribute amount,
                                  int64_t size) {
  if (auto count = dyn_cast<IntegerAttr>(amount)) {
    int64_t value = count.getInt();
    if (value < 0)
      return op->emitOpError() << "amount " << value << " is negative";
    if (!ShapedType::isDynamic(size) && value > size)
      return op->emitOpError() << "amount " << value << " exceeds the " << size
                               << " prunable units";
    return success();
  }
  double fraction = cast<FloatAttr>(amount).getValueAsDouble();
  if (!(fraction >= 0.0 && fraction <= 1.0))
    return op->emitOpError()
           << "amount " << fraction << " as a fraction must be in [0, 1]";
  return success();
}

LogicalResult PruneMaskOp::verify() {
  RankedTensorType inputType = getInput().getType();
  PruneMethod method = getMethod();
  // C1: each method takes exactly its own attributes.
  auto expect = [&](StringRef name, bool present, bool wanted,
                    bool optional = false) -> LogicalResult {
    if (present && !wanted)
      return emitOpError() << "method " << stringifyPruneMethod(method)
                           << " does not take " << name;
    if (!present && wanted && !optional)
      return emitOpError() << "method " << stringifyPruneMethod(method)
                           << " requires " << name;
    return success();
  };
  bool isMagnitude = method == PruneMethod::magnitude;
  bool isL1 = method == PruneMethod::l1_unstructured;
  bool isLn = method == PruneMethod::ln_structured;
  bool isNM = method == PruneMethod::n_m;
  if (failed(expect("threshold", getThreshold().has_value(), isMagnitude)) ||
      failed(
          expect("amount", static_cast<bool>(getAmountAttr()), isL1 || isLn)) ||
      failed(expect("norm", getNorm().has_value(), isLn)) ||
      failed(expect("n", getN().has_value(), isNM)) ||
      failed(expect("m", getM().has_value(), isNM)) ||
      failed(expect("axis", getAxis().has_value(), isLn || isNM,
                    /*optional=*/isNM)))
    return failure();

  // C2
  if (isMagnitude)
    return verifyNonNegative(*this, "threshold", *getThreshold());

  // C5
  int64_t rank = inputType.getRank();
  std::optional<int64_t> axis = getAxis();
  if (axis && failed(verifyAxis(*this, "axis", *axis, rank)))
    return failure();

  // C3
  if (isL1) {
    int64_t numElements = inputType.hasStaticShape()
                              ? inputType.getNumElements()
                              : ShapedType::kDynamic;
    return verifyAmount(*this, getAmountAttr(), numElements);
  }
  if (isLn) {
    if (failed(
            verifyAmount(*this, getAmountAttr(), inputType.getDimSize(*axis))))
      return failure();
    // C4
    double norm = *getNorm();
    if (!(norm > 0.0))
      return emitOpError() << "norm must be positive, got " << norm;
    return success();
  }

  // C6
  if (rank == 0)
    return emitOpError() << "method n_m requires a tensor of rank >= 1";
  int64_t n = *getN(), m = *getM();
  if (n < 1 || n > m)
    return emitOpError() << "n_m requires 1 <= n <= m, got n = " << n
                         << ", m = " << m;
  int64_t groupAxis = axis.value_or(rank - 1);
  int64_t size = inputType.getDimSize(groupAxis);
  if (!ShapedType::isDynamic(size) && size % m != 0)
    return emitOpError() << "size " << size << " along axis " << groupAxis
                         << " is not a multiple of m = " << m;
  return success();
}

//===----------------------------------------------------------------------===//
// ApplyMaskOp
//===----------------------------------------------------------------------===//

LogicalResult ApplyMaskOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  RankedTensorType maskType = getMask().getType();
  // C1
  if (inputType.getShape() != maskType.getShape())
    return emitOpError() << "mask shape " << maskType
                         << " does not match the input shape " << inputType;
  return success();
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

std::pair<int64_t, int64_t> RequantizeOp::getClampBounds() {
  auto type = cast<quant::QuantizedType>(getOutputType());
  return {getClampMin().value_or(type.getStorageTypeMin()),
          getClampMax().value_or(type.getStorageTypeMax())};
}

LogicalResult RequantizeOp::verify() {
  // C1
  auto type = dyn_cast<quant::UniformQuantizedType>(getOutputType());
  if (!type)
    return emitOpError() << "output type " << getOutputType()
                         << " must be a per-tensor uniform type";
  unsigned width = type.getStorageTypeIntegralWidth();
  if (width < 2 || width > 16)
    return emitOpError() << "storage type of " << width
                         << " bits is outside the supported 2 to 16 bits";
  auto resultType = cast<RankedTensorType>(getOutput().getType());
  if (resultType.getElementTypeBitWidth() != width)
    return emitOpError() << "result element type "
                         << resultType.getElementType()
                         << " does not match the storage type of "
                         << getOutputType();
  if (failed(verifyScale(*this, type.getScale())) ||
      failed(verifyZeroPoint(*this, type.getZeroPoint(), type)))
    return failure();
  // C3, C2
  ArrayRef<double> scales = getInputScales();
  int64_t count = 1;
  if (std::optional<int64_t> axis = getAxis()) {
    if (failed(verifyAxis(*this, "axis", *axis, resultType.getRank())))
      return failure();
    count = resultType.getDimSize(*axis);
  }
  if (!ShapedType::isDynamic(count) &&
      static_cast<int64_t>(scales.size()) != count)
    return emitOpError() << "expected " << count << " input scales, got "
                         << scales.size();
  for (double scale : scales)
    if (failed(verifyScale(*this, scale)))
      return failure();
  // C4
  auto [lo, hi] = getClampBounds();
  if (lo < type.getStorageTypeMin() || hi > type.getStorageTypeMax() || lo > hi)
    return emitOpError() << "clamp bounds [" << lo << ", " << hi
                         << "] must be ordered and within the storage range ["
                         << type.getStorageTypeMin() << ", "
                         << type.getStorageTypeMax() << "]";
  // C5
  if (getMode() != RequantizeMode::floating_point)
    for (double scale : scales) {
      numerics::FixedPointMultiplier fixed = numerics::getFixedPointMultiplier(
          numerics::requantizeMultiplier(scale, type.getScale()));
      if (fixed.shift < 2 || fixed.shift > 62)
        return emitOpError()
               << "multiplier " << scale / type.getScale()
               << " needs a shift of " << fixed.shift
               << ", outside the [2, 62] of fixed-point rescaling";
    }
  return success();
}

//===----------------------------------------------------------------------===//
// CalibrateOp
//===----------------------------------------------------------------------===//

/// C3, C4: the observed ranges.
static LogicalResult verifyRanges(CalibrateOp op) {
  std::optional<ArrayRef<double>> min = op.getMin(), max = op.getMax();
  if (!min && !max)
    return success();
  if (!min || !max)
    return op.emitOpError() << "min and max must be given together";
  if (min->size() != max->size())
    return op.emitOpError() << "min has " << min->size()
                            << " values but max has " << max->size();
  for (auto [lo, hi] : llvm::zip(*min, *max)) {
    if (!std::isfinite(lo) || !std::isfinite(hi))
      return op.emitOpError() << "min and max must be finite";
    if (lo > hi)
      return op.emitOpError() << "min " << lo << " exceeds max " << hi;
  }
  std::optional<int64_t> axis = op.getAxis();
  if (!axis) {
    if (min->size() != 1)
      return op.emitOpError()
             << "per-tensor statistics hold one value, got " << min->size();
    return success();
  }
  int64_t size = op.getInput().getType().getDimSize(*axis);
  if (!ShapedType::isDynamic(size) && static_cast<int64_t>(min->size()) != size)
    return op.emitOpError()
           << "axis " << *axis << " has size " << size
           << " but the statistics hold " << min->size() << " values";
  return success();
}

LogicalResult CalibrateOp::verify() {
  CalibrationMethod method = getMethod();
  // C1
  auto storage = cast<IntegerType>(getStorageType());
  if (storage.getWidth() < 2 || storage.getWidth() > 16)
    return emitOpError() << "storage type " << storage
                         << " is outside the supported 2 to 16 bits";
  // C2
  if (getNarrowRange() && storage.isUnsigned())
    return emitOpError() << "narrow_range requires a signed storage type";
  // C9
  if (getReduceRange() && getSymmetric() && storage.isUnsigned())
    return emitOpError()
           << "reduce_range is not supported with symmetric unsigned storage";
  // C4 (axis range first: the range checks index the shape with it)
  if (std::optional<int64_t> axis = getAxis())
    if (failed(
            verifyAxis(*this, "axis", *axis, getInput().getType().getRank())))
      return failure();
  // C3, C4
  if (failed(verifyRanges(*this)))
    return failure();
  // C5
  if (std::optional<double> c = getAveragingConstant()) {
    if (method != CalibrationMethod::moving_average)
      return emitOpError() << "averaging_constant requires moving_average";
    if (!(*c > 0.0 && *c <= 1.0))
      return emitOpError() << "averaging_constant must be in (0, 1], got "
                           << *c;
  }
  // C6
  if (std::optional<double> p = getPercentile()) {
    if (method != CalibrationMethod::percentile)
      return emitOpError() << "percentile requires method percentile";
    if (!(*p > 0.0 && *p <= 100.0))
      return emitOpError() << "percentile must be in (0, 100], got " << *p;
  }
  // C7
  bool histogramMethod = method == CalibrationMethod::percentile ||
                         method == CalibrationMethod::entropy ||
                         method == CalibrationMethod::mse;
  if (std::optional<ArrayRef<double>> histogram = getHistogram()) {
    if (!histogramMethod)
      return emitOpError() << "method " << stringifyCalibrationMethod(method)
                           << " does not use a histogram";
    if (getAxis())
      return emitOpError() << "a histogram is only kept per tensor";
    if (!getMin())
      return emitOpError() << "a histogram requires min and max";
    if (histogram->empty())
      return emitOpError() << "a histogram needs at least one bin";
    if (llvm::any_of(*histogram, [](double c) { return !std::isfinite(c); }))
      return emitOpError() << "histogram counts must be finite";
    // torch's HistogramObserver merges histograms in f32 and can leave
    // counts slightly below zero; mse searches them as torch does.
    if (method != CalibrationMethod::mse &&
        llvm::any_of(*histogram, [](double c) { return c < 0.0; }))
      return emitOpError() << "histogram counts must be >= 0 for method "
                           << stringifyCalibrationMethod(method);
  }
  // C8
  if (histogramMethod && getMin() && !getHistogram())
    return emitOpError() << "method " << stringifyCalibrationMethod(method)
                         << " with statistics requires a histogram";
  return success();
}
