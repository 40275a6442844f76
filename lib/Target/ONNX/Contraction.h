//===- Contraction.h - Shapes of ONNX convolutions and matmuls --*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the float and the integer contractions share: ONNX's convolution
// attributes resolved to padding, strides and dilations, and MatMul's
// batch dimensions mapped onto `linalg` matmuls.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_TARGET_ONNX_CONTRACTION_H
#define QNN_LIB_TARGET_ONNX_CONTRACTION_H

#include "GraphImporter.h"

namespace mlir::qnn::onnx_import {

/// A 2-D convolution of an NCHW input by FCHW weights.
struct ConvGeometry {
  SmallVector<int64_t, 2> strides;
  SmallVector<int64_t, 2> dilations;
  SmallVector<int64_t, 2> padBegin;
  SmallVector<int64_t, 2> padEnd;
  int64_t group = 1;
  /// NCHW shape of the result.
  SmallVector<int64_t, 4> resultShape;

  DenseIntElementsAttr getStridesAttr(OpBuilder &b) const;
  DenseIntElementsAttr getDilationsAttr(OpBuilder &b) const;
};

/// Resolves the node's `auto_pad` and `pads` for the spatial dimensions
/// `input` and a window `kernel`, into padding before and after each.
LogicalResult resolvePads(GraphImporter &im, ArrayRef<int64_t> input,
                          ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations,
                          SmallVectorImpl<int64_t> &begin,
                          SmallVectorImpl<int64_t> &end);

/// Resolves the node's `auto_pad`, `pads`, `strides`, `dilations`, `group`
/// and `kernel_shape` for input `x` and weights `w` (ONNX's Conv,
/// ConvInteger and QLinearConv).
FailureOr<ConvGeometry> getConvGeometry(GraphImporter &im, ArrayRef<int64_t> x,
                                        ArrayRef<int64_t> w);

/// Builds `a` (..., M, K) times `b` (K, N) or (..., K, N) with equal batch
/// dimensions, into zeros of `accType`: `build2D` receives 2-D operands,
/// `buildBatched` 3-D ones, and the result is reshaped to (..., M, N).
FailureOr<Value>
buildMatMul(GraphImporter &im, Value a, Value b, Type accType,
            llvm::function_ref<Value(Value, Value, Value)> build2D,
            llvm::function_ref<Value(Value, Value, Value)> buildBatched);

/// Adds the 1-D `bias` to `y` along `channelDim`: a `linalg.broadcast`
/// and a `linalg.add`.
Value addChannelBias(OpBuilder &b, Location loc, Value y, Value bias,
                     int64_t channelDim);

/// Builds the f32 convolution of the NCHW `x` (padded with zeros here) by
/// the FCHW `w` with `g`: `linalg.conv_2d_nchw_fchw`,
/// `depthwise_conv_2d_nchw_chw` for one filter per channel,
/// `conv_2d_ngchw_gfchw` for other groups.
Value buildFloatConv(OpBuilder &b, Location loc, Value x, Value w,
                     const ConvGeometry &g);

/// Builds a float matmul of 2-D `lhs` and `rhs` into `init`, reading `lhs`
/// as K x M when `transA` and `rhs` as N x K when `transB` (through the
/// indexing maps).
Value buildFloatMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init, bool transA = false, bool transB = false);

} // namespace mlir::qnn::onnx_import

#endif // QNN_LIB_TARGET_ONNX_CONTRACTION_H
