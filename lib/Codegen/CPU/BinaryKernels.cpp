//===- BinaryKernels.cpp - The xnor-popcount kernel family ----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Binary contractions on packed words (BinaryContraction.cpp):
//
//   C[m, n] = k - 2 * sum_w popcount(x[m, w] xor w[n, w])
//
// One reduction step is one 32-bit word: the row's word is broadcast to
// every lane, xored with one word of each of `cols` channels, and the
// popcount of the difference, doubled, is subtracted from the
// accumulators. The initial value k is the correction a tile starts from.
// The weights are packed as [N/cols][W][cols] words, the padded channels
// zero (their lanes are never stored).
//
//===----------------------------------------------------------------------===//

#include "KernelFamily.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
class BinaryKernelFamily final : public KernelFamily {
public:
  StringRef getName() const override { return "binary"; }

  bool implements(const KernelContraction &c) const override {
    return c.binary && !c.ternary;
  }

  std::optional<Microkernel> getMicrokernel(Target target) const override {
    if (std::optional<Microkernel> kernel = getX86BinaryMicrokernel(target))
      return kernel;
    return getAArch64BinaryMicrokernel(target);
  }

  FailureOr<PackedWeights> pack(const KernelContraction &c,
                                const Microkernel &kernel,
                                std::string &reason) const override;
};
} // namespace

FailureOr<PackedWeights> BinaryKernelFamily::pack(const KernelContraction &c,
                                                  const Microkernel &kernel,
                                                  std::string &reason) const {
  MLIRContext *ctx = c.op->getContext();
  PackingLayout layout(kernel, c);
  SmallVector<int32_t> packed(layout.getSize(), 0);
  auto words = c.weights.getValues<APInt>();
  auto it = words.begin();
  for (int64_t n = 0; n < c.channels; ++n)
    for (int64_t w = 0; w < c.reduction; ++w, ++it)
      packed[layout.getIndex(w, n)] =
          static_cast<int32_t>((*it).getZExtValue());
  PackedWeights result;
  result.weights = DenseElementsAttr::get(
      RankedTensorType::get({layout.getSize()}, IntegerType::get(ctx, 32)),
      ArrayRef<int32_t>(packed));
  result.corrections = getInitialCorrections(c, layout.getPaddedChannels());
  return result;
}

const KernelFamily &cpu::getBinaryKernelFamily() {
  static const BinaryKernelFamily family;
  return family;
}
