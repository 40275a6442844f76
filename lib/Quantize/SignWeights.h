//===- SignWeights.h - Binary and ternary weights, packed -------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the binary rewrites (RewriteBinary.cpp, RewriteBinaryConv.cpp) share:
// constant weights read as signs and zeros with one magnitude per output
// channel, their bit planes packed as qnn.bitpack packs, the activations'
// scale, and the epilogue that scales the dot products.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_SIGNWEIGHTS_H
#define QNN_LIB_QUANTIZE_SIGNWEIGHTS_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/PatternMatch.h"

#include <string>

namespace mlir::qnn {

/// Weights of N output channels over a reduction of K, each +a_n, -a_n or
/// (ternary) 0.
struct SignWeights {
  int64_t channels = 0, reduction = 0;
  /// Element (n, k) at n * reduction + k.
  SmallVector<bool> negative, zero;
  /// a_n, rounded to f32 (0 for a channel of zeros).
  SmallVector<float> alphas;
  bool ternary = false;
};

/// Reads the real values of constant weights as sign weights, element
/// (n, k) at `values[index(n, k)]`; fails with the reason when a channel
/// is neither binary nor ternary.
FailureOr<SignWeights>
readSignWeights(ArrayRef<double> values, int64_t channels, int64_t reduction,
                llvm::function_ref<int64_t(int64_t, int64_t)> index,
                std::string &reason);

/// Packs `bits` (rows of `length` bits, row-major) as rows of
/// ceil(length / 32) i32 words in qnn.bitpack's layout.
DenseElementsAttr packBits(MLIRContext *ctx, ArrayRef<bool> bits, int64_t rows,
                           int64_t length);

/// alpha_x of the binarized activations: null for `scale = none`, else the
/// largest magnitude of the binarization (all of whose elements are
/// +-alpha_x; 0 for an empty batch).
Value buildActivationScale(PatternRewriter &rewriter, Location loc,
                           BinarizeOp activation);

/// How a contraction's initial value enters the epilogue.
enum class InitKind { None, Scalar, PerChannel, Full };

/// The initial value of a contraction writing `init`, whose channels are
/// dimension `channelDim` of `rank`: a fill (None for +0.0, else Scalar),
/// a broadcast of a vector along every other dimension (PerChannel), or
/// any tensor (Full). Returns the kind and the value to read.
std::pair<InitKind, Value> matchContractionInit(Value init, int64_t channelDim,
                                                int64_t rank);

} // namespace mlir::qnn

#endif // QNN_LIB_QUANTIZE_SIGNWEIGHTS_H
