//===- GroupedConvolution.h - Grouped convolutions by group -----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Upstream's grouped convolutions carry the group as a dimension of its own
// (`conv_2d_ngchw_gfchw`: N x G x C x H x W input, G x F x C x KH x KW
// weights, N x G x F x OH x OW output; `conv_2d_nhwgc_gfhwc`: the same,
// channels last). The contract has no grouped op: a grouped convolution
// runs as one ungrouped convolution per group, on slices of the group
// dimension. These are the slicing helpers the quantize stage and the
// backend share.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_GROUPEDCONVOLUTION_H
#define QNN_UTILS_GROUPEDCONVOLUTION_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qnn {

/// A grouped 2-D convolution: `conv_2d_ngchw_gfchw{_q}` or
/// `conv_2d_nhwgc_gfhwc{_q}`.
struct GroupedConvolution {
  Operation *op;
  /// Channels last (`nhwgc_gfhwc`).
  bool nhwc;
  /// Integer codes with zero points (the `_q` ops).
  bool quantized;
  int64_t groups;

  /// The dimension of the group in the input and in the output; the
  /// weights hold it first.
  int64_t getGroupDim() const { return nhwc ? 3 : 1; }
};

/// Matches `op` as a grouped convolution with a static number of groups.
std::optional<GroupedConvolution> matchGroupedConvolution(Operation *op);

/// The slice of group `group` of `value` (a ranked tensor), the dimension
/// `dim` dropped. Slices of dense constants are folded into constants, so
/// that the weights of each group stay compile-time constants.
Value extractGroup(OpBuilder &b, Location loc, Value value, int64_t dim,
                   int64_t group);

/// `dest` with `part` (one group, `dim` dropped) inserted as group `group`.
Value insertGroup(OpBuilder &b, Location loc, Value part, Value dest,
                  int64_t dim, int64_t group);

/// The elements of `attr` from `first` on in row-major order, as many as
/// `type` holds, as a dense attribute of `type`; null when the elements of
/// `attr` are not byte-addressable.
DenseElementsAttr sliceElements(DenseElementsAttr attr, ShapedType type,
                                int64_t first);

} // namespace mlir::qnn

#endif // QNN_UTILS_GROUPEDCONVOLUTION_H
