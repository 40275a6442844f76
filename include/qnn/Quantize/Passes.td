//===- Passes.td - Quantize-stage passes -------------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The quantize stage: float graphs between dequantize and quantize (QDQ)
// become integer graphs on the codes, whose contractions are the named
// integer ops the CPU backend lowers (docs/Codegen.md, "The contract").
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANTIZE_PASSES_TD
#define QNN_QUANTIZE_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNRewriteInt8Pass : Pass<"qnn-rewrite-int8", "func::FuncOp"> {
  let summary = "Rewrite dequantize -> float compute -> quantize into "
                "integer compute on the codes";
  let description = [{
    Recognizes a float `linalg.matmul` whose operands are dequantized
    (`quant.dcast`) and whose result, after an optional bias and an
    optional ReLU / ReLU6 / clamp, is quantized (`quant.qcast`):

    ```
    y = qcast(act(dcast(x) @ dcast(w) + b))
    ```

    with `x` quantized per tensor (any zero point, u8 or i8), `w` an integer
    constant behind `quant.scast`, quantized per tensor or per output
    channel (zero points 0 per channel), and `b` a constant broadcast along
    the rows (as the matmul's initial value, `linalg.broadcast` of a 1-D
    constant) or absent (`linalg.fill` of 0). It becomes:

    ```
    acc = sum_k (x_q - z_x) * (w_q - z_w)  + round(b / (s_x * s_w))   (i32)
    y_q = qnn.requantize acc scales = s_x * s_w to y's type
          clamp_min/max = the activation's bounds on the output grid
    ```

    where the contraction is the named integer op of the contract between
    the quantize stage and the backend (docs/Codegen.md):
    `linalg.quantized_matmul`, `quantized_batch_matmul`,
    `conv_2d_nhwc_hwcf_q`, `conv_2d_nhwc_fhwc_q`, `conv_2d_nchw_fchw_q` or
    `depthwise_conv_2d_nhwc_hwc_q`, on signed codes: u8 activations enter
    through a sign flip (`x xor 0x80`, zero point - 128) that is folded into
    the `qnn.requantize` or `quant.qcast` producing them when nothing else
    reads them; u8 and N x K constant weights are converted at compile
    time. A layer whose input comes from another rewritten layer reads its
    int8 result directly: sequences of layers stay in int8.
    `qnn.fake_quant` with the default rounding is first expanded into
    `quant.qcast` + `quant.dcast` (the same numerics), so models written
    with `qnn` ops (for example after `--qnn-calibration-to-fake-quant`)
    are rewritten too. The float contractions are matmul and batch_matmul
    (weights K x N or N x K) and the 2-D convolutions NHWC/HWCF, NHWC/FHWC,
    NCHW/FCHW and depthwise NHWC/HWC, whose input may be padded with 0.0.
    Max pooling between a dequantize and a quantize of the same type runs
    on the codes, average pooling (a sum pool divided by a constant count)
    becomes an i32 sum pool with aten's requantization, a u8 element-wise
    add becomes QNNPACK's fixed-point add and an i8 one aten's float kernel
    on the codes, and an activation between quantizations of its own,
    `qcast(act(dcast(x)))` with one scale on both sides (torch's quantized
    ReLU6 and hardtanh, an ONNX Clip between Q/DQ pairs), becomes a clamp
    of the codes, exact by construction. The requantization is `float` mode, PyTorch's qnnpack
    numerics (see `qnn.requantize`); `mode=fixed-point-single` or
    `fixed-point-double` selects TOSA's fixed-point forms. Contractions that
    do not fit the pattern are left alone.
  }];
  let options = [
    Option<"dynamic", "dynamic", "bool", /*default=*/"false",
           "Also quantize the float activations of matmuls with int8 "
           "weights at run time (torch's quantize_dynamic, qnnpack): "
           "y = fl32(acc) * fl32(s_x * s_w) + b with (s_x, z_x) chosen from "
           "min(x) and max(x) by torch's ChooseQuantizationParams">,
    Option<"requantizeMode", "mode", "::mlir::qnn::RequantizeMode",
           /*default=*/"::mlir::qnn::RequantizeMode::floating_point",
           "Requantization of the i32 accumulators",
           [{::mlir::qnn::getRequantizeModeOptionValues()}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::qnn::QNNDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def QNNRewriteBinaryPass : Pass<"qnn-rewrite-binary", "func::FuncOp"> {
  let summary = "Rewrite matmuls of binarized operands into xnor-popcount "
                "on packed bits";
  let description = [{
    Recognizes a float `linalg.matmul` (weights `K x N` or `N x K`) whose
    activations are `qnn.binarize` (no scale, or a per-tensor `mean_abs`)
    and whose weights are a constant with values `+a_n` and `-a_n` in each
    output channel `n` (a float constant, or the stored codes
    `--qnn-store-weights` makes of `qnn.binarize`):

    ```
    y = init + qnn.binarize(x) @ w
    ```

    It becomes a binary matmul on packed bits and a per-channel epilogue:

    ```
    d = qnn.binary_matmul(qnn.bitpack(x), W) k = K      (i32, exact)
    y = fl32(d) * fl32(alpha_x * a_n) + init
    ```

    where `W` holds the signs of the weights packed at compile time, and
    `alpha_x` is 1, or the run-time `mean_abs` scale of the activations.
    `init` is the matmul's initial value: zero, a scalar fill, a
    per-channel bias broadcast along the rows, or any tensor. The result
    differs from the float matmul only by the rounding of the float sum:
    the dot products of the signs are exact integers. The element-wise
    consumers of the epilogue (an inference batch norm, an activation) are
    fused into it: one body computing the same operations. A matmul whose
    activations are binarized but which cannot be rewritten gets a remark
    with the reason.

    Convolutions: a float `linalg.conv_2d_nhwc_hwcf` or
    `linalg.conv_2d_nchw_fchw` of binarized activations (zero-padded by a
    `tensor.pad` with `0.0`, or not) and binary or ternary constant weights
    becomes bit packing along the channels, a gather of each output
    pixel's window (whole words per window position), the binary or
    ternary matmul, and an epilogue that adds the zero-padding correction
    (the padded taps pack as `+1`; the sum of the weights under them is
    subtracted, per output position and channel) before scaling. A flatten
    between a binarization and a matmul is read through.

    A matmul of real (not binarized) activations and sign weights stored
    as codes (codes minus zero point in `{-1, 0, +1}`: binarized or
    ternarized weights, such as a binary network's first layer) gets its
    weights back as a float constant, `+-fl32(scale)` or `0`, exactly what
    their dequantization computes, so that the f32 kernels pack them at
    compile time (convolutions too).

    Ternary weights (`+a_n`, `-a_n` and `0` in each channel, what
    `qnn.ternarize` makes) times binarized activations become, with
    `ternary-kernel=bit-planes` (the default), `qnn.ternary_matmul` on the
    weights' sign and nonzero-mask planes packed at compile time; with
    `ternary-kernel=int8`, an `i8` matmul of the activations' signs (-1,
    +1) and the weights' codes (-1, 0, +1) into `i32`, which the int8
    kernels run. Both give the same exact dot products, scaled as above;
    docs/Binary.md compares their speed.

    Example:

    ```mlir
    %xb = qnn.binarize %x : tensor<8x256xf32>
    %y = linalg.matmul ins(%xb, %wb : tensor<8x256xf32>, tensor<256x64xf32>)
                       outs(%zero : tensor<8x64xf32>) -> tensor<8x64xf32>
    ```
  }];
  let options = [
    Option<"ternaryKernel", "ternary-kernel", "::mlir::qnn::TernaryKernel",
           /*default=*/"::mlir::qnn::TernaryKernel::bit_planes",
           "How matmuls of binarized activations and ternary weights run",
           [{::mlir::qnn::getTernaryKernelOptionValues()}]>,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::qnn::QNNDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QNN_QUANTIZE_PASSES_TD
