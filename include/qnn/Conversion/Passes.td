//===- Passes.td - quant-mlir conversion passes ------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_PASSES_TD
#define QNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// QNNToLinalg
//===----------------------------------------------------------------------===//

def ConvertQNNToLinalgPass : Pass<"convert-qnn-to-linalg"> {
  let summary = "Lower qnn operations on ranked tensors to linalg, arith and math";
  let description = [{
    Rewrites every `qnn` operation into `linalg.generic` operations (with
    `arith` and `math` bodies) that compute exactly the numerics of
    docs/QNN.md:

    - `qnn.fake_quant`: one element-wise generic; per-axis and sub-channel
      parameters are constant tensors read through broadcasting indexing
      maps.
    - `qnn.log_quant`: exact log-domain rounding from the float's exponent
      and significand bits.
    - `qnn.binarize`, `qnn.ternarize`: run-time reductions (f64, row-major)
      for the `mean_abs` scales and TWN thresholds, then an element-wise
      generic.
    - `qnn.prune_mask`: a mask of a constant input is evaluated at compile
      time (torch's exact tie order); otherwise `magnitude`, `n_m` and
      `ln_structured` are computed at run time and `l1_unstructured`, which
      needs a global order statistic with torch's tie order, is rejected
      with an error.
    - `qnn.apply_mask`: a select; `qnn.calibrate`: its input.

    Before:

    ```mlir
    %0 = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.1:3> : tensor<4xf32>
    ```

    After:

    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %p = arith.mulf %in, %inv : f32
      %r = math.roundeven %p : f32
      ...
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

//===----------------------------------------------------------------------===//
// QuantToLinalg
//===----------------------------------------------------------------------===//

def ConvertQuantToLinalgPass : Pass<"convert-quant-to-linalg", "ModuleOp"> {
  let summary = "Lower upstream quant casts with PyTorch's numerics";
  let description = [{
    Lowers `quant.qcast`, `quant.dcast` and `quant.scast` on ranked and
    unranked tensors and scalars, and replaces `!quant.uniform` element
    types by their storage types everywhere: function signatures, calls,
    returns, and ops that only move codes (reshapes, slices, pads,
    transposes, ...).

    `quant.qcast` computes `clamp(nearbyint(x * fl32(1/s)) + z, qmin, qmax)`
    in f32 (f64 for f64 values) and narrows only after saturating (NaN
    becomes `qmin`); `quant.dcast` computes `(q - z) * fl32(s)`. So
    `dcast(qcast(x))` equals `qnn.fake_quant` and
    `torch.fake_quantize_per_tensor_affine` bit for bit. Upstream
    `--lower-quant-ops` instead divides by the scale, truncates with
    `fptosi` and clamps only storage types with narrowed bounds.

    A module carrying the unit attribute `qnn.divide_by_scale` (the ONNX
    importer sets it) quantizes as ONNX and ONNX Runtime do:
    `clamp(nearbyint(x / fl32(s)) + z, qmin, qmax)`, dividing by the scale
    instead of multiplying by its reciprocal; everything else is the same.

    Per-tensor, per-axis and sub-channel types are supported, with storage
    types of 2 to 32 bits. Codes wider than 16 bits (ONNX's and TFLite's
    int32 bias) are not exact in f32: their zero point is added and the
    clamp applied on i64 after rounding, and `dcast` computes `q - z` on
    integers before the one rounding to float, as ONNX Runtime does.
    An unranked tensor is cast on a ranked view of it: 1-D per tensor,
    `[before, channels, after]` per axis, with run-time checks that the
    quantized dimension exists and has the type's size.

    Before:

    ```mlir
    %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:3>>
    %y = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.1:3>> to tensor<4xf32>
    ```

    After: two `linalg.generic` operations, the first producing
    `tensor<4xi8>` with `arith.fptosi` after the clamp, the second
    `tensor<4xf32>` with `arith.sitofp`, `arith.subf` and `arith.mulf`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

//===----------------------------------------------------------------------===//
// TosaToLinalg
//===----------------------------------------------------------------------===//

def QNNLowerTosaPass : Pass<"qnn-lower-tosa", "ModuleOp"> {
  let summary = "Lower TOSA (as TFLite models become) to linalg, integer "
                "rescales included";
  let description = [{
    Runs upstream's TOSA lowering when the module holds TOSA operations
    (and does nothing otherwise): `tosa-optional-decompositions`,
    `tosa-infer-shapes`, `tosa-make-broadcastable`, `tosa-to-linalg-named`,
    `tosa-to-linalg`, then `tosa-to-arith` with `include-apply-rescale`
    (so `tosa.rescale` becomes exact fixed-point integer arithmetic, its
    `SINGLE_ROUND` or `DOUBLE_ROUND` on i64), `tosa-to-tensor` and
    `tosa-to-scf`, with canonicalization between them as upstream's
    `--tosa-to-linalg-pipeline` does (without its TOSA validation, which
    rejects `DOUBLE_ROUND`). Quantized TOSA contractions become the named
    integer ops of the contract (`linalg.quantized_batch_matmul`,
    `conv_2d_nhwc_fhwc_q`, and `depthwise_conv_2d_nhwc_hwc_q` for a
    channel multiplier of 1), which the kernels take; a depthwise
    convolution with a larger multiplier stays `depthwise_conv_2d_nhwc_hwcm_q`
    on portable loops, with a remark.

    Tensors of `ui8` (old TFLite uint8 models) or other signed integer
    types at a function's boundary become signless (the same bits): upstream
    computes on signless integers and leaves sign casts there, and the
    round trips it leaves between two lowered ops fold away. A sign cast
    left anywhere else is an error on it.

    Quantized element types must already be storage types (run
    `--convert-quant-to-linalg` first, as `--qnn-compile` does): upstream's
    TOSA lowering does not accept `!quant.uniform` tensors. Fails, naming
    the op, when a TOSA operation is left.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // QNN_CONVERSION_PASSES_TD
