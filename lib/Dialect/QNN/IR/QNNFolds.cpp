//===- QNNFolds.cpp - Constant folding of QNN operations ------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Folders evaluate operations on dense constants with the reference numerics
// of qnn/Dialect/QNN/Utils/Numerics.h, so that a folded constant is exactly
// what the specification (docs/QNN.md) says.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/Numerics.h"
#include "qnn/Dialect/QNN/Utils/QuantParams.h"
#include "qnn/Utils/ConstantLimits.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::numerics;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the elements of a dense float constant as doubles (exactly).
static SmallVector<double> toDoubles(DenseElementsAttr attr) {
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (APFloat v : attr.getValues<APFloat>()) {
    bool losesInfo = false;
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    values.push_back(v.convertToDouble());
  }
  return values;
}

/// Rounds `value` to the float type `type` (to nearest, ties to even).
static APFloat roundTo(FloatType type, double value) {
  APFloat result(value);
  bool losesInfo = false;
  result.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

/// Rounds `value` to the float type `type` and returns it as a double.
static double roundToDouble(FloatType type, double value) {
  APFloat rounded = roundTo(type, value);
  bool losesInfo = false;
  rounded.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  return rounded.convertToDouble();
}

/// Builds a dense constant of `type` from doubles, each rounded to the
/// element type.
static DenseElementsAttr fromDoubles(ShapedType type, ArrayRef<double> values) {
  auto elementType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> elements;
  elements.reserve(values.size());
  for (double v : values)
    elements.push_back(roundTo(elementType, v));
  return DenseElementsAttr::get(type, elements);
}

/// Builds a boolean mask constant of `type`.
static DenseElementsAttr fromBools(ShapedType type, ArrayRef<bool> values) {
  return DenseElementsAttr::get(type, values);
}

/// Returns the dense elements of a constant operand, or null.
static DenseElementsAttr getDense(Attribute operand) {
  return dyn_cast_if_present<DenseElementsAttr>(operand);
}

namespace {
/// A dense float constant operand, unpacked into doubles.
struct FloatConstant {
  ShapedType type;
  SmallVector<double> values;

  FloatType getElementType() const {
    return cast<FloatType>(type.getElementType());
  }
  TensorView getView() const { return {values, type.getShape()}; }
};
} // namespace

/// Unpacks a dense float constant operand, or returns std::nullopt.
static std::optional<FloatConstant> getFloatConstant(Attribute operand) {
  DenseElementsAttr attr = getDense(operand);
  if (!attr || !isFoldableSize(attr.getType()))
    return std::nullopt;
  return FloatConstant{cast<ShapedType>(attr.getType()), toDoubles(attr)};
}

/// Whether the operation computes in f64 rather than f32.
static bool computesInF64(Type elementType) { return elementType.isF64(); }

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = getDense(adaptor.getInput());
  if (!input)
    return {};
  auto type = cast<ShapedType>(input.getType());
  bool inF64 = computesInF64(type.getElementType());
  QuantParamsTable grid(cast<quant::QuantizedType>(getQtype()),
                        type.getShape());
  Rounding rounding = getRounding();
  if (input.isSplat() && grid.isPerTensor()) {
    APFloat x = input.getSplatValue<APFloat>();
    bool losesInfo = false;
    x.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    // A single value builds a splat of the whole type.
    return fromDoubles(
        type, {fakeQuantize(x.convertToDouble(), grid.at(0), rounding, inF64)});
  }
  if (!isFoldableSize(type))
    return {};
  SmallVector<double> values = toDoubles(input);
  for (auto [i, v] : llvm::enumerate(values))
    v = fakeQuantize(v, grid.at(i), rounding, inF64);
  return fromDoubles(type, values);
}

//===----------------------------------------------------------------------===//
// LogQuantOp
//===----------------------------------------------------------------------===//

OpFoldResult LogQuantOp::fold(FoldAdaptor adaptor) {
  std::optional<FloatConstant> input = getFloatConstant(adaptor.getInput());
  if (!input)
    return {};
  for (double &v : input->values)
    v = logQuantize(v, getMinExp(), getMaxExp());
  return fromDoubles(input->type, input->values);
}

//===----------------------------------------------------------------------===//
// BinarizeOp
//===----------------------------------------------------------------------===//

OpFoldResult BinarizeOp::fold(FoldAdaptor adaptor) {
  std::optional<FloatConstant> input = getFloatConstant(adaptor.getInput());
  if (!input)
    return {};
  std::optional<int64_t> axis = getAxis();
  SmallVector<double> alphas{1.0};
  if (getScale() == ScaleMode::mean_abs)
    alphas = meanAbs(input->getView(), axis);
  for (double &alpha : alphas)
    alpha = roundToDouble(input->getElementType(), alpha);
  return fromDoubles(input->type, binarize(input->getView(), alphas, axis));
}

//===----------------------------------------------------------------------===//
// TernarizeOp
//===----------------------------------------------------------------------===//

OpFoldResult TernarizeOp::fold(FoldAdaptor adaptor) {
  std::optional<FloatConstant> input = getFloatConstant(adaptor.getInput());
  if (!input)
    return {};
  std::optional<int64_t> axis = getAxis();
  TernaryParams params = ternaryParams(
      input->getView(), getThreshold(),
      getThresholdRatio().value_or(kDefaultThresholdRatio), getScale(), axis);
  for (double &alpha : params.alphas)
    alpha = roundToDouble(input->getElementType(), alpha);
  return fromDoubles(input->type, ternarize(input->getView(), params, axis));
}

//===----------------------------------------------------------------------===//
// PruneMaskOp
//===----------------------------------------------------------------------===//

/// Splits `amount` into a count or a fraction.
static int64_t pruneCountOf(Attribute amount, int64_t size) {
  if (auto count = dyn_cast<IntegerAttr>(amount))
    return pruneCount(count.getInt(), std::nullopt, size);
  return pruneCount(std::nullopt, cast<FloatAttr>(amount).getValueAsDouble(),
                    size);
}

OpFoldResult PruneMaskOp::fold(FoldAdaptor adaptor) {
  std::optional<FloatConstant> input = getFloatConstant(adaptor.getInput());
  if (!input)
    return {};
  ShapedType type = input->type;
  TensorView view = input->getView();
  auto maskType = cast<ShapedType>(getMask().getType());
  switch (getMethod()) {
  case PruneMethod::magnitude:
    return fromBools(maskType, magnitudeMask(view, *getThreshold()));
  case PruneMethod::l1_unstructured:
    return fromBools(
        maskType, l1UnstructuredMask(
                      view, pruneCountOf(getAmountAttr(), view.values.size())));
  case PruneMethod::ln_structured: {
    int64_t axis = *getAxis();
    int64_t k = pruneCountOf(getAmountAttr(), type.getDimSize(axis));
    return fromBools(maskType, lnStructuredMask(view, k, *getNorm(), axis));
  }
  case PruneMethod::n_m:
    return fromBools(maskType, nmMask(view, *getN(), *getM(),
                                      getAxis().value_or(type.getRank() - 1)));
  }
  llvm_unreachable("unknown pruning method");
}

//===----------------------------------------------------------------------===//
// ApplyMaskOp
//===----------------------------------------------------------------------===//

OpFoldResult ApplyMaskOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr mask = getDense(adaptor.getMask());
  if (!mask)
    return {};
  auto type = cast<ShapedType>(getType());
  if (mask.isSplat()) {
    // All ones: the mask keeps everything.
    if (mask.getSplatValue<bool>())
      return getInput();
    // All zeros: the result is zero whatever the input.
    return DenseElementsAttr::get(
        type, cast<TypedAttr>(
                  OpBuilder(getContext()).getZeroAttr(type.getElementType())));
  }
  DenseElementsAttr input = getDense(adaptor.getInput());
  if (!input || !isFoldableSize(type))
    return {};
  SmallVector<Attribute> elements;
  elements.reserve(input.getNumElements());
  Attribute zero = OpBuilder(getContext()).getZeroAttr(type.getElementType());
  for (auto [keep, value] :
       llvm::zip(mask.getValues<bool>(), input.getValues<Attribute>()))
    elements.push_back(keep ? value : zero);
  return DenseElementsAttr::get(type, elements);
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

OpFoldResult RequantizeOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = getDense(adaptor.getInput());
  if (!input || !isFoldableSize(input.getType()))
    return {};
  auto type = cast<quant::UniformQuantizedType>(getOutputType());
  auto shape = cast<ShapedType>(input.getType()).getShape();
  ArrayRef<double> scales = getInputScales();
  std::optional<int64_t> axis = getAxis();
  auto [lo, hi] = getClampBounds();
  auto resultType = cast<ShapedType>(getOutput().getType());
  unsigned width = resultType.getElementTypeBitWidth();
  SmallVector<APInt> values;
  for (auto [i, acc] : llvm::enumerate(input.getValues<APInt>())) {
    double scale = scales[axis ? indexAlong(shape, *axis, i) : 0];
    int64_t q = requantize(acc.getSExtValue(),
                           requantizeMultiplier(scale, type.getScale()),
                           getMode(), type.getZeroPoint(), lo, hi);
    values.push_back(APInt(width, q, type.isSigned(), /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(resultType, values);
}
