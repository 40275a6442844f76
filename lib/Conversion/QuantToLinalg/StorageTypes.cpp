//===- StorageTypes.cpp - Quantized types to their storage types ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The type converter of the quant lowering, and the pattern that moves any
// other op on quantized values (reshapes, slices, pads, transposes, calls,
// ...) to the storage types. Such ops only move codes: no arithmetic is
// defined on quantized element types, so their meaning is unchanged.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QuantToLinalg/QuantToLinalg.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"

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
  addConversion([this](UnrankedTensorType type) -> Type {
    return UnrankedTensorType::get(convertType(type.getElementType()));
  });
  addSourceMaterialization(materializeCast);
  addTargetMaterialization(materializeCast);
}

namespace {
/// Any op outside the quant dialect whose operand, result or block
/// argument types are quantized: the same op on the storage types.
struct StorageTypeOpConversion : ConversionPattern {
  StorageTypeOpConversion(const TypeConverter &typeConverter, MLIRContext *ctx)
      : ConversionPattern(typeConverter, MatchAnyOpTypeTag(), /*benefit=*/1,
                          ctx) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<quant::QuantDialect>(op->getDialect()) ||
        getTypeConverter()->isLegal(op))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return rewriter.notifyMatchFailure(op, "result types do not convert");
    Operation *converted = rewriter.cloneWithoutRegions(*op);
    rewriter.modifyOpInPlace(converted, [&] {
      converted->setOperands(operands);
      for (auto [result, type] :
           llvm::zip(converted->getResults(), resultTypes))
        result.setType(type);
    });
    for (auto [from, to] :
         llvm::zip(op->getRegions(), converted->getRegions())) {
      rewriter.inlineRegionBefore(from, to, to.end());
      if (failed(rewriter.convertRegionTypes(&to, *getTypeConverter())))
        return rewriter.notifyMatchFailure(op, "block types do not convert");
    }
    rewriter.replaceOp(op, converted->getResults());
    return success();
  }
};
} // namespace

void qnn::populateQuantStorageTypePatterns(const TypeConverter &typeConverter,
                                           RewritePatternSet &patterns) {
  patterns.add<StorageTypeOpConversion>(typeConverter, patterns.getContext());
}
