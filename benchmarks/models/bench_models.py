"""The networks of qnn-bench-models at full size: ResNet-50, ResNeXt-50
(32x4d), MobileNetV2 (width 1.0) on 224x224 images, and one BERT-base
encoder layer on 128 tokens, quantized with PyTorch 1.13's eager post-training quantization,
with their layers as node lists (test/golden/zoo_models.py) for the
exporters.
"""

import os
import sys

import numpy as np
import torch
import torch.ao.quantization as tq
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "golden"))
import zoo_models  # noqa: E402
from zoo_models import Nodes, conv_bn  # noqa: E402


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride, groups=1, cout=None):
        super().__init__()
        cout = cout or width * 4
        self.c1 = conv_bn(cin, width, 1, relu=True)
        self.c2 = conv_bn(width, width, 3, stride=stride, groups=groups,
                          relu=True)
        self.c3 = conv_bn(width, cout, 1)
        self.down = (conv_bn(cin, cout, 1, stride=stride)
                     if stride != 1 or cin != cout else None)
        self.skip = nn.quantized.FloatFunctional()

    def forward(self, x):
        y = self.c3(self.c2(self.c1(x)))
        return self.skip.add_relu(y, self.down(x) if self.down else x)

    def fuse_list(self, prefix):
        names = [[f"{prefix}.c1.0", f"{prefix}.c1.1", f"{prefix}.c1.2"],
                 [f"{prefix}.c2.0", f"{prefix}.c2.1", f"{prefix}.c2.2"],
                 [f"{prefix}.c3.0", f"{prefix}.c3.1"]]
        if self.down:
            names.append([f"{prefix}.down.0", f"{prefix}.down.1"])
        return names

    def nodes(self, g, x):
        y = g.conv(g.conv(g.conv(x, self.c1[0]), self.c2[0]), self.c3[0])
        skip = g.conv(x, self.down[0]) if self.down else x
        return g.add(y, skip, self.skip, "relu")


class ResNet50(nn.Module):
    input_shape = (1, 3, 224, 224)

    def __init__(self, groups=1, width=1):
        """ResNet-50; with `groups` and `width`, the 3x3 convolution of each
        bottleneck grouped and `width` times as wide (ResNeXt)."""
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.stem = conv_bn(3, 64, 7, stride=2, relu=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        blocks, cin = [], 64
        for planes, count, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2),
                                      (512, 3, 2)]:
            for i in range(count):
                blocks.append(Bottleneck(cin, planes * width,
                                         stride if i == 0 else 1,
                                         groups=groups, cout=planes * 4))
                cin = planes * 4
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2048, 1000)
        self.fuse = [["stem.0", "stem.1", "stem.2"]]
        for i, block in enumerate(self.blocks):
            self.fuse += block.fuse_list(f"blocks.{i}")

    def forward(self, x):
        x = self.maxpool(self.stem(self.quant(x)))
        x = self.pool(self.blocks(x))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    def nodes(self, q):
        g = Nodes()
        x = g.maxpool(g.conv(g.input(q.quant), q.stem[0]), 3, 2, 1)
        for block in q.blocks:
            x = block.nodes(g, x)
        g.linear(g.flatten(g.avgpool(x)), q.fc)
        return g.list


class ResNeXt50(ResNet50):
    """ResNeXt-50 (32x4d): ResNet-50 with the 3x3 convolution of each
    bottleneck grouped, 32 groups, twice as wide."""

    def __init__(self):
        super().__init__(groups=32, width=2)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.expand = conv_bn(cin, hidden, 1) if expand != 1 else None
        self.expand_act = nn.ReLU6()
        self.dw = conv_bn(hidden, hidden, 3, stride=stride, groups=hidden)
        self.dw_act = nn.ReLU6()
        self.project = conv_bn(hidden, cout, 1)
        self.residual = stride == 1 and cin == cout
        self.skip = nn.quantized.FloatFunctional()

    def forward(self, x):
        # contiguous(): PyTorch 1.13's qnnpack relu6 permutes channels-last
        # inputs (see zoo_models.MobileNetish).
        y = x
        if self.expand:
            y = self.expand_act(self.expand(y).contiguous())
        y = self.project(self.dw_act(self.dw(y).contiguous()))
        return self.skip.add(y, x) if self.residual else y

    def fuse_list(self, prefix):
        names = [[f"{prefix}.dw.0", f"{prefix}.dw.1"],
                 [f"{prefix}.project.0", f"{prefix}.project.1"]]
        if self.expand:
            names.append([f"{prefix}.expand.0", f"{prefix}.expand.1"])
        return names

    def nodes(self, g, x):
        y = x
        if self.expand:
            y = g.relu6(g.conv(y, self.expand[0]))
        y = g.conv(g.relu6(g.conv(y, self.dw[0])), self.project[0])
        return g.add(y, x, self.skip, "none") if self.residual else y


class MobileNetV2(nn.Module):
    input_shape = (1, 3, 224, 224)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.stem, self.stem_act = conv_bn(3, 32, 3, stride=2), nn.ReLU6()
        blocks, cin = [], 32
        for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
                           (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                           (6, 320, 1, 1)]:
            for i in range(n):
                blocks.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        self.blocks = nn.Sequential(*blocks)
        self.last, self.last_act = conv_bn(320, 1280, 1), nn.ReLU6()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(1280, 1000)
        self.fuse = [["stem.0", "stem.1"], ["last.0", "last.1"]]
        for i, block in enumerate(self.blocks):
            self.fuse += block.fuse_list(f"blocks.{i}")

    def forward(self, x):
        x = self.stem_act(self.stem(self.quant(x)).contiguous())
        x = self.last_act(self.last(self.blocks(x)).contiguous())
        x = self.pool(x)
        return self.dequant(self.fc(torch.flatten(x, 1)))

    def nodes(self, q):
        g = Nodes()
        x = g.relu6(g.conv(g.input(q.quant), q.stem[0]))
        for block in q.blocks:
            x = block.nodes(g, x)
        x = g.relu6(g.conv(x, q.last[0]))
        g.linear(g.flatten(g.avgpool(x)), q.fc)
        return g.list


class BertLayer(nn.Module):
    """One BERT-base encoder layer on 128 tokens: 12 heads of 64, Q/K/V and
    output projections, scores and context as quantized batched matmuls
    with a float softmax between quantizations (as zoo_models.Attention),
    residual adds, quantized LayerNorms and a 3072-wide feed-forward block.
    The feed-forward activation is ReLU (fused into its Linear) where
    BERT has GELU."""

    seq, dim, heads, ffn = 128, 768, 12, 3072
    input_shape = (128, 768)

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        d = self.dim
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        head = d // self.heads
        with torch.no_grad():
            self.q.weight.mul_(head ** -0.5)
            self.q.bias.mul_(head ** -0.5)
        self.add1, self.add2 = (nn.quantized.FloatFunctional(),
                                nn.quantized.FloatFunctional())
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff1 = nn.Sequential(nn.Linear(d, self.ffn), nn.ReLU())
        self.ff2 = nn.Linear(self.ffn, d)
        self.fuse = [["ff1.0", "ff1.1"]]
        self.qparams = {}

    def split(self, t):
        return t.reshape(self.seq, self.heads, -1).permute(1, 0, 2)

    def forward(self, x):
        x = self.quant(x)
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), \
            self.split(self.v(x))
        if not q.is_quantized:
            scores = torch.bmm(q, k.transpose(1, 2))
            zoo_models.Attention.observe(self, "scores", scores)
            ctx = torch.bmm(torch.softmax(scores, dim=-1), v)
            zoo_models.Attention.observe(self, "context", ctx)
        else:
            scale, zp = self.qparams["scores"]
            scores = torch.ops.quantized.matmul(
                q.contiguous(), k.transpose(1, 2).contiguous(), scale, zp)
            p = torch.softmax(scores.dequantize(), dim=-1)
            p = torch.quantize_per_tensor(p, 1.0 / 256, 0, torch.quint8)
            scale, zp = self.qparams["context"]
            ctx = torch.ops.quantized.matmul(p, v.contiguous(), scale, zp)
        ctx = ctx.permute(1, 0, 2).reshape(self.seq, self.dim)
        x = self.ln1(self.add1.add(self.o(ctx), x))
        x = self.ln2(self.add2.add(self.ff2(self.ff1(x)), x))
        return self.dequant(x)

    def nodes(self, q):
        g = Nodes()
        s, h, d = self.seq, self.heads, self.dim // self.heads
        x = g.input(q.quant)

        def split(t):
            return g.transpose(g.reshape(t, [s, h, d]), [1, 0, 2])

        qh, kh, vh = (split(g.linear(x, getattr(q, n))) for n in "qkv")
        scale, zp = self.qparams["scores"]
        scores = g.bmm(qh, kh, True, scale, zp)
        p = g.softmax(scores, 1.0 / 256, 0)
        scale, zp = self.qparams["context"]
        ctx = g.bmm(p, vh, False, scale, zp)
        ctx = g.reshape(g.transpose(ctx, [1, 0, 2]), [s, h * d])
        x = g.layernorm(g.add(g.linear(ctx, q.o), x, q.add1, "none"), q.ln1)
        y = g.linear(g.linear(x, q.ff1[0]), q.ff2)
        g.layernorm(g.add(y, x, q.add2, "none"), q.ln2)
        return g.list


MODELS = {"resnet50": ResNet50, "mobilenetv2": MobileNetV2,
          "bert_layer": BertLayer, "resnext50": ResNeXt50}


def quantize(name, engine):
    """The full-size model `name` quantized for `engine` (calibrated on a
    few random images), its nodes and one input."""
    torch.manual_seed(zoo_models.SEED)
    torch.backends.quantized.engine = engine
    model = MODELS[name]().eval()
    model = tq.fuse_modules(model, model.fuse)
    model.qconfig = tq.get_default_qconfig(engine)
    prepared = tq.prepare(model)
    gen = torch.Generator().manual_seed(zoo_models.SEED + 1)
    with torch.no_grad():
        for _ in range(2):
            prepared(torch.randn(model.input_shape, generator=gen))
    quantized = tq.convert(prepared)
    x = torch.randn(model.input_shape, generator=gen)
    return quantized, quantized.nodes(quantized), x
