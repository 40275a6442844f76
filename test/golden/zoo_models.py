"""The models of the zoo (test/golden/generate_zoo.py): small networks of
the four kinds the issue names, quantized with PyTorch 1.13's eager-mode
post-training quantization, and their layers as a list of nodes that the
exporters write out.

A node is a dict with "op" and the quantization parameters PyTorch chose:

  input      scale, zp                   (QuantStub)
  conv       x, w (codes F x C/g x KH x KW), w_scales, bias (float), stride,
             padding, groups, scale, zp, act ("none" | "relu")
  linear     x, w (codes N x K), w_scales, bias, scale, zp, act
  relu6      x                           (nnq.ReLU6: same parameters)
  add        a, b, scale, zp, act        (QFunctional add / add_relu)
  maxpool    x, kernel, stride, padding  (same parameters)
  avgpool    x                           (global, same parameters)
  flatten    x
  reshape    x, shape                    (on codes)
  transpose  x, perm                     (on codes)
  layernorm  x, weight, bias, eps, scale, zp   (over the last dimension)
  bmm        a, b, transpose_b, scale, zp (quantized.matmul)
  softmax    x, scale, zp                (float softmax of the last axis)

Weights are symmetric int8 (zero point 0), per tensor (qnnpack) or per
output channel (onednn); activations are quint8.
"""

import numpy as np
import torch
import torch.ao.quantization as tq
import torch.nn as nn

SEED = 20261130


def conv_bn(cin, cout, k, stride=1, groups=1, relu=False):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups,
                        bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class ResNetish(nn.Module):
    """A ResNet-style CNN: stem, one residual block (add + ReLU), a strided
    down-sampling convolution, global average pooling and a classifier."""

    input_shape = (2, 3, 12, 12)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.stem = conv_bn(3, 8, 3, relu=True)
        self.c1 = conv_bn(8, 8, 3, relu=True)
        self.c2 = conv_bn(8, 8, 3)
        self.skip = nn.quantized.FloatFunctional()
        self.down = conv_bn(8, 16, 3, stride=2, relu=True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(self.quant(x))
        y = self.c2(self.c1(x))
        x = self.skip.add_relu(y, x)
        x = self.pool(self.down(x))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    fuse = [["stem.0", "stem.1", "stem.2"], ["c1.0", "c1.1", "c1.2"],
            ["c2.0", "c2.1"], ["down.0", "down.1", "down.2"]]

    def nodes(self, q):
        g = Nodes()
        x = g.input(q.quant)
        x = g.conv(x, q.stem[0])
        y = g.conv(g.conv(x, q.c1[0]), q.c2[0])
        x = g.add(y, x, q.skip, "relu")
        x = g.avgpool(g.conv(x, q.down[0]))
        g.linear(g.flatten(x), q.fc)
        return g.list


class MobileNetish(nn.Module):
    """A MobileNetV2-style network: a strided stem, an inverted residual
    block (1x1 expansion, 3x3 depthwise, 1x1 projection, residual add) and
    a strided one without residual, all with ReLU6; pooling, classifier."""

    input_shape = (2, 3, 16, 16)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.stem, self.stem_act = conv_bn(3, 16, 3, stride=2), nn.ReLU6()
        self.e1, self.e1_act = conv_bn(16, 48, 1), nn.ReLU6()
        self.d1, self.d1_act = conv_bn(48, 48, 3, groups=48), nn.ReLU6()
        self.p1 = conv_bn(48, 16, 1)
        self.skip = nn.quantized.FloatFunctional()
        self.e2, self.e2_act = conv_bn(16, 48, 1), nn.ReLU6()
        self.d2, self.d2_act = conv_bn(48, 48, 3, stride=2, groups=48), nn.ReLU6()
        self.p2 = conv_bn(48, 24, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        # PyTorch 1.13's qnnpack relu6 (and hardtanh) ignore the
        # channels-last layout its convolutions produce and permute the
        # elements; contiguous() keeps the reference right (it changes
        # nothing in value).
        def act(module, value):
            return module(value.contiguous())

        x = act(self.stem_act, self.stem(self.quant(x)))
        y = act(self.e1_act, self.e1(x))
        y = act(self.d1_act, self.d1(y))
        x = self.skip.add(self.p1(y), x)
        y = act(self.e2_act, self.e2(x))
        y = act(self.d2_act, self.d2(y))
        x = self.pool(self.p2(y))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    fuse = [[n + ".0", n + ".1"] for n in
            ["stem", "e1", "d1", "p1", "e2", "d2", "p2"]]

    def nodes(self, q):
        g = Nodes()
        x = g.input(q.quant)
        x = g.relu6(g.conv(x, q.stem[0]))
        y = g.relu6(g.conv(g.relu6(g.conv(x, q.e1[0])), q.d1[0]))
        x = g.add(g.conv(y, q.p1[0]), x, q.skip, "none")
        y = g.relu6(g.conv(g.relu6(g.conv(x, q.e2[0])), q.d2[0]))
        x = g.avgpool(g.conv(y, q.p2[0]))
        g.linear(g.flatten(x), q.fc)
        return g.list


class ResNeXtish(nn.Module):
    """A ResNeXt-style CNN: a depthwise stem with a channel multiplier of 4
    (more than its 3 channels), a 1x1 convolution, a residual block around
    a grouped 3x3 convolution (4 groups of 4 channels), a strided depthwise
    convolution with a channel multiplier of 2, pooling and a
    classifier."""

    input_shape = (2, 3, 12, 12)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.dws = conv_bn(3, 12, 3, groups=3, relu=True)
        self.stem = conv_bn(12, 16, 1, relu=True)
        self.g1 = conv_bn(16, 16, 3, groups=4, relu=True)
        self.p1 = conv_bn(16, 16, 1)
        self.skip = nn.quantized.FloatFunctional()
        self.dw = conv_bn(16, 32, 3, stride=2, groups=16, relu=True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.stem(self.dws(self.quant(x)))
        x = self.skip.add_relu(self.p1(self.g1(x)), x)
        x = self.pool(self.dw(x))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    fuse = [["dws.0", "dws.1", "dws.2"], ["stem.0", "stem.1", "stem.2"],
            ["g1.0", "g1.1", "g1.2"], ["p1.0", "p1.1"],
            ["dw.0", "dw.1", "dw.2"]]

    def nodes(self, q):
        g = Nodes()
        x = g.input(q.quant)
        x = g.conv(g.conv(x, q.dws[0]), q.stem[0])
        x = g.add(g.conv(g.conv(x, q.g1[0]), q.p1[0]), x, q.skip, "relu")
        x = g.avgpool(g.conv(x, q.dw[0]))
        g.linear(g.flatten(x), q.fc)
        return g.list


class MLP(nn.Module):
    """Three Linear layers with ReLU."""

    input_shape = (4, 64)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.l1, self.r1 = nn.Linear(64, 96), nn.ReLU()
        self.l2, self.r2 = nn.Linear(96, 48), nn.ReLU()
        self.l3 = nn.Linear(48, 10)

    def forward(self, x):
        x = self.r1(self.l1(self.quant(x)))
        x = self.r2(self.l2(x))
        return self.dequant(self.l3(x))

    fuse = [["l1", "r1"], ["l2", "r2"]]

    def nodes(self, q):
        g = Nodes()
        x = g.input(q.quant)
        x = g.linear(g.linear(x, q.l1), q.l2)
        g.linear(x, q.l3)
        return g.list


class Attention(nn.Module):
    """One attention head: Q, K, V projections (the 1/sqrt(d) scale folded
    into Q's), scores Q K^T and P V as quantized matmuls, a float softmax
    between quantizations, and an output projection."""

    seq, dim = 6, 16
    input_shape = (2, 6, 16)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.q = nn.Linear(self.dim, self.dim)
        self.k = nn.Linear(self.dim, self.dim)
        self.v = nn.Linear(self.dim, self.dim)
        self.o = nn.Linear(self.dim, self.dim)
        with torch.no_grad():
            self.q.weight.mul_(self.dim ** -0.5)
            self.q.bias.mul_(self.dim ** -0.5)
        self.qparams = {}

    def forward(self, x):
        x = self.quant(x)
        b, s, d = self.input_shape
        flat = x.reshape(b * s, d)
        q = self.q(flat).reshape(b, s, d)
        k = self.k(flat).reshape(b, s, d)
        v = self.v(flat).reshape(b, s, d)
        if not q.is_quantized:
            # Calibration: record the ranges of the matmul outputs.
            scores = torch.bmm(q, k.transpose(1, 2))
            self.observe("scores", scores)
            p = torch.softmax(scores, dim=-1)
            out = torch.bmm(p, v)
            self.observe("context", out)
        else:
            scale, zp = self.qparams["scores"]
            scores = torch.ops.quantized.matmul(q, k.transpose(1, 2), scale,
                                                zp)
            p = torch.softmax(scores.dequantize(), dim=-1)
            p = torch.quantize_per_tensor(p, 1.0 / 256, 0, torch.quint8)
            scale, zp = self.qparams["context"]
            out = torch.ops.quantized.matmul(p, v, scale, zp)
        out = self.o(out.reshape(b * s, d))
        return self.dequant(out)

    def observe(self, name, value):
        lo = min(float(value.min()), 0.0)
        hi = max(float(value.max()), 0.0)
        old = self.qparams.get(("range", name), (lo, hi))
        lo, hi = min(lo, old[0]), max(hi, old[1])
        self.qparams[("range", name)] = (lo, hi)
        scale = (hi - lo) / 255.0
        self.qparams[name] = (scale, int(round(-lo / scale)))

    fuse = []

    def nodes(self, q):
        g = Nodes()
        b, s, d = self.input_shape
        x = g.reshape(g.input(q.quant), [b * s, d])
        proj = {n: g.reshape(g.linear(x, getattr(q, n)), [b, s, d])
                for n in "qkv"}
        scale, zp = self.qparams["scores"]
        scores = g.bmm(proj["q"], proj["k"], True, scale, zp)
        p = g.softmax(scores, 1.0 / 256, 0)
        scale, zp = self.qparams["context"]
        ctx = g.bmm(p, proj["v"], False, scale, zp)
        g.linear(g.reshape(ctx, [b * s, d]), q.o)
        return g.list


class Nodes:
    """Builds the node list of a quantized model."""

    def __init__(self):
        self.list = []

    def _add(self, node):
        self.list.append(node)
        return len(self.list) - 1

    def input(self, stub):
        return self._add({"op": "input", "scale": float(stub.scale),
                          "zp": int(stub.zero_point)})

    @staticmethod
    def _weights(module):
        w = module.weight()
        codes = w.int_repr().numpy().astype(np.int64)
        if w.qscheme() in (torch.per_channel_affine,
                           torch.per_channel_symmetric):
            scales = w.q_per_channel_scales().numpy().astype(np.float64)
            assert (w.q_per_channel_zero_points().numpy() == 0).all()
        else:
            scales = np.array([w.q_scale()], dtype=np.float64)
            assert w.q_zero_point() == 0
        bias = module.bias()
        bias = (np.zeros(codes.shape[0], np.float32) if bias is None
                else bias.detach().numpy().astype(np.float32))
        return codes, scales, bias

    def conv(self, x, module):
        codes, scales, bias = self._weights(module)
        relu = type(module).__name__ == "ConvReLU2d"
        return self._add({
            "op": "conv", "x": x, "w": codes, "w_scales": scales,
            "bias": bias, "stride": module.stride[0],
            "padding": module.padding[0], "groups": module.groups,
            "scale": float(module.scale), "zp": int(module.zero_point),
            "act": "relu" if relu else "none"})

    def linear(self, x, module):
        codes, scales, bias = self._weights(module)
        relu = type(module).__name__ == "LinearReLU"
        return self._add({
            "op": "linear", "x": x, "w": codes, "w_scales": scales,
            "bias": bias, "scale": float(module.scale),
            "zp": int(module.zero_point), "act": "relu" if relu else "none"})

    def relu6(self, x):
        return self._add({"op": "relu6", "x": x})

    def add(self, a, b, functional, act):
        return self._add({"op": "add", "a": a, "b": b,
                          "scale": float(functional.scale),
                          "zp": int(functional.zero_point), "act": act})

    def maxpool(self, x, kernel, stride, padding):
        return self._add({"op": "maxpool", "x": x, "kernel": kernel,
                          "stride": stride, "padding": padding})

    def avgpool(self, x):
        return self._add({"op": "avgpool", "x": x})

    def flatten(self, x):
        return self._add({"op": "flatten", "x": x})

    def reshape(self, x, shape):
        return self._add({"op": "reshape", "x": x, "shape": list(shape)})

    def transpose(self, x, perm):
        return self._add({"op": "transpose", "x": x, "perm": list(perm)})

    def layernorm(self, x, module):
        return self._add({
            "op": "layernorm", "x": x,
            "weight": module.weight.detach().numpy().astype(np.float32),
            "bias": module.bias.detach().numpy().astype(np.float32),
            "eps": float(module.eps), "scale": float(module.scale),
            "zp": int(module.zero_point)})

    def bmm(self, a, b, transpose_b, scale, zp):
        return self._add({"op": "bmm", "a": a, "b": b,
                          "transpose_b": transpose_b, "scale": float(scale),
                          "zp": int(zp)})

    def softmax(self, x, scale, zp):
        return self._add({"op": "softmax", "x": x, "scale": float(scale),
                          "zp": int(zp)})


MODELS = {"resnet": ResNetish, "mobilenet": MobileNetish, "mlp": MLP,
          "attention": Attention, "resnext": ResNeXtish}


def quantize(name, engine):
    """The model `name` quantized for `engine`, its input and its output
    codes. Returns (quantized model, node list, input, output codes)."""
    torch.manual_seed(SEED)
    torch.backends.quantized.engine = engine
    model = MODELS[name]().eval()
    # Batch norms with statistics that are not the identity.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    if model.fuse:
        model = tq.fuse_modules(model, model.fuse)
    model.qconfig = tq.get_default_qconfig(engine)
    prepared = tq.prepare(model)
    calibration = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for _ in range(8):
            prepared(torch.randn(model.input_shape, generator=calibration))
    quantized = tq.convert(prepared)
    # The first test input whose every output row has a unique maximum, so
    # that "the predictions are equal" is well defined.
    while True:
        x = torch.randn(model.input_shape, generator=calibration)
        with torch.no_grad():
            y = run_codes(quantized, x)
        if all((row == row.max()).sum() == 1 for row in y):
            break
    return quantized, quantized.nodes(quantized), x.numpy(), y


def run_codes(quantized, x):
    """The quint8 codes of the model's output (before its DeQuantStub)."""
    captured = {}
    handle = quantized.dequant.register_forward_hook(
        lambda m, inputs, output: captured.setdefault("q", inputs[0]))
    quantized(x)
    handle.remove()
    return captured["q"].int_repr().numpy().astype(np.int64)
