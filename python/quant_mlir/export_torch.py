"""Exports PyTorch models quantized with torch.ao (FX graph mode) to MLIR.

Two entry points, both over a torch.fx GraphModule and example inputs:

  export_prepared(model, inputs)   a model from prepare_fx / prepare_qat_fx
                                   (observers, fake-quant modules) as `qnn`:
                                   each observer becomes a `qnn.calibrate`
                                   carrying its statistics and method, each
                                   FakeQuantize a `qnn.fake_quant`; weights
                                   are observed with the module's qconfig, as
                                   convert_fx would. `quant-opt --qnn-quantize
                                   --qnn-compile` then gives torch's int8 model.
  export_converted(model, inputs)  a model from convert_fx as QDQ: upstream
                                   `quant.qcast`/`quant.dcast` around float
                                   operators, weights as int8 codes.

From a torch model to a running object:

  open("model.mlir", "w").write(export_prepared(prepared, (x,)))
  # quant-compile model.mlir --passes=qnn-quantize -o model.o --header=model.h
  # cc app.c model.o -lm

Needs only torch (Debian's python3-torch 1.13) and numpy. The operators it
reads are listed in docs/Importers.md; anything else raises
UnsupportedError naming the node.
"""

import copy
import operator

import numpy as np
import torch
import torch.ao.nn.intrinsic as nni
import torch.nn.intrinsic.qat as nniqat
import torch.nn.intrinsic.quantized as nniq
import torch.ao.nn.qat as nnqat
import torch.ao.nn.quantized as nnq
import torch.ao.quantization as tq
import torch.nn as nn
import torch.nn.functional as F
from torch.fx.passes.shape_prop import ShapeProp

__all__ = ["export_prepared", "export_converted", "UnsupportedError"]


class UnsupportedError(ValueError):
    """A node of the graph the exporter cannot write."""


def _fmt(v):
    """An f64 literal that reads back as exactly `v`."""
    text = repr(float(v))
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    if text in ("inf", "-inf", "nan"):
        raise UnsupportedError(f"non-finite value {text}")
    return text


def _flist(values):
    return "[" + ", ".join(_fmt(v) for v in np.asarray(values).reshape(-1)) + "]"


def _ttype(shape, elem="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def _dense(array, elem):
    array = np.asarray(array)
    if array.size and (array == array.reshape(-1)[0]).all():
        v = array.reshape(-1)[0]
        text = _fmt(v) if elem == "f32" else str(int(v))
        return f"dense<{text}> : {_ttype(array.shape, elem)}"
    storage = {"f32": "<f4", "i8": "|i1", "i32": "<i4"}[elem]
    data = np.ascontiguousarray(array).astype(storage).tobytes().hex().upper()
    return f'dense<"0x{data}"> : {_ttype(array.shape, elem)}'


def _storage(dtype):
    if dtype == torch.quint8:
        return "u8", 0, 255
    if dtype == torch.qint8:
        return "i8", -128, 127
    raise UnsupportedError(f"quantized dtype {dtype} is not supported")


def _uniform(dtype, scales, zero_points, axis=None):
    """The `!quant.uniform` type of torch's parameters."""
    elem, _, _ = _storage(dtype)
    if axis is None:
        return (f"!quant.uniform<{elem}:f32, {_fmt(scales[0])}:"
                f"{int(zero_points[0])}>")
    params = ", ".join(f"{_fmt(s)}:{int(z)}"
                       for s, z in zip(scales, zero_points))
    return f"!quant.uniform<{elem}:f32:{axis}, {{{params}}}>"


class _Writer:
    """Writes one func.func in MLIR text, value by value."""

    def __init__(self):
        self.lines, self.count = [], 0

    def fresh(self):
        self.count += 1
        return f"%v{self.count}"

    def emit(self, text):
        self.lines.append("  " + text)

    def op(self, text):
        name = self.fresh()
        self.emit(f"{name} = {text}")
        return name

    def constant(self, array, elem="f32"):
        return self.op(f"arith.constant {_dense(array, elem)}")

    def filled(self, shape, value=0.0):
        scalar = self.op(f"arith.constant {_fmt(value)} : f32")
        empty = self.op(f"tensor.empty() : {_ttype(shape)}")
        return self.op(f"linalg.fill ins({scalar} : f32) outs({empty} : "
                       f"{_ttype(shape)}) -> {_ttype(shape)}")

    def bias_init(self, bias, shape, channel_dim):
        """The contraction's initial value: the bias broadcast along
        `channel_dim` (zeros without a bias)."""
        if bias is None:
            return self.filled(shape)
        b = self.constant(bias.detach().numpy().astype(np.float32))
        empty = self.op(f"tensor.empty() : {_ttype(shape)}")
        dims = [d for d in range(len(shape)) if d != channel_dim]
        return self.op(f"linalg.broadcast ins({b} : {_ttype([shape[channel_dim]])}) "
                       f"outs({empty} : {_ttype(shape)}) dimensions = {dims}")

    def generic(self, inputs, shape, body, maps=None):
        """An element-wise generic over `inputs` (value, shape) of `shape`;
        `body` lists lines using %a0, %a1... and ends with linalg.yield."""
        rank = len(shape)
        dims = ", ".join(f"d{i}" for i in range(rank))
        ident = f"affine_map<({dims}) -> ({dims})>"
        maps = maps or [ident] * len(inputs)
        empty = self.op(f"tensor.empty() : {_ttype(shape)}")
        ins = ", ".join(v for v, _ in inputs)
        types = ", ".join(_ttype(s) for _, s in inputs)
        args = ", ".join(f"%a{i}: f32" for i in range(len(inputs)))
        name = self.fresh()
        iterators = ", ".join(['"parallel"'] * rank)
        self.emit(f"{name} = linalg.generic {{indexing_maps = "
                  f"[{', '.join(maps + [ident])}], iterator_types = "
                  f"[{iterators}]}} ins({ins} : {types}) outs({empty} : "
                  f"{_ttype(shape)}) {{")
        self.emit(f"^bb0({args}, %out: f32):")
        for line in body:
            self.emit("  " + line)
        self.emit(f"}} -> {_ttype(shape)}")
        return name

    def relu(self, x, shape, upper=None):
        body = ["%zero = arith.constant 0.0 : f32",
                "%r = arith.maximumf %a0, %zero : f32"]
        if upper is not None:
            body += [f"%hi = arith.constant {_fmt(upper)} : f32",
                     "%c = arith.minimumf %r, %hi : f32",
                     "linalg.yield %c : f32"]
        else:
            body.append("linalg.yield %r : f32")
        return self.generic([(x, shape)], shape, body)

    def binary(self, a, b, shape, op):
        return self.generic([(a, shape), (b, shape)], shape,
                            [f"%s = {op} %a0, %a1 : f32", "linalg.yield %s : f32"])

    def conv(self, x, x_shape, w, w_shape, init, out_shape, conv):
        """A 2-D NCHW convolution of `x` by FCHW `w` into `init`."""
        stride, padding, dilation = conv.stride, conv.padding, conv.dilation
        groups = conv.groups
        if isinstance(padding, str) or conv.padding_mode != "zeros":
            raise UnsupportedError("only explicit zero padding is supported")
        if padding[0] or padding[1]:
            padded = list(x_shape[:2]) + [x_shape[2] + 2 * padding[0],
                                          x_shape[3] + 2 * padding[1]]
            zero = self.op("arith.constant 0.0 : f32")
            x = self.op(f"tensor.pad {x} low[0, 0, {padding[0]}, {padding[1]}] "
                        f"high[0, 0, {padding[0]}, {padding[1]}] {{\n"
                        f"  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):\n"
                        f"    tensor.yield {zero} : f32\n"
                        f"  }} : {_ttype(x_shape)} to {_ttype(padded)}")
            x_shape = padded
        attrs = (f"{{dilations = dense<{list(dilation)}> : tensor<2xi64>, "
                 f"strides = dense<{list(stride)}> : tensor<2xi64>}}")
        out_t = _ttype(out_shape)
        if groups == 1:
            return self.op(f"linalg.conv_2d_nchw_fchw {attrs} ins({x}, {w} : "
                           f"{_ttype(x_shape)}, {_ttype(w_shape)}) outs({init} : "
                           f"{out_t}) -> {out_t}")
        c, f = x_shape[1], w_shape[0]
        if groups == c and f == c:
            w3 = [f, w_shape[2], w_shape[3]]
            wc = self.op(f"tensor.collapse_shape {w} [[0], [1, 2], [3]] : "
                         f"{_ttype(w_shape)} into {_ttype(w3)}")
            return self.op(f"linalg.depthwise_conv_2d_nchw_chw {attrs} ins({x}, "
                           f"{wc} : {_ttype(x_shape)}, {_ttype(w3)}) outs({init} "
                           f": {out_t}) -> {out_t}")
        g = groups
        x5 = [x_shape[0], g, c // g] + list(x_shape[2:])
        w5 = [g, f // g] + list(w_shape[1:])
        o5 = [out_shape[0], g, f // g] + list(out_shape[2:])
        xe = self.op(f"tensor.expand_shape {x} [[0], [1, 2], [3], [4]] "
                     f"output_shape {x5} : {_ttype(x_shape)} into {_ttype(x5)}")
        we = self.op(f"tensor.expand_shape {w} [[0, 1], [2], [3], [4]] "
                     f"output_shape {w5} : {_ttype(w_shape)} into {_ttype(w5)}")
        ie = self.op(f"tensor.expand_shape {init} [[0], [1, 2], [3], [4]] "
                     f"output_shape {o5} : {out_t} into {_ttype(o5)}")
        y = self.op(f"linalg.conv_2d_ngchw_gfchw {attrs} ins({xe}, {we} : "
                    f"{_ttype(x5)}, {_ttype(w5)}) outs({ie} : {_ttype(o5)}) -> "
                    f"{_ttype(o5)}")
        return self.op(f"tensor.collapse_shape {y} [[0], [1, 2], [3], [4]] : "
                       f"{_ttype(o5)} into {out_t}")

    def linear(self, x, x_shape, w, w_shape, init, out_shape):
        """`x` (..., K) times the N x K weights `w`, read through the maps."""
        k = x_shape[-1]
        rows = int(np.prod(x_shape[:-1]))
        x2 = x
        if len(x_shape) != 2:
            groups = "[[" + ", ".join(str(i) for i in range(len(x_shape) - 1)) + \
                f"], [{len(x_shape) - 1}]]"
            x2 = self.op(f"tensor.collapse_shape {x} {groups} : "
                         f"{_ttype(x_shape)} into {_ttype([rows, k])}")
        o2 = [rows, w_shape[0]]
        maps = ("indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                "affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> "
                "(m, n)>]")
        y = self.op(f"linalg.matmul {maps} ins({x2}, {w} : {_ttype([rows, k])}, "
                    f"{_ttype(w_shape)}) outs({init} : {_ttype(o2)}) -> "
                    f"{_ttype(o2)}")
        if len(x_shape) == 2:
            return y
        return self.op(f"tensor.expand_shape {y} {groups} output_shape "
                       f"{list(out_shape)} : {_ttype(o2)} into "
                       f"{_ttype(out_shape)}")

    def avgpool_global(self, x, shape):
        n, c, h, w = shape
        out = [n, c, 1, 1]
        init = self.filled(out)
        window = self.op(f"tensor.empty() : {_ttype([h, w])}")
        s = self.op(f"linalg.pooling_nchw_sum {{dilations = dense<1> : "
                    f"tensor<2xi64>, strides = dense<1> : tensor<2xi64>}} "
                    f"ins({x}, {window} : {_ttype(shape)}, {_ttype([h, w])}) "
                    f"outs({init} : {_ttype(out)}) -> {_ttype(out)}")
        return self.generic([(s, out)], out, [
            f"%n = arith.constant {_fmt(float(h * w))} : f32",
            "%d = arith.divf %a0, %n : f32", "linalg.yield %d : f32"])

    def maxpool(self, x, shape, out, kernel, stride, padding):
        if padding:
            padded = list(shape[:2]) + [shape[2] + 2 * padding,
                                        shape[3] + 2 * padding]
            lowest = self.op("arith.constant 0xFF800000 : f32")
            x = self.op(f"tensor.pad {x} low[0, 0, {padding}, {padding}] "
                        f"high[0, 0, {padding}, {padding}] {{\n"
                        f"  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):\n"
                        f"    tensor.yield {lowest} : f32\n"
                        f"  }} : {_ttype(shape)} to {_ttype(padded)}")
            shape = padded
        lowest = self.op("arith.constant 0xFF800000 : f32")
        empty = self.op(f"tensor.empty() : {_ttype(out)}")
        init = self.op(f"linalg.fill ins({lowest} : f32) outs({empty} : "
                       f"{_ttype(out)}) -> {_ttype(out)}")
        window = self.op(f"tensor.empty() : {_ttype([kernel, kernel])}")
        return self.op(f"linalg.pooling_nchw_max {{dilations = dense<1> : "
                       f"tensor<2xi64>, strides = dense<{stride}> : "
                       f"tensor<2xi64>}} ins({x}, {window} : {_ttype(shape)}, "
                       f"{_ttype([kernel, kernel])}) outs({init} : "
                       f"{_ttype(out)}) -> {_ttype(out)}")

    def reshape(self, x, shape, out):
        """Collapses to one dimension and expands to `out` (or one of the
        two when it suffices)."""
        if list(shape) == list(out):
            return x
        count = int(np.prod(shape))
        flat = x
        if len(shape) != 1:
            flat = self.op(f"tensor.collapse_shape {x} "
                           f"[{list(range(len(shape)))}] : {_ttype(shape)} "
                           f"into {_ttype([count])}")
        if len(out) == 1:
            return flat
        return self.op(f"tensor.expand_shape {flat} [{list(range(len(out)))}] "
                       f"output_shape {list(out)} : {_ttype([count])} into "
                       f"{_ttype(out)}")

    def function(self, name, args, results):
        params = ", ".join(f"{a}: {_ttype(s)}" for a, s in args)
        rtypes = ", ".join(_ttype(s) for _, s in results)
        rvals = ", ".join(v for v, _ in results)
        rtypes_text = rtypes if len(results) == 1 else f"({rtypes})"
        return (f"func.func @{name}({params}) -> {rtypes_text} {{\n" +
                "\n".join(self.lines) +
                f"\n  return {rvals} : {rtypes}\n}}\n")


def _shape(node):
    meta = node.meta.get("tensor_meta")
    if meta is None or not hasattr(meta, "shape"):
        raise UnsupportedError(f"node '{node.name}' has no tensor shape")
    return [int(d) for d in meta.shape]


def _unwrap_fused(module):
    """The convolution or linear module of a fused float module, and the
    activation fused after it (None, "relu")."""
    if isinstance(module, (nni.ConvReLU2d, nni.LinearReLU)):
        return module[0], "relu"
    if isinstance(module, (nni.ConvBn2d, nni.ConvBnReLU2d)):
        raise UnsupportedError("batch norm is not folded: prepare the model "
                               "in eval mode (prepare_fx fuses it)")
    return module, None


def _calibrate(value, shape, obs):
    """The `qnn.calibrate` of an observer with its statistics."""
    kind = type(obs).__name__
    per_channel = isinstance(obs, tq.PerChannelMinMaxObserver)
    if isinstance(obs, tq.HistogramObserver):
        method = "mse"
    elif isinstance(obs, (tq.MovingAverageMinMaxObserver,
                          tq.MovingAveragePerChannelMinMaxObserver)):
        method = "moving_average"
    elif isinstance(obs, (tq.MinMaxObserver, tq.PerChannelMinMaxObserver)):
        method = "min_max"
    else:
        raise UnsupportedError(f"observer {kind} is not supported")
    elem, qmin, qmax = _storage(obs.dtype)
    storage = "ui8" if elem == "u8" else "i8"
    text = f"qnn.calibrate {value} {method} to {storage}"
    if obs.qscheme in (torch.per_tensor_symmetric, torch.per_channel_symmetric):
        text += " symmetric"
    lo, hi = int(obs.quant_min), int(obs.quant_max)
    if obs.reduce_range:
        text += " reduce_range"
    elif (lo, hi) == (-127, 127) and elem == "i8":
        text += " narrow_range"
    elif (lo, hi) != (qmin, qmax):
        raise UnsupportedError(f"{kind} with range [{lo}, {hi}] is not "
                               "supported")
    if method == "moving_average":
        text += f" averaging_constant = {_fmt(obs.averaging_constant)}"
    if per_channel:
        text += f" axis = {int(obs.ch_axis)}"
    min_val = obs.min_val.detach().numpy().reshape(-1)
    max_val = obs.max_val.detach().numpy().reshape(-1)
    if min_val.size == 0 or not np.isfinite(min_val).all():
        raise UnsupportedError(f"{kind} has observed nothing: calibrate the "
                               "prepared model first")
    text += f" min = {_flist(min_val)} max = {_flist(max_val)}"
    if method == "mse":
        text += f" histogram = {_flist(obs.histogram.detach().numpy())}"
    return f"{text} : {_ttype(shape)}"


def _fake_quant(value, shape, fq):
    """The `qnn.fake_quant` of a FakeQuantize module with the parameters
    convert_fx gives the quantized model (its `calculate_qparams`, which can
    differ from the `scale` buffer of the last training step)."""
    scale, zp = fq.calculate_qparams()
    scale = scale.detach().numpy().reshape(-1)
    zp = zp.detach().numpy().reshape(-1)
    axis = None
    if fq.qscheme in (torch.per_channel_symmetric, torch.per_channel_affine):
        axis = int(fq.ch_axis)
    elem, qmin, qmax = _storage(fq.dtype)
    qtype = _uniform(fq.dtype, scale, zp, axis)
    lo, hi = int(fq.quant_min), int(fq.quant_max)
    if (lo, hi) != (qmin, qmax):
        qtype = qtype.replace(f"<{elem}:", f"<{elem}<{lo}:{hi}>:", 1)
    return f"qnn.fake_quant {value} to {qtype} : {_ttype(shape)}"


def _is_observer(module):
    return isinstance(module, tq.ObserverBase)


def _is_fake_quant(module):
    return isinstance(module, tq.FakeQuantizeBase)


class _Exporter:
    """Walks a GraphModule, writing each node; subclasses handle the
    modules and functions of prepared and converted models."""

    def __init__(self, gm, inputs):
        self.gm = gm
        # Shapes come from running a copy: running the model itself would
        # feed the inputs to its observers.
        probe = copy.deepcopy(gm)
        ShapeProp(probe).propagate(*inputs)
        metas = {n.name: n.meta.get("tensor_meta") for n in probe.graph.nodes}
        for n in gm.graph.nodes:
            if metas.get(n.name) is not None:
                n.meta["tensor_meta"] = metas[n.name]
        self.w = _Writer()
        self.values = {}
        self.args = []
        self.results = []

    def shape(self, node):
        return _shape(node)

    def value(self, arg):
        if not isinstance(arg, torch.fx.Node):
            raise UnsupportedError(f"argument {arg!r} is not a tensor")
        return self.values[arg.name]

    def run(self, name):
        for node in self.gm.graph.nodes:
            try:
                self.visit(node)
            except UnsupportedError as error:
                raise UnsupportedError(f"node '{node.name}' "
                                       f"({node.op} {node.target}): {error}")
        return self.w.function(name, self.args, self.results)

    def visit(self, node):
        if node.op == "placeholder":
            name = f"%{node.name}"
            self.args.append((name, self.shape(node)))
            self.values[node.name] = name
        elif node.op == "output":
            outputs = node.args[0]
            outputs = outputs if isinstance(outputs, (tuple, list)) else [outputs]
            for out in outputs:
                self.results.append((self.value(out), self.shape(out)))
        elif node.op == "get_attr":
            self.values[node.name] = None  # read by its user
        elif node.op == "call_module":
            module = self.gm.get_submodule(node.target)
            self.values[node.name] = self.module(node, module)
        elif node.op in ("call_function", "call_method"):
            self.values[node.name] = self.function(node)
        else:
            raise UnsupportedError(f"{node.op} is not supported")

    def float_function(self, node):
        """Functions on float values, shared by both exports."""
        w, target, shape = self.w, node.target, self.shape(node)
        args = node.args
        if target in (torch.add, operator.add, "add"):
            return w.binary(self.value(args[0]), self.value(args[1]), shape,
                            "arith.addf")
        if target in (torch.mul, operator.mul, "mul"):
            return w.binary(self.value(args[0]), self.value(args[1]), shape,
                            "arith.mulf")
        if target in ("contiguous", "clone", "detach"):
            return self.value(args[0])
        if target in (F.relu, torch.relu, "relu"):
            return w.relu(self.value(args[0]), shape)
        if target in (F.relu6,):
            return w.relu(self.value(args[0]), shape, 6.0)
        if target in (F.hardtanh,) and args[1:3] == (0.0, 6.0):
            return w.relu(self.value(args[0]), shape, 6.0)
        if target in (torch.flatten, "flatten", "reshape", "view",
                      torch.reshape):
            return w.reshape(self.value(args[0]), self.shape(args[0]), shape)
        if target in (F.adaptive_avg_pool2d,) and shape[2:] == [1, 1]:
            return w.avgpool_global(self.value(args[0]), self.shape(args[0]))
        raise UnsupportedError("this function is not supported")

    def float_module(self, node, module):
        """Modules on float values, shared by both exports."""
        w, shape = self.w, self.shape(node)
        x = self.value(node.args[0])
        x_shape = self.shape(node.args[0])
        if isinstance(module, nn.ReLU):
            return w.relu(x, shape)
        if isinstance(module, nn.ReLU6):
            return w.relu(x, shape, 6.0)
        if isinstance(module, nn.Hardtanh):
            if (module.min_val, module.max_val) != (0.0, 6.0):
                raise UnsupportedError("only Hardtanh(0, 6) is supported")
            return w.relu(x, shape, 6.0)
        if isinstance(module, nn.AdaptiveAvgPool2d) and shape[2:] == [1, 1]:
            return w.avgpool_global(x, x_shape)
        if isinstance(module, nn.MaxPool2d):
            k, s, p = module.kernel_size, module.stride, module.padding
            if (not isinstance(k, int) or not isinstance(s, int) or
                    not isinstance(p, int) or module.dilation != 1 or
                    module.ceil_mode):
                raise UnsupportedError("only square MaxPool2d without "
                                       "dilation or ceil_mode is supported")
            return w.maxpool(x, x_shape, shape, k, s, p)
        if isinstance(module, (nn.Identity, nn.Dropout)):
            return x
        if isinstance(module, nn.Flatten):
            return w.reshape(x, x_shape, shape)
        raise UnsupportedError(f"module {type(module).__name__} is not "
                               "supported")


class _PreparedExporter(_Exporter):
    """A prepared model: observers, fake quantization, float modules."""

    def weights(self, module, conv_or_linear):
        """The float weights of `conv_or_linear`, observed as convert_fx
        observes them: with the weight fake-quant of a QAT module, or the
        weight observer of the module's qconfig."""
        weight = conv_or_linear.weight.detach()
        shape = list(weight.shape)
        const = self.w.constant(weight.numpy().astype(np.float32))
        fq = getattr(conv_or_linear, "weight_fake_quant", None)
        if fq is not None:
            return self.w.op(_fake_quant(const, shape, fq)), shape
        qconfig = getattr(module, "qconfig", None) or getattr(
            conv_or_linear, "qconfig", None)
        if qconfig is None:
            raise UnsupportedError("the module has no qconfig: it is not "
                                   "quantized")
        observer = qconfig.weight()
        observer(weight)
        return self.w.op(_calibrate(const, shape, observer)), shape

    def module(self, node, module):
        w, shape = self.w, self.shape(node)
        if _is_observer(module):
            return w.op(_calibrate(self.value(node.args[0]),
                                   self.shape(node.args[0]), module))
        if _is_fake_quant(module):
            return w.op(_fake_quant(self.value(node.args[0]),
                                    self.shape(node.args[0]), module))
        inner, act = _unwrap_fused(module)
        if isinstance(module, (nniqat.ConvReLU2d, nniqat.LinearReLU)):
            inner, act = module, "relu"
        if isinstance(module, (nniqat.ConvBn2d, nniqat.ConvBnReLU2d)):
            raise UnsupportedError("QAT convolutions with batch norm are not "
                                   "supported: freeze and fold it first")
        x = self.value(node.args[0])
        x_shape = self.shape(node.args[0])
        if isinstance(inner, nn.Conv2d):
            weights, w_shape = self.weights(module, inner)
            init = w.bias_init(inner.bias, shape, 1)
            y = w.conv(x, x_shape, weights, w_shape, init, shape, inner)
        elif isinstance(inner, nn.Linear):
            weights, w_shape = self.weights(module, inner)
            rows = int(np.prod(shape[:-1]))
            init = w.bias_init(inner.bias, [rows, shape[-1]], 1)
            y = w.linear(x, x_shape, weights, w_shape, init, shape)
        else:
            return self.float_module(node, module)
        return w.relu(y, shape) if act == "relu" else y

    def function(self, node):
        return self.float_function(node)


class _ConvertedExporter(_Exporter):
    """A converted model: quantize_per_tensor, quantized modules and
    functions, dequantize. Quantized values are tensors of
    `!quant.uniform`; `self.qtypes` holds (dtype, scale, zp) of each."""

    def __init__(self, gm, inputs):
        super().__init__(gm, inputs)
        self.qparams = {}

    def attr(self, arg):
        if isinstance(arg, torch.fx.Node) and arg.op == "get_attr":
            return getattr(self.gm, arg.target)
        return arg

    def qtype(self, params):
        dtype, scale, zp = params
        return _uniform(dtype, [scale], [zp])

    def dequantized(self, arg):
        """The f32 value of the quantized argument."""
        params = self.qparams.get(arg.name)
        if params is None:
            raise UnsupportedError(f"'{arg.name}' is not quantized")
        shape = self.shape(arg)
        return self.w.op(f"quant.dcast {self.value(arg)} : "
                         f"{_ttype(shape, self.qtype(params))} to "
                         f"{_ttype(shape)}")

    def quantize(self, node, y, params):
        shape = self.shape(node)
        self.qparams[node.name] = params
        return self.w.op(f"quant.qcast {y} : {_ttype(shape)} to "
                         f"{_ttype(shape, self.qtype(params))}")

    def weights(self, module):
        """The int8 codes of a quantized module's weights, dequantized."""
        weight = module.weight()
        codes = weight.int_repr().numpy()
        shape = list(codes.shape)
        if weight.qscheme() in (torch.per_channel_affine,
                                torch.per_channel_symmetric):
            qtype = _uniform(weight.dtype,
                             weight.q_per_channel_scales().numpy(),
                             weight.q_per_channel_zero_points().numpy(),
                             int(weight.q_per_channel_axis()))
        else:
            qtype = _uniform(weight.dtype, [weight.q_scale()],
                             [weight.q_zero_point()])
        c = self.w.constant(codes.astype(np.int8), "i8")
        q = self.w.op(f"quant.scast {c} : {_ttype(shape, 'i8')} to "
                      f"{_ttype(shape, qtype)}")
        return self.w.op(f"quant.dcast {q} : {_ttype(shape, qtype)} to "
                         f"{_ttype(shape)}"), shape

    def module(self, node, module):
        w, shape = self.w, self.shape(node)
        arg = node.args[0]
        params = (torch.quint8, float(getattr(module, "scale", 0.0)),
                  int(getattr(module, "zero_point", 0)))
        if isinstance(module, (nnq.Conv2d, nniq.ConvReLU2d)):
            x = self.dequantized(arg)
            weights, w_shape = self.weights(module)
            init = w.bias_init(module.bias(), shape, 1)
            y = w.conv(x, self.shape(arg), weights, w_shape, init, shape,
                       module)
            if isinstance(module, nniq.ConvReLU2d):
                y = w.relu(y, shape)
            return self.quantize(node, y, params)
        if isinstance(module, (nnq.Linear, nniq.LinearReLU)):
            x = self.dequantized(arg)
            weights, w_shape = self.weights(module)
            rows = int(np.prod(shape[:-1]))
            init = w.bias_init(module.bias(), [rows, shape[-1]], 1)
            y = w.linear(x, self.shape(arg), weights, w_shape, init, shape)
            if isinstance(module, nniq.LinearReLU):
                y = w.relu(y, shape)
            return self.quantize(node, y, params)
        # Operators on quantized values that keep their parameters.
        if arg.name in self.qparams:
            y = self.float_module_on(node, module, self.dequantized(arg))
            return self.quantize(node, y, self.qparams[arg.name])
        return self.float_module(node, module)

    def float_module_on(self, node, module, x):
        """A float module applied to the dequantized `x`."""
        saved = self.values[node.args[0].name]
        self.values[node.args[0].name] = x
        try:
            return self.float_module(node, module)
        finally:
            self.values[node.args[0].name] = saved

    def function(self, node):
        w, target = self.w, node.target
        if target == torch.quantize_per_tensor:
            x, scale, zp, dtype = (node.args[0], self.attr(node.args[1]),
                                   self.attr(node.args[2]), node.args[3])
            return self.quantize(node, self.value(x),
                                 (dtype, float(scale), int(zp)))
        if target == "dequantize":
            return self.dequantized(node.args[0])
        if target in (torch.ops.quantized.add, torch.ops.quantized.add_relu):
            a, b = (self.dequantized(node.args[0]),
                    self.dequantized(node.args[1]))
            shape = self.shape(node)
            y = w.binary(a, b, shape, "arith.addf")
            if target == torch.ops.quantized.add_relu:
                y = w.relu(y, shape)
            params = (torch.quint8, float(self.attr(node.args[2])),
                      int(self.attr(node.args[3])))
            return self.quantize(node, y, params)
        arg = node.args[0]
        if isinstance(arg, torch.fx.Node) and arg.name in self.qparams:
            saved = self.values[arg.name]
            self.values[arg.name] = self.dequantized(arg)
            try:
                y = self.float_function(node)
            finally:
                self.values[arg.name] = saved
            return self.quantize(node, y, self.qparams[arg.name])
        return self.float_function(node)


def export_prepared(model, inputs, name="forward"):
    """MLIR text of a prepared FX model (observers calibrated, or fake-quant
    modules trained): float operators with `qnn.calibrate` and
    `qnn.fake_quant`."""
    with torch.no_grad():
        return _PreparedExporter(model, inputs).run(name)


def export_converted(model, inputs, name="forward"):
    """MLIR text of a converted FX model: QDQ with upstream quant casts."""
    with torch.no_grad():
        return _ConvertedExporter(model, inputs).run(name)
