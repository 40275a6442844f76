//===- QuantToLinalg.cpp - Lower quant casts with PyTorch's numerics ------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Lowers upstream `quant.qcast`, `quant.dcast` and `quant.scast` to linalg
// with the numerics of `qnn.fake_quant` (docs/QNN.md), and replaces
// quantized element types by their storage types everywhere, function
// boundaries included.
//
// Upstream `--lower-quant-ops` differs: it divides by the scale, converts
// with `fptosi` (truncation, not round to nearest even) and clamps only
// storage types with narrowed bounds, so full-range types wrap.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QuantToLinalg/QuantToLinalg.h"
#include "UnrankedTensors.h"

#include "qnn/Conversion/Passes.h"
#include "qnn/Conversion/Utils/QuantParamsBuilder.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_CONVERTQUANTTOLINALGPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// The quantized type of a scalar or of the elements of a tensor.
static quant::QuantizedType getQuantizedElementType(Type type) {
  return cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

/// Builds the element-wise cast `body` of `input` (a ranked tensor or a
/// scalar, or an unranked tensor run on its ranked view) for `qtype`.
static Value
buildCast(OpBuilder &b, Location loc, quant::QuantizedType qtype, Value input,
          Type resultElementType, FloatType computeType, bool divideByScale,
          llvm::function_ref<Value(OpBuilder &, Location, Value,
                                   const QuantParamsBuilder &,
                                   const QuantParamsBuilder::Scalars &)>
              body) {
  std::optional<RankedView> view;
  if (isa<UnrankedTensorType>(input.getType())) {
    view = buildRankedView(b, loc, input, qtype);
    input = view->ranked;
    qtype = view->type;
  }
  QuantParamsBuilder params = QuantParamsBuilder::build(
      b, loc, qtype, input, computeType, divideByScale);
  Value result = params.buildElementwise(
      b, loc, input, resultElementType,
      [&](OpBuilder &nested, Location l, Value element,
          const QuantParamsBuilder::Scalars &scalars) {
        return body(nested, l, element, params, scalars);
      });
  return view ? restoreUnranked(b, loc, result, view->shape) : result;
}

namespace {
/// `quant.qcast`: quantize to the clamped code, then narrow to storage.
struct QuantizeCastOpLowering : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    quant::QuantizedType qtype = getQuantizedElementType(op.getType());
    FloatType computeType =
        getComputeType(getElementTypeOrSelf(input.getType()));
    auto storageType = cast<IntegerType>(qtype.getStorageType());
    bool isSigned = qtype.isSigned();
    // Modules from ONNX divide by the scale, as ONNX specifies.
    auto module = op->getParentOfType<ModuleOp>();
    bool divideByScale =
        module && module->hasAttr(QNNDialect::getDivideByScaleAttrName());
    Value result =
        buildCast(rewriter, op.getLoc(), qtype, input, storageType, computeType,
                  divideByScale,
                  [&](OpBuilder &b, Location l, Value element,
                      const QuantParamsBuilder &params,
                      const QuantParamsBuilder::Scalars &scalars) -> Value {
                    Value x = createFloatCast(b, l, element, computeType);
                    return params.emitQuantizeToStorage(b, l, x, scalars,
                                                        Rounding::half_even,
                                                        storageType, isSigned);
                  });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `quant.dcast`: `(q - zp) * s` in the compute type, then the result type.
struct DequantizeCastOpLowering : OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::QuantizedType qtype =
        getQuantizedElementType(op.getInput().getType());
    Type elementType = getElementTypeOrSelf(op.getType());
    FloatType computeType = getComputeType(elementType);
    bool isSigned = qtype.isSigned();
    Value result = buildCast(
        rewriter, op.getLoc(), qtype, adaptor.getInput(), elementType,
        computeType, /*divideByScale=*/false,
        [&](OpBuilder &b, Location l, Value code,
            const QuantParamsBuilder &params,
            const QuantParamsBuilder::Scalars &scalars) -> Value {
          Value y = params.emitDequantizeStorage(b, l, code, scalars, isSigned);
          return createFloatCast(b, l, y, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `quant.scast` only reinterprets: storage and quantized tensors have the
/// same converted type.
struct StorageCastOpLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type converted = getTypeConverter()->convertType(op.getType());
    if (converted != adaptor.getInput().getType())
      return rewriter.notifyMatchFailure(op, "storage types differ");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};
} // namespace

void qnn::populateQuantToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<QuantizeCastOpLowering, DequantizeCastOpLowering,
               StorageCastOpLowering>(typeConverter, patterns.getContext());
}

/// The scales of a uniform quantized type.
static SmallVector<double> getScales(quant::QuantizedType type) {
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return {perTensor.getScale()};
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return llvm::to_vector(perAxis.getScales());
  SmallVector<double> scales;
  auto blocked = cast<quant::UniformQuantizedSubChannelType>(type);
  for (APFloat scale : blocked.getScales().getValues<APFloat>()) {
    bool losesInfo = false;
    scale.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    scales.push_back(scale.convertToDouble());
  }
  return scales;
}

/// Reports quant casts this lowering does not support, with the reason.
static LogicalResult verifyLowerable(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    if (!isa<quant::QuantizeCastOp, quant::DequantizeCastOp,
             quant::StorageCastOp>(op))
      return WalkResult::advance();
    for (Type type :
         llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
      auto qtype = dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
      if (!qtype)
        continue;
      if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
               quant::UniformQuantizedSubChannelType>(qtype)) {
        op->emitOpError() << "is only lowered for uniform quantized types, "
                             "got "
                          << qtype;
        return WalkResult::interrupt();
      }
      unsigned width = qtype.getStorageTypeIntegralWidth();
      if (width < 2 || width > 32) {
        op->emitOpError() << "is only lowered for storage types of 2 to 32 "
                             "bits, got "
                          << width << " bits";
        return WalkResult::interrupt();
      }
      // Quantization multiplies by the f32 reciprocal of the scale, as
      // torch does: a denormal scale would turn every input into +-Inf or
      // NaN.
      if (!isa<quant::QuantizeCastOp>(op))
        continue;
      for (double scale : getScales(qtype)) {
        float reciprocal = 1.0f / static_cast<float>(scale);
        if (!std::isfinite(reciprocal)) {
          op->emitOpError() << "cannot quantize with scale " << scale
                            << ": its f32 reciprocal is not finite";
          return WalkResult::interrupt();
        }
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

namespace {
/// Lowers quant casts and strips quantized types from the module.
struct ConvertQuantToLinalgPass
    : qnn::impl::ConvertQuantToLinalgPassBase<ConvertQuantToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(verifyLowerable(module)))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    QuantStorageTypeConverter typeConverter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<quant::QuantDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return typeConverter.isSignatureLegal(op.getFunctionType()) &&
             typeConverter.isLegal(&op.getBody());
    });
    // Every other op is legal once its values, block arguments included,
    // have storage types.
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      return typeConverter.isLegal(op) &&
             llvm::all_of(op->getRegions(), [&](Region &region) {
               return typeConverter.isLegal(&region);
             });
    });

    RewritePatternSet patterns(ctx);
    populateQuantToLinalgConversionPatterns(typeConverter, patterns);
    populateQuantStorageTypePatterns(typeConverter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);
    // The conversion driver legalizes by folding first, and upstream folds
    // dcast(qcast(x)) to x: that would erase the model's fake quantization.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(module, target, std::move(patterns),
                                      config)))
      return signalPassFailure();
  }
};
} // namespace
