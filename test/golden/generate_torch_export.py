"""Generates test/Integration/TorchExport: the zoo (zoo_models.py) quantized
with PyTorch 1.13's FX graph mode (prepare_fx, calibration, convert_fx) for
qnnpack and onednn, exported by python/quant_mlir/export_torch.py twice:
the prepared model (qnn.calibrate with the observers' statistics) and the
converted one (QDQ). Each test compiles both as a user would
(--qnn-quantize --qnn-compile), checks that every contraction runs on
integer kernels, and compares their output codes with torch's int8 model:
none more than 1 code away, and at most 1% of them (or one code, for
outputs of fewer than 200 codes) 1 code away.

Usage: /usr/bin/python3 test/golden/generate_torch_export.py
"""

import copy
import os
import sys

import numpy as np
import torch
import torch.ao.quantization as tq
import torch.fx
import torch.nn as nn
from torch.ao.quantization.quantize_fx import (convert_fx, prepare_fx,
                                               prepare_qat_fx)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import zoo_models  # noqa: E402
from quant_mlir.export_torch import (export_converted,  # noqa: E402
                                     export_prepared)

OUT = os.path.join(HERE, "..", "Integration", "TorchExport")
MODELS = ["mlp", "resnet", "mobilenet", "resnext"]
ENGINES = ["qnnpack", "onednn"]


class OutputCodes(torch.fx.Interpreter):
    """Runs a converted model, keeping the quantized tensor its output
    dequantizes."""

    def call_method(self, target, args, kwargs):
        if target == "dequantize":
            self.codes = args[0]
        return super().call_method(target, args, kwargs)


def quantize(name, engine):
    """The prepared and converted FX models of `name`, and one input."""
    torch.manual_seed(zoo_models.SEED)
    torch.backends.quantized.engine = engine
    model = zoo_models.MODELS[name]().eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    calibration = torch.Generator().manual_seed(zoo_models.SEED + 1)
    example = torch.randn(model.input_shape, generator=calibration)
    prepared = prepare_fx(model, tq.get_default_qconfig_mapping(engine),
                          (example,))
    with torch.no_grad():
        for _ in range(8):
            prepared(torch.randn(model.input_shape, generator=calibration))
    converted = convert_fx(copy.deepcopy(prepared))
    x = torch.randn(model.input_shape, generator=calibration)
    return prepared, converted, x


def quantize_qat(name, engine):
    """`name` prepared for quantization-aware training (FakeQuantize
    modules), trained a few steps to match a random linear target, then
    frozen, and converted."""
    torch.manual_seed(zoo_models.SEED)
    torch.backends.quantized.engine = engine
    model = zoo_models.MODELS[name]().train()
    data = torch.Generator().manual_seed(zoo_models.SEED + 2)
    example = torch.randn(model.input_shape, generator=data)
    prepared = prepare_qat_fx(model,
                              tq.get_default_qat_qconfig_mapping(engine),
                              (example,))
    optimizer = torch.optim.SGD(prepared.parameters(), lr=0.01)
    for _ in range(20):
        x = torch.randn(model.input_shape, generator=data)
        loss = prepared(x).square().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    prepared.apply(tq.disable_observer)
    prepared.eval()
    converted = convert_fx(copy.deepcopy(prepared))
    x = torch.randn(model.input_shape, generator=data)
    return prepared, converted, x


def dense(array, elem):
    storage = {"f32": "<f4", "i32": "<i4"}[elem]
    data = np.ascontiguousarray(array).astype(storage).tobytes().hex().upper()
    shape = "x".join(str(d) for d in array.shape)
    return f'dense<"0x{data}"> : tensor<{shape}x{elem}>'


def comparator(rows, cols):
    """@compare(got f32, want codes, scale, zp) prints, for one output, the
    codes that differ, those more than 1 away, and rows whose argmax
    differs."""
    t = f"tensor<{rows}x{cols}xf32>"
    ti = f"tensor<{rows}x{cols}xi32>"
    m2 = "affine_map<(d0, d1) -> (d0, d1)>"
    s2 = "affine_map<(d0, d1) -> ()>"
    return f"""func.func private @compare(%got: {t}, %want: {ti}, %scale: f32, %zp: f32) -> (i32, i32) {{
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<i32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<i32>) -> tensor<i32>
  %counts:2 = linalg.generic {{indexing_maps = [{m2}, {m2}, {s2}, {s2}], iterator_types = ["reduction", "reduction"]}} ins(%got, %want : {t}, {ti}) outs(%z, %z : tensor<i32>, tensor<i32>) {{
  ^bb0(%a: f32, %b: i32, %diff: i32, %far: i32):
    %q = arith.divf %a, %scale : f32
    %r = math.roundeven %q : f32
    %c = arith.addf %r, %zp : f32
    %code = arith.fptosi %c : f32 to i32
    %d = arith.subi %code, %b : i32
    %nd = arith.subi %zero, %d : i32
    %ad = arith.maxsi %d, %nd : i32
    %one = arith.constant 1 : i32
    %ne = arith.cmpi ne, %ad, %zero : i32
    %gt = arith.cmpi sgt, %ad, %one : i32
    %nex = arith.extui %ne : i1 to i32
    %gtx = arith.extui %gt : i1 to i32
    %d2 = arith.addi %diff, %nex : i32
    %f2 = arith.addi %far, %gtx : i32
    linalg.yield %d2, %f2 : i32, i32
  }} -> (tensor<i32>, tensor<i32>)
  %differ = tensor.extract %counts#0[] : tensor<i32>
  %far = tensor.extract %counts#1[] : tensor<i32>
  return %differ, %far : i32, i32
}}
"""


def write(name, engine, qat=False):
    prepared, converted, x = (quantize_qat if qat else quantize)(name, engine)
    capture = OutputCodes(converted)
    with torch.no_grad():
        capture.run(x)
    q = capture.codes
    codes = q.int_repr().numpy().astype(np.int32)
    scale, zp = float(q.q_scale()), int(q.q_zero_point())
    rows, cols = codes.shape
    size = codes.size
    prepared_text = export_prepared(prepared, (x,), name="prepared")
    converted_text = export_converted(converted, (x,), name="converted")
    xt = "tensor<" + "x".join(map(str, x.shape)) + "xf32>"
    yt = f"tensor<{rows}x{cols}xf32>"
    checks = []
    main = ["func.func @main() {",
            f"  %x = arith.constant {dense(x.numpy(), 'f32')}",
            f"  %want = arith.constant {dense(codes, 'i32')}",
            f"  %scale = arith.constant {scale!r} : f32",
            f"  %zp = arith.constant {float(zp)!r} : f32",
            f"  %limit = arith.constant {max(1, size // 100)} : i32"]
    for fn in ["prepared", "converted"]:
        main += [
            f"  %y_{fn} = func.call @{fn}(%x) : ({xt}) -> {yt}",
            f"  %d_{fn}, %f_{fn} = func.call @compare(%y_{fn}, %want, %scale, %zp) : ({yt}, tensor<{rows}x{cols}xi32>, f32, f32) -> (i32, i32)",
            f'  vector.print str "{fn}: differ "',
            f"  vector.print %d_{fn} : i32",
            f'  vector.print str "{fn}: more than one code away "',
            f"  vector.print %f_{fn} : i32",
            f"  %ok_{fn} = arith.cmpi sle, %d_{fn}, %limit : i32",
            f'  vector.print str "{fn}: within one code on 99%: "',
            f"  vector.print %ok_{fn} : i1",
        ]
        checks += [f"// CHECK: {fn}: differ {{{{[0-9]+}}}}",
                   f"// CHECK-NEXT: {fn}: more than one code away 0",
                   f"// CHECK-NEXT: {fn}: within one code on 99%: 1"]
    main += ["  return", "}"]
    text = [
        "// RUN: quant-opt %s --qnn-quantize --qnn-compile=\"summary=true\" -o %t.mlir 2> %t.remarks",
        "// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t.remarks",
        "// RUN: mlir-runner %t.mlir -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s",
        "//",
        "// Generated by test/golden/generate_torch_export.py; do not edit.",
        f"// The zoo's {name}, quantized by PyTorch 1.13's FX graph mode ({engine}"
        + (", quantization-aware training: FakeQuantize, qnn.fake_quant)," if qat else "),"),
        "// exported by python/quant_mlir/export_torch.py as the prepared model",
        "// (@prepared: qnn.calibrate with the observers' statistics) and as the",
        "// converted one (@converted: QDQ); both must give torch's int8 output",
        "// codes, within one code.",
        "",
        "// SUMMARY-NOT: stays in float",
        "// SUMMARY-NOT: left to portable loops",
        "// SUMMARY: 0 float on f32 kernels, 0 float on portable loops",
        "",
    ] + checks + ["", prepared_text, converted_text, comparator(rows, cols)] + main
    label = f"{name}_{engine}" + ("_qat" if qat else "")
    with open(os.path.join(OUT, f"{label}.mlir"), "w") as f:
        f.write("\n".join(text) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in MODELS:
        for engine in ENGINES:
            write(name, engine)
    for engine in ENGINES:
        write("mlp", engine, qat=True)


if __name__ == "__main__":
    main()
