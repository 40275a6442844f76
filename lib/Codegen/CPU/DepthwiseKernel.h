//===- DepthwiseKernel.h - Depthwise convolutions on vectors ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A depthwise convolution has no reduction over channels for a dot-product
// instruction to take: each output channel sums KH x KW products of its
// own input channel. Its kernel runs the channels across vector lanes
// (NHWC keeps them contiguous):
//
//   for each tile of 4 output pixels, for each block of `lanes` channels:
//     acc[p] = corrections (or the outputs plus corrections)
//     for kh, kw:  w = packed[kh][kw][block]            (one load)
//                  acc[p] += ext(x[p's window at kh, kw][block]) * w
//     store acc[p] (through the fused requantization)
//
// The weights are packed at compile time as `w - zw` widened to i32 (or
// f32), the channels padded to whole vectors; the activation zero point
// (and the initial value) make one correction per channel,
// `init - zx * sum_taps (w - zw)`. u8 codes behind a sign flip are read
// and zero-extended in place. f32 adds each product separately, in
// (kh, kw) order, so results equal the portable loops' bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_DEPTHWISEKERNEL_H
#define QNN_LIB_CODEGEN_CPU_DEPTHWISEKERNEL_H

#include "KernelContraction.h"

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

#include <string>

namespace mlir::qnn::cpu {

/// Replaces the depthwise convolution `c` by the vector loops of `target`;
/// fails, changing nothing, with the reason when the target has no vector
/// registers for it.
LogicalResult emitDepthwiseKernel(const KernelContraction &c, Target target,
                                  ModuleOp module, SymbolTable &symbols,
                                  std::string &reason);

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_DEPTHWISEKERNEL_H
