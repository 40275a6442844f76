//===- ConvolutionWindow.cpp - Strides and dilations of named convs -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/ConvolutionWindow.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;

std::optional<ConvolutionWindow> qnn::getConvolutionWindow(Operation *op) {
  auto read = [](auto conv) -> std::optional<ConvolutionWindow> {
    auto strides = conv.getStrides().template getValues<int64_t>();
    auto dilations = conv.getDilations().template getValues<int64_t>();
    return ConvolutionWindow{strides[0], strides[1], dilations[0],
                             dilations[1]};
  };
  return TypeSwitch<Operation *, std::optional<ConvolutionWindow>>(op)
      .Case<linalg::Conv2DNhwcHwcfQOp, linalg::Conv2DNhwcHwcfOp,
            linalg::Conv2DNhwcFhwcQOp, linalg::Conv2DNhwcFhwcOp,
            linalg::Conv2DNchwFchwQOp, linalg::Conv2DNchwFchwOp,
            linalg::DepthwiseConv2DNhwcHwcQOp,
            linalg::DepthwiseConv2DNhwcHwcOp>(read)
      .Default([](Operation *) { return std::nullopt; });
}
