"""Writes test/Target/ONNX/NodeTests: one lit test per ONNX backend node
test of quantization (Debian's libonnx-testdata), which imports the test's
model with quant-translate, compiles it, runs it on the test's inputs and
counts the outputs that differ from the test's expected outputs.

Each test runs twice: as ONNX wrote it (scales and zero points are graph
inputs, so the importer emits run-time arithmetic), and with every input but
the first turned into an initializer (written to Inputs/<test>_const.onnx),
so that the importer emits quant casts and --qnn-quantize the integer
kernels.

Run with Debian's python3 (python3-onnx, python3-numpy):
  /usr/bin/python3 test/golden/generate_onnx_node_tests.py
"""

import os
import re

import numpy as np
import onnx
from onnx import numpy_helper

NODE = "/usr/share/libonnx-testdata/data/node"
TESTS = [
    "test_quantizelinear", "test_quantizelinear_axis",
    "test_dequantizelinear", "test_dequantizelinear_axis",
    "test_dynamicquantizelinear", "test_dynamicquantizelinear_max_adjusted",
    "test_dynamicquantizelinear_min_adjusted",
    "test_dynamicquantizelinear_expanded",
    "test_dynamicquantizelinear_max_adjusted_expanded",
    "test_dynamicquantizelinear_min_adjusted_expanded",
    "test_qlinearconv", "test_qlinearmatmul_2D", "test_qlinearmatmul_3D",
    "test_matmulinteger", "test_basic_convinteger",
    "test_convinteger_with_padding", "test_convinteger_without_padding",
]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Target", "ONNX", "NodeTests")
INPUTS = os.path.join(HERE, "..", "Target", "ONNX", "Inputs")

ELEM = {np.dtype("float32"): "f32", np.dtype("uint8"): "i8",
        np.dtype("int8"): "i8", np.dtype("int32"): "i32",
        np.dtype("int64"): "i64"}


def identifier(name):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not ident or ident[0].isdigit():
        ident = "model_" + ident
    return ident


def ttype(array):
    shape = "".join(f"{d}x" for d in array.shape)
    return f"tensor<{shape}{ELEM[array.dtype]}>"


def dense(array):
    storage = {"f32": "<f4", "i8": "|u1", "i32": "<i4", "i64": "<i8"}
    elem = ELEM[array.dtype]
    data = np.ascontiguousarray(array).astype(storage[elem]).tobytes().hex()
    if array.size == 1:
        v = array.reshape(-1)[0]
        if elem == "f32":
            text = "0x" + np.array([v], "<f4").view("<u4")[0].tobytes()[::-1].hex().upper()
        else:
            text = str(int(np.array([v]).astype(storage[elem]).view(
                {"i8": "i1", "i32": "<i4", "i64": "<i8"}[elem])[0]))
        return f"dense<{text}> : {ttype(array)}"
    return f'dense<"0x{data.upper()}"> : {ttype(array)}'


def read(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def driver(func, inputs, outputs, names):
    """@main: calls `func` on `inputs`, prints mismatches per output."""
    lines = ["  func.func @main() {"]
    args = []
    for i, a in enumerate(inputs):
        lines.append(f"    %in{i} = arith.constant {dense(a)}")
        args.append(f"%in{i}")
    res_types = ", ".join(ttype(o) for o in outputs)
    arg_types = ", ".join(ttype(a) for a in inputs)
    results = ", ".join(f"%out{i}" for i in range(len(outputs)))
    lines.append(f"    {results} = func.call @{func}({', '.join(args)}) : "
                 f"({arg_types}) -> ({res_types})")
    for i, (o, name) in enumerate(zip(outputs, names)):
        t = ttype(o)
        elem = ELEM[o.dtype]
        rank = o.ndim
        dims = ", ".join(f"d{k}" for k in range(rank))
        cmp = ("arith.cmpf une, %a, %b : f32" if elem == "f32"
               else f"arith.cmpi ne, %a, %b : {elem}")
        lines += [
            f"    %exp{i} = arith.constant {dense(o)}",
            f"    %zero{i} = arith.constant 0 : i32",
            f"    %acc{i} = tensor.empty() : tensor<i32>",
            f"    %init{i} = linalg.fill ins(%zero{i} : i32) outs(%acc{i} : tensor<i32>) -> tensor<i32>",
            f"    %count{i} = linalg.generic {{indexing_maps = ["
            f"affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ({dims})>, "
            f"affine_map<({dims}) -> ()>], iterator_types = ["
            + ", ".join(['"reduction"'] * rank) + "]}"
            f" ins(%out{i}, %exp{i} : {t}, {t}) outs(%init{i} : tensor<i32>) {{",
            f"    ^bb0(%a: {elem}, %b: {elem}, %n: i32):",
            f"      %ne = {cmp}",
            "      %one = arith.extui %ne : i1 to i32",
            "      %sum = arith.addi %n, %one : i32",
            "      linalg.yield %sum : i32",
            "    } -> tensor<i32>",
            f"    %c{i} = tensor.extract %count{i}[] : tensor<i32>",
            f'    vector.print str "{name} mismatches: "',
            f"    vector.print %c{i} : i32",
        ]
    lines += ["    return", "  }"]
    return lines


def constant_model(model, inputs):
    """The model with every graph input but the first as an initializer."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    keep = g.input[0]
    for vi, a in zip(list(g.input)[1:], inputs[1:]):
        g.initializer.append(numpy_helper.from_array(a, vi.name))
    del g.input[:]
    g.input.append(keep)
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(INPUTS, exist_ok=True)
    for test in TESTS:
        d = os.path.join(NODE, test)
        model = onnx.load(os.path.join(d, "model.onnx"))
        g = model.graph
        ds = os.path.join(d, "test_data_set_0")
        inputs = [read(os.path.join(ds, f"input_{i}.pb"))
                  for i in range(len(g.input))]
        outputs = [read(os.path.join(ds, f"output_{i}.pb"))
                   for i in range(len(g.output))]
        names = [o.name for o in g.output]
        func = identifier(g.name)
        checks = [f"// CHECK: {n} mismatches: 0" for n in names]
        const_model = constant_model(model, inputs)
        const_path = os.path.join(INPUTS, f"{test}_const.onnx")
        onnx.save(const_model, const_path)
        text = [
            "// Generated by test/golden/generate_onnx_node_tests.py; do not edit.",
            f"// ONNX's backend node test {test} (libonnx-testdata): the",
            "// outputs of the imported model on the test's inputs must equal",
            "// the test's expected outputs, element for element.",
            "//",
            "// REQUIRES: onnx-testdata",
            f"// RUN: quant-translate --import-onnx %onnx_node_tests/{test}/model.onnx -o %t.model.mlir",
            "// RUN: sed '$d' %t.model.mlir > %t.mlir",
            "// RUN: sed -n '/^\\/\\/ DRIVER$/,/^\\/\\/ CONST-DRIVER$/p' %s >> %t.mlir",
            "// RUN: echo '}' >> %t.mlir",
            "// RUN: quant-opt %t.mlir --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s",
            "//",
            "// With the parameters as initializers: quant casts, quantized by",
            "// --qnn-quantize.",
            f"// RUN: quant-translate --import-onnx %S/../Inputs/{test}_const.onnx -o %t.const.mlir",
            "// RUN: sed '$d' %t.const.mlir > %t.c.mlir",
            "// RUN: sed -n '/^\\/\\/ CONST-DRIVER$/,$p' %s >> %t.c.mlir",
            "// RUN: echo '}' >> %t.c.mlir",
            "// RUN: quant-opt %t.c.mlir --qnn-quantize --qnn-compile | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s",
            "",
        ] + checks + ["", "// DRIVER"]
        text += driver(func, inputs, outputs, names)
        text += ["// CONST-DRIVER"]
        text += driver(func, inputs[:1], outputs, names)
        with open(os.path.join(OUT, f"{test}.mlir"), "w") as f:
            f.write("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
