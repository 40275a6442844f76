//===- ConvolutionWindow.h - Strides and dilations of named convs -*- C++
//-*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_CONVOLUTIONWINDOW_H
#define QNN_UTILS_CONVOLUTIONWINDOW_H

#include "mlir/IR/Operation.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// The strides and dilations of a 2-D convolution's window (height, width).
struct ConvolutionWindow {
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
};

/// The window of a named 2-D convolution (NHWC/HWCF, NHWC/FHWC, NCHW/FCHW,
/// depthwise NHWC/HWC; float or `_q`); nullopt for any other op.
std::optional<ConvolutionWindow> getConvolutionWindow(Operation *op);

} // namespace mlir::qnn

#endif // QNN_UTILS_CONVOLUTIONWINDOW_H
