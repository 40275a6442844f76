//===- Passes.h - Quantize-stage passes -------------------------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANTIZE_PASSES_H
#define QNN_QUANTIZE_PASSES_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/CommandLine.h"

namespace mlir {
class RewritePatternSet;

namespace qnn {

/// The names of the requantization modes on the command line (`mode=` of
/// --qnn-rewrite-int8 and --qnn-quantize).
inline llvm::cl::ValuesClass getRequantizeModeOptionValues() {
  return llvm::cl::values(
      clEnumValN(RequantizeMode::floating_point, "float",
                 "f32 multiplier, round half to even (qnnpack)"),
      clEnumValN(RequantizeMode::fixed_point_single, "fixed-point-single",
                 "Q31 multiplier, single rounding (TOSA)"),
      clEnumValN(RequantizeMode::fixed_point_double, "fixed-point-double",
                 "Q31 multiplier, double rounding (TOSA, gemmlowp)"));
}

/// How --qnn-rewrite-binary computes matmuls of binarized activations and
/// ternary weights.
enum class TernaryKernel {
  /// qnn.ternary_matmul on the weights' sign and mask bit planes.
  bit_planes,
  /// An i8 matmul of the signs and the weights' codes (int8 kernels).
  int8,
};

/// The names of the ternary kernels on the command line.
inline llvm::cl::ValuesClass getTernaryKernelOptionValues() {
  return llvm::cl::values(
      clEnumValN(TernaryKernel::bit_planes, "bit-planes",
                 "popcount of (x xor signs) and mask on packed bits"),
      clEnumValN(TernaryKernel::int8, "int8",
                 "i8 matmul of -1/+1 activations and -1/0/+1 weights"));
}

#define GEN_PASS_DECL
#include "qnn/Quantize/Passes.h.inc"

/// Adds the patterns that rewrite quantized float contractions, pooling and
/// additions into integer compute on the codes, requantized with `mode`.
void populateRewriteInt8Patterns(RewritePatternSet &patterns,
                                 RequantizeMode mode);

/// Adds the patterns that rewrite quantized average pooling (a sum pool
/// divided by a constant between a dequantize and a quantize) into an i32
/// sum pool on the codes and PyTorch's requantization.
void populateRewriteAveragePoolPatterns(RewritePatternSet &patterns);

/// Adds the patterns that quantize the float activations of matmuls with
/// int8 weights at run time (dynamic quantization, PyTorch qnnpack).
void populateDynamicQuantizationPatterns(RewritePatternSet &patterns);

/// Adds the patterns that rewrite matmuls of binarized activations and
/// binary or ternary weights into matmuls on packed bits (ternary ones on
/// `ternaryKernel`).
void populateRewriteBinaryPatterns(RewritePatternSet &patterns,
                                   TernaryKernel ternaryKernel);

#define GEN_PASS_REGISTRATION
#include "qnn/Quantize/Passes.h.inc"

} // namespace qnn
} // namespace mlir

#endif // QNN_QUANTIZE_PASSES_H
