"""Writes the node lists of zoo_models.py as ONNX QDQ models, as ONNX
Runtime's quantizer and PyTorch's ONNX export write them: every float
operator between DequantizeLinear of its operands and QuantizeLinear of
its result; weights int8 codes with per-tensor or per-axis (axis 0)
scales; the bias int32 codes on the s_x * s_w grid behind a
DequantizeLinear; Flatten, Reshape and Transpose on the uint8 codes.

The attention model is not written: its layer normalization has no ONNX
operator before opset 17, and the importer does not read
LayerNormalization.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


class Writer:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array, prefix="c"):
        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array), n))
        return n

    def node(self, op, inputs, **attrs):
        out = self.name(op.lower() + "_")
        self.nodes.append(helper.make_node(op, inputs, [out],
                                           name=out, **attrs))
        return out

    def dq(self, codes, scale, zp):
        return self.node("DequantizeLinear", [
            codes, self.const(np.float32(scale), "s"),
            self.const(np.uint8(zp), "zp")])

    def q(self, x, scale, zp):
        return self.node("QuantizeLinear", [
            x, self.const(np.float32(scale), "s"),
            self.const(np.uint8(zp), "zp")])

    def weights(self, codes, scales):
        w = self.const(codes.astype(np.int8), "w")
        if len(scales) == 1:
            return self.node("DequantizeLinear", [
                w, self.const(np.float32(scales[0]), "ws"),
                self.const(np.int8(0), "wzp")])
        return self.node("DequantizeLinear", [
            w, self.const(scales.astype(np.float32), "ws"),
            self.const(np.zeros(len(scales), np.int8), "wzp")], axis=0)

    def bias(self, bias, s_x, w_scales):
        s = (np.float32(s_x) * w_scales.astype(np.float32)).astype(np.float32)
        s = np.broadcast_to(s, bias.shape).astype(np.float32)
        codes = np.round(bias.astype(np.float64) / s).astype(np.int32)
        b = self.const(codes, "b")
        if len(w_scales) == 1:
            return self.node("DequantizeLinear", [
                b, self.const(np.float32(s[0]), "bs"),
                self.const(np.int32(0), "bzp")])
        return self.node("DequantizeLinear", [
            b, self.const(s, "bs"),
            self.const(np.zeros(len(s), np.int32), "bzp")], axis=0)


def write(nodes, input_shape, output_shape, graph_name):
    """The ONNX model of `nodes`: float input, uint8 output codes."""
    w = Writer()
    vals = []  # per node: (codes name, scale, zp)
    for node in nodes:
        op = node["op"]
        if op == "input":
            vals.append((w.q("x", node["scale"], node["zp"]),
                         node["scale"], node["zp"]))
            continue
        if op in ("conv", "linear"):
            x, sx, zx = vals[node["x"]]
            xd = w.dq(x, sx, zx)
            wd = w.weights(node["w"], node["w_scales"])
            bd = w.bias(node["bias"], sx, node["w_scales"])
            if op == "conv":
                p = node["padding"]
                y = w.node("Conv", [xd, wd, bd], pads=[p, p, p, p],
                           strides=[node["stride"]] * 2,
                           group=node["groups"])
            else:
                y = w.node("Gemm", [xd, wd, bd], transB=1)
            if node["act"] == "relu":
                y = w.node("Relu", [y])
            vals.append((w.q(y, node["scale"], node["zp"]), node["scale"],
                         node["zp"]))
        elif op == "relu6":
            x, s, z = vals[node["x"]]
            y = w.node("Clip", [w.dq(x, s, z), w.const(np.float32(0)),
                                w.const(np.float32(6))])
            vals.append((w.q(y, s, z), s, z))
        elif op == "add":
            a, sa, za = vals[node["a"]]
            b, sb, zb = vals[node["b"]]
            y = w.node("Add", [w.dq(a, sa, za), w.dq(b, sb, zb)])
            if node["act"] == "relu":
                y = w.node("Relu", [y])
            vals.append((w.q(y, node["scale"], node["zp"]), node["scale"],
                         node["zp"]))
        elif op == "maxpool":
            x, s, z = vals[node["x"]]
            p, k = node["padding"], node["kernel"]
            y = w.node("MaxPool", [w.dq(x, s, z)], kernel_shape=[k, k],
                       strides=[node["stride"]] * 2, pads=[p, p, p, p])
            vals.append((w.q(y, s, z), s, z))
        elif op == "avgpool":
            x, s, z = vals[node["x"]]
            y = w.node("GlobalAveragePool", [w.dq(x, s, z)])
            vals.append((w.q(y, s, z), s, z))
        elif op == "flatten":
            x, s, z = vals[node["x"]]
            vals.append((w.node("Flatten", [x], axis=1), s, z))
        elif op == "reshape":
            x, s, z = vals[node["x"]]
            shape = w.const(np.array(node["shape"], np.int64), "shape")
            vals.append((w.node("Reshape", [x, shape]), s, z))
        elif op == "transpose":
            x, s, z = vals[node["x"]]
            vals.append((w.node("Transpose", [x], perm=node["perm"]), s, z))
        elif op == "bmm":
            a, sa, za = vals[node["a"]]
            b, sb, zb = vals[node["b"]]
            bd = w.dq(b, sb, zb)
            if node["transpose_b"]:
                bd = w.node("Transpose", [bd], perm=[0, 2, 1])
            y = w.node("MatMul", [w.dq(a, sa, za), bd])
            vals.append((w.q(y, node["scale"], node["zp"]), node["scale"],
                         node["zp"]))
        elif op == "softmax":
            x, s, z = vals[node["x"]]
            y = w.node("Softmax", [w.dq(x, s, z)], axis=-1)
            vals.append((w.q(y, node["scale"], node["zp"]), node["scale"],
                         node["zp"]))
        else:
            raise ValueError(f"no ONNX spelling for {op}")
    out = vals[-1][0]
    w.nodes.append(helper.make_node("Identity", [out], ["y"], name="output"))
    graph = helper.make_graph(
        w.nodes, graph_name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       list(input_shape))],
        [helper.make_tensor_value_info("y", TensorProto.UINT8,
                                       list(output_shape))],
        w.inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model
