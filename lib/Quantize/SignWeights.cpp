//===- SignWeights.cpp - Binary and ternary weights, packed ---------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "SignWeights.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

FailureOr<SignWeights> qnn::readSignWeights(
    ArrayRef<double> values, int64_t channels, int64_t reduction,
    llvm::function_ref<int64_t(int64_t, int64_t)> index, std::string &reason) {
  SignWeights w;
  w.channels = channels;
  w.reduction = reduction;
  w.negative.assign(channels * reduction, false);
  w.zero.assign(channels * reduction, false);
  w.alphas.assign(channels, 0.0f);
  for (int64_t n = 0; n < channels; ++n) {
    // Compared as f32: the float contraction computes with these values.
    float alpha = 0.0f;
    for (int64_t k = 0; k < reduction; ++k) {
      double value = values[index(n, k)];
      auto magnitude = static_cast<float>(std::fabs(value));
      int64_t i = n * reduction + k;
      w.zero[i] = magnitude == 0.0f;
      w.negative[i] = value < 0.0;
      if (alpha == 0.0f)
        alpha = magnitude;
      if ((!w.zero[i] && magnitude != alpha) || !std::isfinite(magnitude)) {
        reason = "output channel " + std::to_string(n) +
                 " of the weights is neither binary nor ternary (values "
                 "+a, -a and 0 with a > 0)";
        return failure();
      }
    }
    w.alphas[n] = alpha;
  }
  w.ternary = llvm::is_contained(w.zero, true);
  return w;
}

DenseElementsAttr qnn::packBits(MLIRContext *ctx, ArrayRef<bool> bits,
                                int64_t rows, int64_t length) {
  int64_t words = llvm::divideCeil(length, 32);
  SmallVector<APInt> packed(rows * words, APInt(32, 0));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < length; ++k)
      if (bits[r * length + k])
        packed[r * words + k / 32].setBit(k % 32);
  return DenseElementsAttr::get(
      RankedTensorType::get({rows, words}, IntegerType::get(ctx, 32)), packed);
}

Value qnn::buildActivationScale(PatternRewriter &rewriter, Location loc,
                                BinarizeOp activation) {
  if (activation.getScale() == ScaleMode::none)
    return {};
  Value largest = buildGroupReduction(
      rewriter, loc, activation.getResult(), {}, std::nullopt,
      rewriter.getF32FloatAttr(0.0f),
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value magnitude = math::AbsFOp::create(b, loc, args[0]);
        return arith::MaximumFOp::create(b, loc, magnitude, args[1]);
      });
  return tensor::ExtractOp::create(rewriter, loc, largest, ValueRange{});
}

std::pair<InitKind, Value>
qnn::matchContractionInit(Value init, int64_t channelDim, int64_t rank) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value value = fill.getInputs()[0];
    bool positiveZero = matchPattern(value, m_AnyZeroFloat()) &&
                        !matchPattern(value, m_NegZeroFloat());
    return {positiveZero ? InitKind::None : InitKind::Scalar, value};
  }
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>()) {
    SmallVector<int64_t> others;
    for (int64_t d = 0; d < rank; ++d)
      if (d != channelDim)
        others.push_back(d);
    if (broadcast.getDimensions() == ArrayRef<int64_t>(others))
      return {InitKind::PerChannel, broadcast.getInput()};
  }
  return {InitKind::Full, init};
}
