//===- ConstantLimits.h - How large a constant passes read ------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The limits within which quant-mlir's passes read constants element by
// element (docs/Limits.md). A splat is never expanded: the passes that
// fold constants handle splats as one value, and leave larger constants
// than kMaxFoldedElements, splat or not, as they are, with a remark.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_CONSTANTLIMITS_H
#define QNN_UTILS_CONSTANTLIMITS_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/Support/MathExtras.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// The most elements a pass expands a constant into (2^26: a 256 MB f32
/// weight, ten times ResNet-50's largest).
inline constexpr int64_t kMaxFoldedElements = int64_t(1) << 26;

/// The number of elements of the static shape `shape`, or none when a
/// dimension is dynamic or the product overflows int64_t.
inline std::optional<int64_t> getNumElementsChecked(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t size : shape)
    if (ShapedType::isDynamic(size) || size < 0 ||
        llvm::MulOverflow(count, size, count))
      return std::nullopt;
  return count;
}

/// Whether a pass may expand a constant of type `type`, element by
/// element, at compile time.
inline bool isFoldableSize(ShapedType type) {
  if (!type.hasRank())
    return false;
  std::optional<int64_t> count = getNumElementsChecked(type.getShape());
  return count && *count <= kMaxFoldedElements;
}

} // namespace mlir::qnn

#endif // QNN_UTILS_CONSTANTLIMITS_H
