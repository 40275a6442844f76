"""Writes a quantized model's node list (test/golden/zoo_models.py) as an
ONNX QDQ graph, the form ONNX Runtime's quantization tool produces: u8
activations behind QuantizeLinear/DequantizeLinear pairs, i8 weights
per output channel and i32 biases on the s_x * s_w grid behind
DequantizeLinear, float Conv/Gemm/Add/Clip/pooling between them. ONNX
Runtime fuses these into QLinearConv, QGemm and QLinearAdd.

Needs only `onnx` (Debian's python3-onnx, opset 17).
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class QDQGraph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array, prefix="c"):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def qdq(self, f, scale, zp):
        """Q then DQ of the float tensor `f` with u8 (scale, zp)."""
        s = self.const(np.array(scale, np.float32), "s")
        z = self.const(np.array(zp, np.uint8), "z")
        q = self.op("QuantizeLinear", [f, s, z])
        return self.op("DequantizeLinear", [q, s, z]), q

    def weights(self, codes, scales, s_in, bias):
        """Dequantized i8 weights (per output channel, axis 0) and i32
        bias codes."""
        w = self.const(codes.astype(np.int8), "w")
        ws = self.const(scales.astype(np.float32) *
                        np.ones(codes.shape[0], np.float32), "ws")
        wz = self.const(np.zeros(codes.shape[0], np.int8), "wz")
        wd = self.op("DequantizeLinear", [w, ws, wz], axis=0)
        bias_scale = (np.float32(s_in) *
                      (scales.astype(np.float32) *
                       np.ones(codes.shape[0], np.float32)))
        b = self.const(np.round(bias / bias_scale).astype(np.int32), "b")
        bs = self.const(bias_scale.astype(np.float32), "bs")
        bz = self.const(np.zeros(codes.shape[0], np.int32), "bz")
        bd = self.op("DequantizeLinear", [b, bs, bz], axis=0)
        return wd, bd


def to_onnx(nodes, input_shape, output_shape, path):
    """Writes the model of `nodes` (NCHW input `input_shape`, output codes
    of `output_shape`) to `path`."""
    g = QDQGraph()
    values = []  # (dequantized name, scale, zp, quantized name)
    for node in nodes:
        op = node["op"]
        if op == "input":
            d, q = g.qdq("x", node["scale"], node["zp"])
            values.append((d, node["scale"], node["zp"], q))
            continue
        x = values[node["x"]] if "x" in node else None
        if op in ("conv", "linear"):
            wd, bd = g.weights(node["w"], node["w_scales"], x[1],
                               node["bias"])
            if op == "conv":
                p = node["padding"]
                y = g.op("Conv", [x[0], wd, bd],
                         strides=[node["stride"]] * 2, pads=[p] * 4,
                         group=node["groups"])
            else:
                y = g.op("Gemm", [x[0], wd, bd], transB=1)
            if node["act"] == "relu":
                y = g.op("Relu", [y])
            d, q = g.qdq(y, node["scale"], node["zp"])
            values.append((d, node["scale"], node["zp"], q))
        elif op == "add":
            a, b = values[node["a"]], values[node["b"]]
            y = g.op("Add", [a[0], b[0]])
            if node["act"] == "relu":
                y = g.op("Relu", [y])
            d, q = g.qdq(y, node["scale"], node["zp"])
            values.append((d, node["scale"], node["zp"], q))
        elif op in ("relu6", "maxpool", "avgpool"):
            if op == "relu6":
                y = g.op("Clip", [x[0], g.const(np.array(0, np.float32)),
                                  g.const(np.array(6, np.float32))])
            elif op == "maxpool":
                p = node["padding"]
                y = g.op("MaxPool", [x[0]],
                         kernel_shape=[node["kernel"]] * 2,
                         strides=[node["stride"]] * 2, pads=[p] * 4)
            else:
                y = g.op("GlobalAveragePool", [x[0]])
            d, q = g.qdq(y, x[1], x[2])
            values.append((d, x[1], x[2], q))
        elif op == "flatten":
            y = g.op("Flatten", [x[0]], axis=1)
            values.append((y, x[1], x[2], None))
        elif op == "reshape":
            shape = g.const(np.array(node["shape"], np.int64), "shape")
            values.append((g.op("Reshape", [x[0], shape]),) + x[1:3] +
                          (None,))
        elif op == "transpose":
            d, q = g.qdq(g.op("Transpose", [x[0]], perm=node["perm"]),
                         x[1], x[2])
            values.append((d, x[1], x[2], q))
        elif op == "bmm":
            a, b = values[node["a"]], values[node["b"]]
            rhs = (g.op("Transpose", [b[0]], perm=[0, 2, 1])
                   if node["transpose_b"] else b[0])
            d, q = g.qdq(g.op("MatMul", [a[0], rhs]), node["scale"],
                         node["zp"])
            values.append((d, node["scale"], node["zp"], q))
        elif op == "softmax":
            d, q = g.qdq(g.op("Softmax", [x[0]], axis=-1), node["scale"],
                         node["zp"])
            values.append((d, node["scale"], node["zp"], q))
        elif op == "layernorm":
            y = g.op("LayerNormalization",
                     [x[0], g.const(node["weight"], "gamma"),
                      g.const(node["bias"], "beta")], axis=-1,
                     epsilon=node["eps"])
            d, q = g.qdq(y, node["scale"], node["zp"])
            values.append((d, node["scale"], node["zp"], q))
        else:
            raise ValueError(f"no ONNX form for node '{op}'")
    out = values[-1][3]
    graph = helper.make_graph(
        g.nodes, "model",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       list(input_shape))],
        [helper.make_tensor_value_info(out, TensorProto.UINT8,
                                       list(output_shape))],
        g.inits)
    # Opset 17: LayerNormalization.
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
