//===- Int8Kernels.cpp - The i8 x i8 -> i32 kernel family -----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The integer contractions of the contract:
//
//   C[m, n] += sum_k (x[m, k] - zx) * (w[k, n] - zw)
//
// The weights are packed as w' = w - zw, which must fit the instruction's
// operand. The activations are read in place, their bytes flipped to the
// instruction's signedness when needed; that offset and the activation
// zero point make one compile-time correction per output channel:
//
//   (x - zx) * w' = (x' - (delta + zx)) * w',  x' = x + delta,
//   C[m, n] += sum_k x' w' - (delta + zx) * sum_k w'[k, n],
//
// added to the accumulators when a tile starts (with a run-time zx, packed
// column sums times zx). Integer arithmetic wraps, so the result is exactly
// the contraction's.
//
//===----------------------------------------------------------------------===//

#include "KernelFamily.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// An i32 attribute of the values `v` (wrapped to 32 bits).
static DenseElementsAttr getI32Attr(MLIRContext *ctx, ArrayRef<int64_t> v) {
  SmallVector<int32_t> values;
  for (int64_t x : v)
    values.push_back(
        static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(x))));
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    IntegerType::get(ctx, 32));
  return DenseElementsAttr::get(type, ArrayRef<int32_t>(values));
}

namespace {
class Int8KernelFamily final : public KernelFamily {
public:
  StringRef getName() const override { return "int8"; }

  bool implements(const KernelContraction &c) const override {
    return !c.isFloat && !c.binary;
  }

  std::optional<Microkernel> getMicrokernel(Target target) const override {
    if (std::optional<Microkernel> kernel = getX86Int8Microkernel(target))
      return kernel;
    return getAArch64Int8Microkernel(target);
  }

  FailureOr<PackedWeights> pack(const KernelContraction &c,
                                const Microkernel &kernel,
                                std::string &reason) const override;
};
} // namespace

/// Whether every w - zw of the constant weights of `c` fits `bits`.
static bool offsetWeightsFit(ArrayRef<SmallVector<int64_t>> offsetWeights,
                             unsigned bits, int64_t &outlier) {
  int64_t lowest = -(int64_t(1) << (bits - 1));
  int64_t highest = (int64_t(1) << (bits - 1)) - 1;
  for (ArrayRef<int64_t> weights : offsetWeights) {
    for (int64_t w : weights) {
      if (w < lowest || w > highest) {
        outlier = w;
        return false;
      }
    }
  }
  return true;
}

FailureOr<PackedWeights> Int8KernelFamily::pack(const KernelContraction &c,
                                                const Microkernel &kernel,
                                                std::string &reason) const {
  MLIRContext *ctx = c.op->getContext();
  PackedWeights result;
  // w - zw of constant weights, per batch, read once.
  SmallVector<SmallVector<int64_t>> offsetWeights;
  if (c.weights)
    for (int64_t batch = 0; batch < c.batch; ++batch)
      offsetWeights.push_back(getOffsetWeights(c, batch));
  // Byte operands cannot hold every w - zw of i8 codes: pack w and apply
  // zw per row, which convolutions (rows of windows) do not support.
  int64_t outlier = 0;
  // Weights known only at run time fit when their zero point is 0.
  bool fits =
      kernel.weightBits >= 16 ||
      (c.weights ? offsetWeightsFit(offsetWeights, kernel.weightBits, outlier)
                 : c.weightZero == 0);
  if (!fits && c.isConv) {
    reason = c.weights
                 ? "a weight minus its zero point (" + std::to_string(outlier) +
                       ") does not fit the " +
                       std::to_string(kernel.weightBits) + "-bit operand of " +
                       kernel.instruction->getName().str()
                 : "the weights are known only at run time and their zero "
                   "point (" +
                       std::to_string(c.weightZero) +
                       ") is not 0, which convolutions do not support";
    return failure();
  }
  result.packedZero = fits ? c.weightZero : 0;
  result.residualZero = c.weightZero - result.packedZero;
  if (result.residualZero != 0 && c.dynamicInputZero) {
    reason = "the weight zero point applies per row, which a run-time "
             "activation zero point does not support";
    return failure();
  }
  if (!c.weights) {
    // The run-time packing walks the reduction contiguously: a window's
    // channels must fill whole groups.
    if (c.isConv && c.inChannels % kernel.kGroup != 0) {
      reason = "the weights are known only at run time and the " +
               std::to_string(c.inChannels) +
               " input channels are not a multiple of " +
               std::to_string(kernel.kGroup);
      return failure();
    }
    result.runtime = true;
    return result;
  }
  PackingLayout layout(kernel, c);
  int64_t size = layout.getSize(), padded = layout.getPaddedChannels();
  // One packed panel and one row of sums per batch.
  // The panels' raw storage: 8- or 16-bit codes in host byte order.
  assert((kernel.weightBits == 8 || kernel.weightBits == 16) &&
         "weight operands are bytes or halfwords");
  int64_t bytes = kernel.weightBits / 8;
  SmallVector<char> packed(c.batch * size * bytes, 0);
  SmallVector<int64_t> columnSums(c.batch * padded, 0);
  for (int64_t batch = 0; batch < c.batch; ++batch) {
    ArrayRef<int64_t> weights = offsetWeights[batch];
    for (int64_t k = 0; k < c.reduction; ++k) {
      for (int64_t n = 0; n < c.channels; ++n) {
        int64_t w = weights[k * c.channels + n] + result.residualZero;
        int64_t index = batch * size + layout.getIndex(k, n);
        if (bytes == 1) {
          packed[index] = static_cast<char>(w);
        } else {
          auto half = static_cast<int16_t>(w);
          std::memcpy(&packed[index * bytes], &half, sizeof(half));
        }
        columnSums[batch * padded + n] += w;
      }
    }
  }
  result.weights = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get({c.batch * size}, kernel.getWeightType(ctx)),
      packed);
  SmallVector<int64_t> initial = getInitialValues(c, padded);
  int64_t offset = kernel.getActivationOffset(c.inputSigned) + c.inputZero;
  int64_t rowTerm = c.reduction * offset * result.residualZero;
  SmallVector<int64_t> corrections;
  for (auto [i, sum] : llvm::enumerate(columnSums))
    corrections.push_back(initial[i % padded] - offset * sum + rowTerm);
  if (llvm::any_of(corrections, [](int64_t v) { return v != 0; }))
    result.corrections = getI32Attr(ctx, corrections);
  if (c.dynamicInputZero)
    result.columnSums = getI32Attr(ctx, columnSums);
  return result;
}

const KernelFamily &cpu::getInt8KernelFamily() {
  static const Int8KernelFamily family;
  return family;
}
