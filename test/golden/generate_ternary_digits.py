#!/usr/bin/python3
"""Generates test/Integration/Golden/digits_twn_mlp.mlir: an MLP with
ternary weights (Ternary Weight Networks: delta = 0.7 mean |w|, alpha =
mean |w| over |w| > delta, per output neuron) and binarized hidden
activations, trained on load_digits with the straight-through estimator
(PyTorch 1.13).

The network is 64 -> 256 -> 256 -> 10 like digits_bnn_mlp.mlir, its
weights behind qnn.ternarize scale<mean_abs> axis = 0. The test compiles
it with --qnn-quantize --qnn-compile (the ternary layers on two bit planes,
and with ternary-kernel=int8 on the int8 kernels) and requires the logits
of 200 test digits to equal the network's arithmetic evaluated here in
numpy bit for bit, and the predictions to equal PyTorch's.

Usage: /usr/bin/python3 test/golden/generate_ternary_digits.py
"""

import os
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_binary_digits import (HIDDEN, SignSTE,  # noqa: E402
                                    batch_norm, bn_affine, hexdense, matmul,
                                    prediction_check, sign)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Integration", "Golden", "digits_twn_mlp.mlir")
RATIO = 0.7


class TernaryLinear(torch.nn.Linear):
    """TWN weights alpha_n * t(w), the gradient passed straight through."""

    def forward(self, x):
        w = self.weight
        delta = RATIO * w.abs().mean(dim=1, keepdim=True)
        kept = (w.abs() > delta).to(w.dtype)
        alpha = (w.abs() * kept).sum(dim=1, keepdim=True) / kept.sum(
            dim=1, keepdim=True).clamp(min=1)
        ternary = alpha * torch.sign(w) * kept
        return torch.nn.functional.linear(x, w + (ternary - w).detach())


class TernaryMLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = TernaryLinear(64, HIDDEN, bias=False)
        self.bn1 = torch.nn.BatchNorm1d(HIDDEN)
        self.fc2 = TernaryLinear(HIDDEN, HIDDEN, bias=False)
        self.bn2 = torch.nn.BatchNorm1d(HIDDEN)
        self.fc3 = TernaryLinear(HIDDEN, 10, bias=False)

    def forward(self, x):
        h = SignSTE.apply(self.bn1(self.fc1(x)))
        h = SignSTE.apply(self.bn2(self.fc2(h)))
        return self.fc3(h)


def ternarize(w):
    """qnn.ternarize scale<mean_abs> axis = 0 (docs/QNN.md): per row, delta
    = 0.7 * mean |w| and alpha = mean |w| over |w| > delta, summed in f64
    in row-major order; alpha rounded once to f32. Returns the codes and
    alpha."""
    codes = np.zeros(w.shape, dtype=np.int64)
    alphas = np.zeros(w.shape[0], dtype=np.float32)
    for n, row in enumerate(w.astype(np.float64)):
        total = 0.0
        for v in row:
            total += abs(v)
        delta = total / len(row) * RATIO
        kept, count = 0.0, 0
        for v in row:
            if abs(v) > delta:
                kept += abs(v)
                count += 1
        alphas[n] = np.float32(kept / count if count else 0.0)
        codes[n] = np.where(row > delta, 1, np.where(row < -delta, -1, 0))
    return codes, alphas


def emulate(x, model):
    """The compiled network's arithmetic, exactly."""
    codes, a1 = ternarize(model.fc1.weight.detach().numpy())
    wt1 = (codes.astype(np.float32) * a1[:, None]).astype(np.float32)
    acc = np.zeros((x.shape[0], HIDDEN), dtype=np.float32)
    for k in range(x.shape[1]):
        acc = (acc + (x[:, k:k + 1] * wt1[:, k][None, :]).astype(np.float32)
               ).astype(np.float32)
    s1, c1 = bn_affine(model.bn1)
    h = (acc * s1 + c1).astype(np.float32)
    for fc, bn in ((model.fc2, model.bn2), (model.fc3, None)):
        codes, alphas = ternarize(fc.weight.detach().numpy())
        dot = sign(h) @ codes.T
        y = (dot.astype(np.float32) * alphas).astype(np.float32)
        if bn is None:
            return y
        s, c = bn_affine(bn)
        h = (y * s + c).astype(np.float32)


def main():
    torch.manual_seed(0)
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(1))
    train, test = perm[:1400], perm[-200:]
    model = TernaryMLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x[train]), y[train])
        loss.backward()
        optimizer.step()
    model.eval()
    xt = x[test].numpy().astype(np.float32)
    with torch.no_grad():
        torch_logits = model(x[test]).numpy()
    exact = emulate(xt, model)
    torch_pred = torch_logits.argmax(axis=1)
    assert (exact.argmax(axis=1) == torch_pred).all(), "predictions differ"
    accuracy = float((torch_pred == y[test].numpy()).mean())
    max_diff = float(np.abs(exact - torch_logits).max())
    zeros = np.mean([(ternarize(fc.weight.detach().numpy())[0] == 0).mean()
                     for fc in (model.fc1, model.fc2, model.fc3)])
    m = len(test)
    lines = [
        "// RUN: quant-opt %s --qnn-quantize --qnn-compile=\"summary=true\" "
        "-o %t.mlir 2> %t.remarks",
        "// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t.remarks",
        "// RUN: mlir-runner %t.mlir -e main -entry-point-result=void "
        "%mlir_runner_libs | FileCheck %s",
        "// RUN: quant-opt %s --qnn-quantize=ternary-kernel=int8 --qnn-compile "
        "| mlir-runner -e main -entry-point-result=void %mlir_runner_libs | "
        "FileCheck %s",
        "// RUN: quant-opt %s --qnn-quantize | FileCheck %s --check-prefix=BITS",
        "//",
        "// Generated by test/golden/generate_ternary_digits.py; do not edit.",
        f"// A 64-{HIDDEN}-{HIDDEN}-10 MLP with ternary weights (TWN, "
        f"{zeros:.0%} of them zero) and",
        "// binarized hidden activations, trained on load_digits with the",
        "// straight-through estimator (PyTorch 1.13); accuracy on these "
        f"{m} test digits",
        f"// {accuracy:.3f}. The compiled model must give the exact logits of "
        "the network's",
        "// arithmetic bit for bit (on bit planes and on the int8 kernels), "
        "and PyTorch's",
        "// predictions (PyTorch's float sums differ from the exact ones by "
        f"at most {max_diff:.2e}).",
        "",
        "// The two ternary layers run on bit planes, the first (real pixels) "
        "on the f32",
        "// kernels.",
        "// BITS-COUNT-2: qnn.ternary_matmul",
        "// BITS-NOT: qnn.ternary_matmul",
        "// SUMMARY: contractions: 2 on integer kernels, {{[0-9]+}} integer on "
        "portable loops, 1 float on f32 kernels, 0 float on portable loops",
        "",
        "// CHECK: logits mismatches: 0",
        "// CHECK-NEXT: prediction mismatches: 0",
        "",
        f"func.func @bnn(%x: tensor<{m}x64xf32>) -> tensor<{m}x10xf32> {{",
        "  %zero = arith.constant 0.0 : f32",
    ]
    dims = [(64, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 10)]
    value = "%x"
    for i, (fc, (k, n)) in enumerate(zip((model.fc1, model.fc2, model.fc3),
                                         dims), start=1):
        lines += [f"  %w{i}f = arith.constant "
                  f"{hexdense(fc.weight.detach().numpy())}",
                  f"  %w{i} = qnn.ternarize %w{i}f scale<mean_abs> axis = 0 : "
                  f"tensor<{n}x{k}xf32>"]
        if i > 1:
            lines.append(f"  %x{i} = qnn.binarize {value} : tensor<{m}x{k}xf32>")
            value = f"%x{i}"
        lines += matmul(f"y{i}", value, f"%w{i}", m, k, n)
        value = f"%y{i}"
        if i < 3:
            lines += batch_norm(f"h{i}", value, (model.bn1, model.bn2)[i - 1],
                                m, n)
            value = f"%h{i}"
    lines += [f"  return {value} : tensor<{m}x10xf32>", "}", ""]
    lines += prediction_check(m, f"{m}x64", hexdense(xt), hexdense(exact),
                              torch_pred)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"accuracy {accuracy:.3f}, zeros {zeros:.2f}, "
          f"max |exact - torch| {max_diff:.3e}")


if __name__ == "__main__":
    main()
