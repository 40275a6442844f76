//===- Numerics.cpp - Reference numerics of the QNN operations ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Utils/Numerics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

using namespace mlir::qnn;
using namespace mlir::qnn::numerics;

double numerics::roundToIntegral(double value, Rounding rounding) {
  switch (rounding) {
  case Rounding::half_even:
    // The default floating-point environment rounds to nearest even.
    return std::nearbyint(value);
  case Rounding::half_away_from_zero:
    return std::round(value);
  case Rounding::floor:
    return std::floor(value);
  case Rounding::toward_zero:
    return std::trunc(value);
  }
  llvm_unreachable("unknown rounding");
}

/// Returns round(x * fl32(1 / fl32(scale))) with the product rounded to f32
/// or f64, as a double.
static double scaledAndRounded(double x, double scale, Rounding rounding,
                               bool computeInF64) {
  float sc = static_cast<float>(scale);
  float inv = 1.0f / sc;
  double product = computeInF64
                       ? x * static_cast<double>(inv)
                       : static_cast<double>(static_cast<float>(x) * inv);
  return roundToIntegral(product, rounding);
}

int64_t numerics::quantize(double x, const QuantParams &params,
                           Rounding rounding, bool computeInF64) {
  if (std::isnan(x))
    return params.qmin;
  double r = scaledAndRounded(x, params.scale, rounding, computeInF64);
  // Clamp in double before converting: r may be infinite or beyond int64.
  double q = r + static_cast<double>(params.zeroPoint);
  if (q <= static_cast<double>(params.qmin))
    return params.qmin;
  if (q >= static_cast<double>(params.qmax))
    return params.qmax;
  return static_cast<int64_t>(q);
}

double numerics::fakeQuantize(double x, const QuantParams &params,
                              Rounding rounding, bool computeInF64) {
  int64_t q = quantize(x, params, rounding, computeInF64);
  float sc = static_cast<float>(params.scale);
  // |q - zp| < 2^17 and sc has 24 significant bits: the double product is
  // exact, so this rounds once to the compute type.
  double product =
      static_cast<double>(q - params.zeroPoint) * static_cast<double>(sc);
  return computeInF64 ? product
                      : static_cast<double>(static_cast<float>(product));
}

double numerics::logQuantize(double x, int64_t minExp, int64_t maxExp) {
  if (std::isnan(x))
    return x;
  if (x == 0.0)
    return x;
  if (std::isinf(x))
    return std::copysign(std::ldexp(1.0, static_cast<int>(maxExp)), x);
  int exp = 0;
  // |x| = frac * 2^exp with frac in [0.5, 1), so |x| = (2 frac) * 2^(exp-1).
  double frac = std::frexp(std::fabs(x), &exp);
  double significand = 2.0 * frac;
  int64_t e = exp - 1;
  // Round up iff significand > sqrt(2). The double nearest to sqrt(2) lies
  // above it, so a significand equal to that double is already above sqrt(2).
  if (significand >= M_SQRT2)
    ++e;
  if (e < minExp)
    return std::copysign(0.0, x);
  e = std::min(e, maxExp);
  return std::copysign(std::ldexp(1.0, static_cast<int>(e)), x);
}

float numerics::requantizeMultiplier(double inputScale, double outputScale) {
  return static_cast<float>(inputScale) / static_cast<float>(outputScale);
}

FixedPointMultiplier numerics::getFixedPointMultiplier(double multiplier) {
  int exp = 0;
  double fraction = std::frexp(multiplier, &exp);
  auto m = static_cast<int64_t>(std::round(fraction * 2147483648.0));
  if (m == (int64_t(1) << 31)) {
    m /= 2;
    ++exp;
  }
  return {m, 31 - static_cast<int64_t>(exp)};
}

int64_t numerics::applyScale(int64_t value, const FixedPointMultiplier &scale,
                             bool doubleRound) {
  int64_t round = int64_t(1) << (scale.shift - 1);
  if (doubleRound && scale.shift > 31)
    round += value >= 0 ? (int64_t(1) << 30) : -(int64_t(1) << 30);
  return (value * scale.multiplier + round) >> scale.shift;
}

int64_t numerics::requantize(int64_t acc, float multiplier, RequantizeMode mode,
                             int64_t zeroPoint, int64_t lo, int64_t hi) {
  double shifted;
  if (mode == RequantizeMode::floating_point) {
    float product = static_cast<float>(acc) * multiplier;
    shifted = std::nearbyint(static_cast<double>(product)) +
              static_cast<double>(zeroPoint);
  } else {
    FixedPointMultiplier scale = getFixedPointMultiplier(multiplier);
    shifted = static_cast<double>(
        applyScale(acc, scale, mode == RequantizeMode::fixed_point_double) +
        zeroPoint);
  }
  return static_cast<int64_t>(
      std::clamp(shifted, static_cast<double>(lo), static_cast<double>(hi)));
}

int64_t numerics::indexAlong(llvm::ArrayRef<int64_t> shape, int64_t axis,
                             int64_t flatIndex) {
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d > axis; --d)
    stride *= shape[d];
  return (flatIndex / stride) % shape[axis];
}

/// Number of groups (1 per tensor, or the size along `axis`).
static int64_t groupCount(const TensorView &input,
                          std::optional<int64_t> axis) {
  return axis ? input.shape[*axis] : 1;
}

/// The group of the element at `flatIndex`.
static int64_t groupOf(const TensorView &input, std::optional<int64_t> axis,
                       int64_t flatIndex) {
  return axis ? indexAlong(input.shape, *axis, flatIndex) : 0;
}

llvm::SmallVector<double> numerics::meanAbs(const TensorView &input,
                                            std::optional<int64_t> axis) {
  int64_t groups = groupCount(input, axis);
  llvm::SmallVector<double> sums(groups, 0.0);
  llvm::SmallVector<int64_t> counts(groups, 0);
  for (auto [i, v] : llvm::enumerate(input.values)) {
    int64_t g = groupOf(input, axis, i);
    sums[g] += std::fabs(v);
    ++counts[g];
  }
  for (auto [sum, count] : llvm::zip(sums, counts))
    sum = count ? sum / static_cast<double>(count) : 0.0;
  return sums;
}

llvm::SmallVector<double> numerics::binarize(const TensorView &input,
                                             llvm::ArrayRef<double> alphas,
                                             std::optional<int64_t> axis) {
  llvm::SmallVector<double> out;
  out.reserve(input.values.size());
  for (auto [i, v] : llvm::enumerate(input.values)) {
    double alpha = alphas[groupOf(input, axis, i)];
    if (std::isnan(v))
      out.push_back(v);
    else
      out.push_back(v >= 0.0 ? alpha : -alpha);
  }
  return out;
}

TernaryParams numerics::ternaryParams(const TensorView &input,
                                      std::optional<double> threshold,
                                      double ratio, ScaleMode scale,
                                      std::optional<int64_t> axis) {
  int64_t groups = groupCount(input, axis);
  TernaryParams params;
  if (threshold) {
    params.deltas.assign(groups, *threshold);
  } else {
    params.deltas = meanAbs(input, axis);
    for (double &delta : params.deltas)
      delta *= ratio;
  }
  if (scale == ScaleMode::none) {
    params.alphas.assign(groups, 1.0);
    return params;
  }
  llvm::SmallVector<double> sums(groups, 0.0);
  llvm::SmallVector<int64_t> counts(groups, 0);
  for (auto [i, v] : llvm::enumerate(input.values)) {
    int64_t g = groupOf(input, axis, i);
    if (std::fabs(v) > params.deltas[g]) {
      sums[g] += std::fabs(v);
      ++counts[g];
    }
  }
  for (auto [sum, count] : llvm::zip(sums, counts))
    params.alphas.push_back(count ? sum / static_cast<double>(count) : 0.0);
  return params;
}

llvm::SmallVector<double> numerics::ternarize(const TensorView &input,
                                              const TernaryParams &params,
                                              std::optional<int64_t> axis) {
  llvm::SmallVector<double> out;
  out.reserve(input.values.size());
  for (auto [i, v] : llvm::enumerate(input.values)) {
    int64_t g = groupOf(input, axis, i);
    double delta = params.deltas[g];
    double alpha = params.alphas[g];
    if (std::isnan(v))
      out.push_back(v);
    else if (v > delta)
      out.push_back(alpha);
    else if (v < -delta)
      out.push_back(-alpha);
    else
      out.push_back(0.0);
  }
  return out;
}

int64_t numerics::pruneCount(std::optional<int64_t> count,
                             std::optional<double> fraction, int64_t size) {
  if (count)
    return *count;
  // Python's round() of the double product: half to even.
  return static_cast<int64_t>(
      std::nearbyint(fraction.value_or(0.0) * static_cast<double>(size)));
}

llvm::SmallVector<int64_t> numerics::topkIndices(llvm::ArrayRef<double> values,
                                                 int64_t k, bool largest) {
  if (k <= 0)
    return {};
  using Entry = std::pair<double, int64_t>;
  // The same container, algorithms and comparators as ATen's CPU topk, so
  // that ties are broken identically.
  std::vector<Entry> queue(values.size());
  for (auto [i, v] : llvm::enumerate(values))
    queue[i] = {v, static_cast<int64_t>(i)};
  auto greater = [](const Entry &x, const Entry &y) {
    return (std::isnan(x.first) && !std::isnan(y.first)) || x.first > y.first;
  };
  auto less = [](const Entry &x, const Entry &y) {
    return (!std::isnan(x.first) && std::isnan(y.first)) || x.first < y.first;
  };
  int64_t n = static_cast<int64_t>(values.size());
  k = std::min(k, n);
  bool usePartialSort = k * 64 <= n;
  if (usePartialSort) {
    if (largest)
      std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), greater);
    else
      std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), less);
  } else {
    if (largest)
      std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(),
                       greater);
    else
      std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(), less);
  }
  llvm::SmallVector<int64_t> indices;
  for (int64_t i = 0; i < k; ++i)
    indices.push_back(queue[i].second);
  llvm::sort(indices);
  return indices;
}

llvm::SmallVector<bool> numerics::magnitudeMask(const TensorView &input,
                                                double threshold) {
  llvm::SmallVector<bool> mask;
  for (double v : input.values)
    mask.push_back(std::fabs(v) > threshold);
  return mask;
}

llvm::SmallVector<bool> numerics::l1UnstructuredMask(const TensorView &input,
                                                     int64_t pruneCount) {
  llvm::SmallVector<bool> mask(input.values.size(), true);
  llvm::SmallVector<double> magnitudes;
  for (double v : input.values)
    magnitudes.push_back(std::fabs(v));
  for (int64_t i : topkIndices(magnitudes, pruneCount, /*largest=*/false))
    mask[i] = false;
  return mask;
}

llvm::SmallVector<bool> numerics::lnStructuredMask(const TensorView &input,
                                                   int64_t pruneCount,
                                                   double norm, int64_t axis) {
  int64_t size = input.shape[axis];
  llvm::SmallVector<double> norms(size, 0.0);
  for (auto [i, v] : llvm::enumerate(input.values)) {
    double &acc = norms[indexAlong(input.shape, axis, i)];
    double mag = std::fabs(v);
    if (std::isinf(norm))
      acc = std::isnan(mag) || std::isnan(acc) ? NAN : std::max(acc, mag);
    else
      acc += norm == 1.0 ? mag : norm == 2.0 ? mag * mag : std::pow(mag, norm);
  }
  if (!std::isinf(norm) && norm != 1.0)
    for (double &n : norms)
      n = norm == 2.0 ? std::sqrt(n) : std::pow(n, 1.0 / norm);

  llvm::SmallVector<bool> keepSlice(size, false);
  if (pruneCount == 0)
    keepSlice.assign(size, true);
  else
    for (int64_t s : topkIndices(norms, size - pruneCount, /*largest=*/true))
      keepSlice[s] = true;

  llvm::SmallVector<bool> mask;
  for (int64_t i = 0, e = input.values.size(); i < e; ++i)
    mask.push_back(keepSlice[indexAlong(input.shape, axis, i)]);
  return mask;
}

llvm::SmallVector<bool> numerics::nmMask(const TensorView &input, int64_t n,
                                         int64_t m, int64_t axis) {
  int64_t numElements = input.values.size();
  llvm::SmallVector<bool> mask(numElements, false);
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(input.shape.size()) - 1; d > axis; --d)
    stride *= input.shape[d];
  int64_t size = input.shape[axis];
  // Larger magnitude first; NaN above every number; lower index on ties.
  auto before = [&](int64_t a, int64_t b) {
    double x = std::fabs(input.values[a]), y = std::fabs(input.values[b]);
    if (std::isnan(x) != std::isnan(y))
      return std::isnan(x);
    if (x != y && !std::isnan(x))
      return x > y;
    return a < b;
  };
  llvm::SmallVector<int64_t> group(m);
  for (int64_t i = 0; i < numElements; ++i) {
    // Visit each group once, from its first element along `axis`.
    int64_t along = (i / stride) % size;
    if (along % m != 0)
      continue;
    for (int64_t j = 0; j < m; ++j)
      group[j] = i + j * stride;
    llvm::sort(group, before);
    for (int64_t j = 0; j < n; ++j)
      mask[group[j]] = true;
  }
  return mask;
}
