#!/usr/bin/env python3
"""Generates test/Integration/grouped-convolutions.mlir: upstream's grouped
convolutions (conv_2d_ngchw_gfchw, conv_2d_nhwgc_gfhwc, integer and f32)
and depthwise convolutions with a channel multiplier
(depthwise_conv_2d_nhwc_hwcm), which the backend runs as one contract
convolution per group. The references are computed here with numpy from
the ops' definitions (one sum over each group's channels), in int64
wrapped to i32 for the checksums, and for f32 in the order the kernels
sum: (c, kh, kw) for NCHW, (kh, kw) for depthwise.

Usage: python3 test/golden/generate_grouped.py
"""

import os

import numpy as np

from generate_int8_kernels import (as_i8, checksum, dense, float_checksum,
                                   float_dense, write_module)

RNG = np.random.default_rng(20261130)
OUT = os.path.join(os.path.dirname(__file__), "..", "Integration",
                   "grouped-convolutions.mlir")


def codes(shape, low=-128, high=128):
    return RNG.integers(low, high, size=shape, dtype=np.int64)


def window(stride):
    return (f"{{dilations = dense<1> : tensor<2xi64>, strides = "
            f"dense<{stride}> : tensor<2xi64>}}")


def out_size(size, k, stride):
    return (size - k) // stride + 1


def grouped_case(name, nb, g, cg, h, w_, fg, k, stride, zx, zw, nhwc,
                 is_float=False, bias=False):
    """conv_2d_ngchw_gfchw{_q} (or nhwgc_gfhwc{_q} with `nhwc`)."""
    oh, ow = out_size(h, k, stride), out_size(w_, k, stride)
    if is_float:
        x = RNG.standard_normal((nb, g, cg, h, w_)).astype(np.float32)
        w = RNG.standard_normal((g, fg, cg, k, k)).astype(np.float32)
        ref = np.zeros((nb, g, fg, oh, ow), dtype=np.float32)
        for c in range(cg):
            for i in range(k):
                for j in range(k):
                    patch = x[:, :, c, i:i + stride * (oh - 1) + 1:stride,
                              j:j + stride * (ow - 1) + 1:stride]
                    term = (patch[:, :, None] *
                            w[None, :, :, c, i, j, None, None])
                    ref = (ref + term.astype(np.float32)).astype(np.float32)
        element, constant, zero = "f32", float_dense, "0.0"
    else:
        x = codes((nb, g, cg, h, w_))
        w = codes((g, fg, cg, k, k), max(-128, zw - 128), min(128, zw + 128))
        b = RNG.integers(-1000, 1000, size=(g, fg), dtype=np.int64)
        ref = np.zeros((nb, g, fg, oh, ow), dtype=np.int64)
        if bias:
            ref += b[None, :, :, None, None]
        for i in range(k):
            for j in range(k):
                patch = x[:, :, :, i:i + stride * (oh - 1) + 1:stride,
                          j:j + stride * (ow - 1) + 1:stride]
                ref += np.einsum("ngchw,gfc->ngfhw", patch - zx,
                                 w[:, :, :, i, j] - zw)
        element, zero = "i32", "0"
        constant = lambda v: dense(as_i8(v), "i8")  # noqa: E731
    in_element = "f32" if is_float else "i8"
    if nhwc:
        x, w = x.transpose(0, 3, 4, 1, 2), w.transpose(0, 1, 3, 4, 2)
        ref = ref.transpose(0, 3, 4, 1, 2)
        out_shape = [nb, oh, ow, g, fg]
        op = "conv_2d_nhwgc_gfhwc"
    else:
        out_shape = [nb, g, fg, oh, ow]
        op = "conv_2d_ngchw_gfchw"
    shape = lambda s, e: "tensor<" + "x".join(map(str, s)) + f"x{e}>"  # noqa
    out = shape(out_shape, element)
    types = f"{shape(x.shape, in_element)}, {shape(w.shape, in_element)}"
    text = [f"// {name}: {op} {'x'.join(map(str, x.shape))} * "
            f"{'x'.join(map(str, w.shape))} stride {stride}"
            + (" f32" if is_float else ""),
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {constant(np.ascontiguousarray(x))}",
            f"  %w = arith.constant {constant(np.ascontiguousarray(w))}",
            f"  %e = tensor.empty() : {out}"]
    if bias:
        group_dim = 3 if nhwc else 1
        dims = [d for d in range(5) if d not in (group_dim, group_dim + 1)]
        text += [f"  %b = arith.constant {dense(b, 'i32')}",
                 f"  %init = linalg.broadcast ins(%b : tensor<{g}x{fg}xi32>) "
                 f"outs(%e : {out}) dimensions = {dims}"]
    else:
        text += [f"  %zero = arith.constant {zero} : {element}",
                 f"  %init = linalg.fill ins(%zero : {element}) outs(%e : "
                 f"{out}) -> {out}"]
    if is_float:
        text += [f"  %r = linalg.{op} {window(stride)} ins(%x, %w : {types}) "
                 f"outs(%init : {out}) -> {out}"]
    else:
        text += [f"  %zx = arith.constant {zx} : i32",
                 f"  %zw = arith.constant {zw} : i32",
                 f"  %r = linalg.{op}_q {window(stride)} ins(%x, %w, %zx, %zw"
                 f" : {types}, i32, i32) outs(%init : {out}) -> {out}"]
    return finish(text, ref, out_shape, element)


def multiplier_case(name, nb, h, w_, c, m, k, stride, zx, zw,
                    is_float=False, bias=False):
    """depthwise_conv_2d_nhwc_hwcm{_q}: output channel (c, m) is input
    channel c times filter (c, m)."""
    oh, ow = out_size(h, k, stride), out_size(w_, k, stride)
    if is_float:
        x = RNG.standard_normal((nb, h, w_, c)).astype(np.float32)
        w = RNG.standard_normal((k, k, c, m)).astype(np.float32)
        ref = np.zeros((nb, oh, ow, c, m), dtype=np.float32)
        for i in range(k):
            for j in range(k):
                patch = x[:, i:i + stride * (oh - 1) + 1:stride,
                          j:j + stride * (ow - 1) + 1:stride, :, None]
                ref = (ref + (patch * w[i, j]).astype(np.float32)
                       ).astype(np.float32)
        element, constant, zero = "f32", float_dense, "0.0"
    else:
        x = codes((nb, h, w_, c))
        w = codes((k, k, c, m), max(-128, zw - 128), min(128, zw + 128))
        b = RNG.integers(-1000, 1000, size=(c, m), dtype=np.int64)
        ref = np.zeros((nb, oh, ow, c, m), dtype=np.int64)
        if bias:
            ref += b
        for i in range(k):
            for j in range(k):
                patch = x[:, i:i + stride * (oh - 1) + 1:stride,
                          j:j + stride * (ow - 1) + 1:stride, :, None]
                ref += (patch - zx) * (w[i, j] - zw)
        element, zero = "i32", "0"
        constant = lambda v: dense(as_i8(v), "i8")  # noqa: E731
    in_element = "f32" if is_float else "i8"
    out_shape = [nb, oh, ow, c, m]
    out = "tensor<" + "x".join(map(str, out_shape)) + f"x{element}>"
    types = (f"tensor<{nb}x{h}x{w_}x{c}x{in_element}>, "
             f"tensor<{k}x{k}x{c}x{m}x{in_element}>")
    text = [f"// {name}: depthwise_conv_2d_nhwc_hwcm {nb}x{h}x{w_}x{c} * "
            f"{k}x{k}x{c}x{m} stride {stride}" + (" f32" if is_float else ""),
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {constant(x)}",
            f"  %w = arith.constant {constant(w)}",
            f"  %e = tensor.empty() : {out}"]
    if bias:
        text += [f"  %b = arith.constant {dense(b, 'i32')}",
                 f"  %init = linalg.broadcast ins(%b : tensor<{c}x{m}xi32>) "
                 f"outs(%e : {out}) dimensions = [0, 1, 2]"]
    else:
        text += [f"  %zero = arith.constant {zero} : {element}",
                 f"  %init = linalg.fill ins(%zero : {element}) outs(%e : "
                 f"{out}) -> {out}"]
    if is_float:
        text += [f"  %r = linalg.depthwise_conv_2d_nhwc_hwcm {window(stride)} "
                 f"ins(%x, %w : {types}) outs(%init : {out}) -> {out}"]
    else:
        text += [f"  %zx = arith.constant {zx} : i32",
                 f"  %zw = arith.constant {zw} : i32",
                 f"  %r = linalg.depthwise_conv_2d_nhwc_hwcm_q "
                 f"{window(stride)} ins(%x, %w, %zx, %zw : {types}, i32, i32)"
                 f" outs(%init : {out}) -> {out}"]
    return finish(text, ref, out_shape, element)


def finish(text, ref, out_shape, element):
    """Collapses the result to rows x last dimension and checksums it."""
    rows = int(np.prod(out_shape[:-1]))
    cols = out_shape[-1]
    out = "tensor<" + "x".join(map(str, out_shape)) + f"x{element}>"
    suffix = "_f32" if element == "f32" else ""
    text += [f"  %flat = tensor.collapse_shape %r [[0, 1, 2, 3], [4]] : "
             f"{out} into tensor<{rows}x{cols}x{element}>",
             f"  %c = call @checksum{suffix}_{rows}x{cols}(%flat) : "
             f"(tensor<{rows}x{cols}x{element}>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, (rows, cols)


def main():
    cases = [
        # Two groups, a weight zero point, a bias per group and channel.
        ("ngchw_q", lambda n: grouped_case(n, 1, 2, 8, 6, 6, 5, 3, 1, 3, 1,
                                           False, bias=True)),
        # Channels last, three groups of 4 channels, stride 2, batch 2.
        ("nhwgc_q", lambda n: grouped_case(n, 2, 3, 4, 7, 7, 6, 3, 2, -5, 0,
                                           True)),
        # Groups of 2 input channels (not a multiple of the dot-product
        # steps): ResNeXt's narrow groups.
        ("ngchw_narrow_q", lambda n: grouped_case(n, 1, 4, 2, 5, 5, 3, 3, 1,
                                                  0, 0, False)),
        ("ngchw_f32", lambda n: grouped_case(n, 1, 4, 2, 6, 5, 3, 3, 1, 0, 0,
                                             False, is_float=True)),
        ("nhwgc_f32", lambda n: grouped_case(n, 1, 2, 4, 5, 6, 3, 1, 1, 0, 0,
                                             True, is_float=True)),
        # A multiplier of 3 with a bias, as TOSA's depthwise_conv2d of a
        # TFLite model with depth_multiplier = 3 lowers.
        ("hwcm_q", lambda n: multiplier_case(n, 1, 7, 7, 16, 3, 3, 1, 7, 0,
                                             bias=True)),
        ("hwcm_stride2_q", lambda n: multiplier_case(n, 2, 9, 9, 8, 2, 3, 2,
                                                     -3, 2)),
        ("hwcm_f32", lambda n: multiplier_case(n, 1, 6, 6, 8, 2, 3, 1, 0, 0,
                                               is_float=True)),
        # More multiplier indices than channels (an RGB stem spelled as a
        # depthwise convolution): one convolution per input channel.
        ("hwcm_wide_q", lambda n: multiplier_case(n, 1, 6, 7, 3, 8, 3, 1, 5,
                                                  0, bias=True)),
        ("hwcm_wide_f32", lambda n: multiplier_case(n, 2, 5, 5, 2, 20, 3, 2,
                                                    0, 0, is_float=True)),
    ]
    text = [
        "// Generated by test/golden/generate_grouped.py; do not edit.",
        "// Grouped convolutions and depthwise convolutions with a channel",
        "// multiplier run as one contract convolution per group, on the",
        "// kernels, against checksums of numpy's results.",
        "",
        "// RUN: quant-opt %s --qnn-compile=\"target=generic summary=true\" "
        "-o %t-generic.mlir 2> %t-generic.remarks",
        "// RUN: mlir-runner %t-generic.mlir -e main -entry-point-result=void "
        "%mlir_runner_libs | FileCheck %s",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s "
        "--qnn-compile=\"target=x86-avx512-vnni summary=true\" -o %t.mlir "
        "2> %t.remarks %}",
        "// RUN: %if x86-avx512-vnni %{ FileCheck %s --check-prefix=SUMMARY "
        "--input-file=%t.remarks %}",
        "// RUN: %if x86-avx512-vnni %{ mlir-runner %t.mlir -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s %}",
        "// RUN: %if x86-64-v3 %{ quant-opt %s --qnn-compile=target=x86-64-v3"
        " | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s %}",
        "",
    ]
    shapes, float_shapes = set(), set()
    functions, main_lines = [], []
    groups = {"ngchw_q": 2, "nhwgc_q": 3, "ngchw_narrow_q": 4,
              "ngchw_f32": 4, "nhwgc_f32": 2, "hwcm_q": 3,
              "hwcm_stride2_q": 2, "hwcm_f32": 2, "hwcm_wide_q": 3,
              "hwcm_wide_f32": 2}
    for name, make in cases:
        lines, ref, shape = make(name)
        functions += lines
        is_float = name.endswith("f32")
        (float_shapes if is_float else shapes).add(shape)
        value = float_checksum(ref) if is_float else checksum(ref)
        text.append(f"// CHECK: {name}: {value}")
        main_lines += [f"  %{name} = call @{name}() : () -> i32",
                       f'  vector.print str "{name}: "',
                       f"  vector.print %{name} : i32"]
    integer = sum(n for k, n in groups.items() if not k.endswith("f32"))
    floats = sum(n for k, n in groups.items() if k.endswith("f32"))
    # Every piece of every case on a kernel; what stays on portable loops
    # are the checksums' reductions, one per case.
    text += ["",
             "// SUMMARY-NOT: left to portable loops: the innermost",
             f"// SUMMARY: contractions: {integer} on integer kernels, "
             f"{len(cases)} integer on portable loops, {floats} float on f32 "
             "kernels, 0 float on portable loops", ""]
    write_module(OUT, text, functions, shapes, float_shapes, main_lines)


if __name__ == "__main__":
    main()
