//===- KernelContraction.h - Contractions the kernels handle ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Recognizes, on buffers, the contractions --qnn-lower-int8-kernels turns
// into kernels: i8 x i8 -> i32 with zero points (what --qnn-rewrite-int8
// produces) or f32, as a matmul or an NHWC x HWCF convolution with constant
// weights, and the constant per-channel value that initializes them.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_KERNELCONTRACTION_H
#define QNN_DIALECT_QNN_TRANSFORMS_KERNELCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlir {
namespace qnn {

/// A contraction with constant weights, as a matmul of rows x channels over
/// a reduction of length k: on i8 codes into i32, or on f32.
struct KernelContraction {
  linalg::LinalgOp op;
  Value input;
  Value output;
  /// K x N (or N x K when transposed; matmul) or KH x KW x C x F
  /// (convolution).
  DenseElementsAttr weights;
  bool weightsTransposed = false;
  bool isFloat = false;
  bool inputSigned = false;
  bool weightSigned = false;
  int64_t inputZero = 0;
  int64_t weightZero = 0;
  /// The activations' zero point when it is computed at run time (dynamic
  /// quantization), an i32 defined before the contraction.
  Value dynamicInputZero;

  bool isConv = false;
  /// An NCHW x FCHW convolution (else NHWC x HWCF): channels are not the
  /// innermost dimension of the input and output.
  bool nchw = false;
  int64_t rows = 0, channels = 0, reduction = 0;
  // Convolutions: output image, window, input channels, strides, dilations.
  int64_t outH = 1, outW = 1, kernelH = 1, kernelW = 1, inChannels = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;

  /// The op right before that sets the accumulators to one constant per
  /// channel, and those constants.
  Operation *init = nullptr;
  SmallVector<Attribute> initValues;

  /// The position in `weights` of element (k, n) of the reduction.
  int64_t getWeightIndex(int64_t k, int64_t n) const;
  /// The dimension of the output that holds the channels.
  unsigned getChannelDim() const { return nchw ? 1 : isConv ? 3 : 1; }
};

/// The contraction `op` computes, if the kernels handle it.
std::optional<KernelContraction> matchKernelContraction(linalg::LinalgOp op);

/// The integer weights as w - zw, k-major: element (k, n) at k * N + n, k
/// running over (kh, kw, c) for convolutions.
SmallVector<int64_t> getOffsetWeights(const KernelContraction &c);

} // namespace qnn
} // namespace mlir

#endif // QNN_DIALECT_QNN_TRANSFORMS_KERNELCONTRACTION_H
