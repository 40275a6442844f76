//===- F32Kernels.cpp - The f32 kernel family -----------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// f32 matmuls and convolutions with constant weights, on the tiles of the
// integer kernels with one f32 lane per output: a vector multiply and a
// separate add, so that each output sums its products in the portable
// loops' order with their roundings, and the results are bit-identical to
// them.
//
//===----------------------------------------------------------------------===//

#include "KernelFamily.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
class F32KernelFamily final : public KernelFamily {
public:
  StringRef getName() const override { return "f32"; }

  bool implements(const KernelContraction &c) const override {
    return c.isFloat;
  }

  std::optional<Microkernel> getMicrokernel(Target target) const override {
    if (std::optional<Microkernel> kernel = getX86F32Microkernel(target))
      return kernel;
    return getAArch64F32Microkernel(target);
  }

  FailureOr<PackedWeights> pack(const KernelContraction &c,
                                const Microkernel &kernel,
                                std::string &reason) const override;
};
} // namespace

FailureOr<PackedWeights> F32KernelFamily::pack(const KernelContraction &c,
                                               const Microkernel &kernel,
                                               std::string &) const {
  PackingLayout layout(kernel, c);
  int64_t size = layout.getSize();
  SmallVector<float> packed(c.batch * size, 0.0f);
  auto values = c.weights.getValues<float>();
  for (int64_t batch = 0; batch < c.batch; ++batch)
    for (int64_t k = 0; k < c.reduction; ++k)
      for (int64_t n = 0; n < c.channels; ++n)
        packed[batch * size + layout.getIndex(k, n)] =
            values[c.getWeightIndex(k, n, batch)];
  Type f32 = Float32Type::get(c.weights.getContext());
  auto vectorType = [&](int64_t size) {
    return RankedTensorType::get({size}, f32);
  };
  PackedWeights result;
  result.weights = DenseElementsAttr::get(vectorType(c.batch * size),
                                          ArrayRef<float>(packed));
  if (!c.init)
    return result;
  // The same initial value for every batch.
  int64_t padded = layout.getPaddedChannels();
  SmallVector<float> initial(c.batch * padded, 0.0f);
  for (int64_t batch = 0; batch < c.batch; ++batch)
    for (auto [n, value] : llvm::enumerate(c.initValues))
      initial[batch * padded + n] =
          cast<FloatAttr>(value).getValue().convertToFloat();
  // Starting from +0.0 is not starting from -0.0: compare bits.
  if (llvm::any_of(initial,
                   [](float v) { return llvm::bit_cast<uint32_t>(v) != 0; }))
    result.corrections = DenseElementsAttr::get(vectorType(initial.size()),
                                                ArrayRef<float>(initial));
  return result;
}

const KernelFamily &cpu::getF32KernelFamily() {
  static const F32KernelFamily family;
  return family;
}
