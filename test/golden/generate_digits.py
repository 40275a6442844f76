#!/usr/bin/python3
"""Generates test/Integration/Golden/digits_mlp.mlir: a real model end to end.

Trains a 64-32-10 MLP on scikit-learn's bundled load_digits data set, then
quantizes it with torch.ao's post-training flow (qnnpack default qconfig:
HistogramObserver activations, symmetric per-tensor int8 weights, fused
Linear+ReLU). The MLIR model is the float network with a qnn.calibrate
carrying each observer's statistics (min, max, 2048-bin histogram; weights:
min/max). The test compiles it with

  --qnn-quantize --qnn-compile

and requires the logits of 200 test digits to equal those of torch's int8
model bit for bit (hence the same predictions). The accuracies of the float
and int8 models are recorded in the generated file.

It also writes digits_mlp_pruned.mlir: the same network with a quarter of
its hidden neurons pruned, whose logits must be the same with and without
--qnn-eliminate-sparsity.

Usage: /usr/bin/python3 test/golden/generate_digits.py
"""

import os

import numpy as np
import torch
import torch.ao.quantization as tq
from sklearn.datasets import load_digits

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "Integration", "Golden")


def flist(values):
    return "[" + ", ".join(repr(float(v)) for v in np.asarray(values).flatten()) + "]"


def dense(array):
    def rec(a):
        if a.ndim == 0:
            return repr(float(a))
        return "[" + ", ".join(rec(x) for x in a) + "]"
    return f"dense<{rec(np.asarray(array, dtype=np.float32))}>"


def generate(prune):
    """Writes digits_mlp.mlir, or with `prune` digits_mlp_pruned.mlir: a
    quarter of the hidden neurons removed by ln_structured pruning (their weights
    and bias zeroed) before quantization, run with and without
    --qnn-eliminate-sparsity."""
    torch.manual_seed(0)
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(1))
    train, calib, test = perm[:1200], perm[1200:1400], perm[-200:]

    model = torch.nn.Sequential(tq.QuantStub(), torch.nn.Linear(64, 32),
                                torch.nn.ReLU(), torch.nn.Linear(32, 10),
                                tq.DeQuantStub())
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(200):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x[train]), y[train])
        loss.backward()
        opt.step()
    if prune:
        import torch.nn.utils.prune as torch_prune
        layer = model[1]
        torch_prune.ln_structured(layer, "weight", amount=0.25, n=2, dim=0)
        torch_prune.remove(layer, "weight")
        with torch.no_grad():
            dead = layer.weight.abs().sum(dim=1) == 0
            layer.bias[dead] = 0.0
    model.eval()
    with torch.no_grad():
        float_acc = (model(x[test]).argmax(1) == y[test]).float().mean()

    torch.backends.quantized.engine = "qnnpack"
    model.qconfig = tq.get_default_qconfig("qnnpack")
    tq.fuse_modules(model, [["1", "2"]], inplace=True)
    prepared = tq.prepare(model)
    with torch.no_grad():
        prepared(x[calib])
    observers = [prepared[0].activation_post_process,
                 prepared[1].activation_post_process,
                 prepared[3].activation_post_process]
    weight_observers = []
    for layer in (prepared[1][0], prepared[3]):
        wobs = layer.qconfig.weight()
        wobs(layer.weight)
        weight_observers.append(wobs)
    quantized = tq.convert(prepared)
    with torch.no_grad():
        logits = quantized(x[test])
    int8_acc = (logits.argmax(1) == y[test]).float().mean()

    def calibrate(value, obs, ty, method="mse"):
        stats = f"min = {flist(obs.min_val)} max = {flist(obs.max_val)}"
        if method == "mse":
            stats += f" histogram = {flist(obs.histogram)}"
            return (f"qnn.calibrate {value} mse to ui8 {stats} : {ty}")
        return (f"qnn.calibrate {value} min_max to i8 symmetric {stats}"
                f" : {ty}")

    b = len(test)
    w1 = prepared[1][0].weight.detach().numpy().T
    b1 = prepared[1][0].bias.detach().numpy()
    w2 = prepared[3].weight.detach().numpy().T
    b2 = prepared[3].bias.detach().numpy()
    t = lambda *s: "tensor<" + "x".join(map(str, s)) + "xf32>"
    model_fn = f"""func.func @mlp(%x: {t(b, 64)}) -> {t(b, 10)} {{
  %xq = {calibrate('%x', observers[0], t(b, 64))}
  %w1 = arith.constant {dense(w1)} : {t(64, 32)}
  %w1q = {calibrate('%w1', weight_observers[0], t(64, 32), 'min_max')}
  %b1 = arith.constant {dense(b1)} : {t(32)}
  %e1 = tensor.empty() : {t(b, 32)}
  %i1 = linalg.broadcast ins(%b1 : {t(32)}) outs(%e1 : {t(b, 32)}) dimensions = [0]
  %h = linalg.matmul ins(%xq, %w1q : {t(b, 64)}, {t(64, 32)}) outs(%i1 : {t(b, 32)}) -> {t(b, 32)}
  %zeros = arith.constant dense<0.0> : {t(b, 32)}
  %hr = arith.maximumf %h, %zeros : {t(b, 32)}
  %hq = {calibrate('%hr', observers[1], t(b, 32))}
  %w2 = arith.constant {dense(w2)} : {t(32, 10)}
  %w2q = {calibrate('%w2', weight_observers[1], t(32, 10), 'min_max')}
  %b2 = arith.constant {dense(b2)} : {t(10)}
  %e2 = tensor.empty() : {t(b, 10)}
  %i2 = linalg.broadcast ins(%b2 : {t(10)}) outs(%e2 : {t(b, 10)}) dimensions = [0]
  %o = linalg.matmul ins(%hq, %w2q : {t(b, 32)}, {t(32, 10)}) outs(%i2 : {t(b, 10)}) -> {t(b, 10)}
  %oq = {calibrate('%o', observers[2], t(b, 10))}
  return %oq : {t(b, 10)}
}}"""
    expected = logits.numpy()
    run = ("// RUN: quant-opt %s {passes} --qnn-compile | mlir-runner -e "
           "main -entry-point-result=void %mlir_runner_libs | FileCheck %s")
    if prune:
        header = "\n".join([
            run.format(passes="--qnn-quantize"),
            run.format(passes="--qnn-fold-calibration --qnn-rewrite-int8"),
            "// RUN: quant-opt %s --qnn-quantize | FileCheck %s "
            "--check-prefix=INT8",
            "//",
            "// Generated by test/golden/generate_digits.py; do not edit.",
            "// The digits MLP with a quarter of its hidden neurons pruned",
            "// (ln_structured, their bias zeroed) before post-training",
            f"// quantization. Accuracy: float {float(float_acc):.3f}, "
            f"torch int8 {float(int8_acc):.3f}.",
            "// With --qnn-quantize, whose --qnn-eliminate-sparsity removes",
            "// the 8 dead neurons, and without it, the logits equal torch's",
            "// int8 logits.",
            "",
            "// INT8-DAG: tensor<64x24xi8>",
            "// INT8-DAG: tensor<24x10xi8>",
            "// INT8: qnn.requantize {{.*}} : tensor<200x24xi32> -> "
            "tensor<200x24xi8>",
            "// INT8: qnn.requantize {{.*}} : tensor<200x10xi32> -> "
            "tensor<200x10xi8>",
            "// INT8-NOT: linalg.matmul",
            "// CHECK: logits mismatches: 0"])
    else:
        header = "\n".join([
            run.format(passes="--qnn-quantize"),
            "// RUN: quant-opt %s --qnn-quantize | FileCheck %s "
            "--check-prefix=INT8",
            "//",
            "// Generated by test/golden/generate_digits.py; do not edit.",
            "// A 64-32-10 MLP trained on load_digits, quantized by torch.ao's",
            f"// post-training flow (qnnpack). Accuracy on these {b} test "
            f"digits: float {float(float_acc):.3f}, torch int8 "
            f"{float(int8_acc):.3f}.",
            "// The compiled int8 model must produce torch's int8 logits bit",
            "// for bit.",
            "",
            "// INT8-NOT: linalg.matmul",
            "// INT8-COUNT-2: qnn.requantize",
            "// CHECK: logits mismatches: 0"])
    text = header + f"""

{model_fn}

func.func @main() {{
  %x = arith.constant {dense(x[test].numpy())} : {t(b, 64)}
  %expected = arith.constant {dense(expected)} : {t(b, 10)}
  %y = call @mlp(%x) : ({t(b, 64)}) -> {t(b, 10)}
  %yi = arith.bitcast %y : {t(b, 10)} to tensor<{b}x10xi32>
  %ei = arith.bitcast %expected : {t(b, 10)} to tensor<{b}x10xi32>
  %zero = arith.constant 0 : i32
  %init = tensor.empty() : tensor<i32>
  %acc = linalg.fill ins(%zero : i32) outs(%init : tensor<i32>) -> tensor<i32>
  %count = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}}
      ins(%yi, %ei : tensor<{b}x10xi32>, tensor<{b}x10xi32>) outs(%acc : tensor<i32>) {{
    ^bb0(%a: i32, %e: i32, %s: i32):
      %ne = arith.cmpi ne, %a, %e : i32
      %one = arith.extui %ne : i1 to i32
      %sum = arith.addi %s, %one : i32
      linalg.yield %sum : i32
  }} -> tensor<i32>
  %n = tensor.extract %count[] : tensor<i32>
  vector.print str "logits mismatches: "
  vector.print %n : i32
  return
}}
"""
    out = os.path.join(OUT_DIR, "digits_mlp_pruned.mlir" if prune
                       else "digits_mlp.mlir")
    with open(out, "w") as f:
        f.write(text)
    print(f"wrote {out}: float acc {float(float_acc):.3f}, "
          f"int8 acc {float(int8_acc):.3f}")


if __name__ == "__main__":
    generate(prune=False)
    generate(prune=True)
