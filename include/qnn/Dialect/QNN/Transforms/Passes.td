//===- Passes.td - QNN transformation passes ---------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNFoldCalibrationPass : Pass<"qnn-fold-calibration", "func::FuncOp"> {
  let summary = "Turn calibration statistics into fake quantization and "
                "store constant weights in their storage types";
  let description = [{
    0. Batch normalization in inference form, a per-channel affine
       `y * s + t` (a `linalg.generic` with the scale and shift as 1-D
       constants read along the channel) right after a matmul or
       convolution with constant f32 weights, folds into the weights
       (`W * s` along the output channel) and the bias (`b * s + t`),
       before anything is quantized.
    1. Every `qnn.calibrate` with statistics becomes `qnn.fake_quant` with
       the scale and zero point of its method (docs/QNN.md,
       "Calibration"): torch's `_calculate_qparams` on the observed range
       for `min_max` and `moving_average` (per tensor or per axis), on the
       clipping range chosen from the histogram for `percentile`, `mse`
       (torch `HistogramObserver`) and `entropy` (TensorRT).
    2. Constant weights are evaluated at compile time and stored in their
       storage type: `qnn.fake_quant` of a constant becomes an integer
       constant, `quant.scast` and `quant.dcast`; `qnn.binarize` and
       `qnn.ternarize` of a constant become `i2` codes with their scale
       (`alpha`) kept in the quantized type; `qnn.prune_mask`,
       `qnn.apply_mask` and `qnn.log_quant` of constants fold. The results
       are bit-identical to the float computation.

    A `qnn.calibrate` without statistics is an error unless
    `allow-missing-statistics` is set.

    Before:

    ```mlir
    %w = arith.constant dense<[[0.31, -0.12], [0.05, 0.44]]> : tensor<2x2xf32>
    %wq = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035> : tensor<2x2xf32>
    %a = qnn.calibrate %x min_max to ui8 min = [-1.0] max = [3.0]
           : tensor<1x2xf32>
    ```

    After:

    ```mlir
    %c = arith.constant dense<[[89, -34], [14, 126]]> : tensor<2x2xi8>
    %s = quant.scast %c : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.0035>>
    %wq = quant.dcast %s : tensor<2x2x!quant.uniform<i8:f32, 0.0035>> to tensor<2x2xf32>
    %a = qnn.fake_quant %x to !quant.uniform<u8:f32, 0.015686275:64> : tensor<1x2xf32>
    ```
  }];
  let options = [
    Option<"allowMissingStatistics", "allow-missing-statistics", "bool",
           /*default=*/"false",
           "Leave qnn.calibrate operations without statistics in place "
           "instead of failing">,
    Option<"storeWeights", "store-weights", "bool", /*default=*/"true",
           "Store constant quantized, binary and ternary weights in their "
           "storage types">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::qnn::QNNDialect",
    "::mlir::quant::QuantDialect"
  ];
}

def QNNEliminateSparsityPass : Pass<"qnn-eliminate-sparsity", "func::FuncOp"> {
  let summary = "Remove pruned channels and computation on zero weights";
  let description = [{
    - Structured sparsity: when a `linalg.matmul` or NHWC/HWCF or
      NCHW/FCHW convolution with constant weights (float, or integer codes behind `quant.scast` +
      `quant.dcast`) has output channels whose weights and bias are all
      zero, and its result reaches another matmul or convolution with
      constant weights through element-wise operations that map 0 to 0
      (`arith.maximumf` with a bound <= 0, `arith.minimumf` with a bound
      >= 0, per-tensor `qnn.fake_quant`, `quant.qcast` and `quant.dcast`)
      and zero padding outside the channels, those channels are
      removed physically: the weight columns, the bias entries (and
      per-channel scales), the intermediate channels and the matching rows
      of the next weights (QONNX's RemoveMaskedChannels). Results are
      unchanged: the removed terms were exact zeros.
    - A matmul or convolution whose constant weights are all zero is its
      initial value (the bias).
    - `qnn.apply_mask` with a mask of all ones disappears; with a constant
      input and mask it folds.
    - Unstructured and N:M sparsity: a `linalg.matmul` whose constant f32
      weights are at least `compress-threshold` zeros becomes loops over
      the nonzeros, stored column by column (CSC: column starts, row
      indices, values). Each output sums its nonzero terms in the order of
      the dense loop, so for finite inputs the result is the dense one bit
      for bit. Weights stored as integer codes (per tensor or per column)
      with plain f32 activations (weight-only quantization) keep their
      codes in the CSC values and are dequantized in the loop; with
      quantized activations the matmul is left to `--qnn-rewrite-int8`.

    Run it after `--qnn-fold-calibration` (which stores quantized weights)
    and before `--qnn-rewrite-int8`.

    Before (channel 1 of %w1 and of %b1 is zero):

    ```mlir
    %h = linalg.matmul ins(%x, %w1 : tensor<4x8xf32>, tensor<8x3xf32>) ...
    %r = arith.maximumf %h, %zeros : tensor<4x3xf32>
    %y = linalg.matmul ins(%r, %w2 : tensor<4x3xf32>, tensor<3x2xf32>) ...
    ```

    After: `%w1` is `8x2`, `%r` is `4x2`, `%w2` is `2x2`.
  }];
  let options = [
    Option<"compressThreshold", "compress-threshold", "double",
           /*default=*/"0.95",
           "Fraction of zeros from which constant f32 matmul weights are "
           "stored compressed with zero-skipping loops (above 1: never). "
           "Below it, the dense kernels of --qnn-compile are as fast or "
           "faster (qnn-bench-sparse-fc)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def QNNExpandCopiesPass : Pass<"qnn-expand-copies", "func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    The LLVM lowering of `memref.copy` calls `memrefCopy` from the MLIR
    runtime library unless source and target both have identity layouts.
    This pass rewrites every other copy (into or out of a strided view, as
    `tensor.pad` bufferizes) into loops, so that code compiled by
    `--qnn-compile` and `quant-compile` needs nothing but libc: static
    views with contiguous rows become `scf.for` loops over rows, each row a
    contiguous `memref.copy` (a `memcpy`); other views become
    `linalg.copy`. Contiguous copies stay as they are.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect"];
}

def QNNLowerInt8KernelsPass : Pass<"qnn-lower-int8-kernels", "ModuleOp"> {
  let summary = "Lower int8 (and f32) contractions to packed, vectorized "
                "kernels built on the target's dot-product instruction";
  let description = [{
    Runs on buffers, after bufferization (`--qnn-compile` runs it). Matches
    the integer contractions `--qnn-rewrite-int8` produces, a
    `linalg.generic` computing

      C[m, n] += (widen(x[m, k]) - zx) * (widen(w[k, n]) - zw)

    on i8 codes into i32 (`widen` is `arith.extsi` or `arith.extui`, the
    zero points optional constants; the weights K x N or, as PyTorch
    stores a Linear's, N x K; `zx` may also be an i32 computed before
    the contraction, as `--qnn-rewrite-int8="dynamic=true"` does: then the
    weights' column sums are packed too and each tile subtracts
    `zx * sum_k w'`), for a matmul or an NHWC x HWCF or NCHW x FCHW
    convolution (any strides and dilations), with constant weights, static
    shapes and unit innermost strides. NCHW convolutions gather each group
    of channels from their planes and scatter the outputs (channels are not
    contiguous there), at some cost against NHWC. Each becomes register-tiled loops
    around the target's dot-product instruction:

    | target | instruction | accumulator | tile (rows x columns) |
    |---|---|---|---|
    | `x86-avx512-vnni` | `vpdpbusd` (u8 x s8, 4 steps) | 16 x i32 | 6 x 64 |
    | `x86-64-v3` | `vpmaddwd` (i16 x i16, 2 steps) | 8 x i32 | 4 x 16 |
    | `aarch64-dotprod` | `sdot` (4 steps) | 4 x i32 | 4 x 16 |
    | `aarch64-i8mm` | `smmla` (2x8 by 8x2) | 2x2 x i32 | 8 x 8 |
    | `aarch64` | widening multiply-add | 4 x i32 | 4 x 16 |

    `host` is the most capable of these the running CPU supports;
    `generic` leaves every contraction to portable loops.

    The weights are packed at compile time, `w - zw` in
    `[N/cols][K/steps][cols][steps]` order (zero-padded), into a private
    constant `memref.global`. A convolution is an implicit GEMM: one row
    per output pixel, the reduction over (kh, kw, c), the input read in
    place. Activation bytes are flipped to the instruction's signedness
    (x + 128 for `vpdpbusd` on i8 codes, x - 128 for `sdot`/`smmla` on u8
    codes); that offset and the activation zero point fold into one i32
    correction per output channel, added to the accumulators before the
    reduction. When the op right before the contraction sets the
    accumulators to one constant per channel (a `linalg.fill`, or the
    `linalg.broadcast` of a bias), that value joins the corrections and the
    op goes: the outputs are written without being read first. Reductions
    whose weight panel exceeds 64 KiB run in blocks (reloading the
    accumulators between blocks). When the reduction runs in one block and
    the accumulators' only reader is the next all-parallel
    `linalg.generic` (the requantization), reading them with the identity
    map and otherwise only scalars and per-channel vectors, with an
    element-wise body, into a fresh allocation, that body is applied to each accumulator vector
    before it is stored, in the epilogue of the kernel, and the i32
    outputs are never written. Integer arithmetic wraps, so the results
    are exactly those of the contraction.

    f32 contractions of the same shapes with constant weights (a
    `linalg.matmul`, `linalg.conv_2d_nhwc_hwcf` or
    `linalg.conv_2d_nchw_fchw`, or the equivalent `linalg.generic`
    computing `out + x * w`) use the same tiles and
    packing, with one f32 lane per output: a vector multiply and a
    separate add (no fused multiply-add), so that each output sums its
    products in the portable loops' order ((kh, kw, c) for NHWC, (c, kh,
    kw) for NCHW) with their roundings, and the results are bit-identical
    to them.

    Contractions that do not match (depthwise and batched ones, dynamic
    shapes, weights
    whose `w - zw` does not fit the instruction's operand, convolutions
    whose input channels are not a multiple of the instruction's steps)
    are left unchanged for the portable lowering.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "Machine to generate code for: host, generic, x86-64-v3, "
           "x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::arm_neon::ArmNeonDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
