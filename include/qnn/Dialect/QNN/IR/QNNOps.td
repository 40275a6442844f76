//===- QNNOps.td - QNN dialect operations ------------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Operations of the QNN dialect. Every description states the semantics as a
// formula and numbers the constraints (C1, C2, ...) that the verifier checks;
// docs/QNN.md uses the same numbering.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_TD
#define QNN_DIALECT_QNN_IR_QNNOPS_TD

include "qnn/Dialect/QNN/IR/QNNBase.td"
include "qnn/Dialect/QNN/IR/QNNAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// The float element types the QNN operations compute on.
def QNN_Float : AnyTypeOf<[F16, BF16, F32, F64]>;

/// A ranked tensor of a supported float type.
def QNN_FloatTensor : RankedTensorOf<[QNN_Float]>;

/// A ranked tensor of booleans (pruning masks).
def QNN_MaskTensor : RankedTensorOf<[I1]>;

/// Upstream uniform quantized types: per-tensor, per-axis or sub-channel.
def QNN_UniformQuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType, "
          "::mlir::quant::UniformQuantizedSubChannelType>($_self)">,
    "uniform quantized type (per-tensor, per-axis or sub-channel)">;

/// A 64-bit float attribute whose accessor returns a `double`.
def QNN_F64Attr : FloatAttrBase<F64, "64-bit float attribute"> {
  let returnType = [{ double }];
  let convertFromStorage = [{ $_self.getValueAsDouble() }];
}

//===----------------------------------------------------------------------===//
// Base class
//===----------------------------------------------------------------------===//

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, traits>;

/// An element-wise (or per-channel) transformation of a float tensor that
/// preserves the tensor type.
class QNN_FloatUnaryOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let results = (outs QNN_FloatTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

def QNN_FakeQuantOp : QNN_FloatUnaryOp<"fake_quant"> {
  let summary = "quantize and dequantize with PyTorch's exact numerics";
  let description = [{
    Rounds every element of `input` to the grid of the uniform quantized type
    `qtype` and maps it back to float, exactly as
    `torch.fake_quantize_per_tensor_affine` and
    `torch.fake_quantize_per_channel_affine` do on the CPU.

    For each element `x` with scale `s` and zero point `z` (per tensor, per
    axis or per block of `qtype`), with `qmin`/`qmax` the storage bounds of
    `qtype` (narrowed bounds such as `i8<-127:127>` included) and `c` the
    compute type (`f32` for f16/bf16/f32 inputs, `f64` for f64):

    ```
    sc  = fl32(s)                      // the scale as an f32
    inv = fl32(1.0f / sc)              // f32 reciprocal, as torch computes it
    r   = round(c(x) * c(inv))         // product rounded in type c
    q   = clamp(r + z, qmin, qmax)     // exact integer arithmetic
    out = fl_T((q - z) * c(sc))        // rounded once to the element type T
    ```

    `round` is the `rounding` attribute: `half_even` (default, torch's
    `std::nearbyint`), `half_away_from_zero`, `floor` or `toward_zero`.
    Saturation happens before any narrowing. `+Inf` saturates to `qmax` and
    `-Inf` to `qmin`; `NaN` maps to `qmin`, which is what PyTorch's x86
    kernels produce. (PyTorch converts to int64 before clamping, which is
    undefined for `|x * inv| >= 2^63` and yields `qmin` on x86 even for
    `+Inf`; `qnn` saturates those to `qmax` as the formula says.) `-0.0`
    quantizes like `+0.0`.

    Unlike `quant.dcast(quant.qcast(x))`, which upstream canonicalization
    folds to `x`, this operation is never removed by canonicalization: it
    folds only when `input` is a constant.

    Constraints:
    - (C1) the expressed type of `qtype` is the element type of `input`.
    - (C2) the storage type of `qtype` has 2 to 16 bits.
    - (C3) every scale is positive and finite as an f32, with a finite f32
      reciprocal.
    - (C4) every zero point lies in `[qmin, qmax]`.
    - (C5) per-axis: the quantized dimension is a dimension of `input`, and
      its size (when static) equals the number of scales.
    - (C6) sub-channel: every quantized dimension is a dimension of `input`,
      the scales have the rank of `input`, a dimension without a block size
      has one block, and each static dimension equals block size times the
      scales' size along it.

    Example:

    ```mlir
    %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1:3> : tensor<4xf32>
    %1 = qnn.fake_quant %w to !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>
           rounding<half_away_from_zero> : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    TypeAttrOf<QNN_UniformQuantizedType>:$qtype,
    DefaultValuedAttr<QNN_RoundingAttr, "::mlir::qnn::Rounding::half_even">
        :$rounding
  );
  let assemblyFormat = [{
    $input `to` $qtype (`rounding` `` $rounding^)? attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// LogQuantOp
//===----------------------------------------------------------------------===//

def QNN_LogQuantOp : QNN_FloatUnaryOp<"log_quant"> {
  let summary = "power-of-two (logarithmic) quantization";
  let description = [{
    Rounds every element to a signed power of two:

    ```
    e   = round_log2(|x|)                // nearest in the log domain
    out = copysign(0, x)                 if e < min_exp or x == 0
        = copysign(2^min(e, max_exp), x) otherwise
    ```

    `round_log2` rounds to the nearest integer in the log domain: with
    `|x| = m * 2^k`, `1 <= m < 2`, it is `k + 1` if `m > sqrt(2)` and `k`
    otherwise (the geometric midpoint `sqrt(2) * 2^k` is irrational, so no
    float is a tie). It is computed exactly from the float's exponent and
    significand, not with a floating-point `log2`. Values whose rounded
    exponent is below `min_exp` (that is `|x| < 2^(min_exp - 1/2)`) become
    zero with the sign of `x`; values above the largest level saturate to
    `+-2^max_exp` (`+-Inf` included). `NaN` stays `NaN`.

    A code of `bits` bits holds one sign bit and `bits - 1` exponent bits,
    one exponent code being reserved for zero.

    Constraints:
    - (C1) `2 <= bits <= 16`.
    - (C2) `min_exp <= max_exp`.
    - (C3) the levels fit the code: `max_exp - min_exp + 1 <= 2^(bits-1) - 1`.
    - (C4) `2^min_exp` and `2^max_exp` are finite, non-zero values of the
      element type (denormals allowed).

    Example:

    ```mlir
    // 4 bits: sign + 3 exponent bits, levels 2^-6 .. 2^0.
    %0 = qnn.log_quant %x bits = 4 exp = [-6, 0] : tensor<16xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    I64Attr:$bits,
    I64Attr:$min_exp,
    I64Attr:$max_exp
  );
  let assemblyFormat = [{
    $input `bits` `=` $bits `exp` `=` `[` $min_exp `,` $max_exp `]` attr-dict
    `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// BinarizeOp
//===----------------------------------------------------------------------===//

def QNN_BinarizeOp : QNN_FloatUnaryOp<"binarize"> {
  let summary = "sign binarization with an optional scale (XNOR-Net)";
  let description = [{
    ```
    out = alpha * (x >= 0 ? +1 : -1)
    ```

    Zero (`+0.0` and `-0.0`) maps to `+1`, as in Larq and QONNX
    `BipolarQuant` (unlike `torch.sign`, for which `sign(0) = 0`). `NaN`
    stays `NaN`.

    `scale` selects `alpha`:
    - `none` (default): `alpha = 1`;
    - `mean_abs` without `axis`: `alpha = mean(|x|)` over the whole tensor;
    - `mean_abs` with `axis = d`: one `alpha` per index along dimension `d`,
      the mean of `|x|` over all other dimensions (XNOR-Net's per-filter
      scale).

    Means are accumulated in f64 in row-major order and rounded once to the
    element type, so `out` is exactly `+alpha` or `-alpha`.

    Constraints:
    - (C1) `axis` is given only with `scale = mean_abs`.
    - (C2) `0 <= axis < rank(input)`.

    Example:

    ```mlir
    %0 = qnn.binarize %w : tensor<64x3x3x3xf32>
    %1 = qnn.binarize %w scale<mean_abs> axis = 0 : tensor<64x3x3x3xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    DefaultValuedAttr<QNN_ScaleModeAttr, "::mlir::qnn::ScaleMode::none">
        :$scale,
    OptionalAttr<I64Attr>:$axis
  );
  let assemblyFormat = [{
    $input (`scale` `` $scale^)? (`axis` `=` $axis^)? attr-dict
    `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// TernarizeOp
//===----------------------------------------------------------------------===//

def QNN_TernarizeOp : QNN_FloatUnaryOp<"ternarize"> {
  let summary = "ternarization with a threshold and an optional scale (TWN)";
  let description = [{
    ```
    t   = +1 if x > delta, -1 if x < -delta, 0 otherwise
    out = alpha * t
    ```

    `delta` is `threshold` when that attribute is given, and otherwise
    `threshold_ratio * mean(|x|)` (Ternary Weight Networks; the ratio
    defaults to 0.7). `scale` selects `alpha`:
    - `none` (default): `alpha = 1`;
    - `mean_abs`: TWN's `alpha = mean(|x|)` over the elements with
      `|x| > delta`; when no element exceeds `delta`, `alpha = 0`.

    With `axis = d`, `delta` (when derived from the ratio) and `alpha` are
    computed per index along dimension `d`, over all other dimensions.
    Means and the comparisons with `delta` are evaluated in f64 (sums
    accumulated in row-major order); `alpha` is rounded once to the element
    type, so `out` is exactly `+alpha`, `-alpha` or `+0.0`. `NaN` stays
    `NaN`.

    Constraints:
    - (C1) at most one of `threshold` and `threshold_ratio` is given.
    - (C2) `threshold` is finite and `>= 0`; `threshold_ratio` is finite
      and `>= 0`.
    - (C3) `0 <= axis < rank(input)`.

    Example:

    ```mlir
    %0 = qnn.ternarize %w scale<mean_abs> : tensor<256x128xf32>
    %1 = qnn.ternarize %w threshold = 5.000000e-02 axis = 0
           : tensor<256x128xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    OptionalAttr<QNN_F64Attr>:$threshold,
    OptionalAttr<QNN_F64Attr>:$threshold_ratio,
    DefaultValuedAttr<QNN_ScaleModeAttr, "::mlir::qnn::ScaleMode::none">
        :$scale,
    OptionalAttr<I64Attr>:$axis
  );
  let assemblyFormat = [{
    $input (`threshold` `=` $threshold^)?
    (`threshold_ratio` `=` $threshold_ratio^)? (`scale` `` $scale^)?
    (`axis` `=` $axis^)? attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// TWN's default ratio of the threshold to mean(|x|).
    static constexpr double kDefaultThresholdRatio = 0.7;
  }];
}

//===----------------------------------------------------------------------===//
// PruneMaskOp
//===----------------------------------------------------------------------===//

def QNN_PruneMaskOp : QNN_Op<"prune_mask", [
    Pure,
    TypesMatchWith<"mask has the shape of input with i1 elements",
                   "input", "mask",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).clone("
                   "::mlir::IntegerType::get($_self.getContext(), 1))">]> {
  let summary = "compute a pruning mask (true = keep)";
  let description = [{
    Computes an `i1` mask of the shape of `input`; `true` keeps the element.

    - `magnitude`: keep `|x| > threshold`.
    - `l1_unstructured`: prune the `k` smallest `|x|` of the whole tensor,
      as `torch.nn.utils.prune.l1_unstructured`. `amount` (in the attribute
      dictionary) is a count (an `i64` attribute) or a fraction (an `f64`
      attribute), mirroring torch's int and float `amount`; a fraction gives
      `k = round_half_even(amount * numel)`, as Python's `round`. Ties and
      `NaN` follow `torch.topk(|x|.flatten(), k, largest=False)` on the CPU
      exactly: the `k` selected elements are the first `k` of
      `std::nth_element` (or `std::partial_sort` when `64 * k <= numel`) of
      the pairs `(|x|, flat index)` compared by value only, `NaN` ordered
      above every number.
    - `ln_structured`: prune whole slices along `axis` (torch's `dim`) by
      their Ln norm (`norm` is torch's `n`, `> 0`, `+Inf` allowed): with
      `size = dim(input, axis)` and `k` from `amount` as above (relative to
      `size`), keep the `size - k` slices of largest norm, selected as
      `torch.topk(norms, size - k, largest=True)` on the CPU. Norms are
      computed in f64.
    - `n_m`: along `axis`, in every group of `m` consecutive elements keep
      the `n` of largest `|x|`; among equal magnitudes the lower index is
      kept (`NaN` counts as the largest).

    Constraints:
    - (C1) the attributes given are exactly those of `method`:
      `magnitude` takes `threshold`; `l1_unstructured` takes `amount`;
      `ln_structured` takes `amount`, `norm` and `axis`; `n_m` takes `n`,
      `m` and optionally `axis` (default: the last dimension).
    - (C2) `threshold` is finite and `>= 0`.
    - (C3) an integer `amount` is in `[0, numel]` (`[0, size]` for
      `ln_structured`) when the shape is static; a float `amount` is in
      `[0, 1]`.
    - (C4) `norm > 0` (not NaN).
    - (C5) `0 <= axis < rank(input)`.
    - (C6) `1 <= n <= m`, and the static size along `axis` is a multiple
      of `m`.

    Example:

    ```mlir
    %m0 = qnn.prune_mask %w magnitude threshold = 1.000000e-02
            : tensor<64x64xf32>
    %m1 = qnn.prune_mask %w l1_unstructured {amount = 5.000000e-01 : f64}
            : tensor<64x64xf32>
    %m2 = qnn.prune_mask %w ln_structured norm = 2.000000e+00 axis = 0
            {amount = 16 : i64} : tensor<64x64xf32>
    %m3 = qnn.prune_mask %w n_m n = 2 m = 4 : tensor<64x64xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    QNN_PruneMethodAttr:$method,
    OptionalAttr<QNN_F64Attr>:$threshold,
    OptionalAttr<AnyAttrOf<[I64Attr, QNN_F64Attr]>>:$amount,
    OptionalAttr<QNN_F64Attr>:$norm,
    OptionalAttr<I64Attr>:$n,
    OptionalAttr<I64Attr>:$m,
    OptionalAttr<I64Attr>:$axis
  );
  let results = (outs QNN_MaskTensor:$mask);
  let assemblyFormat = [{
    $input $method (`threshold` `=` $threshold^)? (`norm` `=` $norm^)?
    (`n` `=` $n^)? (`m` `=` $m^)? (`axis` `=` $axis^)? attr-dict
    `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// ApplyMaskOp
//===----------------------------------------------------------------------===//

def QNN_ApplyMaskOp : QNN_Op<"apply_mask", [
    Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "zero the elements whose mask bit is false";
  let description = [{
    ```
    out = mask ? x : 0
    ```

    The zero is `+0.0` for floats (a masked `NaN` becomes `+0.0`) and `0`
    for integers. Folds to `input` when the mask is a constant of all ones,
    to zeros when it is all zeros, and to a constant when both operands are
    constants.

    Constraints:
    - (C1) `mask` has the shape of `input`.

    Example:

    ```mlir
    %0 = qnn.apply_mask %w, %mask : tensor<64x64xf32>, tensor<64x64xi1>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnyInteger, QNN_Float]>:$input,
    QNN_MaskTensor:$mask
  );
  let results = (outs RankedTensorOf<[AnyInteger, QNN_Float]>:$output);
  let assemblyFormat = [{
    $input `,` $mask attr-dict `:` type($input) `,` type($mask)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

def QNN_RequantizeOp : QNN_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "rescale an i32 accumulator to a quantized output";
  let description = [{
    Maps each i32 accumulator `acc` of an integer matmul or convolution
    (whose real value is `acc * s_in`) to the grid of the per-tensor type
    `output_type` (scale `s_out`, zero point `z`, storage bounds
    `[qmin, qmax]`), clamped to `[lo, hi]`: `clamp_min`/`clamp_max` when
    given (a fused ReLU or ReLU6), the storage bounds otherwise.

    `s_in` is `input_scales[0]`, or with `axis = d` the entry for the
    element's index along dimension `d` (per-channel weights). The
    multiplier is `M = fl32(fl32(s_in) / fl32(s_out))`. `mode`:

    - `float` (default): `clamp(nearbyint(fl32(fl32(acc) * M)) + z, lo, hi)`:
      PyTorch's qnnpack requantization (bit-exact); PyTorch's onednn
      engine, which adds a float bias, differs by at most 1 on rare ties.
    - `fixed_point_single`, `fixed_point_double`: TOSA's `apply_scale`
      (gemmlowp/TFLite) with a Q31 multiplier: `M = m * 2^-s` with
      `m = round(f * 2^31)`, `M = f * 2^e`, `f` in `[0.5, 1)`, `s = 31 - e`;
      `r = (acc * m + 2^(s-1) [+- 2^30 when double rounding and s > 31]) >> s`,
      then `clamp(r + z, lo, hi)`.

    Constraints:
    - (C1) `output_type` is per-tensor, with a storage type of 2 to 16 bits
      equal in width to the result's element type.
    - (C2) every input scale is positive and finite as an f32; one per
      tensor, or with `axis`, one per index along it (static sizes).
    - (C3) `0 <= axis < rank`.
    - (C4) `qmin <= clamp_min <= clamp_max <= qmax`.
    - (C5) fixed-point modes: `2 <= s <= 62` for every multiplier.

    Example:

    ```mlir
    %y = qnn.requantize %acc scales = [1.0e-03, 2.0e-03] axis = 1
           to !quant.uniform<u8:f32, 0.1:128> clamp_min = 128
           : tensor<4x2xi32> -> tensor<4x2xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I32]>:$input,
    DenseF64ArrayAttr:$input_scales,
    OptionalAttr<I64Attr>:$axis,
    TypeAttrOf<QNN_UniformQuantizedType>:$output_type,
    DefaultValuedAttr<QNN_RequantizeModeAttr,
                      "::mlir::qnn::RequantizeMode::floating_point">:$mode,
    OptionalAttr<I64Attr>:$clamp_min,
    OptionalAttr<I64Attr>:$clamp_max
  );
  let results = (outs RankedTensorOf<[AnySignlessInteger]>:$output);
  let assemblyFormat = [{
    $input `scales` `=` custom<ExactF64Array>($input_scales)
    (`axis` `=` $axis^)? `to` $output_type
    (`mode` `` $mode^)? (`clamp_min` `=` $clamp_min^)?
    (`clamp_max` `=` $clamp_max^)? attr-dict `:` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The clamp bounds in effect: the attributes, or the storage bounds.
    std::pair<int64_t, int64_t> getClampBounds();
  }];
}

//===----------------------------------------------------------------------===//
// CalibrateOp
//===----------------------------------------------------------------------===//

def QNN_CalibrateOp : QNN_Op<"calibrate", [Pure, SameOperandsAndResultType]> {
  let summary = "identity that carries calibration statistics";
  let description = [{
    Returns `input` unchanged. It records the quantization wanted for this
    value (`storage_type`, `symmetric`, `narrow_range`, `reduce_range`), the
    method that turns statistics into a scale and zero point, and the
    statistics themselves once a calibration run has observed them: `min`
    and `max` (one value per tensor, or one per index along `axis`) and,
    for the histogram methods, `histogram`: the counts of equal-width bins
    spanning `[min, max]`. `--qnn-calibration-to-fake-quant` replaces it by
    `qnn.fake_quant`; the formulas are in docs/QNN.md ("Calibration").

    It is not folded, even on constants: it carries information that the
    compiler needs later.

    Constraints:
    - (C1) `storage_type` is an integer type of 2 to 16 bits; `ui*` is
      unsigned, `i*` and `si*` are signed.
    - (C2) `narrow_range` requires a signed storage type.
    - (C3) `min` and `max` are given together, have the same length, are
      finite and `min <= max` element-wise.
    - (C4) without `axis` they hold one value; with `axis`, `0 <= axis <
      rank(input)` and (for a static size) one value per index along `axis`.
    - (C5) `averaging_constant` is given only with `moving_average`, in
      `(0, 1]`.
    - (C6) `percentile` is given only with method `percentile`, in
      `(0, 100]`.
    - (C7) `histogram` is given only with `percentile`, `entropy` or `mse`,
      only per tensor, only with `min`/`max`, has at least one bin, and its
      counts are finite, and `>= 0` except for `mse` (torch's
      HistogramObserver, whose search `mse` reproduces, merges histograms
      in f32 and can leave counts slightly below zero).
    - (C8) `percentile`, `entropy` and `mse` with statistics must carry a
      `histogram`.
    - (C9) `reduce_range` is not combined with `symmetric` for unsigned
      storage (PyTorch rejects it too).

    `percentile` defaults to 99.99. For `entropy`, the histogram counts
    `|x|` over `[0, max(-min, max)]`; for `percentile` and `mse` it counts
    `x` over `[min, max]`.

    Example:

    ```mlir
    %0 = qnn.calibrate %x min_max to i8 symmetric
           min = [-2.5] max = [3.0] : tensor<1x64xf32>
    %1 = qnn.calibrate %x moving_average to ui8 averaging_constant = 1.0e-02
           : tensor<1x64xf32>
    ```
  }];
  let arguments = (ins
    QNN_FloatTensor:$input,
    QNN_CalibrationMethodAttr:$method,
    TypeAttrOf<AnyInteger>:$storage_type,
    UnitAttr:$symmetric,
    UnitAttr:$narrow_range,
    UnitAttr:$reduce_range,
    OptionalAttr<QNN_F64Attr>:$averaging_constant,
    OptionalAttr<QNN_F64Attr>:$percentile,
    OptionalAttr<I64Attr>:$axis,
    OptionalAttr<DenseF64ArrayAttr>:$min,
    OptionalAttr<DenseF64ArrayAttr>:$max,
    OptionalAttr<DenseF64ArrayAttr>:$histogram
  );
  let results = (outs QNN_FloatTensor:$output);
  let extraClassDeclaration = [{
    /// The percentile of the `percentile` method when none is given.
    static constexpr double kDefaultPercentile = 99.99;
  }];
  let assemblyFormat = [{
    $input $method `to` $storage_type (`symmetric` $symmetric^)?
    (`narrow_range` $narrow_range^)? (`reduce_range` $reduce_range^)?
    (`averaging_constant` `=` $averaging_constant^)?
    (`percentile` `=` $percentile^)? (`axis` `=` $axis^)?
    (`min` `=` custom<ExactF64Array>($min)^)?
    (`max` `=` custom<ExactF64Array>($max)^)?
    (`histogram` `=` custom<ExactF64Array>($histogram)^)?
    attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

include "qnn/Dialect/QNN/IR/QNNBitOps.td"

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
