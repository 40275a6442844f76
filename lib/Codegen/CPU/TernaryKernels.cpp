//===- TernaryKernels.cpp - The masked xnor-popcount kernel family --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Ternary contractions on packed words (BinaryContraction.cpp):
//
//   C[m, n] = nnz_n - 2 * sum_w popcount((x[m, w] xor s[n, w]) and z[n, w])
//
// with the weights as two bit planes, their signs `s` and their nonzero
// mask `z`. One reduction step is one 32-bit word of the row, broadcast
// and compared with the sign words of `cols` channels, masked, counted
// and subtracted twice (the binary family's instructions, masked). Each
// step reads one vector of `cols` 64-bit lanes: the sign words of the
// channels in its low half, their mask words in its high half. The
// weights are packed as [N/cols][W][signs of cols channels, masks of cols
// channels]; the initial value nnz_n is the correction a tile starts from.
//
//===----------------------------------------------------------------------===//

#include "KernelFamily.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
class TernaryKernelFamily final : public KernelFamily {
public:
  StringRef getName() const override { return "ternary"; }

  bool implements(const KernelContraction &c) const override {
    return c.ternary;
  }

  std::optional<Microkernel> getMicrokernel(Target target) const override {
    if (std::optional<Microkernel> kernel = getX86TernaryMicrokernel(target))
      return kernel;
    return getAArch64TernaryMicrokernel(target);
  }

  FailureOr<PackedWeights> pack(const KernelContraction &c,
                                const Microkernel &kernel,
                                std::string &reason) const override;
};
} // namespace

FailureOr<PackedWeights> TernaryKernelFamily::pack(const KernelContraction &c,
                                                   const Microkernel &kernel,
                                                   std::string &reason) const {
  MLIRContext *ctx = c.op->getContext();
  PackingLayout layout(kernel, c);
  // Two 32-bit words per packed (64-bit) element.
  SmallVector<uint32_t> words(2 * layout.getSize(), 0);
  auto signs = c.weights.getValues<APInt>();
  auto masks = c.mask.getValues<APInt>();
  for (int64_t n = 0; n < c.channels; ++n) {
    for (int64_t w = 0; w < c.reduction; ++w) {
      int64_t index = layout.getIndex(w, n);
      int64_t block = 2 * (index - n % kernel.cols);
      int64_t i = n * c.reduction + w;
      words[block + n % kernel.cols] =
          static_cast<uint32_t>(signs[i].getZExtValue());
      words[block + kernel.cols + n % kernel.cols] =
          static_cast<uint32_t>(masks[i].getZExtValue());
    }
  }
  PackedWeights result;
  result.weights = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get({layout.getSize()}, kernel.getWeightType(ctx)),
      ArrayRef<char>(reinterpret_cast<const char *>(words.data()),
                     words.size() * sizeof(uint32_t)));
  result.corrections = getInitialCorrections(c, layout.getPaddedChannels());
  return result;
}

const KernelFamily &cpu::getTernaryKernelFamily() {
  static const TernaryKernelFamily family;
  return family;
}
