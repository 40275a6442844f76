"""Writes the small ONNX models of test/Target/ONNX/Inputs that the
importer's FileCheck and error tests read. Run with Debian's python3
(python3-onnx, python3-numpy):

  /usr/bin/python3 test/golden/generate_onnx_models.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Target", "ONNX", "Inputs")


def model(nodes, inputs, outputs, inits=(), opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def u8(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.UINT8, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def qdq_conv():
    """x -> Q -> DQ -> Conv (per-channel int8 weights, int32 bias) -> Relu
    -> Q, as ONNX Runtime's quantizer writes a layer."""
    rng = np.random.default_rng(0)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
        helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"],
                         axis=0),
        helper.make_node("DequantizeLinear", ["b", "bs", "bz"], ["bd"],
                         axis=0),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("QuantizeLinear", ["r", "ys", "yz"], ["y"]),
    ]
    ws = np.array([0.01, 0.02, 0.03, 0.04], np.float32)
    inits = [
        init("xs", np.float32(0.05)), init("xz", np.uint8(128)),
        init("w", rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)),
        init("ws", ws), init("wz", np.zeros(4, np.int8)),
        init("b", np.array([10, -20, 30, -40], np.int32)),
        init("bs", (np.float32(0.05) * ws).astype(np.float32)),
        init("bz", np.zeros(4, np.int32)),
        init("ys", np.float32(0.1)), init("yz", np.uint8(0)),
    ]
    return model(nodes, [f32("x", [1, 3, 8, 8])], [u8("y", [1, 4, 4, 4])],
                 inits, name="qdq_conv")


def float_ops():
    """The float operators around quantized layers, one after another."""
    nodes = [
        helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node("AveragePool", ["p"], ["a"], kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["a"], ["s"]),
        helper.make_node("Concat", ["s", "p"], ["cat"], axis=1),
        helper.make_node("GlobalAveragePool", ["cat"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "w", "bias"], ["m"], transB=1,
                         alpha=0.5),
        helper.make_node("Clip", ["m", "lo", "hi"], ["c"]),
        helper.make_node("Reshape", ["c", "shape"], ["r"]),
        helper.make_node("Transpose", ["r"], ["t"], perm=[0, 2, 1]),
        helper.make_node("Mul", ["t", "k"], ["mul"]),
        helper.make_node("Softmax", ["mul"], ["y"], axis=1),
    ]
    inits = [
        init("w", np.full((6, 4), 0.25, np.float32)),
        init("bias", np.arange(6, dtype=np.float32)),
        init("lo", np.float32(0.0)), init("hi", np.float32(6.0)),
        init("shape", np.array([1, 2, 3], np.int64)),
        init("k", np.array([2.0], np.float32)),
    ]
    return model(nodes, [f32("x", [1, 2, 8, 8])], [f32("y", [1, 3, 2])],
                 inits, name="float_ops")


def attention_ops():
    """Q K^T with K transposed by its own node, then LayerNormalization
    (opset 17)."""
    nodes = [
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["s"]),
        helper.make_node("LayerNormalization", ["s", "gamma", "beta"], ["y"],
                         axis=-1, epsilon=1e-5),
    ]
    inits = [init("gamma", np.full(6, 2.0, np.float32)),
             init("beta", np.full(6, 0.5, np.float32))]
    return model(nodes, [f32("q", [2, 6, 4]), f32("k", [2, 6, 4])],
                 [f32("y", [2, 6, 6])], inits, opset=17, name="attention")


def blocked_int4():
    """A DequantizeLinear of blocked int4 weights (ONNX 1.16's form: two
    codes per byte, block_size 2 along axis 1), written by hand since
    this onnx does not know INT4."""
    w = onnx.TensorProto()
    w.name, w.data_type = "w", 22
    w.dims.extend([2, 4])
    codes = np.array([[1, -2, 3, -4], [7, -8, 0, 5]], np.int8)
    nibbles = (codes.reshape(-1) & 0xF).astype(np.uint8)
    w.raw_data = (nibbles[0::2] | (nibbles[1::2] << 4)).astype(np.uint8).tobytes()
    scales = np.array([[0.5, 0.25], [1.0, 2.0]], np.float32)
    node = helper.make_node("DequantizeLinear", ["w", "s"], ["y"], axis=1,
                            block_size=2)
    return model([node], [], [f32("y", [2, 4])], [w, init("s", scales)],
                 opset=21, name="blocked_int4")


def int4_qdq():
    """QuantizeLinear to int4 per axis (ONNX 1.16's INT4, written by number:
    this onnx does not know it), then DequantizeLinear back to float."""
    zp = onnx.TensorProto()
    zp.name, zp.data_type = "zp", 22
    zp.dims.extend([2])
    codes = np.array([1, -2], np.int8) & 0xF
    zp.raw_data = bytes([int(codes[0] | (codes[1] << 4))])
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"],
                              axis=0),
             helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["y"],
                              axis=0)]
    inits = [init("s", np.array([0.5, 0.25], np.float32)), zp]
    return model(nodes, [f32("x", [2, 4])], [f32("y", [2, 4])], inits,
                 opset=21, name="int4_qdq")


def unsupported_op():
    node = helper.make_node("Erf", ["x"], ["y"], name="erf0")
    return model([node], [f32("x", [4])], [f32("y", [4])], name="erf")


def unsupported_attribute():
    node = helper.make_node("Softmax", ["x"], ["y"], name="sm", axis=0,
                            mode="fast")
    return model([node], [f32("x", [4])], [f32("y", [4])], name="sm")


def dynamic_shape():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    node = helper.make_node("Relu", ["x"], ["y"])
    return model([node], [x], [f32("y", [1, 4])], name="dyn")


def runtime_reshape():
    node = helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape0")
    s = helper.make_tensor_value_info("s", TensorProto.INT64, [2])
    return model([node], [f32("x", [4]), s], [f32("y", [2, 2])], name="rs")


def huge_reshape():
    """Reshape to a shape whose element count overflows int64 (found by
    quant-onnx-fuzz: an error, not an overflow)."""
    node = helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape1")
    shape = np.array([3242591731706757132, 16, 1], np.int64)
    return model([node], [f32("x", [4])], [f32("y", [4])],
                 [init("s", shape)], name="huge")


def zero_stride_pool():
    """MaxPool with a zero stride (a division by zero to refuse)."""
    node = helper.make_node("MaxPool", ["x"], ["y"], name="pool0",
                            kernel_shape=[2, 2], strides=[0, 1])
    return model([node], [f32("x", [1, 1, 4, 4])], [f32("y", [1, 1, 3, 3])],
                 name="pool")


def zero_scale():
    """QuantizeLinear with a zero scale (ONNX requires positive ones)."""
    node = helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"],
                            name="quant0")
    return model([node], [f32("x", [4])], [u8("y", [4])],
                 [init("s", np.float32(0.0)), init("z", np.uint8(0))],
                 name="zero_scale")


def short_block():
    """Blocked weights whose last block is short (5 codes, blocks of 2)."""
    node = helper.make_node("DequantizeLinear", ["w", "s"], ["y"],
                            name="dq0", axis=1, block_size=2)
    return model([node], [], [f32("y", [2, 5])],
                 [init("w", np.ones((2, 5), np.int8)),
                  init("s", np.ones((2, 3), np.float32))],
                 opset=21, name="short_block")


def scalar_reshape():
    """Reshape of a scalar to [1, 1] and back to a scalar."""
    nodes = [helper.make_node("Reshape", ["x", "s11"], ["m"]),
             helper.make_node("Reshape", ["m", "s0"], ["y"])]
    return model(nodes, [f32("x", [])], [f32("y", [])],
                 [init("s11", np.array([1, 1], np.int64)),
                  init("s0", np.zeros(0, np.int64))], name="scalar_reshape")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, m in [("qdq_conv", qdq_conv()), ("float_ops", float_ops()),
                    ("blocked_int4", blocked_int4()),
                    ("attention_ops", attention_ops()),
                    ("int4_qdq", int4_qdq()),
                    ("huge_reshape", huge_reshape()),
                    ("zero_stride_pool", zero_stride_pool()),
                    ("zero_scale", zero_scale()),
                    ("short_block", short_block()),
                    ("scalar_reshape", scalar_reshape()),
                    ("unsupported_op", unsupported_op()),
                    ("unsupported_attribute", unsupported_attribute()),
                    ("dynamic_shape", dynamic_shape()),
                    ("runtime_reshape", runtime_reshape())]:
        onnx.save(m, os.path.join(OUT, name + ".onnx"))


if __name__ == "__main__":
    main()
