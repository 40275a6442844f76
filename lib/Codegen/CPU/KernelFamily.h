//===- KernelFamily.h - Families of contraction kernels ---------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A kernel family says which contractions it implements, which instruction
// each target runs them on (a Microkernel) and how their weights are packed
// for it. The register tiles, loops, fused initial value and fused epilogue
// around the instruction are shared by every family (KernelEmitter.h), so
// that a new family (binary, ternary) adds one file and touches no emitter.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_KERNELFAMILY_H
#define QNN_LIB_CODEGEN_CPU_KERNELFAMILY_H

#include "KernelContraction.h"
#include "Microkernel.h"

#include <string>

namespace mlir::qnn::cpu {

/// The weights and per-channel constants a kernel reads, packed at compile
/// time.
///
/// The packed integer weights are p = w - packedZero. When w - zw does not
/// fit the instruction's operand (or for weights known only at run time
/// with byte operands), packedZero is 0 and the residual zero point
/// r = zw - packedZero is applied per row at run time:
///
///   sum_k (x - zx)(p - r) = sum_k x'p - (delta + zx) sum_k p
///                           - r sum_k x' + K (delta + zx) r
///
/// with x' = x + delta the activations as the instruction reads them.
struct PackedWeights {
  /// The weights in the layout of PackingLayout, 1-D, one panel per batch;
  /// null when they are known only at run time (`runtime`).
  DenseElementsAttr weights;
  /// Added to the accumulators when a tile starts, one per padded channel
  /// and batch; null when all zero.
  DenseElementsAttr corrections;
  /// Per padded channel, the sum of the packed weights, multiplied by a
  /// zero point known only at run time; null without one.
  DenseElementsAttr columnSums;
  /// The weights are packed by the kernel at run time, with `packedZero`
  /// subtracted; the corrections then follow from their column sums.
  bool runtime = false;
  int64_t packedZero = 0;
  /// The residual weight zero point r, applied per row; 0 for none.
  int64_t residualZero = 0;
};

/// The packed layout: [N/cols][K/kGroup][cols][kGroup], zero-padded, so
/// that each instruction reads one contiguous vector of weights. A
/// convolution's reduction runs over (kh, kw, c) with the input channels
/// padded to whole groups, so that a group never spans two window
/// positions.
struct PackingLayout {
  PackingLayout(const Microkernel &kernel, const KernelContraction &c);

  int64_t cols, kGroup;
  /// Convolutions: groups of kGroup input channels per window position
  /// (the last one partial when the channels are not a multiple), and the
  /// channels they span.
  int64_t channelGroups = 0, paddedInChannels = 0;
  /// Groups of kGroup steps in the reduction, and blocks of cols channels.
  int64_t groups, columnBlocks;

  /// The number of packed elements.
  int64_t getSize() const { return columnBlocks * groups * cols * kGroup; }
  /// The channels, padded to whole column blocks.
  int64_t getPaddedChannels() const { return columnBlocks * cols; }
  /// The position of weight (k, n) of the contraction.
  int64_t getIndex(int64_t k, int64_t n) const {
    int64_t step = getPackedStep(k);
    return (((n / cols) * groups + step / kGroup) * cols + n % cols) * kGroup +
           step % kGroup;
  }

private:
  /// The step of the padded reduction that step `k` of the contraction
  /// packs to.
  int64_t getPackedStep(int64_t k) const {
    if (!inChannels)
      return k;
    return k / inChannels * paddedInChannels + k % inChannels;
  }

  int64_t inChannels = 0;
};

class KernelFamily {
public:
  virtual ~KernelFamily();

  /// The family's name, for remarks.
  virtual StringRef getName() const = 0;

  /// Whether the family implements `c` (its element types).
  virtual bool implements(const KernelContraction &c) const = 0;

  /// The microkernel of `target` (resolved, not `host`), or nullopt when
  /// the target leaves these contractions to portable loops.
  virtual std::optional<Microkernel> getMicrokernel(Target target) const = 0;

  /// Packs the weights of `c` for `kernel`, folding the activation
  /// offsets, zero points and (when `c.init` is set) the initial value into
  /// the corrections. Fails, with the reason, when a weight does not fit the
  /// instruction's operand.
  virtual FailureOr<PackedWeights> pack(const KernelContraction &c,
                                        const Microkernel &kernel,
                                        std::string &reason) const = 0;
};

/// The initial values of the `padded` channels of `c` as i32 corrections
/// (what a family adds nothing to), or null when all are zero.
DenseElementsAttr getInitialCorrections(const KernelContraction &c,
                                        int64_t padded);

/// The families of kernels, in the order they are tried.
ArrayRef<const KernelFamily *> getKernelFamilies();

/// The family of i8 x i8 -> i32 contractions (Int8Kernels.cpp).
const KernelFamily &getInt8KernelFamily();

/// The family of binary contractions on packed words (BinaryKernels.cpp).
const KernelFamily &getBinaryKernelFamily();

/// The family of ternary contractions on packed words (TernaryKernels.cpp).
const KernelFamily &getTernaryKernelFamily();

/// The family of f32 contractions (F32Kernels.cpp).
const KernelFamily &getF32KernelFamily();

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_KERNELFAMILY_H
