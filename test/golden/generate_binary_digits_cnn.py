#!/usr/bin/python3
"""Generates test/Integration/Golden/digits_bnn_cnn.mlir: a binarized CNN
trained on load_digits (8x8 images) with the straight-through estimator
(PyTorch 1.13).

conv1 (1 -> 16, 3x3, pad 1) reads the real pixels with binarized weights;
conv2 (16 -> 32, 3x3, stride 2, pad 1) and the classifier (512 -> 10)
multiply binarized activations by binarized weights; batch norms (eval
mode) follow both convolutions, then sign (0 -> +1). The MLIR model is
spelled as a PyTorch export: NCHW, FCHW weights behind qnn.binarize
scale<mean_abs> axis = 0, padding as a tensor.pad of the binarized
activations with 0.0 (which no bit can hold: the compiled convolution
corrects it), a flatten (tensor.collapse_shape) between the sign and the
classifier. The test compiles it with --qnn-quantize --qnn-compile and
requires the logits of 200 test digits to equal the network's arithmetic
evaluated here in numpy bit for bit (integer dot products of the signs
scaled by alpha; conv1 summed in (c, kh, kw) order in f32), and the
predictions to equal PyTorch's.

Usage: /usr/bin/python3 test/golden/generate_binary_digits_cnn.py
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_binary_digits import (SignSTE, BinaryLinear,  # noqa: E402
                                    alpha_of, bn_affine, hexdense, run_lines,
                                    sign, train_and_compare, write_golden)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Integration", "Golden", "digits_bnn_cnn.mlir")
C1, C2 = 16, 32


class BinaryConv2d(torch.nn.Conv2d):
    """Weights alpha_f * sign(w), alpha_f = mean |w| over (c, kh, kw)."""

    def forward(self, x):
        alpha = self.weight.abs().mean(dim=(1, 2, 3), keepdim=True)
        return self._conv_forward(x, alpha * SignSTE.apply(self.weight), None)


class BinaryCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = BinaryConv2d(1, C1, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(C1)
        self.conv2 = BinaryConv2d(C1, C2, 3, stride=2, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(C2)
        self.fc = BinaryLinear(C2 * 16, 10, bias=False)

    def forward(self, x):
        h = SignSTE.apply(self.bn1(self.conv1(x)))
        h = SignSTE.apply(self.bn2(self.conv2(h)))
        return self.fc(torch.flatten(h, 1))


def conv_f32(x, w, pad):
    """Stride-1 convolution in f32, summed in (c, kh, kw) order, a multiply
    then an add, as the f32 kernels sum NCHW convolutions."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    acc = np.zeros((n, f, h, wd), dtype=np.float32)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, ci:ci + 1, i:i + h, j:j + wd]
                acc = (acc + (patch * w[None, :, ci, i, j, None, None])
                       .astype(np.float32)).astype(np.float32)
    return acc


def conv_int(x, w, stride, pad):
    """Integer convolution of signs, zero padding."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, f, oh, ow), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    return out


def emulate(x, model):
    """The compiled network's arithmetic, exactly."""
    w1 = model.conv1.weight.detach().numpy()
    a1 = alpha_of(w1.reshape(C1, -1))
    wb1 = (sign(w1).astype(np.float32) * a1[:, None, None, None]).astype(
        np.float32)
    s1, c1 = bn_affine(model.bn1)
    h = (conv_f32(x, wb1, 1) * s1[None, :, None, None]
         + c1[None, :, None, None]).astype(np.float32)
    w2 = model.conv2.weight.detach().numpy()
    dot = conv_int(sign(h), sign(w2), 2, 1)
    y = (dot.astype(np.float32)
         * alpha_of(w2.reshape(C2, -1))[None, :, None, None]).astype(
             np.float32)
    s2, c2 = bn_affine(model.bn2)
    h = (y * s2[None, :, None, None] + c2[None, :, None, None]).astype(
        np.float32)
    w3 = model.fc.weight.detach().numpy()
    dot = sign(h).reshape(len(x), -1) @ sign(w3).T
    return (dot.astype(np.float32) * alpha_of(w3)).astype(np.float32)


def batch_norm(out, x, bn, shape, channels):
    scale, shift = bn_affine(bn)
    ch = "affine_map<(n, c, h, w) -> (c)>"
    ident = "affine_map<(n, c, h, w) -> (n, c, h, w)>"
    return [f"  %{out}s = arith.constant {hexdense(scale)}",
            f"  %{out}c = arith.constant {hexdense(shift)}",
            f"  %{out}e = tensor.empty() : tensor<{shape}xf32>",
            f"  %{out} = linalg.generic {{indexing_maps = [{ident}, {ch}, "
            f"{ch}, {ident}], iterator_types = [\"parallel\", \"parallel\", "
            f"\"parallel\", \"parallel\"]}} ins({x}, %{out}s, %{out}c : "
            f"tensor<{shape}xf32>, tensor<{channels}xf32>, "
            f"tensor<{channels}xf32>) outs(%{out}e : tensor<{shape}xf32>) {{",
            "  ^bb0(%v: f32, %s: f32, %c: f32, %o: f32):",
            "    %p = arith.mulf %v, %s : f32",
            "    %q = arith.addf %p, %c : f32",
            "    linalg.yield %q : f32",
            f"  }} -> tensor<{shape}xf32>"]


def conv(out, x, w, m, c, hw, f, ohw, stride):
    """pad(x) by 1 with 0.0, then conv_2d_nchw_fchw into a zero fill."""
    padded = f"{m}x{c}x{hw + 2}x{hw + 2}"
    return [f"  %{out}p = tensor.pad {x} low[0, 0, 1, 1] high[0, 0, 1, 1] {{",
            "  ^bb0(%i: index, %j: index, %k: index, %l: index):",
            "    tensor.yield %zero : f32",
            f"  }} : tensor<{m}x{c}x{hw}x{hw}xf32> to tensor<{padded}xf32>",
            f"  %{out}e = tensor.empty() : tensor<{m}x{f}x{ohw}x{ohw}xf32>",
            f"  %{out}f = linalg.fill ins(%zero : f32) outs(%{out}e : "
            f"tensor<{m}x{f}x{ohw}x{ohw}xf32>) -> "
            f"tensor<{m}x{f}x{ohw}x{ohw}xf32>",
            f"  %{out} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : "
            f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}} "
            f"ins(%{out}p, {w} : tensor<{padded}xf32>, tensor<{f}x{c}x3x3xf32>)"
            f" outs(%{out}f : tensor<{m}x{f}x{ohw}x{ohw}xf32>) -> "
            f"tensor<{m}x{f}x{ohw}x{ohw}xf32>"]


def main():
    torch.manual_seed(0)
    model = BinaryCNN()
    xt, exact, torch_pred, accuracy, max_diff = train_and_compare(
        model, emulate, image=True, epochs=150)
    m = len(xt)
    lines = run_lines() + [
        "//",
        "// Generated by test/golden/generate_binary_digits_cnn.py; do not "
        "edit.",
        f"// A binarized CNN (conv 1->{C1}, conv {C1}->{C2} stride 2, "
        f"fc {C2 * 16}->10) trained",
        "// on load_digits with the straight-through estimator (PyTorch "
        f"1.13); accuracy on these {m}",
        f"// test digits {accuracy:.3f}. The compiled model must give the "
        "exact logits of the",
        "// network's arithmetic bit for bit, and PyTorch's predictions "
        "(PyTorch's float",
        f"// sums differ from the exact ones by at most {max_diff:.2e}).",
        "",
        "// conv2 and the classifier run on packed bits (conv2 with the "
        "padding",
        "// correction), conv1 (real pixels) on the f32 kernels.",
        "// BITS-COUNT-2: qnn.binary_matmul",
        "// BITS-NOT: qnn.binary_matmul",
        "// SUMMARY: contractions: 2 on integer kernels, {{[0-9]+}} integer on "
        "portable loops, 1 float on f32 kernels, 0 float on portable loops",
        "",
        "// CHECK: logits mismatches: 0",
        "// CHECK-NEXT: prediction mismatches: 0",
        "",
        f"func.func @bnn(%x: tensor<{m}x1x8x8xf32>) -> tensor<{m}x10xf32> {{",
        "  %zero = arith.constant 0.0 : f32",
        f"  %w1f = arith.constant {hexdense(model.conv1.weight.detach().numpy())}",
        f"  %w1 = qnn.binarize %w1f scale<mean_abs> axis = 0 : "
        f"tensor<{C1}x1x3x3xf32>",
    ]
    lines += conv("y1", "%x", "%w1", m, 1, 8, C1, 8, 1)
    lines += batch_norm("h1", "%y1", model.bn1, f"{m}x{C1}x8x8", C1)
    lines += [f"  %b1 = qnn.binarize %h1 : tensor<{m}x{C1}x8x8xf32>",
              f"  %w2f = arith.constant "
              f"{hexdense(model.conv2.weight.detach().numpy())}",
              f"  %w2 = qnn.binarize %w2f scale<mean_abs> axis = 0 : "
              f"tensor<{C2}x{C1}x3x3xf32>"]
    lines += conv("y2", "%b1", "%w2", m, C1, 8, C2, 4, 2)
    lines += batch_norm("h2", "%y2", model.bn2, f"{m}x{C2}x4x4", C2)
    k = C2 * 16
    lines += [f"  %b2 = qnn.binarize %h2 : tensor<{m}x{C2}x4x4xf32>",
              f"  %flat = tensor.collapse_shape %b2 [[0], [1, 2, 3]] : "
              f"tensor<{m}x{C2}x4x4xf32> into tensor<{m}x{k}xf32>",
              f"  %w3f = arith.constant "
              f"{hexdense(model.fc.weight.detach().numpy())}",
              f"  %w3 = qnn.binarize %w3f scale<mean_abs> axis = 0 : "
              f"tensor<10x{k}xf32>",
              f"  %e3 = tensor.empty() : tensor<{m}x10xf32>",
              f"  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : "
              f"tensor<{m}x10xf32>) -> tensor<{m}x10xf32>",
              "  %y3 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> "
              "(m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) "
              f"-> (m, n)>] ins(%flat, %w3 : tensor<{m}x{k}xf32>, "
              f"tensor<10x{k}xf32>) outs(%f3 : tensor<{m}x10xf32>) -> "
              f"tensor<{m}x10xf32>",
              f"  return %y3 : tensor<{m}x10xf32>", "}", ""]
    write_golden(OUT, lines, m, f"{m}x1x8x8", xt, exact, torch_pred)
    print(f"accuracy {accuracy:.3f}, max |exact - torch| {max_diff:.3e}")


if __name__ == "__main__":
    main()
