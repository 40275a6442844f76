//===- QuantToLinalg.h - Lower quant casts to linalg ------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_QUANTTOLINALG_QUANTTOLINALG_H
#define QNN_CONVERSION_QUANTTOLINALG_QUANTTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {

/// Converts quantized types to their storage types: a ranked or unranked
/// tensor of `!quant.uniform<i8:f32, ...>` becomes a tensor of `i8`; other
/// types are kept.
class QuantStorageTypeConverter : public TypeConverter {
public:
  QuantStorageTypeConverter();
};

/// Adds the pattern that moves any op outside the quant dialect whose types
/// are quantized (reshapes, slices, pads, calls, ...) to the storage types.
void populateQuantStorageTypePatterns(const TypeConverter &typeConverter,
                                      RewritePatternSet &patterns);

/// Adds the patterns that lower `quant.qcast`, `quant.dcast` and
/// `quant.scast` on ranked and unranked tensors and on scalars with
/// PyTorch's numerics.
void populateQuantToLinalgConversionPatterns(const TypeConverter &typeConverter,
                                             RewritePatternSet &patterns);

} // namespace mlir::qnn

#endif // QNN_CONVERSION_QUANTTOLINALG_QUANTTOLINALG_H
