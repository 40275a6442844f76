//===- RewritePatterns.h - Pattern families of the int8 rewrite -*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The families of patterns --qnn-rewrite-int8 runs, one file each.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_REWRITEPATTERNS_H
#define QNN_LIB_QUANTIZE_REWRITEPATTERNS_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace mlir {
class Operation;
class RewritePatternSet;

namespace qnn {

/// Matmuls and convolutions between dequantize and quantize become the
/// named integer contractions plus `qnn.requantize` with `mode`
/// (RewriteContraction.cpp).
void populateRewriteContractionPatterns(RewritePatternSet &patterns,
                                        RequantizeMode mode);

/// Max pooling runs on the codes (RewritePooling.cpp).
void populateRewriteMaxPoolPatterns(RewritePatternSet &patterns);

/// Element-wise additions of quantized tensors run on the codes
/// (RewriteAdd.cpp).
void populateRewriteAddPatterns(RewritePatternSet &patterns);

void populateRewriteActivationPatterns(RewritePatternSet &patterns);

/// Sign flips of unsigned codes fold into the requantization or
/// quantization that produces them (SignFlip.cpp).
void populateFoldSignFlipPatterns(RewritePatternSet &patterns);

/// reshape(dcast(q)) becomes dcast(reshape(q)) for per-tensor types, so
/// that contractions after a flatten read a dequantization
/// (DequantizeReshapes.cpp).
void populateDequantizeAfterReshapePatterns(RewritePatternSet &patterns);

/// `qnn.fake_quant` becomes `quant.qcast` + `quant.dcast`
/// (RewriteInt8.cpp).
void populateExpandFakeQuantPatterns(RewritePatternSet &patterns);

/// 2-D convolutions of binarized activations and binary or ternary
/// weights run on packed bits (RewriteBinaryConv.cpp).
void populateRewriteBinaryConvPatterns(RewritePatternSet &patterns);

/// Why the 2-D convolution `op` is not rewritten onto packed bits (failure
/// with the reason), or success when it would be.
LogicalResult explainBinaryConv(Operation *op, std::string &reason);

/// Marks every float matmul or convolution left under `root` with the
/// reason it was not rewritten (the attribute getNotQuantizedAttrName())
/// and says so in a remark (RewriteContraction.cpp).
void annotateFloatContractions(Operation *root);

} // namespace qnn
} // namespace mlir

#endif // QNN_LIB_QUANTIZE_REWRITEPATTERNS_H
