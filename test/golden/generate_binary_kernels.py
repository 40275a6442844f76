#!/usr/bin/env python3
"""Generates test/Integration/binary-kernels.mlir: binary matmuls on packed
bits (qnn.binary_matmul on random words, and binarized float layers that
--qnn-rewrite-binary turns into them), with checksums of the results
computed here with numpy. The i32 dot products are exact; the layers'
f32 outputs are fl32(fl32(d) * m) + b, which numpy rounds the same way, so
their checksums (of the f32 bit patterns) are exact too. The test runs them
through every target's kernels that this machine can execute, and the
AArch64 ones under QEMU.

Usage: python3 test/golden/generate_binary_kernels.py
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from generate_int8_kernels import (checksum, checksum_function,  # noqa: E402
                                   dense, float_checksum)

RNG = np.random.default_rng(20261130)
HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "Integration", "binary-kernels.mlir")
DRIVER = os.path.join(HERE, "..", "Integration", "Inputs",
                      "binary-kernels-driver.c")


def signs(shape):
    """Random -1/+1 values."""
    return np.where(RNG.integers(0, 2, size=shape) == 1, -1, 1)


def pack(values):
    """qnn.bitpack's layout: bit k % 32 of word k // 32 is set for -1; the
    padding bits are zero. Returns int32 words."""
    rows, k = values.shape
    words = (k + 31) // 32
    packed = np.zeros((rows, words), dtype=np.uint64)
    for j in range(k):
        packed[:, j // 32] |= (values[:, j] < 0).astype(np.uint64) << np.uint64(j % 32)
    return packed.astype(np.uint32).view(np.int32)


def float_dense(values):
    data = values.astype("<f4").tobytes().hex().upper()
    shape = "x".join(str(d) for d in values.shape)
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def binary_matmul_case(name, m, k, n):
    """qnn.binary_matmul on packed random signs: k - 2 popcount(a xor b)."""
    a, b = signs((m, k)), signs((n, k))
    words = (k + 31) // 32
    lines = [f"func.func @{name}() -> i32 {{",
             f"  %a = arith.constant {dense(pack(a), 'i32')}",
             f"  %b = arith.constant {dense(pack(b), 'i32')}",
             f"  %d = qnn.binary_matmul %a, %b k = {k} : tensor<{m}x{words}xi32>, "
             f"tensor<{n}x{words}xi32> -> tensor<{m}x{n}xi32>",
             f"  %c = call @checksum_{m}x{n}(%d) : (tensor<{m}x{n}xi32>) -> i32",
             "  return %c : i32", "}", ""]
    return lines, a @ b.T, (m, n), False


def int8_out_case(name, m, k, n, scale=0.5, zero=3):
    """A binary layer whose output is quantized to i8 for an int8 layer:
    qcast(fl32(d) * a_n) with the scale multiplied by its f32 reciprocal,
    rounded half to even, plus the zero point, saturated."""
    lines, y, shape, _ = layer_case(name, m, k, n)
    q = np.clip(np.round((y * np.float32(1.0 / scale)).astype(np.float32))
                + zero, -128, 127).astype(np.int64)
    qtype = f"!quant.uniform<i8:f32, {scale}:{zero}>"
    ret = lines.index(f"  %c = call @checksum_f32_{m}x{n}(%ys) : "
                      f"(tensor<{m}x{n}xf32>) -> i32")
    lines[ret:ret + 1] = [
        f"  %q = quant.qcast %ys : tensor<{m}x{n}xf32> to "
        f"tensor<{m}x{n}x{qtype}>",
        f"  %qs = quant.scast %q : tensor<{m}x{n}x{qtype}> to "
        f"tensor<{m}x{n}xi8>",
        f"  %qe = tensor.empty() : tensor<{m}x{n}xi32>",
        f"  %qi = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>,"
        " affine_map<(i, j) -> (i, j)>], iterator_types = [\"parallel\", "
        f"\"parallel\"]}} ins(%qs : tensor<{m}x{n}xi8>) outs(%qe : "
        f"tensor<{m}x{n}xi32>) {{",
        "  ^bb0(%v: i8, %o: i32):",
        "    %ext = arith.extsi %v : i8 to i32",
        "    linalg.yield %ext : i32",
        f"  }} -> tensor<{m}x{n}xi32>",
        f"  %c = call @checksum_{m}x{n}(%qi) : (tensor<{m}x{n}xi32>) -> i32"]
    return lines, q, shape, False


def ternary_matmul_case(name, m, k, n):
    """qnn.ternary_matmul on packed signs and a nonzero mask: the sign plane
    has random padding bits, which the mask (zero there) hides."""
    a, t = signs((m, k)), signs((n, k)) * RNG.integers(0, 2, size=(n, k))
    words = (k + 31) // 32
    sign_words = pack(np.concatenate(
        [np.where(t < 0, -1, 1), signs((n, words * 32 - k))], axis=1))
    lines = [f"func.func @{name}() -> i32 {{",
             f"  %a = arith.constant {dense(pack(a), 'i32')}",
             f"  %s = arith.constant {dense(sign_words, 'i32')}",
             f"  %z = arith.constant {dense(pack(np.where(t != 0, -1, 1)), 'i32')}",
             f"  %d = qnn.ternary_matmul %a, %s, %z k = {k} : "
             f"tensor<{m}x{words}xi32>, tensor<{n}x{words}xi32>, "
             f"tensor<{n}x{words}xi32> -> tensor<{m}x{n}xi32>",
             f"  %c = call @checksum_{m}x{n}(%d) : (tensor<{m}x{n}xi32>) -> i32",
             "  return %c : i32", "}", ""]
    return lines, a @ t.T, (m, n), False


def layer_case(name, m, k, n, transposed=False, bias=False, mean_abs=False,
               dynamic=False, ternary=False):
    """y = init + qnn.binarize(x) @ w with w[:, j] in {-a_j, +a_j} (and 0
    when `ternary`)."""
    x = RNG.standard_normal((m, k)).astype(np.float32)
    # Some exact zeros: binarize maps them to +1.
    x[RNG.random((m, k)) < 0.05] = 0.0
    w_signs = signs((k, n))
    if ternary:
        w_signs = w_signs * RNG.integers(0, 2, size=(k, n))
    alphas = RNG.uniform(0.05, 1.0, size=n).astype(np.float32)
    w = (w_signs * alphas).astype(np.float32)
    b = RNG.standard_normal(n).astype(np.float32)
    xb = np.where(x >= 0, 1, -1)
    d = (xb @ w_signs).astype(np.float32)
    m_n = alphas
    if mean_abs:
        alpha_x = np.float32(np.abs(x.astype(np.float64)).mean())
        m_n = (alpha_x * alphas).astype(np.float32)
    y = (d * m_n).astype(np.float32)
    if bias:
        y = (y + b).astype(np.float32)
    xt = f"tensor<{m}x{k}xf32>"
    yt = f"tensor<{m}x{n}xf32>"
    wt = f"tensor<{n}x{k}xf32>" if transposed else f"tensor<{k}x{n}xf32>"
    weights = float_dense(w.T if transposed else w)
    lines = [f"func.func @{name}() -> i32 {{",
             f"  %x0 = arith.constant {float_dense(x)}",
             f"  %w = arith.constant {weights}"]
    if dynamic:
        # The batch known only at run time.
        lines += [f"  %x = tensor.cast %x0 : {xt} to tensor<?x{k}xf32>",
                  "  %c0 = arith.constant 0 : index",
                  f"  %rows = tensor.dim %x, %c0 : tensor<?x{k}xf32>"]
        xt_in, yt_in, sizes = f"tensor<?x{k}xf32>", f"tensor<?x{n}xf32>", "%rows"
    else:
        lines += [f"  %x = tensor.cast %x0 : {xt} to {xt}"]
        xt_in, yt_in, sizes = xt, yt, ""
    scale = " scale<mean_abs>" if mean_abs else ""
    lines.append(f"  %xb = qnn.binarize %x{scale} : {xt_in}")
    lines.append(f"  %e = tensor.empty({sizes}) : {yt_in}")
    if bias:
        lines += [f"  %b = arith.constant {float_dense(b)}",
                  f"  %init = linalg.broadcast ins(%b : tensor<{n}xf32>) "
                  f"outs(%e : {yt_in}) dimensions = [0]"]
    else:
        lines += ["  %z = arith.constant 0.0 : f32",
                  f"  %init = linalg.fill ins(%z : f32) outs(%e : {yt_in}) "
                  f"-> {yt_in}"]
    maps = ""
    if transposed:
        maps = ("indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                "affine_map<(m, n, k) -> (n, k)>, "
                "affine_map<(m, n, k) -> (m, n)>] ")
    lines.append(f"  %y = linalg.matmul {maps}ins(%xb, %w : {xt_in}, {wt}) "
                 f"outs(%init : {yt_in}) -> {yt_in}")
    if dynamic:
        lines.append(f"  %ys = tensor.cast %y : {yt_in} to {yt}")
    else:
        lines.append(f"  %ys = tensor.cast %y : {yt} to {yt}")
    lines += [f"  %c = call @checksum_f32_{m}x{n}(%ys) : ({yt}) -> i32",
              "  return %c : i32", "}", ""]
    return lines, y, (m, n), True


def batch_sizes(lines, dynamic, x_type):
    """The sizes of a tensor.empty with the batch of %x (of type x_type):
    none, or %rows, read at run time, when the batch is dynamic."""
    if not dynamic:
        return ""
    lines += ["  %c0 = arith.constant 0 : index",
              f"  %rows = tensor.dim %x, %c0 : {x_type}"]
    return "%rows"


def chain_case(name, m, k, n1, n2, ternary=False, dynamic=False):
    """Two layers: y1 = fl32(fl32(d1) * a_n) + b_n, then qnn.binarize(y1)
    @ w2. The second layer reads only the signs of y1, which the first
    layer's kernel writes as packed words when n1 is a whole number of
    words. Half the channels have no bias, so that some y1 are exactly
    zero (binarized to +1)."""
    x = RNG.standard_normal((m, k)).astype(np.float32)
    w1_signs = signs((k, n1))
    if ternary:
        w1_signs = w1_signs * RNG.integers(0, 2, size=(k, n1))
    a1 = RNG.uniform(0.05, 1.0, size=n1).astype(np.float32)
    b1 = RNG.standard_normal(n1).astype(np.float32)
    b1[::2] = 0.0
    w2_signs = signs((n1, n2))
    a2 = RNG.uniform(0.05, 1.0, size=n2).astype(np.float32)
    xb = np.where(x >= 0, 1, -1)
    y1 = ((xb @ w1_signs).astype(np.float32) * a1).astype(np.float32)
    y1 = (y1 + b1).astype(np.float32)
    y1b = np.where(y1 >= 0, 1, -1)
    y = ((y1b @ w2_signs).astype(np.float32) * a2).astype(np.float32)
    rows = "?" if dynamic else str(m)
    xt = f"tensor<{rows}x{k}xf32>"
    ht = f"tensor<{rows}x{n1}xf32>"
    yt = f"tensor<{rows}x{n2}xf32>"
    lines = [f"func.func @{name}() -> i32 {{",
             f"  %x0 = arith.constant {float_dense(x)}",
             f"  %x = tensor.cast %x0 : tensor<{m}x{k}xf32> to {xt}",
             f"  %w1 = arith.constant {float_dense(w1_signs * a1)}",
             f"  %b1 = arith.constant {float_dense(b1)}",
             f"  %w2 = arith.constant {float_dense(w2_signs * a2)}",
             "  %zero = arith.constant 0.0 : f32"]
    sizes = batch_sizes(lines, dynamic, xt)
    lines += [f"  %xb = qnn.binarize %x : {xt}",
              f"  %e1 = tensor.empty({sizes}) : {ht}",
              f"  %i1 = linalg.broadcast ins(%b1 : tensor<{n1}xf32>) "
              f"outs(%e1 : {ht}) dimensions = [0]",
              f"  %h = linalg.matmul ins(%xb, %w1 : {xt}, "
              f"tensor<{k}x{n1}xf32>) outs(%i1 : {ht}) -> {ht}",
              f"  %hb = qnn.binarize %h : {ht}",
              f"  %e2 = tensor.empty({sizes}) : {yt}",
              f"  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : {yt}) -> {yt}",
              f"  %y = linalg.matmul ins(%hb, %w2 : {ht}, "
              f"tensor<{n1}x{n2}xf32>) outs(%i2 : {yt}) -> {yt}",
              f"  %ys = tensor.cast %y : {yt} to tensor<{m}x{n2}xf32>",
              f"  %c = call @checksum_f32_{m}x{n2}(%ys) : "
              f"(tensor<{m}x{n2}xf32>) -> i32",
              "  return %c : i32", "}", ""]
    return lines, y, (m, n2), True


def conv_chain_case(name, n, h, w_, c, f1, f2):
    """Two NHWC binary convolutions (3x3, padding 1): y1 = fl32(fl32(d1) *
    a_f) + b_f over the zero-padded binarized input, then the second one
    on qnn.binarize(y1), padded again. The first writes the second's
    packed input (f1 a whole number of words) from its kernel."""
    x = RNG.standard_normal((n, h, w_, c)).astype(np.float32)
    w1_signs, w2_signs = signs((3, 3, c, f1)), signs((3, 3, f1, f2))
    a1 = RNG.uniform(0.05, 1.0, size=f1).astype(np.float32)
    a2 = RNG.uniform(0.05, 1.0, size=f2).astype(np.float32)
    b1 = RNG.standard_normal(f1).astype(np.float32)

    def conv(signs_in, w_signs):
        padded = np.pad(signs_in, ((0, 0), (1, 1), (1, 1), (0, 0)))
        dot = np.zeros(signs_in.shape[:3] + (w_signs.shape[3],),
                       dtype=np.int64)
        for i in range(3):
            for j in range(3):
                dot += np.einsum("nhwc,cf->nhwf",
                                 padded[:, i:i + h, j:j + w_, :],
                                 w_signs[i, j])
        return dot.astype(np.float32)

    y1 = ((conv(np.where(x >= 0, 1, -1), w1_signs) * a1).astype(np.float32)
          + b1).astype(np.float32)
    y = (conv(np.where(y1 >= 0, 1, -1), w2_signs) * a2).astype(np.float32)
    xs, ps = f"{n}x{h}x{w_}x{c}", f"{n}x{h + 2}x{w_ + 2}x{c}"
    hs, hps = f"{n}x{h}x{w_}x{f1}", f"{n}x{h + 2}x{w_ + 2}x{f1}"
    ys = f"{n}x{h}x{w_}x{f2}"
    attrs = ("{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : "
             "tensor<2xi64>}")

    def pad(result, source, small, large):
        return [f"  {result} = tensor.pad {source} low[0, 1, 1, 0] "
                "high[0, 1, 1, 0] {",
                "  ^bb0(%i: index, %j: index, %k: index, %l: index):",
                "    tensor.yield %zero : f32",
                f"  }} : tensor<{small}xf32> to tensor<{large}xf32>"]

    lines = [f"func.func @{name}() -> i32 {{",
             f"  %x0 = arith.constant {float_dense(x)}",
             f"  %x = tensor.cast %x0 : tensor<{xs}xf32> to tensor<{xs}xf32>",
             f"  %w1 = arith.constant {float_dense(w1_signs * a1)}",
             f"  %b1 = arith.constant {float_dense(b1)}",
             f"  %w2 = arith.constant {float_dense(w2_signs * a2)}",
             "  %zero = arith.constant 0.0 : f32",
             f"  %xb = qnn.binarize %x : tensor<{xs}xf32>"]
    lines += pad("%xp", "%xb", xs, ps)
    lines += [f"  %e1 = tensor.empty() : tensor<{hs}xf32>",
              f"  %i1 = linalg.broadcast ins(%b1 : tensor<{f1}xf32>) "
              f"outs(%e1 : tensor<{hs}xf32>) dimensions = [0, 1, 2]",
              f"  %h = linalg.conv_2d_nhwc_hwcf {attrs} ins(%xp, %w1 : "
              f"tensor<{ps}xf32>, tensor<3x3x{c}x{f1}xf32>) outs(%i1 : "
              f"tensor<{hs}xf32>) -> tensor<{hs}xf32>",
              f"  %hb = qnn.binarize %h : tensor<{hs}xf32>"]
    lines += pad("%hp", "%hb", hs, hps)
    rows = n * h * w_
    lines += [f"  %e2 = tensor.empty() : tensor<{ys}xf32>",
              f"  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : "
              f"tensor<{ys}xf32>) -> tensor<{ys}xf32>",
              f"  %y = linalg.conv_2d_nhwc_hwcf {attrs} ins(%hp, %w2 : "
              f"tensor<{hps}xf32>, tensor<3x3x{f1}x{f2}xf32>) outs(%i2 : "
              f"tensor<{ys}xf32>) -> tensor<{ys}xf32>",
              f"  %flat = tensor.collapse_shape %y [[0, 1, 2], [3]] : "
              f"tensor<{ys}xf32> into tensor<{rows}x{f2}xf32>",
              f"  %c = call @checksum_f32_{rows}x{f2}(%flat) : "
              f"(tensor<{rows}x{f2}xf32>) -> i32",
              "  return %c : i32", "}", ""]
    return lines, y.reshape(rows, f2), (rows, f2), True


def conv_case(name, n, h, w_, c, f, k, stride=1, dilation=1, pad=0,
              nchw=False, ternary=False, mean_abs=False, dynamic=False):
    """y = conv(pad(qnn.binarize(x), 0.0), w) with w[..., f] in {-a_f, +a_f}
    (and 0 when `ternary`): the padded taps are zeros, which the compiled
    convolution corrects for."""
    x = RNG.standard_normal((n, h, w_, c)).astype(np.float32)
    x[RNG.random(x.shape) < 0.05] = 0.0
    w_signs = signs((k, k, c, f))
    if ternary:
        w_signs = w_signs * RNG.integers(0, 2, size=w_signs.shape)
    alphas = RNG.uniform(0.05, 1.0, size=f).astype(np.float32)
    w = (w_signs * alphas).astype(np.float32)
    xb = np.where(x >= 0, 1, -1)
    xp = np.pad(xb, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    span = dilation * (k - 1) + 1
    oh = (h + 2 * pad - span) // stride + 1
    ow = (w_ + 2 * pad - span) // stride + 1
    dot = np.zeros((n, oh, ow, f), dtype=np.int64)
    for i in range(k):
        for j in range(k):
            patch = xp[:, i * dilation:i * dilation + stride * oh:stride,
                       j * dilation:j * dilation + stride * ow:stride, :]
            dot += np.einsum("nhwc,cf->nhwf", patch, w_signs[i, j])
    m_f = alphas
    if mean_abs:
        alpha_x = np.float32(np.abs(x.astype(np.float64)).mean())
        m_f = (alpha_x * alphas).astype(np.float32)
    y = (dot.astype(np.float32) * m_f).astype(np.float32)
    if nchw:
        x, w, y = (x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1),
                   y.transpose(0, 3, 1, 2))
        xs = f"{n}x{c}x{h}x{w_}"
        ps = f"{n}x{c}x{h + 2 * pad}x{w_ + 2 * pad}"
        ys = f"{n}x{f}x{oh}x{ow}"
        ws = f"{f}x{c}x{k}x{k}"
        low = high = f"[0, 0, {pad}, {pad}]"
        op = "conv_2d_nchw_fchw"
    else:
        xs = f"{n}x{h}x{w_}x{c}"
        ps = f"{n}x{h + 2 * pad}x{w_ + 2 * pad}x{c}"
        ys = f"{n}x{oh}x{ow}x{f}"
        ws = f"{k}x{k}x{c}x{f}"
        low = high = f"[0, {pad}, {pad}, 0]"
        op = "conv_2d_nhwc_hwcf"
    dyn = lambda shape: "?" + shape[shape.index("x"):] if dynamic else shape
    scale = " scale<mean_abs>" if mean_abs else ""
    lines = [f"func.func @{name}() -> i32 {{",
             f"  %x0 = arith.constant {float_dense(x)}",
             f"  %x = tensor.cast %x0 : tensor<{xs}xf32> to tensor<{dyn(xs)}xf32>",
             f"  %w = arith.constant {float_dense(w)}",
             "  %zero = arith.constant 0.0 : f32",
             f"  %xb = qnn.binarize %x{scale} : tensor<{dyn(xs)}xf32>"]
    source = "%xb"
    if pad:
        lines += [f"  %xp = tensor.pad %xb low{low} high{high} {{",
                  "  ^bb0(%i: index, %j: index, %k: index, %l: index):",
                  "    tensor.yield %zero : f32",
                  f"  }} : tensor<{dyn(xs)}xf32> to tensor<{dyn(ps)}xf32>"]
        source = "%xp"
    sizes = batch_sizes(lines, dynamic, f"tensor<{dyn(xs)}xf32>")
    lines += [f"  %e = tensor.empty({sizes}) : tensor<{dyn(ys)}xf32>",
              f"  %init = linalg.fill ins(%zero : f32) outs(%e : "
              f"tensor<{dyn(ys)}xf32>) -> tensor<{dyn(ys)}xf32>",
              f"  %y = linalg.{op} {{dilations = dense<{dilation}> : "
              f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}} "
              f"ins({source}, %w : tensor<{dyn(ps)}xf32>, tensor<{ws}xf32>) "
              f"outs(%init : tensor<{dyn(ys)}xf32>) -> tensor<{dyn(ys)}xf32>",
              f"  %ys = tensor.cast %y : tensor<{dyn(ys)}xf32> to "
              f"tensor<{ys}xf32>"]
    rows = int(np.prod(y.shape[:-1]))
    flat = f"{rows}x{y.shape[-1]}"
    lines += [f"  %flat = tensor.collapse_shape %ys [[0, 1, 2], [3]] : "
              f"tensor<{ys}xf32> into tensor<{flat}xf32>",
              f"  %c = call @checksum_f32_{flat}(%flat) : "
              f"(tensor<{flat}xf32>) -> i32",
              "  return %c : i32", "}", ""]
    return lines, y.reshape(rows, -1), (rows, y.shape[-1]), True


CASES = [
    # One bit; a word less one bit; one word; one word and one bit.
    ("bmm_one_bit", lambda n: binary_matmul_case(n, 1, 1, 1)),
    ("bmm_31", lambda n: binary_matmul_case(n, 5, 31, 17)),
    ("bmm_32", lambda n: binary_matmul_case(n, 4, 32, 16)),
    ("bmm_33_tails", lambda n: binary_matmul_case(n, 6, 33, 65)),
    # Register-tile rows and columns with tails; the batch-1 path.
    ("bmm_tails", lambda n: binary_matmul_case(n, 13, 100, 37)),
    ("bmm_row", lambda n: binary_matmul_case(n, 1, 1000, 130)),
    # A weight panel over 64 KiB: the reduction runs in blocks.
    ("bmm_blocked", lambda n: binary_matmul_case(n, 3, 9600, 70)),
    # Layers through --qnn-rewrite-binary.
    ("layer_kn", lambda n: layer_case(n, 9, 100, 40)),
    ("layer_nk_bias", lambda n: layer_case(n, 5, 256, 33, transposed=True,
                                           bias=True)),
    ("layer_mean_abs", lambda n: layer_case(n, 7, 70, 24, mean_abs=True,
                                            bias=True)),
    ("layer_dynamic_batch", lambda n: layer_case(n, 6, 96, 20,
                                                 dynamic=True)),
    # A binary layer quantized to i8 for an int8 layer: the quantization
    # joins the kernel's epilogue.
    ("layer_int8_out", lambda n: int8_out_case(n, 5, 200, 48)),
    # Ternary weights: two bit planes (or, with ternary-kernel=int8, the
    # int8 kernels).
    ("tmm_33_tails", lambda n: ternary_matmul_case(n, 6, 33, 65)),
    ("tmm_tails", lambda n: ternary_matmul_case(n, 13, 100, 37)),
    ("tmm_row", lambda n: ternary_matmul_case(n, 1, 1000, 130)),
    ("tmm_blocked", lambda n: ternary_matmul_case(n, 3, 9600, 70)),
    ("ternary_layer_kn_bias", lambda n: layer_case(n, 9, 100, 40, bias=True,
                                                   ternary=True)),
    ("ternary_layer_nk_mean_abs", lambda n: layer_case(
        n, 7, 70, 24, transposed=True, mean_abs=True, ternary=True)),
    ("ternary_layer_dynamic_batch", lambda n: layer_case(
        n, 6, 96, 20, dynamic=True, ternary=True)),
    # Convolutions: each window position's channels in whole words, zero
    # padding corrected, strides and dilations, NHWC and NCHW.
    ("conv_nhwc_c3_pad", lambda n: conv_case(n, 2, 7, 6, 3, 20, 3, pad=1)),
    ("conv_nhwc_c40_valid", lambda n: conv_case(n, 1, 5, 5, 40, 17, 3)),
    ("conv_nchw_stride2_pad", lambda n: conv_case(
        n, 2, 8, 8, 16, 24, 3, stride=2, pad=1, nchw=True)),
    ("conv_nhwc_dilated_pad2", lambda n: conv_case(
        n, 1, 9, 9, 8, 16, 3, dilation=2, pad=2, mean_abs=True)),
    ("conv_nchw_ternary_pad", lambda n: conv_case(
        n, 1, 6, 6, 33, 12, 3, pad=1, nchw=True, ternary=True)),
    ("conv_nhwc_dynamic_batch", lambda n: conv_case(
        n, 3, 5, 5, 10, 8, 3, pad=1, dynamic=True)),
    # Two layers: the first one's kernel writes the signs of its output
    # as the second one's packed input (whole words of channels), or,
    # with 48 channels, leaves the packing to a loop of its own.
    ("chain_n64", lambda n: chain_case(n, 9, 100, 64, 20)),
    ("chain_ternary_n96", lambda n: chain_case(n, 5, 70, 96, 17,
                                               ternary=True)),
    ("chain_n48_unfused", lambda n: chain_case(n, 7, 64, 48, 10)),
    ("chain_dynamic_batch", lambda n: chain_case(n, 6, 40, 128, 12,
                                                 dynamic=True)),
    # Two padded NHWC binary convolutions: the first one's epilogue reads
    # the patch matmul's rows as pixels, adds the padding correction and
    # writes the second one's packed input.
    ("chain_conv_nhwc", lambda n: conv_chain_case(n, 2, 5, 6, 8, 64, 10)),
]


def main():
    names = ",".join(name for name, _ in CASES)
    text = [
        "// Generated by test/golden/generate_binary_kernels.py; do not edit.",
        "// Binary matmuls on packed bits and binarized layers, through the",
        "// binary kernels of every target this machine runs, against",
        "// checksums of numpy's results.",
        "",
        "// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=generic | "
        "mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s",
        "// RUN: %if x86-64-v3 %{ quant-opt %s --qnn-quantize "
        "--qnn-compile=target=x86-64-v3 | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s %}",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s --qnn-quantize "
        "--qnn-compile=target=x86-avx512-vnni | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s %}",
        "// The packing of the chains' hidden layers in loops of their own:",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s --qnn-quantize "
        "--qnn-compile='target=x86-avx512-vnni pack-signs=false' | "
        "mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s %}",
        "//",
        "// The kernels of x86-avx512-bitalg, JIT-compiled for this machine",
        "// (LLVM selects vpopcntb only for a CPU that has it; the",
        "// instructions are checked in binary-kernels-asm.mlir):",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s --qnn-quantize "
        "--qnn-compile=target=x86-avx512-bitalg | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s %}",
        "//",
        "// Ternary layers on the int8 kernels instead of bit planes:",
        "// RUN: quant-opt %s --qnn-quantize=ternary-kernel=int8 "
        "--qnn-compile=target=generic | mlir-runner -e main "
        "-entry-point-result=void %mlir_runner_libs | FileCheck %s",
        "// RUN: %if x86-avx512-vnni %{ quant-opt %s "
        "--qnn-quantize=ternary-kernel=int8 --qnn-compile=target=x86-avx512-vnni"
        " | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s %}",
        "//",
        "// Every binary contraction runs on the binary kernels (the",
        "// checksums' reductions stay portable loops):",
        "// RUN: quant-opt %s --qnn-quantize "
        "--qnn-compile='target=x86-avx512-vnni summary=true' -o /dev/null "
        "2>&1 | FileCheck %s --check-prefix=SUMMARY",
        "// SUMMARY: contractions: {cases} on integer kernels, "
        "{checksums} integer on portable loops, 0 float on f32 kernels, "
        "0 float on portable loops",
        "//",
        "// The first layer of each chain whose channels fill whole words",
        "// writes the second one's packed input itself:",
        "// RUN: quant-opt %s --qnn-quantize "
        "--qnn-compile=target=x86-avx512-vnni -o /dev/null 2>&1 | "
        "FileCheck %s --check-prefix=SIGNS",
        "// SIGNS-COUNT-{packed}: remark: the kernel writes the signs of its "
        "output packed",
        "// SIGNS-NOT: remark: the kernel writes the signs",
        "//",
        "// Ahead of time for AArch64, run under QEMU: only the cases are kept",
        "// (their C driver prints the same lines as @main).",
    ]
    for target, short in [("aarch64", "neon"), ("aarch64-dotprod", "sdot")]:
        text.append(
            "// RUN: %if aarch64-cross %{ quant-compile %s "
            f"--passes='qnn-quantize,symbol-privatize{{exclude={names}}},"
            f"symbol-dce' --target={target} -o %t-{short}.o "
            f"--header=%t-{short}.h && %aarch64_cc -include %t-{short}.h "
            f"%S/Inputs/binary-kernels-driver.c %t-{short}.o -lm "
            f"-o %t-{short} && %qemu_aarch64 %t-{short} | FileCheck %s %}}")
    text.append("")
    shapes, float_shapes = set(), set()
    functions, main_lines = [], []
    for name, make in CASES:
        lines, ref, shape, is_float = make(name)
        functions += lines
        (float_shapes if is_float else shapes).add(shape)
        value = float_checksum(ref) if is_float else checksum(ref)
        text.append(f"// CHECK: {name}: {value}")
        main_lines += [f"  %{name} = call @{name}() : () -> i32",
                       f'  vector.print str "{name}: "',
                       f"  vector.print %{name} : i32"]
    text.append("")
    text += functions
    for m, n in sorted(shapes):
        text += checksum_function(m, n)
    for m, n in sorted(float_shapes):
        text += checksum_function(m, n, "f32")
    text += ["func.func @main() {"] + main_lines + ["  return", "}"]
    # A chain of two layers has two binary contractions.
    contractions = len(CASES) + sum(name.startswith("chain_")
                                    for name, _ in CASES)
    packed = sum(name.startswith("chain_") and "unfused" not in name
                 for name, _ in CASES)
    text = [line.format(cases=contractions,
                        checksums=len(shapes) + len(float_shapes))
            if line.startswith("// SUMMARY") else line for line in text]
    text = [line.format(packed=packed) if line.startswith("// SIGNS-COUNT")
            else line for line in text]
    with open(OUT, "w") as f:
        f.write("\n".join(text) + "\n")
    driver = ["/* Generated by test/golden/generate_binary_kernels.py; do not "
              "edit. */",
              "/* Prints the checksum of every case of binary-kernels.mlir, "
              "compiled ahead of",
              " * time; the declarations come from the header quant-compile "
              "writes. */",
              "", "#include <stdio.h>", "", "int main(void) {"]
    for name, _ in CASES:
        driver.append(f'  printf("{name}: %d\\n", _mlir_ciface_{name}());')
    driver += ["  return 0;", "}"]
    with open(DRIVER, "w") as f:
        f.write("\n".join(driver) + "\n")


if __name__ == "__main__":
    main()
