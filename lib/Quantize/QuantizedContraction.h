//===- QuantizedContraction.h - A contraction to rewrite --------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the rewrite of a quantized contraction (RewriteContraction.cpp) finds
// before it creates an op, and the builders it shares with the rewrite of
// grouped convolutions (GroupedContraction.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANTIZE_QUANTIZEDCONTRACTION_H
#define QNN_LIB_QUANTIZE_QUANTIZEDCONTRACTION_H

#include "QuantizedOperands.h"
#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

#include <optional>

namespace mlir::qnn {

/// The float contractions the rewrite handles, by the named integer op
/// each becomes.
enum class ContractionKind {
  Matmul,
  BatchMatmul,
  ConvNhwcHwcf,
  ConvNhwcFhwc,
  ConvNchwFchw,
  DepthwiseNhwcHwc,
  /// NCHW x CHW (torch-mlir's depthwise): runs as NHWC x HWC, the codes
  /// transposed in and out (no integer NCHW depthwise op exists).
  DepthwiseNchwChw,
  /// conv_2d_ngchw_gfchw behind the collapse of (G, F) (torch-mlir's
  /// grouped convolution): one conv_2d_nchw_fchw_q per group.
  GroupedNchw,
  /// conv_2d_nhwgc_gfhwc behind the collapse of (G, F): one
  /// conv_2d_nhwc_fhwc_q per group.
  GroupedNhwc,
  /// depthwise_conv_2d_nhwc_hwcm behind the collapse of (C, M) (IREE's
  /// depthwise convolution with a channel multiplier), or a grouped
  /// convolution with one input channel per group (torch-mlir's): one
  /// depthwise_conv_2d_nhwc_hwc_q per multiplier index m, which computes
  /// the output channels c * M + m.
  DepthwiseMultiplier,
};

/// Everything the integer contraction is built from, found and checked
/// before any op is created.
struct QuantizedContraction {
  linalg::LinalgOp op;
  ContractionKind kind;
  QuantizedInput input;
  /// Signed weight codes in the layout of the named op (for grouped
  /// convolutions, the filters of all groups one after the other:
  /// F x C x KH x KW, F x KH x KW x C, or M x KH x KW x C for a depthwise
  /// multiplier), and their zero point; or, for matmuls of two
  /// activations (attention), the quantized second activation
  /// (`weightInput`), read as is or transposed.
  DenseElementsAttr weights;
  std::optional<QuantizedInput> weightInput;
  bool weightsTransposed = false;
  int64_t weightZero = 0;
  /// Signed activation zero point; whether the codes need a sign flip.
  int64_t inputZero = 0;
  bool flipInput = false;
  /// fl32(s_x) * fl32(s_w), one per tensor or per output channel.
  SmallVector<double> inputScales;
  /// The output dimension of the channels (per-channel scales or bias).
  std::optional<int64_t> channelDim;
  /// The bias on the i32 grid of the input scales; empty for none.
  SmallVector<int32_t> bias;
  std::optional<int64_t> clampMin, clampMax;
  quant::UniformQuantizedType outType;
  RankedTensorType resultType;
  /// Grouped convolutions: the number of groups, and the expand_shape that
  /// splits the channels of `input` into groups (null when `input` has
  /// them split already).
  int64_t groups = 1;
  tensor::ExpandShapeOp inputExpand;
  /// Grouped convolutions: channels first (their channels, the ungrouped
  /// result's, are dimension 1, else 3).
  bool nchw = false;
};

/// Whether `kind` is a grouped convolution.
inline bool isGrouped(ContractionKind kind) {
  return kind == ContractionKind::GroupedNchw ||
         kind == ContractionKind::GroupedNhwc ||
         kind == ContractionKind::DepthwiseMultiplier;
}

/// The scales and common zero point of constant weight codes, and the
/// quantized dimension of per-channel ones; failure when per-channel zero
/// points differ.
LogicalResult getWeightQuantization(const ConstantWeights &weights,
                                    SmallVector<double> &scales,
                                    int64_t &zeroPoint,
                                    std::optional<int64_t> &axis);

/// Sets the signed weight codes of `c` (`transposed`: the last two
/// dimensions swapped), their zero point and the input scales
/// fl32(s_x) * fl32(s_w) (`c.input` set).
void setWeights(QuantizedContraction &c, const ConstantWeights &weights,
                ArrayRef<double> scales, int64_t zeroPoint, bool transposed);

/// Matches the activations of the grouped convolution `c.op`: a quantized
/// input with its groups split out, or one whose channels an expand_shape
/// splits into groups (recorded in `c.inputExpand`).
std::optional<QuantizedInput> matchGroupedInput(QuantizedContraction &c);

/// Matches the weights of the grouped convolution `c.op`: constant codes of
/// G x F x ..., or the expand_shape of (G * F) x ... codes, quantized per
/// tensor or per output channel; for a depthwise multiplier, codes of
/// KH x KW x C x M (per tensor, input channel or multiplier index), or the
/// expand_shape of KH x KW x (C * M) codes.
LogicalResult matchGroupedWeights(QuantizedContraction &c,
                                  PatternRewriter &rewriter);

/// The initial value of `c.op` as the bias matcher reads it: for grouped
/// convolutions, the value before the split into groups.
Value getUngroupedInit(const QuantizedContraction &c);

/// The signed activation codes the contraction reads: the storage of the
/// quantized input, padded with its zero point, then sign-flipped when
/// unsigned.
Value buildInputCodes(PatternRewriter &rewriter, Location loc,
                      const QuantizedContraction &c);

/// i32 accumulators of `sizes`: `bias` (one per channel) broadcast along
/// `channelDim`, or zeros when `bias` is empty.
Value buildAccumulatorInit(PatternRewriter &rewriter, Location loc,
                           ArrayRef<OpFoldResult> sizes, ArrayRef<int32_t> bias,
                           int64_t channelDim);

/// qnn.requantize of `acc` to the codes of `c.outType` with `scales` (one,
/// or one per channel along `channelDim`) and the clamp of `c`.
Value buildRequantize(PatternRewriter &rewriter, Location loc, Value acc,
                      ArrayRef<double> scales, int64_t channelDim,
                      const QuantizedContraction &c, RequantizeMode mode);

/// `value` (a ranked tensor) transposed by `permutation`.
Value buildTranspose(PatternRewriter &rewriter, Location loc, Value value,
                     ArrayRef<int64_t> permutation);

/// Replaces `op` by one integer convolution and requantization per group
/// of the grouped convolution `c`.
void buildGroupedContraction(quant::QuantizeCastOp op,
                             const QuantizedContraction &c, RequantizeMode mode,
                             PatternRewriter &rewriter);

} // namespace mlir::qnn

#endif // QNN_LIB_QUANTIZE_QUANTIZEDCONTRACTION_H
