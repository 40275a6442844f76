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

#include "qnn/Conversion/Passes.h"
#include "qnn/Conversion/Utils/QuantParamsBuilder.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_CONVERTQUANTTOLINALGPASS
#include "qnn/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

/// Materializes a value of a converted type as an unrealized cast.
static Value materializeCast(OpBuilder &b, Type type, ValueRange inputs,
                             Location loc) {
  if (inputs.size() != 1)
    return {};
  return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
}

QuantStorageTypeConverter::QuantStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion(
      [](quant::QuantizedType type) -> Type { return type.getStorageType(); });
  addConversion([this](RankedTensorType type) -> Type {
    return type.clone(convertType(type.getElementType()));
  });
  addSourceMaterialization(materializeCast);
  addTargetMaterialization(materializeCast);
}

/// The quantized type of a scalar or of the elements of a ranked tensor.
static quant::QuantizedType getQuantizedElementType(Type type) {
  return cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

namespace {
/// `quant.qcast`: quantize to the clamped code, then narrow to storage.
struct QuantizeCastOpLowering : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    quant::QuantizedType qtype = getQuantizedElementType(op.getType());
    Type elementType = getElementTypeOrSelf(input.getType());
    FloatType computeType = getComputeType(elementType);
    Type storageType = qtype.getStorageType();
    QuantParamsBuilder params =
        QuantParamsBuilder::build(rewriter, loc, qtype, input, computeType);
    bool isSigned = qtype.isSigned();
    Value result = params.buildElementwise(
        rewriter, loc, input, storageType,
        [&](OpBuilder &b, Location l, Value element,
            const QuantParamsBuilder::Scalars &scalars) -> Value {
          Value x = createFloatCast(b, l, element, computeType);
          Value q = params.emitQuantize(b, l, x, scalars, Rounding::half_even);
          // q is integral and within the storage range: exact.
          if (isSigned)
            return arith::FPToSIOp::create(b, l, storageType, q);
          return arith::FPToUIOp::create(b, l, storageType, q);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `quant.dcast`: widen the code to the compute type, then `(q - zp) * s`.
struct DequantizeCastOpLowering : OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    quant::QuantizedType qtype =
        getQuantizedElementType(op.getInput().getType());
    Type elementType = getElementTypeOrSelf(op.getType());
    FloatType computeType = getComputeType(elementType);
    QuantParamsBuilder params =
        QuantParamsBuilder::build(rewriter, loc, qtype, input, computeType);
    bool isSigned = qtype.isSigned();
    Value result = params.buildElementwise(
        rewriter, loc, input, elementType,
        [&](OpBuilder &b, Location l, Value code,
            const QuantParamsBuilder::Scalars &scalars) -> Value {
          Value q =
              isSigned
                  ? arith::SIToFPOp::create(b, l, computeType, code).getResult()
                  : arith::UIToFPOp::create(b, l, computeType, code)
                        .getResult();
          Value y = params.emitDequantize(b, l, q, scalars);
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

/// Reports quant casts this lowering does not support, with the reason.
static LogicalResult verifyLowerable(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    if (!isa<quant::QuantizeCastOp, quant::DequantizeCastOp,
             quant::StorageCastOp>(op))
      return WalkResult::advance();
    for (Type type :
         llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
      if (isa<ShapedType>(type) && !isa<RankedTensorType>(type)) {
        op->emitOpError()
            << "is only lowered on ranked tensors and scalars, got " << type;
        return WalkResult::interrupt();
      }
      auto qtype = dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
      if (qtype && !isa<ShapedType>(type) &&
          !isa<quant::UniformQuantizedType>(qtype)) {
        op->emitOpError()
            << "is only lowered on scalars for per-tensor types, got " << qtype;
        return WalkResult::interrupt();
      }
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
      if (width < 2 || width > 16) {
        op->emitOpError() << "is only lowered for storage types of 2 to 16 "
                             "bits, got "
                          << width << " bits";
        return WalkResult::interrupt();
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
    target.addLegalDialect<arith::ArithDialect, cf::ControlFlowDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return typeConverter.isSignatureLegal(op.getFunctionType()) &&
             typeConverter.isLegal(&op.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return typeConverter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateQuantToLinalgConversionPatterns(typeConverter, patterns);
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
