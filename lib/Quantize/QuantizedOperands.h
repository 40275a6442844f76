//===- RewriteUtils.h - Helpers of the int8 rewrite patterns ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Matching of dequantized operands and fused activations, and the window
// attributes a rewritten linalg pooling op carries over to its integer
// replacement. Shared by the patterns of --qnn-rewrite-int8.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_REWRITEUTILS_H
#define QNN_LIB_QUANTIZE_REWRITEUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::qnn {

/// The activation between a computation and its quantization, as real
/// bounds.
struct Activation {
  std::optional<double> lower;
  std::optional<double> upper;
};

/// Peels ReLU (max with 0), ReLU6 and clamps (max/min with splat constants)
/// off `value`, returning the pre-activation value.
Value peelActivation(Value value, Activation &act);

/// Quantizes a real bound to the grid of `type` as quant.qcast does.
int64_t quantizeBound(double value, quant::UniformQuantizedType type);

/// If `value` is `quant.dcast(q)` of a per-tensor quantized tensor, sets
/// `quantized` to q and returns its element type; null otherwise.
quant::UniformQuantizedType getDequantizedType(Value value, Value &quantized);

/// The `strides` and `dilations` attributes `pool` sets; absent ones are
/// left out so that the new op takes the same defaults.
SmallVector<NamedAttribute> getWindowAttributes(Operation *pool);

/// Adds the patterns that rewrite quantized element-wise additions.
void populateRewriteAddPatterns(RewritePatternSet &patterns);

} // namespace mlir::qnn

#endif // QNN_LIB_QUANTIZE_REWRITEUTILS_H
