#!/usr/bin/python3
"""Generates test/Integration/Golden/digits_bnn_mlp.mlir: a binarized MLP
trained on load_digits with the straight-through estimator (PyTorch 1.13).

The network is 64 -> 256 -> 256 -> 10. The first layer reads the real
pixels with binarized weights (alpha_n = mean |w| per output neuron, as
qnn.binarize scale<mean_abs> axis = 0); each hidden layer is followed by a
batch norm (eval mode) and binarized with sign (0 -> +1); the last two
layers multiply binarized activations by binarized weights. The MLIR model
spells the trained network as a PyTorch export would: float weights behind
qnn.binarize, torch's N x K weight layout read by linalg.matmul, the batch
norms as per-neuron affine generics. The test compiles it with

  --qnn-quantize --qnn-compile

(the binary layers run as xnor-popcount on packed bits) and requires
  - the logits of 200 test digits to equal, bit for bit, the network's
    arithmetic evaluated here in numpy: integer dot products of the signs
    scaled by alpha_n, the first layer summed in k order in f32;
  - the predictions to equal PyTorch's (whose float sums differ from the
    exact dot products only in their last bits).

Usage: /usr/bin/python3 test/golden/generate_binary_digits.py
"""

import os

import numpy as np
import torch
from sklearn.datasets import load_digits

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Integration", "Golden", "digits_bnn_mlp.mlir")
HIDDEN = 256


class SignSTE(torch.autograd.Function):
    """sign with 0 -> +1; the gradient passes where |x| <= 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


class BinaryLinear(torch.nn.Linear):
    """Weights alpha_n * sign(w), alpha_n = mean |w| over the inputs."""

    def forward(self, x):
        alpha = self.weight.abs().mean(dim=1, keepdim=True)
        return torch.nn.functional.linear(x, alpha * SignSTE.apply(self.weight))


class DigitsMLP(torch.nn.Module):
    """64 -> HIDDEN -> HIDDEN -> 10 with `linear` layers (no bias), batch
    norms after the hidden ones and sign activations."""

    def __init__(self, linear):
        super().__init__()
        self.fc1 = linear(64, HIDDEN, bias=False)
        self.bn1 = torch.nn.BatchNorm1d(HIDDEN)
        self.fc2 = linear(HIDDEN, HIDDEN, bias=False)
        self.bn2 = torch.nn.BatchNorm1d(HIDDEN)
        self.fc3 = linear(HIDDEN, 10, bias=False)

    def forward(self, x):
        h = SignSTE.apply(self.bn1(self.fc1(x)))
        h = SignSTE.apply(self.bn2(self.fc2(h)))
        return self.fc3(h)


def hexdense(array):
    array = np.ascontiguousarray(array, dtype="<f4")
    shape = "x".join(str(d) for d in array.shape)
    return f'dense<"0x{array.tobytes().hex().upper()}"> : tensor<{shape}xf32>'


def alpha_of(w):
    """qnn.binarize scale<mean_abs> axis = 0: the mean of |w| in f64, in
    row-major order, rounded once to f32."""
    return np.array([np.float32(np.abs(row.astype(np.float64)).mean())
                     for row in w], dtype=np.float32)


def sign(x):
    return np.where(x >= 0, 1, -1).astype(np.int64)


def bn_affine(bn):
    """Eval-mode batch norm as y * a + c (f32)."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    shift = bn.bias - bn.running_mean * scale
    return (scale.detach().numpy().astype(np.float32),
            shift.detach().numpy().astype(np.float32))


def emulate(x, model):
    """The compiled network's arithmetic, exactly."""
    w1 = model.fc1.weight.detach().numpy()
    a1 = alpha_of(w1)
    wb1 = (sign(w1).astype(np.float32) * a1[:, None]).astype(np.float32)
    # The f32 kernels sum in k order, a multiply then an add.
    acc = np.zeros((x.shape[0], HIDDEN), dtype=np.float32)
    for k in range(x.shape[1]):
        acc = (acc + (x[:, k:k + 1] * wb1[:, k][None, :]).astype(np.float32)
               ).astype(np.float32)
    s1, c1 = bn_affine(model.bn1)
    h = (acc * s1 + c1).astype(np.float32)
    for fc, bn in ((model.fc2, model.bn2), (model.fc3, None)):
        w = fc.weight.detach().numpy()
        dot = sign(h) @ sign(w).T
        y = (dot.astype(np.float32) * alpha_of(w)).astype(np.float32)
        if bn is None:
            return y
        s, c = bn_affine(bn)
        h = (y * s + c).astype(np.float32)


def matmul(out, x, w, m, k, n):
    """x (m x k) times w (n x k, torch's layout) into a zero fill."""
    return [f"  %e{out} = tensor.empty() : tensor<{m}x{n}xf32>",
            f"  %f{out} = linalg.fill ins(%zero : f32) outs(%e{out} : "
            f"tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>",
            f"  %{out} = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> "
            "(m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> "
            f"(m, n)>] ins({x}, {w} : tensor<{m}x{k}xf32>, tensor<{n}x{k}xf32>) "
            f"outs(%f{out} : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>"]


def batch_norm(out, x, bn, m, n):
    scale, shift = bn_affine(bn)
    return [f"  %{out}s = arith.constant {hexdense(scale)}",
            f"  %{out}c = arith.constant {hexdense(shift)}",
            f"  %{out}e = tensor.empty() : tensor<{m}x{n}xf32>",
            f"  %{out} = linalg.generic {{indexing_maps = [affine_map<(i, j) -> "
            "(i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>, "
            "affine_map<(i, j) -> (i, j)>], iterator_types = [\"parallel\", "
            f"\"parallel\"]}} ins({x}, %{out}s, %{out}c : tensor<{m}x{n}xf32>, "
            f"tensor<{n}xf32>, tensor<{n}xf32>) outs(%{out}e : "
            f"tensor<{m}x{n}xf32>) {{",
            "  ^bb0(%v: f32, %s: f32, %c: f32, %o: f32):",
            "    %p = arith.mulf %v, %s : f32",
            "    %q = arith.addf %p, %c : f32",
            "    linalg.yield %q : f32",
            f"  }} -> tensor<{m}x{n}xf32>"]


def prediction_check(m, input_shape, x, expected, torch_pred):
    """The checks of a golden network @bnn on the `m` test inputs `x` (an
    MLIR constant of `input_shape`): @logits_mismatches counts the logits
    whose bit patterns differ from `expected`, @prediction_mismatches the
    rows whose maximum is not at torch's prediction `torch_pred` (ties
    count), and @main prints both. The two counting functions return i32
    so that an ahead-of-time build can call them from C
    (Inputs/golden-driver.c)."""
    reduce2 = ("linalg.generic {indexing_maps = [affine_map<(d0, d1) -> "
               "(d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, "
               "d1) -> ()>], iterator_types = [\"reduction\", \"reduction\"]}")
    onehot = np.zeros((m, 10), dtype=np.float32)
    onehot[np.arange(m), torch_pred] = 1.0
    zero_count = ["  %zero = arith.constant 0 : i32",
                  "  %init = tensor.empty() : tensor<i32>",
                  "  %acc = linalg.fill ins(%zero : i32) outs(%init : "
                  "tensor<i32>) -> tensor<i32>"]
    run = [f"  %x = call @inputs() : () -> tensor<{input_shape}xf32>",
           f"  %y = call @bnn(%x) : (tensor<{input_shape}xf32>) -> "
           f"tensor<{m}x10xf32>"]
    return [
        f"func.func private @inputs() -> tensor<{input_shape}xf32> {{",
        f"  %x = arith.constant {x}",
        f"  return %x : tensor<{input_shape}xf32>",
        "}",
        "",
        "func.func @logits_mismatches() -> i32 {",
        f"  %expected = arith.constant {expected}"] + run + [
        f"  %yi = arith.bitcast %y : tensor<{m}x10xf32> to tensor<{m}x10xi32>",
        f"  %ei = arith.bitcast %expected : tensor<{m}x10xf32> to "
        f"tensor<{m}x10xi32>"] + zero_count + [
        f"  %count = {reduce2}",
        f"      ins(%yi, %ei : tensor<{m}x10xi32>, tensor<{m}x10xi32>) "
        "outs(%acc : tensor<i32>) {",
        "    ^bb0(%a: i32, %e: i32, %s: i32):",
        "      %ne = arith.cmpi ne, %a, %e : i32",
        "      %one = arith.extui %ne : i1 to i32",
        "      %sum = arith.addi %s, %one : i32",
        "      linalg.yield %sum : i32",
        "  } -> tensor<i32>",
        "  %n = tensor.extract %count[] : tensor<i32>",
        "  return %n : i32",
        "}",
        "",
        "func.func @prediction_mismatches() -> i32 {",
        f"  %torch_pred = arith.constant {hexdense(onehot)}"] + run + [
        "  %ninf = arith.constant 0xFF800000 : f32",
        f"  %me = tensor.empty() : tensor<{m}xf32>",
        f"  %mi = linalg.fill ins(%ninf : f32) outs(%me : tensor<{m}xf32>) -> "
        f"tensor<{m}xf32>",
        "  %max = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,"
        " affine_map<(i, j) -> (i)>], iterator_types = [\"parallel\", "
        f"\"reduction\"]}} ins(%y : tensor<{m}x10xf32>) outs(%mi : "
        f"tensor<{m}xf32>) {{",
        "    ^bb0(%v: f32, %a: f32):",
        "      %b = arith.maximumf %v, %a : f32",
        "      linalg.yield %b : f32",
        f"  }} -> tensor<{m}xf32>"] + zero_count + [
        "  %wrong = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,"
        " affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, "
        "affine_map<(i, j) -> ()>], iterator_types = [\"reduction\", "
        f"\"reduction\"]}} ins(%y, %torch_pred, %max : tensor<{m}x10xf32>, "
        f"tensor<{m}x10xf32>, tensor<{m}xf32>) outs(%acc : tensor<i32>) {{",
        "    ^bb0(%v: f32, %p: f32, %mx: f32, %s: i32):",
        "      %fone = arith.constant 1.0 : f32",
        "      %picked = arith.cmpf oeq, %p, %fone : f32",
        "      %below = arith.cmpf olt, %v, %mx : f32",
        "      %bad = arith.andi %picked, %below : i1",
        "      %one = arith.extui %bad : i1 to i32",
        "      %sum = arith.addi %s, %one : i32",
        "      linalg.yield %sum : i32",
        "  } -> tensor<i32>",
        "  %nw = tensor.extract %wrong[] : tensor<i32>",
        "  return %nw : i32",
        "}",
        "",
        "func.func @main() {",
        "  %n = call @logits_mismatches() : () -> i32",
        '  vector.print str "logits mismatches: "',
        "  vector.print %n : i32",
        "  %nw = call @prediction_mismatches() : () -> i32",
        '  vector.print str "prediction mismatches: "',
        "  vector.print %nw : i32",
        "  return",
        "}",
    ]


def aarch64_run_line(target="aarch64-dotprod"):
    """The RUN line that compiles the golden network ahead of time for
    AArch64 and runs its checks under QEMU."""
    return ("// RUN: %if aarch64-cross %{ quant-compile %s --passes='qnn-quantize,"
            "symbol-privatize{exclude=logits_mismatches,prediction_mismatches},"
            f"symbol-dce' --target={target} -o %t-a64.o --header=%t-a64.h && "
            "%aarch64_cc -include %t-a64.h %S/Inputs/golden-driver.c "
            "%t-a64.o -lm -o %t-a64 && %qemu_aarch64 %t-a64 | FileCheck %s %}")


def run_lines(extra=()):
    """The RUN lines of a golden network: compiled with a summary of where
    its contractions went and run on this machine, any `extra` runs, its
    bit ops checked after the quantize stage, and run on AArch64."""
    return [
        "// RUN: quant-opt %s --qnn-quantize --qnn-compile=\"summary=true\" "
        "-o %t.mlir 2> %t.remarks",
        "// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t.remarks",
        "// RUN: mlir-runner %t.mlir -e main -entry-point-result=void "
        "%mlir_runner_libs | FileCheck %s",
        *extra,
        "// RUN: quant-opt %s --qnn-quantize | FileCheck %s --check-prefix=BITS",
        aarch64_run_line(),
    ]


def write_golden(path, lines, m, input_shape, xt, exact, torch_pred):
    """Writes `lines` (the RUN lines, comments and the network @bnn) and
    the checks of its `m` test inputs `xt` to `path`."""
    lines = lines + prediction_check(m, input_shape, hexdense(xt),
                                     hexdense(exact), torch_pred)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def train_and_compare(model, emulate, image=False, epochs=300):
    """Trains `model` on load_digits (1400 digits; `image`: as 1 x 8 x 8)
    with Adam and the straight-through estimator, then evaluates it and
    `emulate` (the compiled arithmetic in numpy) on 200 other digits.
    Returns the test inputs, the exact logits, torch's predictions, its
    accuracy and the largest difference of its logits from the exact
    ones; fails when the predictions differ."""
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    if image:
        x = x.reshape(-1, 1, 8, 8)
    y = torch.tensor(digits.target)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(1))
    train, test = perm[:1400], perm[-200:]
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
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
    return xt, exact, torch_pred, accuracy, max_diff


def mlp_body(model, m, weight_op):
    """@bnn of the 64-HIDDEN-HIDDEN-10 MLP: each layer's weights behind
    `weight_op` (qnn.binarize or qnn.ternarize) with a per-neuron
    mean_abs scale, the hidden activations batch-normed and binarized."""
    lines = [f"func.func @bnn(%x: tensor<{m}x64xf32>) -> tensor<{m}x10xf32> {{",
             "  %zero = arith.constant 0.0 : f32"]
    dims = [(64, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 10)]
    value = "%x"
    for i, (fc, (k, n)) in enumerate(zip((model.fc1, model.fc2, model.fc3),
                                         dims), start=1):
        lines += [f"  %w{i}f = arith.constant "
                  f"{hexdense(fc.weight.detach().numpy())}",
                  f"  %w{i} = {weight_op} %w{i}f scale<mean_abs> axis = 0 : "
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
    return lines + [f"  return {value} : tensor<{m}x10xf32>", "}", ""]


def main():
    torch.manual_seed(0)
    model = DigitsMLP(BinaryLinear)
    xt, exact, torch_pred, accuracy, max_diff = train_and_compare(
        model, emulate)
    m = len(xt)
    lines = run_lines() + [
        "//",
        "// Generated by test/golden/generate_binary_digits.py; do not edit.",
        f"// A 64-{HIDDEN}-{HIDDEN}-10 binarized MLP trained on load_digits "
        "with the",
        "// straight-through estimator (PyTorch 1.13); accuracy on these "
        f"{m} test",
        f"// digits {accuracy:.3f}. The compiled model must give the exact "
        "logits of",
        "// the network's arithmetic (integer dot products of the signs times",
        "// alpha) bit for bit, and PyTorch's predictions (PyTorch's float "
        "sums",
        f"// differ from the exact ones by at most {max_diff:.2e}).",
        "",
        "// The two binary layers run on packed bits, the first (real pixels) "
        "on the f32",
        "// kernels.",
        "// BITS-COUNT-2: qnn.binary_matmul",
        "// BITS-NOT: qnn.binary_matmul",
        "// SUMMARY: contractions: 2 on integer kernels, {{[0-9]+}} integer on "
        "portable loops, 1 float on f32 kernels, 0 float on portable loops",
        "",
        "// CHECK: logits mismatches: 0",
        "// CHECK-NEXT: prediction mismatches: 0",
        "",
    ]
    lines += mlp_body(model, m, "qnn.binarize")

    write_golden(OUT, lines, m, f"{m}x64", xt, exact, torch_pred)
    print(f"accuracy {accuracy:.3f}, max |exact - torch| {max_diff:.3e}")


if __name__ == "__main__":
    main()
