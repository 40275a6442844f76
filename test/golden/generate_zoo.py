#!/usr/bin/python3
"""Generates the model-zoo tests of test/Integration/Zoo.

Four small networks (zoo_models.py: ResNet-style, MobileNetV2-style, MLP,
attention) are quantized with PyTorch 1.13's eager-mode post-training
quantization for the engines qnnpack and onednn, run on one input, and
written out in the spellings of zoo_export.py (and TOSA, zoo_tosa.py).
Each test compiles the file as a user would (--qnn-quantize --qnn-compile)
and checks, for every spelling and engine:

  - the remark summary: every matmul and convolution ran on integer
    kernels;
  - the output codes against torch's: no element more than 1 code away,
    at most 1% of elements 1 code away;
  - the predictions (argmax of each output row) equal torch's.

Usage: /usr/bin/python3 test/golden/generate_zoo.py   (rewrites the files)
"""

import os

import numpy as np

import zoo_export
import zoo_models
import zoo_tosa

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "Integration", "Zoo")
ENGINES = ["qnnpack", "onednn"]
SPELLINGS = ["torch_mlir", "onnx_qdq", "nhwc"]


def comparator(rows, cols, signed):
    """@compare_RxC(got, want codes, want argmax) -> (codes that differ,
    codes more than 1 away, rows whose argmax differs)."""
    t = f"tensor<{rows}x{cols}xi8>"
    ext = "arith.extsi" if signed else "arith.extui"
    m2 = "affine_map<(d0, d1) -> (d0, d1)>"
    s2 = "affine_map<(d0, d1) -> ()>"
    r2 = "affine_map<(d0, d1) -> (d0)>"
    r1 = "affine_map<(d0) -> (d0)>"
    s1 = "affine_map<(d0) -> ()>"
    return f"""func.func private @compare_{rows}x{cols}(%got: {t}, %want: {t}, %best: tensor<{rows}xi32>) -> (i32, i32, i32) {{
  %zero = arith.constant 0 : i32
  %minus = arith.constant -1 : i32
  %e = tensor.empty() : tensor<i32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<i32>) -> tensor<i32>
  %counts:2 = linalg.generic {{indexing_maps = [{m2}, {m2}, {s2}, {s2}], iterator_types = ["reduction", "reduction"]}} ins(%got, %want : {t}, {t}) outs(%z, %z : tensor<i32>, tensor<i32>) {{
  ^bb0(%a: i8, %b: i8, %diff: i32, %far: i32):
    %aw = {ext} %a : i8 to i32
    %bw = {ext} %b : i8 to i32
    %d = arith.subi %aw, %bw : i32
    %ne = arith.cmpi ne, %d, %zero : i32
    %one = arith.constant 1 : i32
    %nd = arith.subi %zero, %d : i32
    %ad = arith.maxsi %d, %nd : i32
    %gt = arith.cmpi sgt, %ad, %one : i32
    %nex = arith.extui %ne : i1 to i32
    %gtx = arith.extui %gt : i1 to i32
    %diff2 = arith.addi %diff, %nex : i32
    %far2 = arith.addi %far, %gtx : i32
    linalg.yield %diff2, %far2 : i32, i32
  }} -> (tensor<i32>, tensor<i32>)
  %er = tensor.empty() : tensor<{rows}xi32>
  %low = linalg.fill ins(%minus : i32) outs(%er : tensor<{rows}xi32>) -> tensor<{rows}xi32>
  %first = linalg.fill ins(%zero : i32) outs(%er : tensor<{rows}xi32>) -> tensor<{rows}xi32>
  %arg:2 = linalg.generic {{indexing_maps = [{m2}, {r2}, {r2}], iterator_types = ["parallel", "reduction"]}} ins(%got : {t}) outs(%low, %first : tensor<{rows}xi32>, tensor<{rows}xi32>) {{
  ^bb0(%a: i8, %max: i32, %at: i32):
    %aw = {ext} %a : i8 to i32
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i32
    %better = arith.cmpi sgt, %aw, %max : i32
    %m = arith.select %better, %aw, %max : i32
    %i = arith.select %better, %ji, %at : i32
    linalg.yield %m, %i : i32, i32
  }} -> (tensor<{rows}xi32>, tensor<{rows}xi32>)
  %wrong = linalg.generic {{indexing_maps = [{r1}, {r1}, {s1}], iterator_types = ["reduction"]}} ins(%arg#1, %best : tensor<{rows}xi32>, tensor<{rows}xi32>) outs(%z : tensor<i32>) {{
  ^bb0(%a: i32, %b: i32, %n: i32):
    %ne = arith.cmpi ne, %a, %b : i32
    %x = arith.extui %ne : i1 to i32
    %s = arith.addi %n, %x : i32
    linalg.yield %s : i32
  }} -> tensor<i32>
  %c0 = tensor.extract %counts#0[] : tensor<i32>
  %c1 = tensor.extract %counts#1[] : tensor<i32>
  %c2 = tensor.extract %wrong[] : tensor<i32>
  return %c0, %c1, %c2 : i32, i32, i32
}}
"""


def count_contractions(nodes, spelling):
    """The kernel calls of a model: one per contraction, except grouped
    convolutions, which run one per group (depthwise convolutions with a
    multiplier M, one per multiplier index)."""
    count = 0
    for node in nodes:
        if node["op"] not in ("conv", "linear", "bmm"):
            continue
        groups = node.get("groups", 1)
        f, cg = node["w"].shape[:2] if node["op"] == "conv" else (0, 0)
        if groups == 1 or (groups == f and cg == 1):
            count += 1
        elif cg == 1:
            # One per multiplier index, or per input channel when the
            # multiplier exceeds the channels.
            count += min(f // groups, groups)
        else:
            count += groups
    return count


def write_model(name):
    model = zoo_models.MODELS[name]
    functions, main, checks, comparators = [], [], [], {}
    constants = set()
    contractions = 0
    for engine in ENGINES:
        _, nodes, x, codes = zoo_models.quantize(name, engine)
        best = codes.argmax(axis=1)
        # Predictions must be unambiguous for "equal" to mean something.
        for row, col in zip(codes, best):
            assert (row == row[col]).sum() == 1, (name, engine, row)
        rows, cols = codes.shape
        variants = [(s, zoo_export.QDQExporter(s)) for s in SPELLINGS]
        variants.append(("tosa", zoo_tosa.TosaExporter()))
        for spelling, exporter in variants:
            fn = f"{name}_{spelling}_{engine}"
            lines, shape = exporter.function(fn, nodes, model.input_shape)
            assert list(shape) == [rows, cols], (shape, codes.shape)
            functions += lines
            contractions += count_contractions(nodes, spelling)
            signed = spelling == "tosa"
            want = codes - 128 if signed else codes
            inp = exporter.input_value(x)
            key = (rows, cols, signed)
            comparators.setdefault(key, comparator(rows, cols, signed).replace(
                f"@compare_{rows}x{cols}",
                f"@compare_{rows}x{cols}{'_signed' if signed else ''}"))
            cmp = f"@compare_{rows}x{cols}{'_signed' if signed else ''}"
            i = len(checks)
            main += [f"  %in{i} = arith.constant {inp}",
                     f"  %want{i} = arith.constant "
                     f"{zoo_export.hexdense(zoo_export.as_i8(want), 'i8')}",
                     f"  %best{i} = arith.constant "
                     f"{zoo_export.hexdense(best, 'i32')}",
                     f"  %got{i} = call @{fn}(%in{i}) : "
                     f"({exporter.input_type(x)}) -> tensor<{rows}x{cols}xi8>",
                     f"  %r{i}:3 = call {cmp}(%got{i}, %want{i}, %best{i}) : "
                     f"(tensor<{rows}x{cols}xi8>, tensor<{rows}x{cols}xi8>, "
                     f"tensor<{rows}xi32>) -> (i32, i32, i32)",
                     f"  %far{i} = arith.muli %r{i}#1, %hundred : i32",
                     f"  %ok{i} = arith.cmpi sle, %far{i}, %c{rows * cols} : "
                     "i32",
                     f'  vector.print str "{fn}: differ "',
                     f"  vector.print %r{i}#0 : i32",
                     f'  vector.print str "{fn}: within one code on 99%: "',
                     f"  vector.print %ok{i} : i1",
                     f'  vector.print str "{fn}: wrong predictions "',
                     f"  vector.print %r{i}#2 : i32"]
            constants.add(rows * cols)
            checks.append(fn)
    lines = [
        "// RUN: quant-opt %s --qnn-quantize --qnn-compile=\"summary=true\" "
        "-o %t.mlir 2> %t.remarks",
        "// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t.remarks",
        "// RUN: mlir-runner %t.mlir -e main -entry-point-result=void "
        "%mlir_runner_libs | FileCheck %s",
        "//",
        "// Generated by test/golden/generate_zoo.py; do not edit.",
        f"// {model.__doc__.splitlines()[0]} Quantized by PyTorch 1.13",
        "// (eager post-training quantization, engines qnnpack and onednn),",
        "// written in the spellings of torch-mlir, ONNX QDQ, NHWC by hand and",
        "// TOSA, compiled as a user would; every contraction must run on",
        "// integer kernels, and the output codes must match torch's.",
        "",
        "// SUMMARY-NOT: stays in float",
        "// SUMMARY-NOT: left to portable loops",
        f"// SUMMARY: contractions: {contractions} on integer kernels, 0 "
        "integer on portable loops, 0 float on f32 kernels, 0 float on "
        "portable loops",
        "",
    ]
    for fn in checks:
        lines += [f"// CHECK: {fn}: differ {{{{[0-9]+}}}}",
                  f"// CHECK-NEXT: {fn}: within one code on 99%: 1",
                  f"// CHECK-NEXT: {fn}: wrong predictions 0"]
    lines.append("")
    lines += functions
    lines += list(comparators.values())
    prologue = ["  %hundred = arith.constant 100 : i32"]
    prologue += [f"  %c{n} = arith.constant {n} : i32"
                 for n in sorted(constants)]
    lines += ["func.func @main() {"] + prologue + main + ["  return", "}"]
    path = os.path.join(OUT_DIR, f"{name}.mlir")
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(checks)} functions, {contractions} "
          "contractions")


def main():
    for name in zoo_models.MODELS:
        write_model(name)


if __name__ == "__main__":
    main()
