"""Writes the node lists of zoo_models.py as MLIR, in the spellings other
producers use (written from how those producers spell the computation,
not from quant-mlir's rewrite patterns):

  torch_mlir  NCHW; the bias broadcast into the contraction's initial
              value by a copying linalg.generic; ReLU and ReLU6 as
              cmpf + select in a generic of their own; Linear as a matmul
              reading the N x K weights through its indexing maps, the bias
              added by a generic after it; depthwise as
              depthwise_conv_2d_nchw_chw; other grouped convolutions
              (depthwise multipliers included) as conv_2d_ngchw_gfchw
              between expand_shapes of the channels into groups and a
              collapse_shape; ReLU6 after the quantization of the
              convolution (dcast, clamp, qcast), as PyTorch runs it.
  onnx_qdq    NCHW, as ONNX QDQ importers write it: contractions into
              zeros, the bias as i32 codes on the s_x * s_w grid behind
              scast + dcast, added with linalg.add; ReLU / ReLU6 as
              arith.maximumf / minimumf on tensors; flatten on the codes.
  nhwc        NHWC by hand: filters HWCF / HWC (grouped: FHWC through
              conv_2d_nhwgc_gfhwc; a depthwise multiplier through
              depthwise_conv_2d_nhwc_hwcm, as IREE writes it), Linear
              weights K x N, the
              bias in the initial value by linalg.broadcast, activations
              as linalg.max / linalg.min with a filled bound.

Every model function takes the float input (quantized by its QuantStub's
parameters) and returns the output codes (u8 in i8 storage).
"""

import numpy as np

F32 = np.float32


def hexdense(values, elem):
    """A constant in MLIR's hex form (a splat when all values are equal)."""
    values = np.asarray(values)
    shape = "x".join(str(d) for d in np.shape(values))
    if values.size > 1 and (values == values.flat[0]).all():
        v = values.flat[0]
        text = fmt(v) if elem == "f32" else str(int(v))
        return f"dense<{text}> : tensor<{shape}x{elem}>"
    numpy_type = {"i8": "<i1", "i32": "<i4", "f32": "<f4"}[elem]
    data = np.ascontiguousarray(values).astype(numpy_type).tobytes().hex()
    shape = "x".join(str(d) for d in np.shape(values))
    return f'dense<"0x{data.upper()}"> : tensor<{shape}x{elem}>'


def ttype(shape, elem):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def fmt(v):
    text = repr(float(v))
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    return text


def act_type(scale, zp):
    return f"!quant.uniform<u8:f32, {fmt(scale)}:{zp}>"


def weight_type(scales, axis):
    if len(scales) == 1:
        return f"!quant.uniform<i8:f32, {fmt(scales[0])}>"
    return (f"!quant.uniform<i8:f32:{axis}, "
            f"{{{', '.join(fmt(s) for s in scales)}}}>")


def as_i8(codes):
    return ((np.asarray(codes) + 128) % 256) - 128


class Value:
    """An SSA value: its name, shape, and quantized type (None: f32)."""

    def __init__(self, name, shape, qtype=None, scale=None, zp=None):
        self.name, self.shape, self.qtype = name, list(shape), qtype
        self.scale, self.zp = scale, zp

    @property
    def type(self):
        return ttype(self.shape, self.qtype or "f32")


class QDQExporter:
    """One spelling of a model as a function on tensors."""

    def __init__(self, style):
        self.style = style
        self.nhwc = style == "nhwc"
        self.lines, self.counter = [], 0

    # -- helpers ----------------------------------------------------------

    def fresh(self):
        self.counter += 1
        return f"%v{self.counter}"

    def emit(self, text):
        self.lines.append("  " + text)

    def layout(self, shape):
        """A 4-D NCHW shape in this spelling's layout."""
        if self.nhwc and len(shape) == 4:
            n, c, h, w = shape
            return [n, h, w, c]
        return list(shape)

    def constant(self, values, elem):
        name = self.fresh()
        self.emit(f"{name} = arith.constant {hexdense(values, elem)}")
        return name

    def empty(self, shape, elem="f32"):
        name = self.fresh()
        self.emit(f"{name} = tensor.empty() : {ttype(shape, elem)}")
        return name

    def dcast(self, v):
        if v.qtype is None:
            return v
        name = self.fresh()
        f = Value(name, v.shape)
        self.emit(f"{name} = quant.dcast {v.name} : {v.type} to {f.type}")
        return f

    def qcast(self, f, scale, zp):
        q = Value(self.fresh(), f.shape, act_type(scale, zp), scale, zp)
        self.emit(f"{q.name} = quant.qcast {f.name} : {f.type} to {q.type}")
        return q

    def weights(self, codes, scales, axis):
        c = self.constant(as_i8(codes), "i8")
        shape = list(np.shape(codes))
        qt = weight_type(scales, axis)
        q, d = self.fresh(), self.fresh()
        self.emit(f"{q} = quant.scast {c} : {ttype(shape, 'i8')} to "
                  f"{ttype(shape, qt)}")
        self.emit(f"{d} = quant.dcast {q} : {ttype(shape, qt)} to "
                  f"{ttype(shape, 'f32')}")
        return d

    def generic(self, inputs, maps, out_shape, body, iterators=None,
                out_init=None):
        """A linalg.generic over `inputs` [(name, type)] with `maps` (the
        last for the output) and `body` lines using %a0.. and %out."""
        rank = len(out_shape)
        iterators = iterators or ["parallel"] * rank
        init = out_init or self.empty(out_shape)
        name = self.fresh()
        ins = ", ".join(n for n, _ in inputs)
        types = ", ".join(t for _, t in inputs)
        args = ", ".join([f"%a{i}: f32" for i in range(len(inputs))] +
                         ["%out: f32"])
        iters = ", ".join(f'"{it}"' for it in iterators)
        self.emit(f"{name} = linalg.generic {{indexing_maps = "
                  f"[{', '.join(maps)}], iterator_types = [{iters}]}} "
                  f"ins({ins} : {types}) outs({init} : "
                  f"{ttype(out_shape, 'f32')}) {{")
        self.emit(f"^bb0({args}):")
        for line in body:
            self.emit("  " + line)
        self.emit(f"}} -> {ttype(out_shape, 'f32')}")
        return name

    @staticmethod
    def amap(rank, exprs):
        dims = ", ".join(f"d{i}" for i in range(rank))
        return f"affine_map<({dims}) -> ({', '.join(exprs)})>"

    def identity(self, rank):
        return self.amap(rank, [f"d{i}" for i in range(rank)])

    # -- bias and activation ---------------------------------------------

    def bias_init(self, bias, out_shape, channel_dim, s_in):
        """The contraction's initial value: the bias (torch_mlir: copying
        generic; nhwc: linalg.broadcast) or zeros (onnx_qdq, added after)."""
        rank = len(out_shape)
        if self.style == "onnx_qdq":
            return self.constant(np.zeros(out_shape, F32), "f32")
        b = self.constant(bias.astype(F32), "f32")
        if self.style == "torch_mlir":
            return self.generic(
                [(b, ttype([len(bias)], "f32"))],
                [self.amap(rank, [f"d{channel_dim}"]), self.identity(rank)],
                out_shape, ["linalg.yield %a0 : f32"])
        e = self.empty(out_shape)
        name = self.fresh()
        dims = [d for d in range(rank) if d != channel_dim]
        self.emit(f"{name} = linalg.broadcast ins({b} : "
                  f"{ttype([len(bias)], 'f32')}) outs({e} : "
                  f"{ttype(out_shape, 'f32')}) dimensions = {dims}")
        return name

    def bias_after(self, y, bias, out_shape, channel_dim, s_in):
        """onnx_qdq: y + dcast(scast(i32 codes of the bias on s_in))."""
        if self.style != "onnx_qdq":
            return y
        codes = np.round(bias.astype(np.float64) /
                         np.broadcast_to(s_in, bias.shape)).astype(np.int64)
        c = self.constant(codes, "i32")
        n = len(bias)
        if len(s_in) == 1:
            qt = f"!quant.uniform<i32:f32, {fmt(s_in[0])}>"
        else:
            qt = ("!quant.uniform<i32:f32:0, {" +
                  ", ".join(fmt(s) for s in s_in) + "}>")
        q, d = self.fresh(), self.fresh()
        self.emit(f"{q} = quant.scast {c} : {ttype([n], 'i32')} to "
                  f"{ttype([n], qt)}")
        self.emit(f"{d} = quant.dcast {q} : {ttype([n], qt)} to "
                  f"{ttype([n], 'f32')}")
        e = self.empty(out_shape)
        bb = self.fresh()
        rank = len(out_shape)
        dims = [k for k in range(rank) if k != channel_dim]
        self.emit(f"{bb} = linalg.broadcast ins({d} : {ttype([n], 'f32')}) "
                  f"outs({e} : {ttype(out_shape, 'f32')}) dimensions = "
                  f"{dims}")
        e2 = self.empty(out_shape)
        s = self.fresh()
        t = ttype(out_shape, "f32")
        self.emit(f"{s} = linalg.add ins({y}, {bb} : {t}, {t}) outs({e2} : "
                  f"{t}) -> {t}")
        return s

    def activation(self, y, shape, act):
        """ReLU or ReLU6 on `y`, in this spelling's form."""
        if act == "none":
            return y
        t = ttype(shape, "f32")
        rank = len(shape)
        if self.style == "torch_mlir":
            body = ["%zero = arith.constant 0.0 : f32",
                    "%gt = arith.cmpf ugt, %a0, %zero : f32",
                    "%r = arith.select %gt, %a0, %zero : f32"]
            if act == "relu6":
                body += ["%six = arith.constant 6.0 : f32",
                         "%lt = arith.cmpf ult, %r, %six : f32",
                         "%r6 = arith.select %lt, %r, %six : f32",
                         "linalg.yield %r6 : f32"]
            else:
                body.append("linalg.yield %r : f32")
            return self.generic([(y, t)], [self.identity(rank)] * 2, shape,
                                body)
        if self.style == "onnx_qdq":
            z = self.constant(np.zeros(shape, F32), "f32")
            r = self.fresh()
            self.emit(f"{r} = arith.maximumf {y}, {z} : {t}")
            if act == "relu6":
                six = self.constant(np.full(shape, 6.0, F32), "f32")
                r6 = self.fresh()
                self.emit(f"{r6} = arith.minimumf {r}, {six} : {t}")
                return r6
            return r
        # nhwc: linalg.max / linalg.min with a filled bound.
        def bound(value):
            c, e, f = self.fresh(), self.empty(shape), self.fresh()
            self.emit(f"{c} = arith.constant {fmt(value)} : f32")
            self.emit(f"{f} = linalg.fill ins({c} : f32) outs({e} : {t}) "
                      f"-> {t}")
            return f
        lo = bound(0.0)
        r = self.fresh()
        self.emit(f"{r} = linalg.max ins({y}, {lo} : {t}, {t}) outs("
                  f"{self.empty(shape)} : {t}) -> {t}")
        if act != "relu6":
            return r
        hi = bound(6.0)
        r6 = self.fresh()
        self.emit(f"{r6} = linalg.min ins({r}, {hi} : {t}, {t}) outs("
                  f"{self.empty(shape)} : {t}) -> {t}")
        return r6

    # -- nodes ------------------------------------------------------------

    def conv(self, node, x):
        w, stride, pad = node["w"], node["stride"], node["padding"]
        f, cg, kh, kw = w.shape
        groups = node["groups"]
        depthwise = groups > 1 and groups == f and cg == 1
        xd = self.dcast(x)
        if self.nhwc:
            n, h, wd, c = xd.shape
        else:
            n, c, h, wd = xd.shape
        if pad:
            low = [0, pad, pad, 0] if self.nhwc else [0, 0, pad, pad]
            padded = [n, h + 2 * pad, wd + 2 * pad, c] if self.nhwc else \
                [n, c, h + 2 * pad, wd + 2 * pad]
            p = self.fresh()
            self.emit(f"{p} = tensor.pad {xd.name} low{low} high{low} {{")
            self.emit("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
            self.emit("  %pv = arith.constant 0.0 : f32")
            self.emit("  tensor.yield %pv : f32")
            self.emit(f"}} : {xd.type} to {ttype(padded, 'f32')}")
            xd = Value(p, padded)
        oh = (xd.shape[1 if self.nhwc else 2] - kh) // stride + 1
        ow = (xd.shape[2 if self.nhwc else 3] - kw) // stride + 1
        out = [n, oh, ow, f] if self.nhwc else [n, f, oh, ow]
        channel_dim = 3 if self.nhwc else 1
        s_in = (np.float32(x.scale) * node["w_scales"].astype(F32)
                ).astype(np.float64)
        if groups > 1 and not depthwise:
            y = self.grouped_conv(node, xd, out, s_in)
        else:
            if depthwise:
                codes = w.reshape(f, kh, kw)
                op = "depthwise_conv_2d_nchw_chw"
                if self.nhwc:
                    codes, op = codes.transpose(1, 2, 0), \
                        "depthwise_conv_2d_nhwc_hwc"
                axis = 2 if self.nhwc else 0
            else:
                codes, op, axis = w, "conv_2d_nchw_fchw", 0
                if self.nhwc:
                    codes, op, axis = w.transpose(2, 3, 1, 0), \
                        "conv_2d_nhwc_hwcf", 3
            wd_name = self.weights(np.ascontiguousarray(codes),
                                   node["w_scales"], axis)
            init = self.bias_init(node["bias"], out, channel_dim, s_in)
            y = self.fresh()
            t = ttype(out, "f32")
            self.emit(f"{y} = linalg.{op} {{dilations = dense<1> : "
                      f"tensor<2xi64>, strides = dense<{stride}> : "
                      f"tensor<2xi64>}} ins({xd.name}, {wd_name} : "
                      f"{xd.type}, {ttype(codes.shape, 'f32')}) outs({init} "
                      f": {t}) -> {t}")
        y = self.bias_after(y, node["bias"], out, channel_dim, s_in)
        y = self.activation(y, out, node["act"])
        return self.qcast(Value(y, out), node["scale"], node["zp"])

    def expand(self, name, shape, dim, parts, elem="f32"):
        """expand_shape splitting dimension `dim` of `shape` into `parts`."""
        groups, i = [], 0
        for d in range(len(shape)):
            groups.append([i, i + 1] if d == dim else [i])
            i += len(groups[-1])
        big = list(shape[:dim]) + list(parts) + list(shape[dim + 1:])
        e = self.fresh()
        self.emit(f"{e} = tensor.expand_shape {name} {groups} output_shape "
                  f"{big} : {ttype(shape, elem)} into {ttype(big, elem)}")
        return e, big

    def multiplier_conv(self, node, xd, out, s_in):
        """NHWC depthwise with a channel multiplier M as IREE writes it:
        depthwise_conv_2d_nhwc_hwcm on KH x KW x C x M filters (the
        KH x KW x (C * M) codes, per output channel, expanded), its
        (C, M) result collapsed into channels c * M + m."""
        w, stride = node["w"], node["stride"]
        f, _, kh, kw = w.shape
        c = xd.shape[3]
        codes = w.reshape(f, kh, kw).transpose(1, 2, 0)
        wd_name = self.weights(np.ascontiguousarray(codes), node["w_scales"],
                               2)
        we, wshape = self.expand(wd_name, codes.shape, 2, [c, f // c])
        init = self.bias_init(node["bias"], out, 3, s_in)
        ie, oshape = self.expand(init, out, 3, [c, f // c])
        y5, y = self.fresh(), self.fresh()
        t5, t = ttype(oshape, "f32"), ttype(out, "f32")
        self.emit(f"{y5} = linalg.depthwise_conv_2d_nhwc_hwcm {{dilations = "
                  f"dense<1> : tensor<2xi64>, strides = dense<{stride}> : "
                  f"tensor<2xi64>}} ins({xd.name}, {we} : {xd.type}, "
                  f"{ttype(wshape, 'f32')}) outs({ie} : {t5}) -> {t5}")
        self.emit(f"{y} = tensor.collapse_shape {y5} [[0], [1], [2], [3, 4]]"
                  f" : {t5} into {t}")
        return y

    def grouped_conv(self, node, xd, out, s_in):
        """A grouped convolution (a depthwise multiplier included) as
        torch-mlir writes it: the channels of the padded input, of the
        F x C/G x KH x KW weights and of the initial value expanded into
        (G, C/G), conv_2d_ngchw_gfchw, the result collapsed back and cast;
        NHWC by hand the same with conv_2d_nhwgc_gfhwc (weights
        F x KH x KW x C/G)."""
        w, stride, g = node["w"], node["stride"], node["groups"]
        f, cg, kh, kw = w.shape
        if self.nhwc and cg == 1:
            return self.multiplier_conv(node, xd, out, s_in)
        channel_dim = 3 if self.nhwc else 1
        codes = w.transpose(0, 2, 3, 1) if self.nhwc else w
        wd_name = self.weights(np.ascontiguousarray(codes), node["w_scales"],
                               0)
        xe, xshape = self.expand(xd.name, xd.shape, channel_dim, [g, cg])
        we, wshape = self.expand(wd_name, codes.shape, 0, [g, f // g])
        init = self.bias_init(node["bias"], out, channel_dim, s_in)
        ie, oshape = self.expand(init, out, channel_dim, [g, f // g])
        op = "conv_2d_nhwgc_gfhwc" if self.nhwc else "conv_2d_ngchw_gfchw"
        y5, y = self.fresh(), self.fresh()
        t5, t = ttype(oshape, "f32"), ttype(out, "f32")
        self.emit(f"{y5} = linalg.{op} {{dilations = dense<1> : "
                  f"vector<2xi64>, strides = dense<{stride}> : "
                  f"vector<2xi64>}} ins({xe}, {we} : {ttype(xshape, 'f32')}, "
                  f"{ttype(wshape, 'f32')}) outs({ie} : {t5}) -> {t5}")
        groups = [[0], [1], [2], [3, 4]] if self.nhwc else \
            [[0], [1, 2], [3], [4]]
        self.emit(f"{y} = tensor.collapse_shape {y5} {groups} : {t5} into "
                  f"{t}")
        if self.style != "torch_mlir":
            return y
        cast = self.fresh()
        self.emit(f"{cast} = tensor.cast {y} : {t} to {t}")
        return cast

    def linear(self, node, x):
        w = node["w"]
        nout, k = w.shape
        xd = self.dcast(x)
        m = xd.shape[0]
        out = [m, nout]
        s_in = (np.float32(x.scale if x.scale is not None else self.last_scale)
                * node["w_scales"].astype(F32)).astype(np.float64)
        if self.nhwc:
            wd_name = self.weights(np.ascontiguousarray(w.T),
                                   node["w_scales"], 1)
            maps = ""
            wt = ttype([k, nout], "f32")
        else:
            wd_name = self.weights(w, node["w_scales"], 0)
            maps = ("indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                    "affine_map<(m, n, k) -> (n, k)>, "
                    "affine_map<(m, n, k) -> (m, n)>] ")
            wt = ttype([nout, k], "f32")
        t = ttype(out, "f32")
        if self.style == "torch_mlir":
            zero = self.constant(np.zeros(out, F32), "f32")
            y = self.fresh()
            self.emit(f"{y} = linalg.matmul {maps}ins({xd.name}, {wd_name} : "
                      f"{xd.type}, {wt}) outs({zero} : {t}) -> {t}")
            b = self.constant(node["bias"], "f32")
            y = self.generic(
                [(y, t), (b, ttype([nout], "f32"))],
                [self.identity(2), self.amap(2, ["d1"]), self.identity(2)],
                out, ["%s = arith.addf %a0, %a1 : f32",
                      "linalg.yield %s : f32"])
        else:
            init = self.bias_init(node["bias"], out, 1, s_in)
            y = self.fresh()
            self.emit(f"{y} = linalg.matmul {maps}ins({xd.name}, {wd_name} : "
                      f"{xd.type}, {wt}) outs({init} : {t}) -> {t}")
            y = self.bias_after(y, node["bias"], out, 1, s_in)
        y = self.activation(y, out, node["act"])
        return self.qcast(Value(y, out), node["scale"], node["zp"])

    def relu6(self, node, x):
        f = self.dcast(x)
        y = self.activation(f.name, f.shape, "relu6")
        return self.qcast(Value(y, f.shape), x.scale, x.zp)

    def add(self, node, a, b):
        ad, bd = self.dcast(a), self.dcast(b)
        t, shape = ad.type, ad.shape
        if self.style == "torch_mlir":
            rank = len(shape)
            body = ["%s = arith.addf %a0, %a1 : f32"]
            if node["act"] == "relu":
                body += ["%zero = arith.constant 0.0 : f32",
                         "%gt = arith.cmpf ugt, %s, %zero : f32",
                         "%r = arith.select %gt, %s, %zero : f32",
                         "linalg.yield %r : f32"]
            else:
                body.append("linalg.yield %s : f32")
            y = self.generic([(ad.name, t), (bd.name, t)],
                             [self.identity(rank)] * 3, shape, body)
        elif self.style == "onnx_qdq":
            y = self.fresh()
            self.emit(f"{y} = arith.addf {ad.name}, {bd.name} : {t}")
            y = self.activation(y, shape, node["act"])
        else:
            y = self.fresh()
            self.emit(f"{y} = linalg.add ins({ad.name}, {bd.name} : {t}, {t})"
                      f" outs({self.empty(shape)} : {t}) -> {t}")
            y = self.activation(y, shape, node["act"])
        return self.qcast(Value(y, shape), node["scale"], node["zp"])

    def avgpool(self, node, x):
        xd = self.dcast(x)
        if self.nhwc:
            n, h, w, c = xd.shape
            out, op = [n, 1, 1, c], "pooling_nhwc_sum"
        else:
            n, c, h, w = xd.shape
            out, op = [n, c, 1, 1], "pooling_nchw_sum"
        t = ttype(out, "f32")
        zero = self.constant(np.zeros(out, F32), "f32")
        win = self.empty([h, w])
        s = self.fresh()
        self.emit(f"{s} = linalg.{op} {{dilations = dense<1> : tensor<2xi64>,"
                  f" strides = dense<1> : tensor<2xi64>}} ins({xd.name}, {win}"
                  f" : {xd.type}, {ttype([h, w], 'f32')}) outs({zero} : {t}) "
                  f"-> {t}")
        if self.style == "torch_mlir":
            y = self.generic([(s, t)], [self.identity(4)] * 2, out,
                             [f"%d = arith.constant {fmt(h * w)} : f32",
                              "%q = arith.divf %a0, %d : f32",
                              "linalg.yield %q : f32"])
        else:
            d = self.constant(np.full(out, h * w, F32), "f32")
            y = self.fresh()
            self.emit(f"{y} = arith.divf {s}, {d} : {t}")
        return self.qcast(Value(y, out), x.scale, x.zp)

    def maxpool(self, node, x):
        """Max pooling padded with -inf (PyTorch's max_pool2d)."""
        xd = self.dcast(x)
        k, s, p = node["kernel"], node["stride"], node["padding"]
        if self.nhwc:
            n, h, w, c = xd.shape
        else:
            n, c, h, w = xd.shape
        if p:
            low = [0, p, p, 0] if self.nhwc else [0, 0, p, p]
            h, w = h + 2 * p, w + 2 * p
            padded = [n, h, w, c] if self.nhwc else [n, c, h, w]
            name = self.fresh()
            self.emit(f"{name} = tensor.pad {xd.name} low{low} high{low} {{")
            self.emit("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
            self.emit("  %ninf = arith.constant 0xFF800000 : f32")
            self.emit("  tensor.yield %ninf : f32")
            self.emit(f"}} : {xd.type} to {ttype(padded, 'f32')}")
            xd = Value(name, padded)
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        out = [n, oh, ow, c] if self.nhwc else [n, c, oh, ow]
        op = "pooling_nhwc_max" if self.nhwc else "pooling_nchw_max"
        t = ttype(out, "f32")
        ninf = self.fresh()
        self.emit(f"{ninf} = arith.constant 0xFF800000 : f32")
        init = self.fresh()
        self.emit(f"{init} = linalg.fill ins({ninf} : f32) outs("
                  f"{self.empty(out)} : {t}) -> {t}")
        y = self.fresh()
        self.emit(f"{y} = linalg.{op} {{dilations = dense<1> : tensor<2xi64>,"
                  f" strides = dense<{s}> : tensor<2xi64>}} ins({xd.name}, "
                  f"{self.empty([k, k])} : {xd.type}, {ttype([k, k], 'f32')})"
                  f" outs({init} : {t}) -> {t}")
        return self.qcast(Value(y, out), x.scale, x.zp)

    def flatten(self, node, x):
        n, c = x.shape[0], int(np.prod(x.shape[1:]))
        groups = "[[0], [1, 2, 3]]"
        if self.style == "onnx_qdq":
            y = Value(self.fresh(), [n, c], x.qtype, x.scale, x.zp)
            self.emit(f"{y.name} = tensor.collapse_shape {x.name} {groups} : "
                      f"{x.type} into {y.type}")
            return y
        xd = self.dcast(x)
        y = Value(self.fresh(), [n, c], None, x.scale, x.zp)
        self.emit(f"{y.name} = tensor.collapse_shape {xd.name} {groups} : "
                  f"{xd.type} into {y.type}")
        return y

    @staticmethod
    def reassociation(small, large):
        """The groups of `large`'s dimensions that multiply to each of
        `small`'s."""
        groups, i = [], 0
        for size in small:
            group, product = [], 1
            while product < size or not group:
                group.append(i)
                product *= large[i]
                i += 1
            while i < len(large) and large[i] == 1 and product == size \
                    and len(groups) + 1 == len(small):
                group.append(i)
                i += 1
            groups.append(group)
        return str(groups).replace(" ", "").replace(",", ", ")

    def reshape(self, node, x):
        shape = node["shape"]
        y = Value(self.fresh(), shape, x.qtype, x.scale, x.zp)
        if len(shape) < len(x.shape):
            groups = self.reassociation(shape, x.shape)
            self.emit(f"{y.name} = tensor.collapse_shape {x.name} "
                      f"{groups} : {x.type} into {y.type}")
        else:
            groups = self.reassociation(x.shape, shape)
            self.emit(f"{y.name} = tensor.expand_shape {x.name} "
                      f"{groups} output_shape {shape} : {x.type} into "
                      f"{y.type}")
        return y

    def transpose(self, node, x):
        """A permutation of the codes (storage casts around
        linalg.transpose)."""
        perm = node["perm"]
        shape = [x.shape[p] for p in perm]
        codes = self.fresh()
        self.emit(f"{codes} = quant.scast {x.name} : {x.type} to "
                  f"{ttype(x.shape, 'i8')}")
        moved = self.fresh()
        self.emit(f"{moved} = linalg.transpose ins({codes} : "
                  f"{ttype(x.shape, 'i8')}) outs({self.empty(shape, 'i8')} "
                  f": {ttype(shape, 'i8')}) permutation = {perm}")
        y = Value(self.fresh(), shape, x.qtype, x.scale, x.zp)
        self.emit(f"{y.name} = quant.scast {moved} : {ttype(shape, 'i8')} "
                  f"to {y.type}")
        return y

    def layernorm(self, node, x):
        """LayerNorm over the last dimension of a 2-D value, in float."""
        xd = self.dcast(x)
        m, n = xd.shape
        t, tr = ttype([m, n], "f32"), ttype([m], "f32")
        full, row, col = (self.identity(2), self.amap(2, ["d0"]),
                          self.amap(2, ["d1"]))
        reduction = ["parallel", "reduction"]
        zero = self.fresh()
        self.emit(f"{zero} = arith.constant 0.0 : f32")

        def row_sum(value):
            init = self.fresh()
            self.emit(f"{init} = linalg.fill ins({zero} : f32) outs("
                      f"{self.empty([m])} : {tr}) -> {tr}")
            return self.generic([(value, t)], [full, row], [m],
                                ["%s = arith.addf %a0, %out : f32",
                                 "linalg.yield %s : f32"], reduction, init)

        inv_n = f"{np.float32(1.0 / n).item():.9e}"
        mean = row_sum(xd.name)
        centered = self.generic(
            [(xd.name, t), (mean, tr)], [full, row, full], [m, n],
            [f"%n = arith.constant {inv_n} : f32",
             "%mu = arith.mulf %a1, %n : f32",
             "%c = arith.subf %a0, %mu : f32", "linalg.yield %c : f32"])
        squares = self.generic([(centered, t)], [full, full], [m, n],
                               ["%q = arith.mulf %a0, %a0 : f32",
                                "linalg.yield %q : f32"])
        var = row_sum(squares)
        gamma = self.constant(node["weight"], "f32")
        beta = self.constant(node["bias"], "f32")
        eps = f"{np.float32(node['eps']).item():.9e}"
        y = self.generic(
            [(centered, t), (var, tr), (gamma, ttype([n], "f32")),
             (beta, ttype([n], "f32"))], [full, row, col, col, full], [m, n],
            [f"%n = arith.constant {inv_n} : f32",
             f"%eps = arith.constant {eps} : f32",
             "%v = arith.mulf %a1, %n : f32",
             "%ve = arith.addf %v, %eps : f32",
             "%r = math.rsqrt %ve : f32", "%h = arith.mulf %a0, %r : f32",
             "%g = arith.mulf %h, %a2 : f32",
             "%b = arith.addf %g, %a3 : f32", "linalg.yield %b : f32"])
        return self.qcast(Value(y, [m, n]), node["scale"], node["zp"])

    def bmm(self, node, a, b):
        ad, bd = self.dcast(a), self.dcast(b)
        bsz, m, k = ad.shape
        nn = bd.shape[1] if node["transpose_b"] else bd.shape[2]
        out = [bsz, m, nn]
        t = ttype(out, "f32")
        zero = self.constant(np.zeros(out, F32), "f32")
        maps = ""
        if node["transpose_b"]:
            maps = ("indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, "
                    "affine_map<(b, m, n, k) -> (b, n, k)>, "
                    "affine_map<(b, m, n, k) -> (b, m, n)>] ")
        y = self.fresh()
        self.emit(f"{y} = linalg.batch_matmul {maps}ins({ad.name}, {bd.name} "
                  f": {ad.type}, {bd.type}) outs({zero} : {t}) -> {t}")
        return self.qcast(Value(y, out), node["scale"], node["zp"])

    def softmax(self, node, x):
        xd = self.dcast(x)
        shape = xd.shape
        red = shape[:-1]
        t, tr = ttype(shape, "f32"), ttype(red, "f32")
        full, row = self.identity(3), self.amap(3, ["d0", "d1"])
        reduction = ["parallel", "parallel", "reduction"]
        lowest = self.fresh()
        self.emit(f"{lowest} = arith.constant -3.40282347E+38 : f32")
        init = self.fresh()
        self.emit(f"{init} = linalg.fill ins({lowest} : f32) outs("
                  f"{self.empty(red)} : {tr}) -> {tr}")
        mx = self.generic([(xd.name, t)], [full, row], red,
                          ["%m = arith.maximumf %a0, %out : f32",
                           "linalg.yield %m : f32"], reduction, init)
        ex = self.generic([(xd.name, t), (mx, tr)], [full, row, full], shape,
                          ["%s = arith.subf %a0, %a1 : f32",
                           "%e = math.exp %s : f32", "linalg.yield %e : f32"])
        zero = self.fresh()
        self.emit(f"{zero} = arith.constant 0.0 : f32")
        init2 = self.fresh()
        self.emit(f"{init2} = linalg.fill ins({zero} : f32) outs("
                  f"{self.empty(red)} : {tr}) -> {tr}")
        sm = self.generic([(ex, t)], [full, row], red,
                          ["%s = arith.addf %a0, %out : f32",
                           "linalg.yield %s : f32"], reduction, init2)
        y = self.generic([(ex, t), (sm, tr)], [full, row, full], shape,
                         ["%q = arith.divf %a0, %a1 : f32",
                          "linalg.yield %q : f32"])
        return self.qcast(Value(y, shape), node["scale"], node["zp"])

    # -- the function -----------------------------------------------------

    def input_value(self, x):
        """The constant of the float input `x` (NCHW) in this layout."""
        if self.nhwc and x.ndim == 4:
            x = x.transpose(0, 2, 3, 1)
        return hexdense(np.ascontiguousarray(x), "f32")

    def input_type(self, x):
        return ttype(self.layout(list(x.shape)), "f32")

    def function(self, name, nodes, input_shape):
        """The model as @name(float input) -> output codes (i8)."""
        in_shape = self.layout(list(input_shape))
        x = Value("%x", in_shape)
        values = []
        for node in nodes:
            op = node["op"]
            if op == "input":
                v = self.qcast(x, node["scale"], node["zp"])
            elif op in ("conv", "linear", "relu6", "avgpool", "maxpool",
                        "flatten", "reshape", "softmax", "transpose",
                        "layernorm"):
                v = getattr(self, op)(node, values[node["x"]])
            elif op in ("add", "bmm"):
                v = getattr(self, op)(node, values[node["a"]],
                                      values[node["b"]])
            else:
                raise ValueError(op)
            values.append(v)
        out = values[-1]
        codes = self.fresh()
        self.emit(f"{codes} = quant.scast {out.name} : {out.type} to "
                  f"{ttype(out.shape, 'i8')}")
        self.emit(f"return {codes} : {ttype(out.shape, 'i8')}")
        head = (f"func.func @{name}(%x: {ttype(in_shape, 'f32')}) -> "
                f"{ttype(out.shape, 'i8')} {{")
        return [head] + self.lines + ["}", ""], out.shape
