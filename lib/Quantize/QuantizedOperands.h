//===- QuantizedOperands.h - Operands of quantized computations -*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Matching of dequantized operands and fused activations, and the window
// attributes a rewritten linalg op carries over to its integer replacement.
// Shared by the patterns of the quantize stage.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_QUANTIZEDOPERANDS_H
#define QNN_LIB_QUANTIZE_QUANTIZEDOPERANDS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// `type` (8-bit storage) with the other signedness: the same reals, the
/// zero point and the storage range (narrow ones included) moved by 128,
/// as a sign flip `x xor 0x80` of the codes moves them.
quant::UniformQuantizedType flipSignedness(quant::UniformQuantizedType type);

/// Quantizes a real bound to the grid of `type` as quant.qcast does.
int64_t quantizeBound(double value, quant::UniformQuantizedType type);

/// If `value` is `quant.dcast(q)` of a per-tensor quantized tensor, sets
/// `quantized` to q and returns its element type; null otherwise.
quant::UniformQuantizedType getDequantizedType(Value value, Value &quantized);

/// The quantized input of a contraction: `dcast(x)`, or
/// `tensor.pad(dcast(x))` padded with 0.0 (the zero point on the codes).
struct QuantizedInput {
  Value quantized;
  quant::UniformQuantizedType type;
  tensor::PadOp pad;
};

/// Matches `value` as a quantized input.
std::optional<QuantizedInput> matchQuantizedInput(Value value);

/// The integer `codes` as signed codes of the same width, or of 8 bits
/// when narrower (i4 and u4 weights): unsigned codes are shifted down by
/// half their range (their zero point moves with them); with
/// `transposed`, the last two dimensions are swapped (N x K weights become
/// K x N).
DenseElementsAttr getSignedCodes(DenseElementsAttr codes, bool isSigned,
                                 bool transposed);

/// The `strides` and `dilations` attributes `pool` sets; absent ones are
/// left out so that the new op takes the same defaults.
SmallVector<NamedAttribute> getWindowAttributes(Operation *pool);

} // namespace mlir::qnn

#endif // QNN_LIB_QUANTIZE_QUANTIZEDOPERANDS_H
