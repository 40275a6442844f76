#!/usr/bin/env python3
"""Generates test/Integration/int8-kernels.mlir: the integer contractions of
the contract between the quantize stage and the backend (upstream's named
ops on signed codes, u8 codes through a sign flip; docs/Codegen.md) and f32
matmuls and convolutions, with a weighted checksum of each result computed
here with numpy, in wrapping int32 arithmetic. The test runs them through
every target's kernels that this machine can execute.

Usage: python3 test/golden/generate_int8_kernels.py
"""

import os

import numpy as np

RNG = np.random.default_rng(20261122)
OUT = os.path.join(os.path.dirname(__file__), "..", "Integration",
                   "int8-kernels.mlir")
DRIVER = os.path.join(os.path.dirname(__file__), "..", "Integration",
                      "Inputs", "int8-kernels-driver.c")


def dense(values, dtype):
    """A constant in MLIR's hex form (little-endian raw data)."""
    numpy_type = {"i8": "<i1", "i32": "<i4"}[dtype]
    data = values.astype(numpy_type).tobytes().hex().upper()
    shape = "x".join(str(d) for d in values.shape)
    return f'dense<"0x{data}"> : tensor<{shape}x{dtype}>'


def codes(shape, signed, offset_from=None):
    """Random codes; with `offset_from`, only codes c with c - offset_from
    in [-128, 127] (weights the kernels can pack)."""
    low, high = (-128, 128) if signed else (0, 256)
    if offset_from is not None:
        low, high = max(low, offset_from - 128), min(high, offset_from + 128)
    return RNG.integers(low, high, size=shape, dtype=np.int64)


def as_i8(values):
    """Two's complement bytes, as MLIR prints i8 constants."""
    return ((values + 128) % 256) - 128


def checksum(result):
    flat = result.reshape(-1).astype(np.int64)
    weights = (np.arange(flat.size) % 7) + 1
    return int(((flat * weights).sum() + 2**31) % 2**32 - 2**31)


def signed_input(name, shape, signed, zero, source="%x", sizes=""):
    """The activation operand of a named integer contraction: i8 codes as
    they are, u8 codes through the contract's sign flip (zero point - 128).
    `sizes` are the dynamic sizes of `shape`. Returns the lines, the operand
    and its zero point."""
    if signed:
        return [], source, zero
    rank = len(shape.split("x")) - 1
    dims = ", ".join(f"d{i}" for i in range(rank))
    identity = f"affine_map<({dims}) -> ({dims})>"
    parallel = ", ".join(['"parallel"'] * rank)
    return [f"  %xe = tensor.empty({sizes}) : tensor<{shape}>",
            f"  %xs = linalg.generic {{indexing_maps = [{identity}, "
            f"{identity}], iterator_types = [{parallel}]}} "
            f"ins({source} : tensor<{shape}>) outs(%xe : tensor<{shape}>) {{",
            "  ^bb0(%a: i8, %o: i8):",
            "    %sign = arith.constant -128 : i8",
            "    %f = arith.xori %a, %sign : i8",
            "    linalg.yield %f : i8",
            f"  }} -> tensor<{shape}>"], "%xs", zero - 128


def zero_points(zx, zw, dynamic):
    """The i32 zero-point operands; a dynamic one is read from memory at run
    time, as dynamic quantization computes it."""
    lines = [f"  %zw = arith.constant {zw} : i32"]
    if dynamic:
        lines += [f"  %zt = arith.constant dense<{zx}> : tensor<i32>",
                  "  %zx = tensor.extract %zt[] : tensor<i32>"]
    else:
        lines += [f"  %zx = arith.constant {zx} : i32"]
    return lines


def dynamic_rows(shape, out, init_op, xs, zx):
    """The activations (of `shape`, a list) with a dynamic outermost
    dimension, as a model with a run-time batch receives them, and the
    initial value `init_op` (a format string of the init tensor and its
    type) on the dynamic output `out`. Returns the lines, the operand, its
    zero point, its type and the result type."""
    dyn_in = "x".join(["?"] + [str(d) for d in shape[1:]]) + "xi8"
    dyn_out = "x".join(["?"] + out.split("x")[1:])
    static_in = "x".join(str(d) for d in shape) + "xi8"
    lines = [f"  %xd = tensor.cast %x : tensor<{static_in}> to "
             f"tensor<{dyn_in}>",
             "  %i0 = arith.constant 0 : index",
             f"  %nb = tensor.dim %xd, %i0 : tensor<{dyn_in}>",
             f"  %ed = tensor.empty(%nb) : tensor<{dyn_out}>",
             "  %initd = " + init_op.format("%ed", f"tensor<{dyn_out}>")]
    flip, operand, szx = signed_input("x", dyn_in, xs, zx, "%xd", "%nb")
    return (lines + flip, operand, szx, f"tensor<{dyn_in}>",
            f"tensor<{dyn_out}>")


def runtime_weights(shape):
    """Lines that copy the constant weights %w (of `shape`) into a fresh
    tensor, so that the kernel sees weights known only at run time (as the
    second activation of an attention matmul). Returns the lines and the
    new operand."""
    t = f"tensor<{shape}xi8>"
    return [f"  %we = tensor.empty() : {t}",
            f"  %wr = linalg.copy ins(%w : {t}) outs(%we : {t}) -> {t}"], "%wr"


def matmul_case(name, m, k, n, xs, zx, zw, packable=True, dynamic=False,
                dynamic_batch=False, runtime=False, plain=False):
    """linalg.quantized_matmul of u8 (xs false) or i8 activations and i8
    weights with a bias; with `dynamic_batch`, on a number of rows known at
    run time; with `runtime`, weights known only at run time; with
    `plain`, a linalg.matmul of i8 codes into i32 (zero points 0)."""
    x = codes((m, k), xs)
    w = codes((k, n), True, zw if packable else None)
    if not packable:
        # A weight whose w - zw leaves i8.
        w[0, 0] = -128 if zw > 0 else 127
    bias = RNG.integers(-1000, 1000, size=(n,), dtype=np.int64)
    ref = (x - zx) @ (w - zw) + bias
    init_op = (f"linalg.broadcast ins(%bias : tensor<{n}xi32>) "
               "outs({0} : {1}) dimensions = [0]")
    in_type, out_type, init = (f"tensor<{m}x{k}xi8>", f"tensor<{m}x{n}xi32>",
                               "%init")
    if dynamic_batch:
        flip, operand, szx, in_type, out_type = dynamic_rows(
            [m, k], f"{m}x{n}xi32", init_op, xs, zx)
        init = "%initd"
    else:
        flip, operand, szx = signed_input("x", f"{m}x{k}xi8", xs, zx)
    text = [f"// {name}: matmul M={m} K={k} N={n}",
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {dense(as_i8(x), 'i8')}",
            f"  %w = arith.constant {dense(as_i8(w), 'i8')}",
            f"  %bias = arith.constant {dense(bias, 'i32')}",
            f"  %e = tensor.empty() : tensor<{m}x{n}xi32>",
            "  %init = " + init_op.format("%e", f"tensor<{m}x{n}xi32>")]
    if dynamic_batch:
        text = text[:-2]
    text += flip + zero_points(szx, zw, dynamic)
    weights = "%w"
    if runtime:
        lines, weights = runtime_weights(f"{k}x{n}")
        text += lines
    if plain:
        text += [f"  %r = linalg.matmul ins({operand}, {weights} : "
                 f"{in_type}, tensor<{k}x{n}xi8>) "
                 f"outs({init} : {out_type}) -> {out_type}"]
    else:
        text += [f"  %r = linalg.quantized_matmul ins({operand}, {weights}, "
                 f"%zx, %zw : {in_type}, tensor<{k}x{n}xi8>, i32, i32) "
                 f"outs({init} : {out_type}) -> {out_type}"]
    if dynamic_batch:
        text += [f"  %rs = tensor.cast %r : {out_type} to tensor<{m}x{n}xi32>"]
    text += [f"  %c = call @checksum_{m}x{n}(%r{'s' if dynamic_batch else ''})"
             f" : (tensor<{m}x{n}xi32>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, [m, n]


def batch_matmul_case(name, nb, m, k, n, xs, zx, zw, runtime=False):
    """linalg.quantized_batch_matmul with weights per batch (constant, or
    with `runtime` known only at run time) and a per-channel bias broadcast
    over batches and rows."""
    x = codes((nb, m, k), xs)
    w = codes((nb, k, n), True, zw)
    bias = RNG.integers(-1000, 1000, size=(n,), dtype=np.int64)
    ref = np.einsum("bmk,bkn->bmn", x - zx, w - zw) + bias
    out = f"{nb}x{m}x{n}xi32"
    flip, operand, szx = signed_input("x", f"{nb}x{m}x{k}xi8", xs, zx)
    text = [f"// {name}: batch matmul B={nb} M={m} K={k} N={n}",
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {dense(as_i8(x), 'i8')}",
            f"  %w = arith.constant {dense(as_i8(w), 'i8')}",
            f"  %bias = arith.constant {dense(bias, 'i32')}",
            f"  %e = tensor.empty() : tensor<{out}>",
            f"  %init = linalg.broadcast ins(%bias : tensor<{n}xi32>) "
            f"outs(%e : tensor<{out}>) dimensions = [0, 1]"]
    text += flip + zero_points(szx, zw, False)
    weights = "%w"
    if runtime:
        lines, weights = runtime_weights(f"{nb}x{k}x{n}")
        text += lines
    text += [f"  %r = linalg.quantized_batch_matmul ins({operand}, {weights}, "
             f"%zx, %zw : tensor<{nb}x{m}x{k}xi8>, tensor<{nb}x{k}x{n}xi8>, "
             f"i32, i32) outs(%init : tensor<{out}>) -> tensor<{out}>",
             f"  %flat = tensor.collapse_shape %r [[0, 1], [2]] : "
             f"tensor<{out}> into tensor<{nb * m}x{n}xi32>",
             f"  %c = call @checksum_{nb * m}x{n}(%flat) : "
             f"(tensor<{nb * m}x{n}xi32>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, [nb * m, n]


def conv_case(name, nb, h, w_, c, f, kh, kw, stride, dilation, xs, zx, zw,
              fhwc=False, dynamic_batch=False):
    """linalg.conv_2d_nhwc_hwcf_q (or _fhwc_q) of u8 or i8 activations;
    with `dynamic_batch`, on a batch known at run time."""
    x, w = codes((nb, h, w_, c), xs), codes((kh, kw, c, f), True, zw)
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (w_ - dilation * (kw - 1) - 1) // stride + 1
    ref = np.zeros((nb, oh, ow, f), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                      j * dilation:j * dilation + stride * (ow - 1) + 1:stride, :]
            ref += np.einsum("nhwc,cf->nhwf", patch - zx, w[i, j] - zw)
    filt = w.transpose(3, 0, 1, 2).copy() if fhwc else w
    ftype = f"{f}x{kh}x{kw}x{c}" if fhwc else f"{kh}x{kw}x{c}x{f}"
    op = "conv_2d_nhwc_fhwc_q" if fhwc else "conv_2d_nhwc_hwcf_q"
    out = f"{nb}x{oh}x{ow}x{f}xi32"
    init_op = "linalg.fill ins(%zero : i32) outs({0} : {1}) -> {1}"
    in_type, out_type, init = (f"tensor<{nb}x{h}x{w_}x{c}xi8>",
                               f"tensor<{out}>", "%init")
    if dynamic_batch:
        flip, operand, szx, in_type, out_type = dynamic_rows(
            [nb, h, w_, c], out, init_op, xs, zx)
        init = "%initd"
    else:
        flip, operand, szx = signed_input("x", f"{nb}x{h}x{w_}x{c}xi8", xs,
                                          zx)
    text = [f"// {name}: conv NHWC {nb}x{h}x{w_}x{c} * "
            f"{'FHWC' if fhwc else 'HWCF'} {ftype}"
            f" stride {stride} dilation {dilation}",
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {dense(as_i8(x), 'i8')}",
            f"  %w = arith.constant {dense(as_i8(filt), 'i8')}",
            "  %zero = arith.constant 0 : i32",
            f"  %e = tensor.empty() : tensor<{out}>",
            "  %init = " + init_op.format("%e", f"tensor<{out}>")]
    if dynamic_batch:
        text = text[:-2]
    text += flip + zero_points(szx, zw, False)
    text += [f"  %rd = linalg.{op} {{dilations = dense<{dilation}> : "
             f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}} "
             f"ins({operand}, %w, %zx, %zw : {in_type}, "
             f"tensor<{ftype}xi8>, i32, i32) outs({init} : {out_type}) -> "
             f"{out_type}",
             f"  %r = tensor.cast %rd : {out_type} to tensor<{out}>",
             f"  %flat = tensor.collapse_shape %r [[0, 1, 2], [3]] : "
             f"tensor<{out}> into tensor<{nb * oh * ow}x{f}xi32>",
             f"  %c = call @checksum_{nb * oh * ow}x{f}(%flat) : "
             f"(tensor<{nb * oh * ow}x{f}xi32>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, [nb * oh * ow, f]


def depthwise_case(name, nb, h, w_, c, kh, kw, stride, dilation, xs, zx,
                   zw, is_float=False):
    """linalg.depthwise_conv_2d_nhwc_hwc_q (or the f32 op, summed in
    (kh, kw) order) with a per-channel bias."""
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (w_ - dilation * (kw - 1) - 1) // stride + 1
    if is_float:
        x = RNG.standard_normal((nb, h, w_, c)).astype(np.float32)
        w = RNG.standard_normal((kh, kw, c)).astype(np.float32)
        bias = RNG.standard_normal(c).astype(np.float32)
        ref = np.broadcast_to(bias, (nb, oh, ow, c)).astype(np.float32)
    else:
        x = codes((nb, h, w_, c), xs)
        w = codes((kh, kw, c), True, zw)
        bias = RNG.integers(-1000, 1000, size=(c,), dtype=np.int64)
        ref = np.broadcast_to(bias, (nb, oh, ow, c)).astype(np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                      j * dilation:j * dilation + stride * (ow - 1) + 1:stride, :]
            if is_float:
                ref = (ref + (patch * w[i, j]).astype(np.float32)
                       ).astype(np.float32)
            else:
                ref = ref + (patch - zx) * (w[i, j] - zw)
    element = "f32" if is_float else "i32"
    in_element = "f32" if is_float else "i8"
    out = f"{nb}x{oh}x{ow}x{c}x{element}"
    in_type = f"tensor<{nb}x{h}x{w_}x{c}x{in_element}>"
    window = (f"{{dilations = dense<{dilation}> : tensor<2xi64>, strides = "
              f"dense<{stride}> : tensor<2xi64>}}")
    constant = float_dense if is_float else lambda v: dense(as_i8(v), "i8")
    bias_text = float_dense(bias) if is_float else dense(bias, "i32")
    text = [f"// {name}: depthwise NHWC {nb}x{h}x{w_}x{c} * HWC "
            f"{kh}x{kw}x{c} stride {stride} dilation {dilation}"
            + (" f32" if is_float else ""),
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {constant(x)}",
            f"  %w = arith.constant {constant(w)}",
            f"  %bias = arith.constant {bias_text}",
            f"  %e = tensor.empty() : tensor<{out}>",
            f"  %init = linalg.broadcast ins(%bias : tensor<{c}x{element}>) "
            f"outs(%e : tensor<{out}>) dimensions = [0, 1, 2]"]
    if is_float:
        text += [f"  %r = linalg.depthwise_conv_2d_nhwc_hwc {window} ins(%x, "
                 f"%w : {in_type}, tensor<{kh}x{kw}x{c}xf32>) outs(%init : "
                 f"tensor<{out}>) -> tensor<{out}>"]
    else:
        flip, operand, szx = signed_input("x", f"{nb}x{h}x{w_}x{c}xi8", xs,
                                          zx)
        text += flip + zero_points(szx, zw, False)
        text += [f"  %r = linalg.depthwise_conv_2d_nhwc_hwc_q {window} "
                 f"ins({operand}, %w, %zx, %zw : {in_type}, "
                 f"tensor<{kh}x{kw}x{c}xi8>, i32, i32) outs(%init : "
                 f"tensor<{out}>) -> tensor<{out}>"]
    rows = nb * oh * ow
    suffix = "_f32" if is_float else ""
    text += [f"  %flat = tensor.collapse_shape %r [[0, 1, 2], [3]] : "
             f"tensor<{out}> into tensor<{rows}x{c}x{element}>",
             f"  %c = call @checksum{suffix}_{rows}x{c}(%flat) : "
             f"(tensor<{rows}x{c}x{element}>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, [rows, c]


def nchw_conv_case(name, nb, h, w_, c, f, stride, xs, zx, is_float):
    """An NCHW x FCHW 3x3 convolution (int8 with a zero point, or f32 with
    its sums in the portable loops' (c, kh, kw) order)."""
    oh = (h - 3) // stride + 1
    ow = (w_ - 3) // stride + 1
    if is_float:
        x = RNG.standard_normal((nb, c, h, w_)).astype(np.float32)
        w = RNG.standard_normal((f, c, 3, 3)).astype(np.float32)
        ref = np.zeros((nb, f, oh, ow), dtype=np.float32)
        for cc in range(c):
            for i in range(3):
                for j in range(3):
                    patch = x[:, cc:cc + 1, i:i + stride * (oh - 1) + 1:stride,
                              j:j + stride * (ow - 1) + 1:stride]
                    ref = (ref + (patch * w[None, :, cc, i, j, None, None])
                           .astype(np.float32)).astype(np.float32)
        element, constant = "f32", float_dense
    else:
        x = codes((nb, c, h, w_), xs)
        w = codes((f, c, 3, 3), True, 0)
        ref = np.zeros((nb, f, oh, ow), dtype=np.int64)
        for i in range(3):
            for j in range(3):
                patch = x[:, :, i:i + stride * (oh - 1) + 1:stride,
                          j:j + stride * (ow - 1) + 1:stride]
                ref += np.einsum("nchw,fc->nfhw", patch - zx, w[:, :, i, j])
        element, constant = "i32", lambda v: dense(as_i8(v), "i8")
    out = f"{nb}x{f}x{oh}x{ow}x{element}"
    in_type = "f32" if is_float else "i8"
    window = (f"{{dilations = dense<1> : tensor<2xi64>, strides = "
              f"dense<{stride}> : tensor<2xi64>}}")
    types = (f"tensor<{nb}x{c}x{h}x{w_}x{in_type}>, "
             f"tensor<{f}x{c}x3x3x{in_type}>")
    text = [f"// {name}: conv NCHW {nb}x{c}x{h}x{w_} * FCHW {f}x{c}x3x3 "
            f"stride {stride}" + (" f32" if is_float else ""),
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {constant(x)}",
            f"  %w = arith.constant {constant(w)}",
            f"  %zero = arith.constant 0{'.0' if is_float else ''} : "
            f"{element}",
            f"  %e = tensor.empty() : tensor<{out}>",
            f"  %init = linalg.fill ins(%zero : {element}) outs(%e : "
            f"tensor<{out}>) -> tensor<{out}>"]
    if is_float:
        text += [f"  %r = linalg.conv_2d_nchw_fchw {window} ins(%x, %w : "
                 f"{types}) outs(%init : tensor<{out}>) -> tensor<{out}>"]
    else:
        flip, operand, szx = signed_input("x", f"{nb}x{c}x{h}x{w_}xi8", xs,
                                          zx)
        text += flip + zero_points(szx, 0, False)
        text += [f"  %r = linalg.conv_2d_nchw_fchw_q {window} ins({operand}, "
                 f"%w, %zx, %zw : {types}, i32, i32) outs(%init : "
                 f"tensor<{out}>) -> tensor<{out}>"]
    rows, cols = nb * f, oh * ow
    suffix = "_f32" if is_float else ""
    text += [f"  %flat = tensor.collapse_shape %r [[0, 1], [2, 3]] : "
             f"tensor<{out}> into tensor<{rows}x{cols}x{element}>",
             f"  %c = call @checksum{suffix}_{rows}x{cols}(%flat) : "
             f"(tensor<{rows}x{cols}x{element}>) -> i32",
             "  return %c : i32", "}", ""]
    return text, ref, [rows, cols]


def float_dense(values):
    data = values.astype("<f4").tobytes().hex().upper()
    shape = "x".join(str(d) for d in values.shape)
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def float_checksum(result):
    return checksum(result.astype(np.float32).view(np.int32))


def float_matmul_case(name, m, k, n, init, transposed=False):
    """f32 matmul with constant weights, summed in k order with a rounding
    after every multiply and add, as the portable loops do."""
    x = RNG.standard_normal((m, k)).astype(np.float32)
    w = RNG.standard_normal((k, n)).astype(np.float32)
    if init == "bias":
        bias = RNG.standard_normal(n).astype(np.float32)
        acc = np.broadcast_to(bias, (m, n)).astype(np.float32)
        init_ops = [f"  %bias = arith.constant {float_dense(bias)}",
                    f"  %init = linalg.broadcast ins(%bias : tensor<{n}xf32>) "
                    f"outs(%e : tensor<{m}x{n}xf32>) dimensions = [0]"]
    else:
        acc = np.full((m, n), init, dtype=np.float32)
        init_ops = [f"  %v = arith.constant {init!r} : f32",
                    f"  %init = linalg.fill ins(%v : f32) outs(%e : "
                    f"tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>"]
    for kk in range(k):
        acc = (acc + (x[:, kk:kk + 1] * w[kk:kk + 1, :]).astype(np.float32)
               ).astype(np.float32)
    text = [f"// {name}: f32 matmul M={m} K={k} N={n}",
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {float_dense(x)}",
            f"  %w = arith.constant "
            f"{float_dense(w.T.copy() if transposed else w)}",
            f"  %e = tensor.empty() : tensor<{m}x{n}xf32>"] + init_ops + [
            "  %r = linalg.matmul " + (
                "indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                "affine_map<(m, n, k) -> (n, k)>, "
                "affine_map<(m, n, k) -> (m, n)>] " if transposed else "") +
            f"ins(%x, %w : tensor<{m}x{k}xf32>, "
            f"tensor<{f'{n}x{k}' if transposed else f'{k}x{n}'}xf32>) "
            f"outs(%init : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>",
            f"  %c = call @checksum_f32_{m}x{n}(%r) : (tensor<{m}x{n}xf32>) "
            "-> i32",
            "  return %c : i32", "}", ""]
    return text, acc, [m, n]


def float_conv_case(name, h, w_, c, f, stride, fhwc=False):
    x = RNG.standard_normal((1, h, w_, c)).astype(np.float32)
    w = RNG.standard_normal((3, 3, c, f)).astype(np.float32)
    oh = (h - 3) // stride + 1
    ow = (w_ - 3) // stride + 1
    acc = np.zeros((1, oh, ow, f), dtype=np.float32)
    for i in range(3):
        for j in range(3):
            for cc in range(c):
                patch = x[:, i:i + stride * (oh - 1) + 1:stride,
                          j:j + stride * (ow - 1) + 1:stride, cc:cc + 1]
                acc = (acc + (patch * w[i, j, cc]).astype(np.float32)
                       ).astype(np.float32)
    rows = oh * ow
    filt = w.transpose(3, 0, 1, 2).copy() if fhwc else w
    ftype = f"{f}x3x3x{c}" if fhwc else f"3x3x{c}x{f}"
    text = [f"// {name}: f32 conv NHWC 1x{h}x{w_}x{c} * "
            f"{'FHWC' if fhwc else 'HWCF'} {ftype} stride {stride}",
            f"func.func @{name}() -> i32 {{",
            f"  %x = arith.constant {float_dense(x)}",
            f"  %w = arith.constant {float_dense(filt)}",
            "  %zero = arith.constant 0.0 : f32",
            f"  %e = tensor.empty() : tensor<1x{oh}x{ow}x{f}xf32>",
            f"  %init = linalg.fill ins(%zero : f32) outs(%e : "
            f"tensor<1x{oh}x{ow}x{f}xf32>) -> tensor<1x{oh}x{ow}x{f}xf32>",
            f"  %r = linalg.conv_2d_nhwc_{'fhwc' if fhwc else 'hwcf'} "
            f"{{dilations = dense<1> : "
            f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}} "
            f"ins(%x, %w : tensor<1x{h}x{w_}x{c}xf32>, tensor<{ftype}xf32>)"
            f" outs(%init : tensor<1x{oh}x{ow}x{f}xf32>) -> "
            f"tensor<1x{oh}x{ow}x{f}xf32>",
            f"  %flat = tensor.collapse_shape %r [[0, 1, 2], [3]] : "
            f"tensor<1x{oh}x{ow}x{f}xf32> into tensor<{rows}x{f}xf32>",
            f"  %c = call @checksum_f32_{rows}x{f}(%flat) : "
            f"(tensor<{rows}x{f}xf32>) -> i32",
            "  return %c : i32", "}", ""]
    return text, acc, [rows, f]


def checksum_function(m, n, element="i32"):
    """@checksum_<m>x<n> (i32 results) or @checksum_f32_<m>x<n> (the bit
    patterns of f32 results): sum of result * (index % 7 + 1), wrapping."""
    weights = (np.arange(m * n) % 7 + 1).reshape(m, n)
    name = "checksum" if element == "i32" else "checksum_f32"
    bits = ([] if element == "i32" else
            ["    %v = arith.bitcast %x : f32 to i32"])
    value = "%x" if element == "i32" else "%v"
    return [f"func.func private @{name}_{m}x{n}(%r: tensor<{m}x{n}x{element}>)"
            " -> i32 {",
            f"  %wt = arith.constant {dense(weights, 'i32')}",
            "  %zero = arith.constant 0 : i32",
            "  %e = tensor.empty() : tensor<i32>",
            "  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<i32>) -> tensor<i32>",
            "  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, "
            "affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], "
            'iterator_types = ["reduction", "reduction"]} '
            f"ins(%r, %wt : tensor<{m}x{n}x{element}>, tensor<{m}x{n}xi32>) "
            "outs(%init : tensor<i32>) {",
            f"  ^bb0(%x: {element}, %k: i32, %acc: i32):"] + bits + [
            f"    %p = arith.muli {value}, %k : i32",
            "    %a = arith.addi %acc, %p : i32",
            "    linalg.yield %a : i32",
            "  } -> tensor<i32>",
            "  %c = tensor.extract %s[] : tensor<i32>",
            "  return %c : i32", "}", ""]


def write_module(path, text, functions, shapes, float_shapes, main_lines):
    """Writes `text`, the case functions, a checksum function per result
    shape and @main calling `main_lines` to `path`."""
    text = text + functions
    for m, n in sorted(shapes):
        text += checksum_function(m, n)
    for m, n in sorted(float_shapes):
        text += checksum_function(m, n, "f32")
    text += ["func.func @main() {"] + main_lines + ["  return", "}"]
    with open(path, "w") as f:
        f.write("\n".join(text) + "\n")


def main():
    cases = [
        # Register-tile rows and columns with tails in every dimension; u8
        # activations through the sign flip, which the kernels fold.
        ("mm_u8_tails", lambda n: matmul_case(n, 13, 70, 37, False, 3, 0)),
        # One row (the batch-1 path), signed activations, weight zero point.
        ("mm_i8_row", lambda n: matmul_case(n, 1, 64, 200, True, -5, 2)),
        # K below one group of the dot-product steps.
        ("mm_short_k", lambda n: matmul_case(n, 8, 3, 16, False, 128, -3)),
        # A zero point known only at run time (dynamic quantization).
        ("mm_dynamic_tails", lambda n: matmul_case(n, 9, 40, 33, True, -51,
                                                   0, dynamic=True)),
        ("mm_dynamic_row", lambda n: matmul_case(n, 2, 36, 20, True, -9, 0,
                                                 dynamic=True)),
        # Exactly one register tile.
        ("mm_exact", lambda n: matmul_case(n, 6, 64, 64, False, 0, 0)),
        ("conv_3x3", lambda n: conv_case(n, 1, 9, 9, 8, 20, 3, 3, 1, 1, False,
                                         7, 0)),
        ("conv_stride2", lambda n: conv_case(n, 2, 11, 11, 16, 6, 3, 3, 2, 1,
                                             True, 0, 0)),
        ("conv_dilation2", lambda n: conv_case(n, 1, 10, 10, 8, 33, 3, 3, 1,
                                               2, False, 100, -1)),
        # Filters stored F x KH x KW x C (TOSA's layout).
        ("conv_fhwc", lambda n: conv_case(n, 1, 8, 8, 12, 10, 3, 3, 1, 1,
                                          False, 30, 0, fhwc=True)),
        # Reductions long enough to be split into blocks (their packed
        # weights exceed a cache-sized panel), with a partial last group.
        ("mm_long", lambda n: matmul_case(n, 7, 1102, 70, False, 3, 0)),
        ("conv_deep", lambda n: conv_case(n, 1, 6, 6, 256, 20, 3, 3, 1, 1,
                                          True, -2, 0)),
        # f32 on the same tiles: every output rounds after each multiply
        # and add, in k order, like the portable loops (checksums of the
        # bit patterns).
        ("f32_mm_bias", lambda n: float_matmul_case(n, 13, 70, 37, "bias")),
        ("f32_mm_row", lambda n: float_matmul_case(n, 1, 64, 200, -0.0)),
        ("f32_conv", lambda n: float_conv_case(n, 9, 9, 8, 20, 2)),
        ("f32_conv_fhwc", lambda n: float_conv_case(n, 7, 7, 4, 9, 1,
                                                    fhwc=True)),
        # NCHW x FCHW: channels gathered one plane apart, outputs scattered.
        ("conv_nchw", lambda n: nchw_conv_case(n, 2, 7, 8, 8, 20, 1, False,
                                               9, False)),
        ("f32_conv_nchw", lambda n: nchw_conv_case(n, 1, 8, 7, 4, 17, 2,
                                                   False, 0, True)),
        # f32 weights stored N x K, as PyTorch keeps a Linear's.
        ("f32_mm_transposed", lambda n: float_matmul_case(
            n, 5, 36, 20, "bias", transposed=True)),
        # Input channels that are not a multiple of the dot-product steps
        # (4, or 8 for smmla): an RGB stem, NCHW, strided and dilated.
        ("conv_rgb", lambda n: conv_case(n, 1, 6, 6, 3, 8, 3, 3, 1, 1, False,
                                         10, 0)),
        ("conv_rgb_stride2", lambda n: conv_case(n, 2, 9, 9, 3, 20, 3, 3, 2,
                                                 1, True, -7, 1)),
        ("conv_c5_nchw", lambda n: nchw_conv_case(n, 1, 6, 7, 5, 9, 1,
                                                  False, 4, False)),
        ("conv_c12_dilated", lambda n: conv_case(n, 1, 9, 9, 12, 17, 3, 3,
                                                 1, 2, False, 60, 0)),
        # A number of rows (batch) known only at run time: odd, so that
        # smmla's two-row units end with a partial one.
        ("mm_dynamic_batch", lambda n: matmul_case(
            n, 13, 40, 21, False, 9, 0, dynamic_batch=True)),
        ("conv_dynamic_batch", lambda n: conv_case(
            n, 3, 5, 5, 8, 12, 3, 3, 1, 1, True, -4, 0, dynamic_batch=True)),
        # Batched matmuls (attention, tosa.matmul): each batch its own
        # packed weights and corrections.
        ("bmm_u8", lambda n: batch_matmul_case(n, 3, 5, 40, 20, False, 7,
                                               0)),
        ("bmm_i8_row", lambda n: batch_matmul_case(n, 4, 1, 64, 33, True,
                                                   -3, 2)),
        # Depthwise convolutions: channels across the vector lanes, with a
        # masked last block (37 channels), u8 through the sign flip,
        # strides and dilations; f32 summed in (kh, kw) order.
        ("dw_u8", lambda n: depthwise_case(n, 1, 7, 8, 37, 3, 3, 1, 1, False,
                                           130, 0)),
        ("dw_i8_stride2", lambda n: depthwise_case(n, 2, 9, 9, 16, 3, 3, 2,
                                                   1, True, -5, 3)),
        ("dw_dilated_5x5", lambda n: depthwise_case(n, 1, 12, 11, 24, 5, 5,
                                                    1, 2, True, 0, 0)),
        ("f32_dw", lambda n: depthwise_case(n, 1, 6, 7, 21, 3, 3, 1, 1, True,
                                            0, 0, is_float=True)),
        # Weights whose w - zw leaves i8: packed as they are, the zero point
        # applied per row at run time.
        ("mm_wide_weights", lambda n: matmul_case(n, 4, 8, 8, False, 0, 5,
                                                  packable=False)),
        # Weights known only at run time (attention's second activation),
        # packed by the kernel: with a zero point (per-row corrections),
        # batched, and a plain linalg.matmul of i8 codes.
        ("mm_runtime_weights", lambda n: matmul_case(
            n, 11, 50, 19, False, 120, -7, runtime=True)),
        ("bmm_runtime_weights", lambda n: batch_matmul_case(
            n, 3, 9, 24, 17, True, -3, 100, runtime=True)),
        ("mm_plain_i8", lambda n: matmul_case(n, 6, 33, 40, True, 0, 0,
                                              plain=True)),
    ]
    text = [
        "// Generated by test/golden/generate_int8_kernels.py; do not edit.",
        "// The integer contractions of the contract (docs/Codegen.md) and f32",
        "// ones, through the kernels of every target this machine runs,",
        "// against checksums of numpy's int64 results (wrapped to i32).",
        "",
        "// RUN: quant-opt %s --qnn-compile=target=generic | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s",
        "// RUN: %if x86-64-v3 %{ quant-opt %s --qnn-compile=target=x86-64-v3 | "
        "mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s %}",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s "
        "--qnn-compile=target=x86-avx512-vnni | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s %}",
        "//",
        "// Ahead of time for AArch64, run under QEMU: only the cases are kept",
        "// (their C driver prints the same lines as @main).",
    ]
    names = ",".join(name for name, _ in cases)
    for target, short in [("aarch64", "neon"), ("aarch64-dotprod", "sdot"),
                          ("aarch64-i8mm", "smmla")]:
        text.append(
            "// RUN: %if aarch64-cross %{ quant-compile %s "
            f"--passes='symbol-privatize{{exclude={names}}},symbol-dce' "
            f"--target={target} -o %t-{short}.o --header=%t-{short}.h && "
            f"%aarch64_cc -include %t-{short}.h "
            f"%S/Inputs/int8-kernels-driver.c %t-{short}.o -lm -o %t-{short} && "
            f"%qemu_aarch64 %t-{short} | FileCheck %s %}}")
    text += [
        "//",
        "// RUN: quant-opt %s --one-shot-bufferize=bufferize-function-boundaries"
        " --qnn-lower-int8-kernels=target=x86-avx512-vnni | "
        "FileCheck %s --check-prefix=KERNELS",
        "",
    ]
    shapes, float_shapes = set(), set()
    functions, main_lines, kernels = [], [], []
    for name, make in cases:
        lines, ref, shape = make(name)
        functions += lines
        is_float = name.startswith("f32")
        (float_shapes if is_float else shapes).add(tuple(shape))
        value = float_checksum(ref) if is_float else checksum(ref)
        text.append(f"// CHECK: {name}: {value}")
        kernels.append(f"// KERNELS-LABEL: func.func @{name}()")
        if "runtime" in name:
            # The copy that makes the weights run-time values stays.
            kernels.append("// KERNELS: linalg.copy")
            kernels.append("// KERNELS-NOT: linalg.")
            kernels.append("// KERNELS: llvm.x86.avx512.vpdpbusd.512")
            kernels.append("// KERNELS-NOT: linalg.")
        elif "dw" in name:
            kernels.append("// KERNELS-NOT: linalg.")
            kernels.append("// KERNELS: arith.mul{{i|f}} %{{.*}} : "
                           "vector<16x{{i32|f32}}>")
            kernels.append("// KERNELS-NOT: linalg.")
        elif is_float:
            kernels.append("// KERNELS-NOT: linalg.")
            kernels.append("// KERNELS: arith.mulf %{{.*}} : vector<16xf32>")
            kernels.append("// KERNELS-NEXT: arith.addf %{{.*}} : "
                           "vector<16xf32>")
            kernels.append("// KERNELS-NOT: linalg.generic")
        else:
            kernels.append("// KERNELS-NOT: linalg.")
            kernels.append("// KERNELS: llvm.x86.avx512.vpdpbusd.512")
            kernels.append("// KERNELS-NOT: linalg.")
        main_lines += [f"  %{name} = call @{name}() : () -> i32",
                       f'  vector.print str "{name}: "',
                       f"  vector.print %{name} : i32"]
    text.append("")
    kernels.append("// KERNELS-LABEL: func.func private @checksum")
    text += kernels + [""]
    write_module(OUT, text, functions, shapes, float_shapes, main_lines)
    driver = ["/* Generated by test/golden/generate_int8_kernels.py; do not "
              "edit. */",
              "/* Prints the checksum of every case of int8-kernels.mlir, "
              "compiled ahead of",
              " * time; the declarations come from the header quant-compile "
              "writes. */",
              "", "#include <stdio.h>", "", "int main(void) {"]
    for name, _ in cases:
        driver.append(f'  printf("{name}: %d\\n", _mlir_ciface_{name}());')
    driver += ["  return 0;", "}"]
    os.makedirs(os.path.dirname(DRIVER), exist_ok=True)
    with open(DRIVER, "w") as f:
        f.write("\n".join(driver) + "\n")


if __name__ == "__main__":
    main()
