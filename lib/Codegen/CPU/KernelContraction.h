//===- KernelContraction.h - Contractions the kernels handle ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Recognizes, on buffers, the named contractions the kernels implement: the
// integer ops of the contract (qnn/Utils/Contract.h) and their f32
// counterparts, as a matmul of rows x channels over a reduction, with
// constant weights; the sign flip that feeds one u8 codes; and the constant
// per-channel value that initializes it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_KERNELCONTRACTION_H
#define QNN_LIB_CODEGEN_CPU_KERNELCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace mlir::qnn::cpu {

/// How the constant weights are stored.
enum class WeightLayout {
  /// Matmul, K x N.
  KN,
  /// Matmul, N x K (as PyTorch stores a Linear's).
  NK,
  /// Convolution filters.
  HWCF,
  FHWC,
  FCHW,
  /// Depthwise convolution filters, one per channel: KH x KW x C.
  HWC,
};

/// A contraction, as a matmul of rows x channels over a reduction of length
/// k: on i8 codes into i32, or on f32; with constant weights, or for
/// integer matmuls weights known at run time (both operands activations,
/// as in attention).
struct KernelContraction {
  linalg::LinalgOp op;
  /// The activations the kernel reads: the contraction's input, or the
  /// codes a sign flip before it reads (`inputFlip`).
  Value input;
  Value output;
  /// The constant weights, or null when they are known only at run time
  /// (then `weightBuffer` holds them; matmuls only).
  DenseElementsAttr weights;
  Value weightBuffer;
  SmallVector<int64_t> weightShape;
  WeightLayout layout = WeightLayout::KN;
  bool isFloat = false;
  /// A binary contraction on words of packed bits (BinaryContraction.cpp):
  /// C[m, n] -= 2 * popcount(x[m, w] xor w[n, w]), i32 words, NK weights.
  bool binary = false;
  /// A ternary one: C[m, n] -= 2 * popcount((x xor signs) and mask), the
  /// signs in `weights`, the mask plane in `mask` (`binary` is set too).
  bool ternary = false;
  DenseElementsAttr mask;
  /// Whether the activation codes are signed (else u8, read through a
  /// folded sign flip); the weight codes are always signed.
  bool inputSigned = true;
  int64_t inputZero = 0;
  int64_t weightZero = 0;
  /// The activations' zero point when it is computed at run time (dynamic
  /// quantization), an i32 defined before the contraction.
  Value dynamicInputZero;
  /// The sign flip whose result is the contraction's input, when the
  /// kernel reads its source instead (then erased with the contraction).
  linalg::GenericOp inputFlip;

  /// A batched matmul: `batch` independent matmuls, each with its own
  /// weights, the batch the outermost dimension of every operand.
  bool batched = false;
  int64_t batch = 1;

  bool isConv = false;
  /// A depthwise convolution: channel n of the output reduces over the
  /// window of input channel n alone (reduction = KH * KW taps, weights
  /// read as a KN matrix of taps x channels).
  bool depthwise = false;
  /// An NCHW x FCHW convolution (else NHWC): channels are not the
  /// innermost dimension of the input and output.
  bool nchw = false;
  /// Rows is ShapedType::kDynamic when the outermost (batch) dimension of
  /// the input and output is dynamic.
  int64_t rows = 0, channels = 0, reduction = 0;
  // Convolutions: output image, window, input channels, strides, dilations.
  int64_t outH = 1, outW = 1, kernelH = 1, kernelW = 1, inChannels = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;

  /// The op right before that sets the accumulators to one constant per
  /// channel, and those constants.
  Operation *init = nullptr;
  SmallVector<Attribute> initValues;

  /// The position in `weights` of element (k, n) of the reduction of
  /// batch `batchIndex`, k running over (kh, kw, c) for convolutions.
  int64_t getWeightIndex(int64_t k, int64_t n, int64_t batchIndex = 0) const;
  /// The dimension of the output that holds the channels.
  unsigned getChannelDim() const {
    return batched ? 2 : nchw ? 1 : isConv ? 3 : 1;
  }
};

/// The contraction `op` computes, if the kernels handle it; otherwise fails
/// with the reason.
FailureOr<KernelContraction> matchKernelContraction(linalg::LinalgOp op,
                                                    std::string &reason);

/// The contraction the binary or ternary generic `op` computes (the
/// lowering of qnn.binary_matmul or qnn.ternary_matmul), if the kernels
/// handle it; otherwise fails with the reason (BinaryContraction.cpp).
FailureOr<KernelContraction> matchBinaryContraction(linalg::GenericOp op,
                                                    std::string &reason);

/// Whether `op` is a binary or ternary contraction on packed words, which
/// matchBinaryContraction may take.
bool isBinaryContraction(Operation *op);

/// The value of the constant global `value` reads, if it is one.
DenseElementsAttr getConstantGlobal(Value value, Operation *from);

/// Records the initial value of the accumulators of `c` when the only
/// earlier user of the output sets it to one constant per channel: a
/// linalg.fill with a constant, or a linalg.broadcast of a constant global
/// along the channels.
void matchInitialValue(KernelContraction &c);

/// The integer weights of batch `batchIndex` as w - zw, k-major: element
/// (k, n) at k * N + n.
SmallVector<int64_t> getOffsetWeights(const KernelContraction &c,
                                      int64_t batchIndex = 0);

/// The integer initial value of each of `padded` channels (0 beyond the
/// channels, and for all without a folded initial value).
SmallVector<int64_t> getInitialValues(const KernelContraction &c,
                                      int64_t padded);

/// Erases the folded sign flip of `c` and its buffer, once the kernel has
/// replaced the contraction.
void eraseInputFlip(const KernelContraction &c);

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_KERNELCONTRACTION_H
