//===- BitpackLowering.h - qnn.bitpack's lowering, recognized ---*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The linalg.generic that --convert-qnn-to-linalg makes of qnn.bitpack
// (BitOps.cpp), on buffers: out |= (x < 0.0) << bit, reducing the
// innermost, W-long dimension of the f32 input into one W-bit word. The
// backend vectorizes it (VectorizeBitpack.cpp) or has a kernel write its
// words directly (KernelEpilogue's packed signs).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_BITPACKLOWERING_H
#define QNN_LIB_CODEGEN_CPU_BITPACKLOWERING_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::qnn::cpu {

/// Whether `op` is the lowering of qnn.bitpack on buffers: an f32 input
/// whose innermost dimension is one word's bits (unit stride), reduced
/// into an output of integer words with one dimension fewer.
bool isBitpackLowering(linalg::GenericOp op);

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_BITPACKLOWERING_H
