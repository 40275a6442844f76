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

def QNNFoldBatchNormPass : Pass<"qnn-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference batch normalization into constant weights";
  let description = [{
    Batch normalization in inference form, a per-channel affine `y * s + t`
    (a `linalg.generic` with the scale and shift as 1-D constants read
    along the channel) right after a matmul or convolution with constant
    f32 weights, folds into the weights (`W * s` along the output channel)
    and the bias (`b * s + t`). Run it before anything is quantized
    (`--qnn-quantize` does).

    Before:

    ```mlir
    %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : ...) outs(%bias : ...)
    %bn = linalg.generic {...} ins(%y, %scale, %shift : ...) {
      %0 = arith.mulf %in, %s : f32
      %1 = arith.addf %0, %t : f32
      linalg.yield %1 : f32
    }
    ```

    After: the convolution with weights `w * scale` and bias
    `bias * scale + shift`, and no `linalg.generic`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect"
  ];
}

def QNNCalibrationToFakeQuantPass
    : Pass<"qnn-calibration-to-fake-quant", "func::FuncOp"> {
  let summary = "Turn calibration statistics into fake quantization";
  let description = [{
    Every `qnn.calibrate` with statistics becomes `qnn.fake_quant` with the
    scale and zero point of its method (docs/QNN.md, "Calibration"):
    torch's `_calculate_qparams` on the observed range for `min_max` and
    `moving_average` (per tensor or per axis), on the clipping range chosen
    from the histogram for `percentile`, `mse` (torch `HistogramObserver`)
    and `entropy` (TensorRT).

    A `qnn.calibrate` without statistics is an error unless
    `allow-missing-statistics` is set; every error is reported before
    anything changes.

    Before:

    ```mlir
    %a = qnn.calibrate %x min_max to ui8 min = [-1.0] max = [3.0]
           : tensor<1x2xf32>
    ```

    After:

    ```mlir
    %a = qnn.fake_quant %x to !quant.uniform<u8:f32, 0.015686275:64> : tensor<1x2xf32>
    ```
  }];
  let options = [
    Option<"allowMissingStatistics", "allow-missing-statistics", "bool",
           /*default=*/"false",
           "Leave qnn.calibrate operations without statistics in place "
           "instead of failing">,
  ];
  let dependentDialects = [
    "::mlir::qnn::QNNDialect",
    "::mlir::quant::QuantDialect"
  ];
}

def QNNStoreWeightsPass : Pass<"qnn-store-weights", "func::FuncOp"> {
  let summary = "Evaluate the quantization of constant weights and store "
                "them in their storage types";
  let description = [{
    Constant weights are evaluated at compile time and stored in their
    storage type: `qnn.fake_quant` of a constant becomes an integer
    constant, `quant.scast` and `quant.dcast`; `qnn.binarize` and
    `qnn.ternarize` of a constant become `i2` codes with their scale
    (`alpha`) kept in the quantized type; `qnn.prune_mask`,
    `qnn.apply_mask` and `qnn.log_quant` of constants fold. The results are
    bit-identical to the float computation.

    Before:

    ```mlir
    %w = arith.constant dense<[[0.31, -0.12], [0.05, 0.44]]> : tensor<2x2xf32>
    %wq = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035> : tensor<2x2xf32>
    ```

    After:

    ```mlir
    %c = arith.constant dense<[[89, -34], [14, 126]]> : tensor<2x2xi8>
    %s = quant.scast %c : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.0035>>
    %wq = quant.dcast %s : tensor<2x2x!quant.uniform<i8:f32, 0.0035>> to tensor<2x2xf32>
    ```
  }];
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

    Run it after `--qnn-store-weights` and before `--qnn-rewrite-int8`
    (`--qnn-quantize` runs them in this order).

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

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
