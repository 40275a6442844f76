//===- KernelFamily.cpp - Families of contraction kernels -----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelFamily.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

KernelFamily::~KernelFamily() = default;

PackingLayout::PackingLayout(const Microkernel &kernel,
                             const KernelContraction &c)
    : cols(kernel.cols), kGroup(kernel.kGroup),
      groups(llvm::divideCeil(c.reduction, kernel.kGroup)),
      columnBlocks(llvm::divideCeil(c.channels, kernel.cols)) {
  if (!c.isConv)
    return;
  inChannels = c.inChannels;
  channelGroups = llvm::divideCeil(c.inChannels, kGroup);
  paddedInChannels = channelGroups * kGroup;
  groups = c.kernelH * c.kernelW * channelGroups;
}

DenseElementsAttr cpu::getInitialCorrections(const KernelContraction &c,
                                             int64_t padded) {
  SmallVector<int64_t> initial = getInitialValues(c, padded);
  if (llvm::all_of(initial, [](int64_t v) { return v == 0; }))
    return {};
  SmallVector<int32_t> corrections(initial.begin(), initial.end());
  return DenseElementsAttr::get(
      RankedTensorType::get({padded}, IntegerType::get(c.op->getContext(), 32)),
      ArrayRef<int32_t>(corrections));
}

ArrayRef<const KernelFamily *> cpu::getKernelFamilies() {
  static const KernelFamily *families[] = {
      &getBinaryKernelFamily(), &getTernaryKernelFamily(),
      &getInt8KernelFamily(), &getF32KernelFamily()};
  return families;
}
