//===- Numerics.h - Reference numerics of the QNN operations ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Host-side reference implementations of the numerics that docs/QNN.md
// specifies. Constant folding evaluates operations with these functions, so
// that compile-time results are the specification. Values are passed as
// doubles, which hold every f16, bf16, f32 and f64 value exactly; callers
// round results to the element type.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_NUMERICS_H
#define QNN_DIALECT_QNN_UTILS_NUMERICS_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn::numerics {

/// Affine quantization parameters of one element (per tensor, per channel or
/// per block).
struct QuantParams {
  /// Scale as given by the quantized type; it is used as an f32.
  double scale;
  /// Zero point, within [qmin, qmax].
  int64_t zeroPoint;
  /// Storage bounds.
  int64_t qmin;
  int64_t qmax;
};

/// Rounds `value` to an integral value with `rounding`.
double roundToIntegral(double value, Rounding rounding);

/// Quantizes `x` to its clamped integer code: `clamp(round(x * inv) + zp,
/// qmin, qmax)`, with `inv = fl32(1 / fl32(scale))` and the product rounded
/// to f32 (`computeInF64` false) or f64. NaN maps to qmin, +-Inf saturate.
int64_t quantize(double x, const QuantParams &params, Rounding rounding,
                 bool computeInF64);

/// Quantizes and dequantizes `x` (`qnn.fake_quant`): returns
/// `(q - zp) * fl32(scale)` rounded to the compute type (f32 or f64), as a
/// double; the caller rounds it to the element type.
double fakeQuantize(double x, const QuantParams &params, Rounding rounding,
                    bool computeInF64);

/// Rounds `x` to a signed power of two in [2^minExp, 2^maxExp], or to a
/// signed zero below the smallest level (`qnn.log_quant`).
double logQuantize(double x, int64_t minExp, int64_t maxExp);

/// The requantization multiplier `fl32(fl32(inputScale) / fl32(outputScale))`.
float requantizeMultiplier(double inputScale, double outputScale);

/// A Q31 fixed-point multiplier `m` and right shift `s` with
/// `multiplier = m * 2^-s` (TOSA's computation for `tosa.rescale`).
struct FixedPointMultiplier {
  int64_t multiplier;
  int64_t shift;
};

/// Splits `multiplier` (> 0) into a Q31 multiplier and a shift.
FixedPointMultiplier getFixedPointMultiplier(double multiplier);

/// TOSA's `apply_scale`: `(value * m + round) >> shift` in 64 bits, with
/// `round = 2^(shift-1)`, adjusted by `+-2^30` for double rounding when
/// `shift > 31`.
int64_t applyScale(int64_t value, const FixedPointMultiplier &scale,
                   bool doubleRound);

/// `qnn.requantize` of one accumulator: the rescaled value plus the zero
/// point, clamped to `[lo, hi]`.
int64_t requantize(int64_t acc, float multiplier, RequantizeMode mode,
                   int64_t zeroPoint, int64_t lo, int64_t hi);

/// A dense row-major tensor of values with its shape.
struct TensorView {
  llvm::ArrayRef<double> values;
  llvm::ArrayRef<int64_t> shape;
};

/// Returns the index along `axis` of the element at row-major position
/// `flatIndex` of a tensor of `shape`.
int64_t indexAlong(llvm::ArrayRef<int64_t> shape, int64_t axis,
                   int64_t flatIndex);

/// Returns mean(|x|) over the whole tensor (one value) or, with `axis`, one
/// mean per index along `axis`. Sums are accumulated in f64 in row-major
/// order.
llvm::SmallVector<double> meanAbs(const TensorView &input,
                                  std::optional<int64_t> axis);

/// `qnn.binarize`: `alpha * (x >= 0 ? 1 : -1)`, NaN stays NaN. `alphas` has
/// one value, or one per index along `axis`; values are rounded by the
/// caller's `roundAlpha` before use.
llvm::SmallVector<double> binarize(const TensorView &input,
                                   llvm::ArrayRef<double> alphas,
                                   std::optional<int64_t> axis);

/// Thresholds and scales of `qnn.ternarize`, one per tensor or per index
/// along the axis.
struct TernaryParams {
  llvm::SmallVector<double> deltas;
  llvm::SmallVector<double> alphas;
};

/// Computes the thresholds (given `threshold`, or `ratio * mean(|x|)`) and
/// the TWN scales (mean of |x| over |x| > delta, 0 when none) of
/// `qnn.ternarize`. With `scale == none` every alpha is 1.
TernaryParams ternaryParams(const TensorView &input,
                            std::optional<double> threshold, double ratio,
                            ScaleMode scale, std::optional<int64_t> axis);

/// `qnn.ternarize` with the given (already rounded) alphas.
llvm::SmallVector<double> ternarize(const TensorView &input,
                                    const TernaryParams &params,
                                    std::optional<int64_t> axis);

/// Number of elements to prune for an `amount` given as a count or as a
/// fraction of `size` (Python's `round`, half to even).
int64_t pruneCount(std::optional<int64_t> count, std::optional<double> fraction,
                   int64_t size);

/// The indices `torch.topk(values, k, largest)` selects on the CPU (the set,
/// in ascending order): libstdc++'s nth_element or partial_sort over
/// (value, index) pairs, NaN ordered above every number.
llvm::SmallVector<int64_t> topkIndices(llvm::ArrayRef<double> values, int64_t k,
                                       bool largest);

/// `magnitude` mask: |x| > threshold.
llvm::SmallVector<bool> magnitudeMask(const TensorView &input,
                                      double threshold);

/// `l1_unstructured` mask: prunes the `pruneCount` smallest |x|.
llvm::SmallVector<bool> l1UnstructuredMask(const TensorView &input,
                                           int64_t pruneCount);

/// `ln_structured` mask: prunes the `pruneCount` slices along `axis` with
/// the smallest Ln norm (`norm` may be +Inf).
llvm::SmallVector<bool> lnStructuredMask(const TensorView &input,
                                         int64_t pruneCount, double norm,
                                         int64_t axis);

/// `n_m` mask: keeps the `n` largest |x| of every `m` consecutive elements
/// along `axis`, lower index first among equals, NaN largest.
llvm::SmallVector<bool> nmMask(const TensorView &input, int64_t n, int64_t m,
                               int64_t axis);

} // namespace mlir::qnn::numerics

#endif // QNN_DIALECT_QNN_UTILS_NUMERICS_H
