//===- HexConstant.h - Raw data as MLIR dense literals ----------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_BENCHMARKS_HEXCONSTANT_H
#define QNN_BENCHMARKS_HEXCONSTANT_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlir::qnn {

/// `size` bytes of `data` as the hex string of a `dense<"0x...">` literal
/// (little-endian raw data, as MLIR reads it), quotes included.
inline std::string hexConstant(const void *data, size_t size) {
  static const char digits[] = "0123456789ABCDEF";
  std::string text = "\"0x";
  const auto *bytes = static_cast<const uint8_t *>(data);
  for (size_t i = 0; i < size; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 15];
  }
  return text + "\"";
}

} // namespace mlir::qnn

#endif // QNN_BENCHMARKS_HEXCONSTANT_H
