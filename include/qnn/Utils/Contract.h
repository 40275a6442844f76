//===- Contract.h - IR between quantization and codegen ---------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The contract between the quantize stage and the CPU backend
// (docs/Codegen.md, "The contract"). Integer contractions are upstream's
// named ops on signed i8 codes with i32 zero points:
//
//   linalg.quantized_matmul, linalg.quantized_batch_matmul,
//   linalg.conv_2d_nhwc_hwcf_q, linalg.conv_2d_nhwc_fhwc_q,
//   linalg.conv_2d_nchw_fchw_q, linalg.depthwise_conv_2d_nhwc_hwc_q
//
// computing `out += (sext(x) - zx) * (sext(w) - zw)`. Unsigned codes enter
// them through a sign flip, `x xor 0x80` as an element-wise linalg.generic
// (the codes of `u8` zero point `z` are those of `i8` zero point `z - 128`).
// Both sides build and recognize the flip with the functions here, so that
// neither depends on how the other spells it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_CONTRACT_H
#define QNN_UTILS_CONTRACT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::qnn {

/// Whether `op` is one of the named integer contractions of the contract.
bool isQuantizedContraction(Operation *op);

/// Builds the sign flip of the i8 codes `codes` (a ranked tensor): the
/// codes of the same values as signed i8, their zero point lowered by 128.
Value buildSignFlip(OpBuilder &b, Location loc, Value codes);

/// The codes a sign flip reads, if `op` is one (on tensors or on buffers);
/// null otherwise.
Value getSignFlipSource(Operation *op);

} // namespace mlir::qnn

#endif // QNN_UTILS_CONTRACT_H
