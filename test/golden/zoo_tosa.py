"""Writes the node lists of zoo_models.py as TOSA, the way TFLite int8
models lower to it (TensorFlow's TOSA legalization): NHWC, int8 codes
(PyTorch's u8 codes minus 128, zero points minus 128), weights OHWI,
i32 biases on the s_x * s_w grid, tosa.rescale with multipliers and
shifts from QuantizeMultiplier and DOUBLE_ROUND, ReLU as tosa.clamp, adds
through rescales to a common i32 scale with a 20-bit shift, and a float
softmax between a dequantization and a quantization made of TOSA ops.

The function takes the input's int8 codes and returns the output's.
"""

import math

import numpy as np
import torch

from zoo_export import as_i8, hexdense, ttype

F32 = np.float32


def quantize_multiplier(real):
    """TFLite's QuantizeMultiplier: real = multiplier * 2^-shift with a
    31-bit multiplier."""
    mantissa, exponent = math.frexp(real)
    multiplier = int(round(mantissa * (1 << 31)))
    if multiplier == 1 << 31:
        multiplier //= 2
        exponent += 1
    return multiplier, 31 - exponent


class TosaExporter:
    def __init__(self):
        self.lines, self.counter = [], 0
        self.input_node = None

    def fresh(self):
        self.counter += 1
        return f"%t{self.counter}"

    def emit(self, text):
        self.lines.append("  " + text)

    def const(self, values, elem):
        name = self.fresh()
        text = hexdense(np.asarray(values), elem)
        shape = "x".join(str(d) for d in np.shape(values))
        self.emit(f'{name} = "tosa.const"() <{{values = {text}}}> : () -> '
                  f"tensor<{shape}x{elem}>")
        return name

    def zp(self, value, elem="i8"):
        return self.const(np.array([value]), elem)

    def shape_of(self, shape):
        name = self.fresh()
        self.emit(f"{name} = tosa.const_shape {{values = dense<{list(shape)}>"
                  f" : tensor<{len(shape)}xindex>}} : () -> "
                  f"!tosa.shape<{len(shape)}>")
        return name

    def reshape(self, x, shape, elem="i8"):
        s = self.shape_of(shape)
        name = self.fresh()
        self.emit(f"{name} = tosa.reshape {x[0]}, {s} : ({ttype(x[1], elem)}, "
                  f"!tosa.shape<{len(shape)}>) -> {ttype(shape, elem)}")
        return (name, list(shape))

    def rescale(self, x, reals, in_zp, out_zp, in_elem, out_elem):
        """tosa.rescale of `x` by `reals` (one, or one per channel of the
        last dimension)."""
        pairs = [quantize_multiplier(r) for r in reals]
        m = self.const(np.array([p[0] for p in pairs]), "i32")
        s = self.const(np.array([p[1] for p in pairs]), "i8")
        izp, ozp = self.zp(in_zp, in_elem), self.zp(out_zp, out_elem)
        name = self.fresh()
        n = len(reals)
        self.emit(f"{name} = tosa.rescale {x[0]}, {m}, {s}, {izp}, {ozp} "
                  f"{{input_unsigned = false, output_unsigned = false, "
                  f"per_channel = {'true' if n > 1 else 'false'}, "
                  f"rounding_mode = #tosa.rounding_mode<DOUBLE_ROUND>, "
                  f"scale32 = true}} : ({ttype(x[1], in_elem)}, "
                  f"tensor<{n}xi32>, tensor<{n}xi8>, tensor<1x{in_elem}>, "
                  f"tensor<1x{out_elem}>) -> {ttype(x[1], out_elem)}")
        return (name, x[1])

    def clamp(self, x, lo, hi, elem="i8"):
        name = self.fresh()
        self.emit(f"{name} = tosa.clamp {x[0]} {{max_val = {hi} : {elem}, "
                  f"min_val = {lo} : {elem}}} : ({ttype(x[1], elem)}) -> "
                  f"{ttype(x[1], elem)}")
        return (name, x[1])

    def activation(self, x, act, scale, zp):
        z = zp - 128
        if act == "relu":
            return self.clamp(x, z, 127)
        if act == "relu6":
            return self.clamp(x, z, min(127, z + int(round(6.0 / scale))))
        return x

    # -- nodes ------------------------------------------------------------

    def conv(self, node, x, q):
        w, stride, pad = node["w"], node["stride"], node["padding"]
        f, cg, kh, kw = w.shape
        n, h, wd, c = x[1]
        groups = node["groups"]
        # TOSA wants the padded extent to be an exact multiple of the stride:
        # drop the bottom/right padding PyTorch's floor never reads.
        pb = pad - (h - 1 + 2 * pad - (kh - 1)) % stride
        pr = pad - (wd - 1 + 2 * pad - (kw - 1)) % stride
        oh = (h - 1 + pad + pb - (kh - 1)) // stride + 1
        ow = (wd - 1 + pad + pr - (kw - 1)) // stride + 1
        scales = node["w_scales"].astype(F32)
        s_in = (F32(q["scale"]) * scales).astype(np.float64)
        bias = np.round(node["bias"].astype(np.float64) /
                        np.broadcast_to(s_in, node["bias"].shape))
        attrs = (f"{{acc_type = i32, dilation = array<i64: 1, 1>, pad = "
                 f"array<i64: {pad}, {pb}, {pad}, {pr}>, stride = "
                 f"array<i64: {stride}, {stride}>}}")
        out = [n, oh, ow, f]
        if groups > 1 and cg == 1:
            # Depthwise, with a channel multiplier M = F / C when above 1:
            # filters KH x KW x C x M, output channel c * M + m.
            codes = w.reshape(c, f // c, kh, kw).transpose(2, 3, 0, 1)
            name = self.contraction("depthwise_conv2d", x, codes, bias,
                                    q, out, attrs)
        elif groups > 1:
            # Grouped: the channels of each group sliced out, one conv2d per
            # group, the accumulators concatenated.
            fg = f // groups
            parts = []
            for g in range(groups):
                start = self.shape_of([0, 0, 0, g * cg])
                size = self.shape_of([n, h, wd, cg])
                part = self.fresh()
                self.emit(f"{part} = tosa.slice {x[0]}, {start}, {size} : "
                          f"({ttype(x[1], 'i8')}, !tosa.shape<4>, "
                          f"!tosa.shape<4>) -> {ttype([n, h, wd, cg], 'i8')}")
                codes = w[g * fg:(g + 1) * fg].transpose(0, 2, 3, 1)
                parts.append(self.contraction(
                    "conv2d", (part, [n, h, wd, cg]), codes,
                    bias[g * fg:(g + 1) * fg], q, [n, oh, ow, fg], attrs))
            name = self.fresh()
            part_type = ttype([n, oh, ow, fg], "i32")
            self.emit(f"{name} = tosa.concat {', '.join(parts)} {{axis = 3 : "
                      f"i32}} : ({', '.join([part_type] * groups)}) -> "
                      f"{ttype(out, 'i32')}")
        else:
            codes = w.transpose(0, 2, 3, 1)
            name = self.contraction("conv2d", x, codes, bias, q, out, attrs)
        reals = [float(s) / node["scale"] for s in s_in]
        y = self.rescale((name, out), reals, 0, node["zp"] - 128, "i32", "i8")
        y = self.activation(y, node["act"], node["scale"], node["zp"])
        return y, {"scale": node["scale"], "zp": node["zp"]}

    def contraction(self, op, x, codes, bias, q, out, attrs):
        """tosa.conv2d or tosa.depthwise_conv2d of the int8 codes `x` with
        filter codes `codes` and the i32 `bias`."""
        wt = self.const(as_i8(np.ascontiguousarray(codes)), "i8")
        bt = self.const(bias.astype(np.int64), "i32")
        xzp, wzp = self.zp(q["zp"] - 128), self.zp(0)
        name = self.fresh()
        self.emit(f"{name} = tosa.{op} {x[0]}, {wt}, {bt}, {xzp}, {wzp} "
                  f"{attrs} : ({ttype(x[1], 'i8')}, "
                  f"{ttype(codes.shape, 'i8')}, tensor<{len(bias)}xi32>, "
                  f"tensor<1xi8>, tensor<1xi8>) -> {ttype(out, 'i32')}")
        return name

    def linear(self, node, x, q):
        w = node["w"]
        nout, k = w.shape
        m = x[1][0]
        x3 = self.reshape(x, [1, m, k])
        wt = self.const(as_i8(np.ascontiguousarray(w.T))[None], "i8")
        azp, bzp = self.zp(q["zp"] - 128), self.zp(0)
        acc = self.fresh()
        self.emit(f"{acc} = tosa.matmul {x3[0]}, {wt}, {azp}, {bzp} : "
                  f"({ttype([1, m, k], 'i8')}, {ttype([1, k, nout], 'i8')}, "
                  f"tensor<1xi8>, tensor<1xi8>) -> {ttype([1, m, nout], 'i32')}")
        scales = node["w_scales"].astype(F32)
        s_in = (F32(q["scale"]) * scales).astype(np.float64)
        bias = np.round(node["bias"].astype(np.float64) /
                        np.broadcast_to(s_in, node["bias"].shape))
        bt = self.const(bias.astype(np.int64)[None, None], "i32")
        summed = self.fresh()
        self.emit(f"{summed} = tosa.add {acc}, {bt} : "
                  f"({ttype([1, m, nout], 'i32')}, {ttype([1, 1, nout], 'i32')})"
                  f" -> {ttype([1, m, nout], 'i32')}")
        reals = [float(s) / node["scale"] for s in s_in]
        y = self.rescale((summed, [1, m, nout]), reals, 0, node["zp"] - 128,
                         "i32", "i8")
        y = self.activation(y, node["act"], node["scale"], node["zp"])
        return self.reshape(y, [m, nout]), {"scale": node["scale"],
                                            "zp": node["zp"]}

    def add(self, node, a, qa, b, qb):
        shift = 20
        twice = 2.0 * max(qa["scale"], qb["scale"])
        a32 = self.rescale(a, [(1 << shift) * qa["scale"] / twice],
                           qa["zp"] - 128, 0, "i8", "i32")
        b32 = self.rescale(b, [(1 << shift) * qb["scale"] / twice],
                           qb["zp"] - 128, 0, "i8", "i32")
        name = self.fresh()
        t = ttype(a[1], "i32")
        self.emit(f"{name} = tosa.add {a32[0]}, {b32[0]} : ({t}, {t}) -> {t}")
        y = self.rescale((name, a[1]),
                         [twice / (node["scale"] * (1 << shift))], 0,
                         node["zp"] - 128, "i32", "i8")
        y = self.activation(y, node["act"], node["scale"], node["zp"])
        return y, {"scale": node["scale"], "zp": node["zp"]}

    def avgpool(self, node, x, q):
        n, h, w, c = x[1]
        z = self.zp(q["zp"] - 128)
        name = self.fresh()
        out = [n, 1, 1, c]
        self.emit(f"{name} = tosa.avg_pool2d {x[0]}, {z}, {z} {{acc_type = "
                  f"i32, kernel = array<i64: {h}, {w}>, pad = array<i64: 0, "
                  f"0, 0, 0>, stride = array<i64: 1, 1>}} : "
                  f"({ttype(x[1], 'i8')}, tensor<1xi8>, tensor<1xi8>) -> "
                  f"{ttype(out, 'i8')}")
        return (name, out), q

    def bmm(self, node, a, qa, b, qb):
        bsz, m, k = a[1]
        if node["transpose_b"]:
            bt = self.fresh()
            shape = [b[1][0], b[1][2], b[1][1]]
            self.emit(f"{bt} = tosa.transpose {b[0]} {{perms = array<i32: 0, "
                      f"2, 1>}} : ({ttype(b[1], 'i8')}) -> {ttype(shape, 'i8')}")
            b = (bt, shape)
        nn = b[1][2]
        azp, bzp = self.zp(qa["zp"] - 128), self.zp(qb["zp"] - 128)
        acc = self.fresh()
        out = [bsz, m, nn]
        self.emit(f"{acc} = tosa.matmul {a[0]}, {b[0]}, {azp}, {bzp} : "
                  f"({ttype(a[1], 'i8')}, {ttype(b[1], 'i8')}, tensor<1xi8>, "
                  f"tensor<1xi8>) -> {ttype(out, 'i32')}")
        real = float(F32(qa["scale"]) * F32(qb["scale"])) / node["scale"]
        y = self.rescale((acc, out), [real], 0, node["zp"] - 128, "i32", "i8")
        return y, {"scale": node["scale"], "zp": node["zp"]}

    def float_op(self, op, operands, shape, attrs=""):
        name = self.fresh()
        types = ", ".join(ttype(s, e) for _, s, e in operands)
        names = ", ".join(n for n, _, _ in operands)
        self.emit(f"{name} = tosa.{op} {names}{attrs} : ({types}) -> "
                  f"{ttype(shape, 'f32')}")
        return name

    def softmax(self, node, x, q):
        shape = x[1]
        ones = [1] * len(shape)
        red = shape[:-1] + [1]
        f = self.fresh()
        self.emit(f"{f} = tosa.cast {x[0]} : ({ttype(shape, 'i8')}) -> "
                  f"{ttype(shape, 'f32')}")
        zero_shift = self.const(np.array([0]), "i8")
        z = self.const(np.full(ones, q["zp"] - 128, F32), "f32")
        s = self.const(np.full(ones, q["scale"], F32), "f32")
        centered = self.float_op("sub", [(f, shape, "f32"), (z, ones, "f32")],
                                 shape)
        real = self.fresh()
        self.emit(f"{real} = tosa.mul {centered}, {s}, {zero_shift} : "
                  f"({ttype(shape, 'f32')}, {ttype(ones, 'f32')}, "
                  f"tensor<1xi8>) -> {ttype(shape, 'f32')}")
        axis = len(shape) - 1
        mx = self.float_op("reduce_max", [(real, shape, "f32")], red,
                           f" {{axis = {axis} : i32}}")
        sub = self.float_op("sub", [(real, shape, "f32"), (mx, red, "f32")],
                            shape)
        ex = self.float_op("exp", [(sub, shape, "f32")], shape)
        sm = self.float_op("reduce_sum", [(ex, shape, "f32")], red,
                           f" {{axis = {axis} : i32}}")
        rec = self.float_op("reciprocal", [(sm, red, "f32")], red)
        p = self.fresh()
        self.emit(f"{p} = tosa.mul {ex}, {rec}, {zero_shift} : "
                  f"({ttype(shape, 'f32')}, {ttype(red, 'f32')}, tensor<1xi8>)"
                  f" -> {ttype(shape, 'f32')}")
        inv = self.const(np.full(ones, 1.0 / node["scale"], F32), "f32")
        scaled = self.fresh()
        self.emit(f"{scaled} = tosa.mul {p}, {inv}, {zero_shift} : "
                  f"({ttype(shape, 'f32')}, {ttype(ones, 'f32')}, "
                  f"tensor<1xi8>) -> {ttype(shape, 'f32')}")
        codes = self.fresh()
        self.emit(f"{codes} = tosa.cast {scaled} : ({ttype(shape, 'f32')}) -> "
                  f"{ttype(shape, 'i32')}")
        zp = self.const(np.full(ones, node["zp"] - 128), "i32")
        shifted = self.fresh()
        self.emit(f"{shifted} = tosa.add {codes}, {zp} : "
                  f"({ttype(shape, 'i32')}, {ttype(ones, 'i32')}) -> "
                  f"{ttype(shape, 'i32')}")
        clamped = self.clamp((shifted, shape), -128, 127, "i32")
        out = self.fresh()
        self.emit(f"{out} = tosa.cast {clamped[0]} : ({ttype(shape, 'i32')}) "
                  f"-> {ttype(shape, 'i8')}")
        return (out, shape), {"scale": node["scale"], "zp": node["zp"]}

    # -- the function -----------------------------------------------------

    def function(self, name, nodes, input_shape):
        shape = list(input_shape)
        if len(shape) == 4:
            shape = [shape[0], shape[2], shape[3], shape[1]]
        self.in_shape = shape
        x = ("%x", shape)
        values = []
        for node in nodes:
            op = node["op"]
            if op == "input":
                self.input_node = node
                v = (x, {"scale": node["scale"], "zp": node["zp"]})
            elif op in ("conv", "linear", "avgpool", "softmax"):
                v = getattr(self, op)(node, *values[node["x"]])
            elif op == "relu6":
                y, q = values[node["x"]]
                v = (self.activation(y, "relu6", q["scale"], q["zp"]), q)
            elif op == "flatten":
                y, q = values[node["x"]]
                v = (self.reshape(y, [y[1][0], int(np.prod(y[1][1:]))]), q)
            elif op == "reshape":
                y, q = values[node["x"]]
                v = (self.reshape(y, node["shape"]), q)
            elif op in ("add", "bmm"):
                v = getattr(self, op)(node, *values[node["a"]],
                                      *values[node["b"]])
            else:
                raise ValueError(op)
            values.append(v)
        (out, out_shape), _ = values[-1]
        self.emit(f"return {out} : {ttype(out_shape, 'i8')}")
        head = (f"func.func @{name}(%x: {ttype(shape, 'i8')}) -> "
                f"{ttype(out_shape, 'i8')} {{")
        return [head] + self.lines + ["}", ""], out_shape

    def input_value(self, x):
        node = self.input_node
        codes = torch.quantize_per_tensor(
            torch.from_numpy(x), node["scale"], node["zp"],
            torch.quint8).int_repr().numpy().astype(np.int64)
        if codes.ndim == 4:
            codes = codes.transpose(0, 2, 3, 1)
        return hexdense(np.ascontiguousarray(codes - 128), "i8")

    def input_type(self, x):
        return ttype(self.in_shape, "i8")
