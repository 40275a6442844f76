#!/usr/bin/python3
"""Generates the golden execution tests of test/Integration/Golden.

Each generated .mlir file holds kernels (functions taking the inputs as
arguments, so that nothing is folded at compile time), the inputs, and the
expected outputs as constants. Its `main` compares every result with its
expected value bit for bit (any NaN equals any NaN) and prints the number of
mismatching elements; FileCheck requires 0.

Expected values come from PyTorch 1.13 (Debian python3-torch) where PyTorch
defines the operation: fake_quantize_per_tensor_affine,
fake_quantize_per_channel_affine, torch.nn.utils.prune.l1_unstructured and
ln_structured. Binarize, ternarize, log_quant and N:M masks, which PyTorch
does not define, and the special values where PyTorch's kernels are
undefined (+-Inf, NaN, |x / scale| >= 2^63), use the reference below,
written from docs/QNN.md independently of the C++ implementation.

Usage: /usr/bin/python3 test/golden/generate.py   (rewrites the files)
"""

import math
import os
from fractions import Fraction

import numpy as np
import torch
import torch.nn.intrinsic.quantized as intrinsic_quantized
import torch.nn.utils.prune as prune

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "Integration", "Golden")

F32 = np.float32
RNG = np.random.default_rng(20261122)

MLIR_TYPE = {np.float16: "f16", np.float32: "f32", np.float64: "f64",
             np.int8: "i8", np.uint8: "i8", np.int16: "i16", bool: "i1"}
INT_OF = {"f16": "i16", "f32": "i32", "f64": "i64"}

# ---------------------------------------------------------------------------
# MLIR text
# ---------------------------------------------------------------------------


def fmt_scalar(v, elem):
    if elem == "i1":
        return "true" if v else "false"
    if elem.startswith("i"):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return {"f16": "0x7E00", "f32": "0x7FC00000",
                "f64": "0x7FF8000000000000"}[elem]
    if math.isinf(v):
        bits = {"f16": ("0x7C00", "0xFC00"),
                "f32": ("0x7F800000", "0xFF800000"),
                "f64": ("0x7FF0000000000000", "0xFFF0000000000000")}[elem]
        return bits[0] if v > 0 else bits[1]
    # repr of the double that equals the value parses back exactly; MLIR
    # wants a '.' in a float literal ('1e-45' -> '1.0e-45').
    text = repr(v)
    if "." not in text:
        text = text.replace("e", ".0e") if "e" in text else text + ".0"
    return text


def fmt_tensor(array, elem):
    array = np.asarray(array)

    def rec(a):
        if a.ndim == 0:
            return fmt_scalar(a.item(), elem)
        return "[" + ", ".join(rec(x) for x in a) + "]"

    return f"dense<{rec(array)}> : {tensor_type(array.shape, elem)}"


def tensor_type(shape, elem):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


class GoldenFile:
    """Collects kernels and checks and writes one self-checking test."""

    def __init__(self, name, summary):
        self.name = name
        self.summary = summary
        self.kernels = []
        self.checks = []
        self.comparators = {}

    def comparator(self, shape, elem):
        key = (tuple(shape), elem)
        if key in self.comparators:
            return self.comparators[key][0]
        fname = "@mismatches_" + "x".join(map(str, shape)) + "_" + elem
        rank = len(shape)
        dims = ", ".join(f"d{i}" for i in range(rank))
        ident = f"affine_map<({dims}) -> ({dims})>"
        scalar = f"affine_map<({dims}) -> ()>"
        ty = tensor_type(shape, elem)
        iters = ", ".join(['"reduction"'] * rank)
        if elem in INT_OF:
            it = INT_OF[elem]
            body = f"""      %ab = arith.bitcast %a : {elem} to {it}
      %bb = arith.bitcast %b : {elem} to {it}
      %ne = arith.cmpi ne, %ab, %bb : {it}
      %an = arith.cmpf uno, %a, %a : {elem}
      %bn = arith.cmpf uno, %b, %b : {elem}
      %both = arith.andi %an, %bn : i1
      %true = arith.constant true
      %differ = arith.xori %both, %true : i1
      %bad = arith.andi %ne, %differ : i1"""
        else:
            body = f"""      %bad = arith.cmpi ne, %a, %b : {elem}"""
        text = f"""func.func private {fname}(%x: {ty}, %y: {ty}) -> i32 {{
  %zero = arith.constant 0 : i32
  %init = tensor.empty() : tensor<i32>
  %acc0 = linalg.fill ins(%zero : i32) outs(%init : tensor<i32>) -> tensor<i32>
  %count = linalg.generic {{indexing_maps = [{ident}, {ident}, {scalar}], iterator_types = [{iters}]}}
      ins(%x, %y : {ty}, {ty}) outs(%acc0 : tensor<i32>) {{
    ^bb0(%a: {elem}, %b: {elem}, %acc: i32):
{body}
      %one = arith.extui %bad : i1 to i32
      %sum = arith.addi %acc, %one : i32
      linalg.yield %sum : i32
  }} -> tensor<i32>
  %n = tensor.extract %count[] : tensor<i32>
  return %n : i32
}}"""
        self.comparators[key] = (fname, text)
        return fname

    def add(self, label, body, args, expected, out_elem, comment=None):
        """Adds a kernel `label` whose body (using %arg0.. and yielding
        through `return`) maps `args` [(array, elem)] to `expected`."""
        expected = np.asarray(expected)
        arg_types = [tensor_type(np.shape(a), e) for a, e in args]
        params = ", ".join(f"%arg{i}: {t}" for i, t in enumerate(arg_types))
        rtype = tensor_type(expected.shape, out_elem)
        text = ""
        if comment:
            text += "".join(f"// {line}\n" for line in comment.split("\n"))
        text += f"func.func @{label}({params}) -> {rtype} {{\n"
        text += body.rstrip() + "\n}"
        self.kernels.append(text)
        self.checks.append((label, args, expected, out_elem, rtype,
                            arg_types))

    def write(self):
        lines = [
            getattr(self, "run_line",
                    "// RUN: quant-opt %s --qnn-compile | mlir-runner -e main "
                    "-entry-point-result=void %mlir_runner_libs | FileCheck %s"),
            "//",
            "// Generated by test/golden/generate.py; do not edit.",
        ]
        lines += [f"// {line}" for line in self.summary.split("\n")]
        lines.append("")
        for label, *_ in self.checks:
            lines.append(f"// CHECK: {label} mismatches: 0")
        lines.append("")
        lines += [k + "\n" for k in self.kernels]
        main = ["func.func @main() {"]
        for i, (label, args, expected, out_elem, rtype, arg_types) in \
                enumerate(self.checks):
            names = []
            for j, ((a, e), t) in enumerate(zip(args, arg_types)):
                main.append(f"  %in{i}_{j} = arith.constant {fmt_tensor(a, e)}")
                names.append(f"%in{i}_{j}")
            main.append(f"  %exp{i} = arith.constant "
                        f"{fmt_tensor(expected, out_elem)}")
            main.append(f"  %res{i} = call @{label}({', '.join(names)}) : "
                        f"({', '.join(arg_types)}) -> {rtype}")
            cmp = self.comparator(expected.shape, out_elem)
            main.append(f"  %bad{i} = call {cmp}(%res{i}, %exp{i}) : "
                        f"({rtype}, {rtype}) -> i32")
            main.append(f'  vector.print str "{label} mismatches: "')
            main.append(f"  vector.print %bad{i} : i32")
        main.append("  return")
        main.append("}")
        lines += [text + "\n" for _, text in self.comparators.values()]
        lines += main
        path = os.path.join(OUT_DIR, self.name + ".mlir")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"wrote {path}: {len(self.checks)} checks")


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


def fake_quant_inputs(scale, zp, qmin, qmax, n_random=24):
    """Values that matter for (scale, zp): exact ties on the grid, values
    just around them, both ends of the range and beyond, signed zeros,
    denormals and random values."""
    s = F32(scale)
    values = [0.0, -0.0, 1e-45, -1e-45, 1e-40, -1.17e-38]
    lo, hi = (qmin - zp) * float(s), (qmax - zp) * float(s)
    for k in list(range(-6, 7)) + [qmin - zp, qmax - zp, qmin - zp - 1,
                                   qmax - zp + 1]:
        tie = F32((k + 0.5) * float(s))
        values += [tie, np.nextafter(tie, F32(np.inf)),
                   np.nextafter(tie, F32(-np.inf))]
    values += [lo - 1.0, hi + 1.0, lo * 4, hi * 4, -1e6, 1e6, 3e9, -3e9]
    values += list(RNG.uniform(lo * 1.2, hi * 1.2, n_random))
    return np.array(values, dtype=F32)


def storage(bits, signed, narrow=False):
    if signed:
        qmin, qmax = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        if narrow:
            qmin += 1
    else:
        qmin, qmax = 0, (1 << bits) - 1
    return qmin, qmax


def quant_type(bits, signed, narrow, expressed, params):
    st = ("i" if signed else "u") + str(bits)
    if narrow:
        lo, hi = storage(bits, signed, True)
        st += f"<{lo}:{hi}>"
    return f"!quant.uniform<{st}:{expressed}, {params}>"


# ---------------------------------------------------------------------------
# Independent reference for the ops PyTorch does not define
# ---------------------------------------------------------------------------


def ref_fake_quant(x, scale, zp, qmin, qmax):
    """docs/QNN.md on one f32 value, for values PyTorch leaves undefined."""
    x = F32(x)
    if math.isnan(x):
        q = qmin
    else:
        sc = F32(scale)
        inv = F32(F32(1.0) / sc)
        with np.errstate(over="ignore"):
            r = float(np.rint(F32(x * inv)))
        q = min(max(r + zp, qmin), qmax)
    return F32((q - zp) * float(F32(scale)))


def ref_log_quant(x, min_exp, max_exp):
    x = float(x)
    if math.isnan(x) or x == 0.0:
        return x
    if math.isinf(x):
        return math.copysign(2.0 ** max_exp, x)
    m, e = math.frexp(abs(x))          # |x| = m 2^e, 0.5 <= m < 1
    k, sig = e - 1, 2.0 * m            # |x| = sig 2^k, 1 <= sig < 2
    if Fraction(sig) ** 2 > 2:         # sig > sqrt(2), exactly
        k += 1
    if k < min_exp:
        return math.copysign(0.0, x)
    return math.copysign(2.0 ** min(k, max_exp), x)


def group_index(shape, axis, flat):
    if axis is None:
        return 0
    stride = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return (flat // stride) % shape[axis]


def ref_mean_abs(x, axis):
    flat = x.reshape(-1)
    groups = 1 if axis is None else x.shape[axis]
    sums, counts = [0.0] * groups, [0] * groups
    for i, v in enumerate(flat):
        g = group_index(x.shape, axis, i)
        sums[g] += abs(float(v))       # f64, row-major
        counts[g] += 1
    return [s / c if c else 0.0 for s, c in zip(sums, counts)]


def ref_binarize(x, mean_abs, axis):
    alphas = ref_mean_abs(x, axis) if mean_abs else [1.0]
    alphas = [float(x.dtype.type(a)) for a in alphas]
    out = []
    for i, v in enumerate(x.reshape(-1)):
        a = alphas[group_index(x.shape, axis, i)]
        out.append(v if math.isnan(v) else (a if v >= 0 else -a))
    return np.array(out, dtype=x.dtype).reshape(x.shape)


def ref_ternarize(x, threshold, ratio, mean_abs, axis):
    groups = 1 if axis is None else x.shape[axis]
    if threshold is not None:
        deltas = [threshold] * groups
    else:
        deltas = [ratio * m for m in ref_mean_abs(x, axis)]
    alphas = [1.0] * groups
    if mean_abs:
        sums, counts = [0.0] * groups, [0] * groups
        for i, v in enumerate(x.reshape(-1)):
            g = group_index(x.shape, axis, i)
            if abs(float(v)) > deltas[g]:
                sums[g] += abs(float(v))
                counts[g] += 1
        alphas = [s / c if c else 0.0 for s, c in zip(sums, counts)]
    alphas = [float(x.dtype.type(a)) for a in alphas]
    out = []
    for i, v in enumerate(x.reshape(-1)):
        g = group_index(x.shape, axis, i)
        v = float(v)
        if math.isnan(v):
            out.append(v)
        elif v > deltas[g]:
            out.append(alphas[g])
        elif v < -deltas[g]:
            out.append(-alphas[g])
        else:
            out.append(0.0)
    return np.array(out, dtype=x.dtype).reshape(x.shape)


def ref_nm_mask(x, n, m, axis):
    moved = np.moveaxis(x, axis, -1)
    mask = np.zeros(moved.shape, dtype=bool)
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx]
        for start in range(0, row.shape[0], m):
            group = list(range(start, start + m))

            def key(j):
                a = abs(float(row[j]))
                return (0 if math.isnan(a) else 1,
                        -a if not math.isnan(a) else 0.0, j)

            for j in sorted(group, key=key)[:n]:
                mask[idx + (j,)] = True
    return np.moveaxis(mask, -1, axis)


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def fake_quant_per_tensor():
    f = GoldenFile(
        "fake_quant_per_tensor",
        "qnn.fake_quant and quant.qcast + quant.dcast against\n"
        "torch.fake_quantize_per_tensor_affine: ties with odd and even zero\n"
        "points, values beyond the range, signed zeros, denormals, zero\n"
        "points at both ends, narrow i8, u8, i4; qcast codes against the\n"
        "same rounding.")
    configs = [  # bits, signed, narrow, scale, zero point
        (8, True, False, 0.1, 3), (8, True, False, 0.5, 0),
        (8, True, False, 0.25, -1), (8, True, False, 0.3, -128),
        (8, True, False, 0.3, 127), (8, False, False, 0.5, 255),
        (8, False, False, 0.02, 128), (8, False, False, 0.7, 0),
        (8, True, True, 0.05, 0), (8, True, True, 0.1, -127),
        (4, True, False, 0.5, 0), (4, True, False, 0.25, -8),
        (4, True, False, 0.3, 7), (16, True, False, 0.001, -5),
    ]
    for i, (bits, signed, narrow, scale, zp) in enumerate(configs):
        qmin, qmax = storage(bits, signed, narrow)
        x = fake_quant_inputs(scale, zp, qmin, qmax)
        y = torch.fake_quantize_per_tensor_affine(
            torch.from_numpy(x), scale, zp, qmin, qmax).numpy()
        qt = quant_type(bits, signed, narrow, "f32", f"{scale!r}:{zp}")
        ty = tensor_type(x.shape, "f32")
        what = f"{'u' if not signed else 'i'}{bits}{' narrow' if narrow else ''} scale {scale} zero point {zp}"
        f.add(f"fake_quant_{i}",
              f"  %0 = qnn.fake_quant %arg0 to {qt} : {ty}\n"
              f"  return %0 : {ty}", [(x, "f32")], y, "f32", what)
        qty = tensor_type(x.shape, qt)
        f.add(f"qdq_{i}",
              f"  %q = quant.qcast %arg0 : {ty} to {qty}\n"
              f"  %0 = quant.dcast %q : {qty} to {ty}\n"
              f"  return %0 : {ty}", [(x, "f32")], y, "f32",
              "the same through upstream quant casts")
        if bits in (8, 16):
            codes = np.rint(y.astype(np.float64) / float(F32(scale))) + zp
            int_ty = "i8" if bits == 8 else "i16"
            np_int = {8: np.int8 if signed else np.uint8, 16: np.int16}[bits]
            codes = codes.astype(np.int64).astype(np_int).astype(np.int64)
            if not signed:
                codes = np.where(codes > 127, codes - 256, codes)
            ity = tensor_type(x.shape, int_ty)
            f.add(f"qcast_codes_{i}",
                  f"  %q = quant.qcast %arg0 : {ty} to {qty}\n"
                  f"  %0 = quant.scast %q : {qty} to {ity}\n"
                  f"  return %0 : {ity}", [(x, "f32")], codes, int_ty,
                  "the stored codes")

    # PyTorch is undefined for +-Inf, NaN and |x / s| >= 2^63 (its int64
    # conversion): the documented saturation, from the reference.
    special = np.array([np.inf, -np.inf, np.nan, 1e30, -1e30, 3.4e38],
                       dtype=F32)
    for label, (scale, zp, qmin, qmax, qt) in {
            "special_i8": (0.1, 3, -128, 127, "!quant.uniform<i8:f32, 0.1:3>"),
            "special_u8": (0.5, 7, 0, 255, "!quant.uniform<u8:f32, 0.5:7>"),
    }.items():
        y = np.array([ref_fake_quant(v, scale, zp, qmin, qmax)
                      for v in special], dtype=F32)
        ty = tensor_type(special.shape, "f32")
        f.add(f"fake_quant_{label}",
              f"  %0 = qnn.fake_quant %arg0 to {qt} : {ty}\n"
              f"  return %0 : {ty}", [(special, "f32")], y, "f32",
              "+-Inf saturate, NaN maps to qmin (docs/QNN.md)")
        qty = tensor_type(special.shape, qt)
        f.add(f"qdq_{label}",
              f"  %q = quant.qcast %arg0 : {ty} to {qty}\n"
              f"  %0 = quant.dcast %q : {qty} to {ty}\n"
              f"  return %0 : {ty}", [(special, "f32")], y, "f32")
    f.write()


def fake_quant_per_channel():
    f = GoldenFile(
        "fake_quant_per_channel",
        "Per-axis and sub-channel fake quantization against\n"
        "torch.fake_quantize_per_channel_affine (sub-channel: torch's\n"
        "per-tensor fake quantization of each block), in f32, f16 and f64.")
    # A conv weight [out=4, in=3, 2, 2] per output channel, and a matrix per
    # column; zero points at both ends.
    cases = [
        ((4, 3, 2, 2), 0, [0.02, 0.1, 0.5, 0.003], [0, -128, 127, 5],
         8, True, False),
        ((5, 3), 1, [0.25, 0.1, 0.3], [1, 0, 255], 8, False, False),
        ((3, 6), 0, [0.05, 0.5, 0.2], [0, 0, 0], 8, True, True),
    ]
    for i, (shape, axis, scales, zps, bits, signed, narrow) in \
            enumerate(cases):
        qmin, qmax = storage(bits, signed, narrow)
        n = int(np.prod(shape))
        span = max(scales) * (qmax - qmin)
        x = RNG.uniform(-span, span, n).astype(F32)
        # Exact ties of every channel.
        for c, (s, z) in enumerate(zip(scales, zps)):
            x[c % n] = F32(2.5 * float(F32(s)))
        x = x.reshape(shape)
        y = torch.fake_quantize_per_channel_affine(
            torch.from_numpy(x), torch.tensor(scales, dtype=torch.float32),
            torch.tensor(zps, dtype=torch.int32), axis, qmin, qmax).numpy()
        params = ", ".join(f"{s!r}:{z}" for s, z in zip(scales, zps))
        st = ("i" if signed else "u") + str(bits)
        if narrow:
            st += f"<{qmin}:{qmax}>"
        qt = f"!quant.uniform<{st}:f32:{axis}, {{{params}}}>"
        ty = tensor_type(shape, "f32")
        f.add(f"per_axis_{i}",
              f"  %0 = qnn.fake_quant %arg0 to {qt} : {ty}\n"
              f"  return %0 : {ty}", [(x, "f32")], y, "f32")
        qty = tensor_type(shape, qt)
        f.add(f"per_axis_qdq_{i}",
              f"  %q = quant.qcast %arg0 : {ty} to {qty}\n"
              f"  %0 = quant.dcast %q : {qty} to {ty}\n"
              f"  return %0 : {ty}", [(x, "f32")], y, "f32")

    # Sub-channel: blocks of 1x4 over a 2x8 matrix.
    scales = [[0.1, 0.5], [0.25, 0.02]]
    zps = [[3, -2], [0, 127]]
    x = RNG.uniform(-40, 40, (2, 8)).astype(F32)
    x[0, 0] = F32(0.25)
    y = np.empty_like(x)
    for r in range(2):
        for b in range(2):
            blk = torch.from_numpy(x[r, 4 * b:4 * b + 4].copy())
            y[r, 4 * b:4 * b + 4] = torch.fake_quantize_per_tensor_affine(
                blk, scales[r][b], zps[r][b], -128, 127).numpy()
    params = "{" + ", ".join(
        "{" + ", ".join(f"{s!r}:{z}" for s, z in zip(sr, zr)) + "}"
        for sr, zr in zip(scales, zps)) + "}"
    qt = f"!quant.uniform<i8:f32:{{0:1, 1:4}}, {params}>"
    ty = tensor_type((2, 8), "f32")
    f.add("sub_channel",
          f"  %0 = qnn.fake_quant %arg0 to {qt} : {ty}\n"
          f"  return %0 : {ty}", [(x, "f32")], y, "f32")
    qty = tensor_type((2, 8), qt)
    f.add("sub_channel_qdq",
          f"  %q = quant.qcast %arg0 : {ty} to {qty}\n"
          f"  %0 = quant.dcast %q : {qty} to {ty}\n"
          f"  return %0 : {ty}", [(x, "f32")], y, "f32")

    # f16 (torch computes in f32 and rounds to f16) and f64.
    for elem, npt, tt in [("f16", np.float16, torch.float16),
                          ("f64", np.float64, torch.float64)]:
        x = np.concatenate([
            np.array([0.25, 0.35, 0.15, -0.05, -0.0, 20.0, -20.0]),
            RNG.uniform(-14, 14, 25)]).astype(npt)
        if tt == torch.float16:
            y = torch.fake_quantize_per_tensor_affine(
                torch.from_numpy(x).float(), 0.1, 3, -128, 127).to(tt)
        else:
            y = torch.fake_quantize_per_tensor_affine(
                torch.from_numpy(x), 0.1, 3, -128, 127)
        ty = tensor_type(x.shape, elem)
        f.add(f"fake_quant_{elem}",
              f"  %0 = qnn.fake_quant %arg0 to "
              f"!quant.uniform<i8:{elem}, 0.1:3> : {ty}\n"
              f"  return %0 : {ty}", [(x, elem)], y.numpy(), elem)
    f.write()


def prune_masks():
    f = GoldenFile(
        "prune_masks",
        "Pruning masks: l1_unstructured and ln_structured against\n"
        "torch.nn.utils.prune (constant weights: torch.topk's tie order;\n"
        "non-constant weights: run-time norms, without ties), N:M from the\n"
        "reference.")

    def torch_mask(fn, w, **kw):
        m = torch.nn.Linear(1, 1, bias=False)
        m.weight = torch.nn.Parameter(torch.from_numpy(w.copy()))
        fn(m, "weight", **kw)
        return m.weight_mask.numpy().astype(bool)

    ties = np.array([[1.0, 1.0, -1.0, 1.0], [2.0, 2.0, 0.5, -0.5],
                     [3.0, -3.0, 0.5, 1.0]], dtype=F32)
    rand = RNG.standard_normal((6, 10)).astype(F32)
    l1_cases = [(ties, 3), (ties, 0.5), (ties, 0.3125), (rand, 17),
                (rand, 0.9), (np.ones((4, 4), F32), 0.625),
                (np.ones((2, 100), F32), 3)]
    for i, (w, amount) in enumerate(l1_cases):
        mask = torch_mask(prune.l1_unstructured, w, amount=amount)
        amount_attr = f"{amount} : i64" if isinstance(amount, int) \
            else f"{amount!r} : f64"
        wt = fmt_tensor(w, "f32")
        f.add(f"l1_unstructured_{i}",
              f"  %w = arith.constant {wt}\n"
              f"  %0 = qnn.prune_mask %w l1_unstructured "
              f"{{amount = {amount_attr}}} : {tensor_type(w.shape, 'f32')}\n"
              f"  return %0 : {tensor_type(w.shape, 'i1')}",
              [], mask, "i1")

    ln_ties = np.array([[1, 1, 1, 1], [0, 0, 0, 3], [2, 2, 0, 0],
                        [1, -1, 1, -1]], dtype=F32)
    ln_cases = [(ln_ties, 2, 2, 0), (ln_ties, 0.5, 1, 0),
                (ln_ties, 1, float("inf"), 1), (rand, 3, 2, 0),
                (rand, 0.4, 1, 1), (rand, 0.5, 3, 0)]
    for i, (w, amount, n, dim) in enumerate(ln_cases):
        mask = torch_mask(prune.ln_structured, w, amount=amount, n=n,
                          dim=dim)
        amount_attr = f"{amount} : i64" if isinstance(amount, int) \
            else f"{amount!r} : f64"
        norm = "0x7FF0000000000000" if math.isinf(n) else repr(float(n))
        wty = tensor_type(w.shape, "f32")
        op = (f"qnn.prune_mask %w ln_structured norm = {norm} axis = {dim} "
              f"{{amount = {amount_attr}}} : {wty}")
        mty = tensor_type(w.shape, "i1")
        f.add(f"ln_structured_constant_{i}",
              f"  %w = arith.constant {fmt_tensor(w, 'f32')}\n"
              f"  %0 = {op}\n  return %0 : {mty}", [], mask, "i1")
        if w is rand:  # no ties among random norms: run time too
            f.add(f"ln_structured_runtime_{i}",
                  f"  %0 = {op.replace('%w', '%arg0')}\n"
                  f"  return %0 : {mty}", [(w, "f32")], mask, "i1")

    nm_cases = [(ties, 2, 4, 1), (rand[:, :8].copy(), 2, 4, 1), (rand, 1, 2, 0),
                (np.array([[np.nan, 1, -2, 2], [0, -0.0, 0, 0]], F32), 2, 4,
                 1)]
    for i, (w, n, m, axis) in enumerate(nm_cases):
        mask = ref_nm_mask(w, n, m, axis)
        wty = tensor_type(w.shape, "f32")
        f.add(f"n_m_{i}",
              f"  %0 = qnn.prune_mask %arg0 n_m n = {n} m = {m} "
              f"axis = {axis} : {wty}\n"
              f"  return %0 : {tensor_type(w.shape, 'i1')}",
              [(w, "f32")], mask, "i1")
    f.write()


def sign_and_log():
    f = GoldenFile(
        "binarize_ternarize_log_quant",
        "binarize, ternarize and log_quant against the reference of\n"
        "docs/QNN.md (f64 row-major means; log-domain rounding).")
    w = RNG.standard_normal((4, 3, 2, 2)).astype(F32)
    w[0, 0, 0, 0] = 0.0
    w[1, 0, 0, 0] = -0.0
    w[2, 1, 1, 1] = np.nan
    for label, mean_abs, axis in [("none", False, None),
                                  ("mean_abs", True, None),
                                  ("mean_abs_axis0", True, 0)]:
        src = w if label == "none" else np.nan_to_num(w)
        y = ref_binarize(src, mean_abs, axis)
        attrs = (" scale<mean_abs>" if mean_abs else "") + \
            (f" axis = {axis}" if axis is not None else "")
        ty = tensor_type(src.shape, "f32")
        f.add(f"binarize_{label}",
              f"  %0 = qnn.binarize %arg0{attrs} : {ty}\n"
              f"  return %0 : {ty}", [(src, "f32")], y, "f32")

    t = RNG.standard_normal((5, 8)).astype(F32)
    t[0, 0] = 0.5
    for label, thr, ratio, mean_abs, axis in [
            ("threshold", 0.5, None, False, None),
            ("threshold_alpha", 0.5, None, True, None),
            ("twn", None, 0.7, True, None),
            ("twn_axis1", None, 0.7, True, 1),
            ("ratio_axis0", None, 0.3, False, 0)]:
        y = ref_ternarize(t, thr, ratio, mean_abs, axis)
        attrs = ""
        if thr is not None:
            attrs += f" threshold = {thr!r}"
        elif ratio != 0.7:
            attrs += f" threshold_ratio = {ratio!r}"
        if mean_abs:
            attrs += " scale<mean_abs>"
        if axis is not None:
            attrs += f" axis = {axis}"
        ty = tensor_type(t.shape, "f32")
        f.add(f"ternarize_{label}",
              f"  %0 = qnn.ternarize %arg0{attrs} : {ty}\n"
              f"  return %0 : {ty}", [(t, "f32")], y, "f32")

    sqrt2_below = np.float32(math.sqrt(2))          # 1.41421354 < sqrt(2)
    sqrt2_above = np.nextafter(sqrt2_below, F32(2))
    logs = [0.0, -0.0, 1.0, sqrt2_below, sqrt2_above, -sqrt2_above, 0.2,
            0.17, -0.17, -0.18, 100.0, -np.inf, np.inf, np.nan, 5.0, 6.0,
            1e-45, 3e-39, -1e-30, 0.75, 2 ** -2.5, 2 ** -7]
    logs += list(RNG.standard_normal(18) * 3)
    x = np.array(logs, dtype=F32)
    for label, bits, lo, hi in [("4bit", 4, -2, 3), ("5bit", 5, -10, 4),
                                ("denormal", 3, -149, -147)]:
        y = np.array([ref_log_quant(v, lo, hi) for v in x], dtype=F32)
        ty = tensor_type(x.shape, "f32")
        f.add(f"log_quant_{label}",
              f"  %0 = qnn.log_quant %arg0 bits = {bits} exp = [{lo}, {hi}]"
              f" : {ty}\n  return %0 : {ty}", [(x, "f32")], y, "f32")
    x64 = np.array(logs, dtype=np.float64)
    y64 = np.array([ref_log_quant(v, -20, 20) for v in x64])
    ty = tensor_type(x64.shape, "f64")
    f.add("log_quant_f64",
          f"  %0 = qnn.log_quant %arg0 bits = 7 exp = [-20, 20] : {ty}\n"
          f"  return %0 : {ty}", [(x64, "f64")], y64, "f64")
    f.write()


def ref_requantize(acc, s_in, s_out, zp, lo, hi, mode):
    """qnn.requantize from docs/QNN.md, independently of the C++ code."""
    m = np.float32(np.float32(s_in) / np.float32(s_out))
    if mode == "float":
        r = float(np.rint(np.float32(np.float32(acc) * m))) + zp
    else:
        frac, exp = math.frexp(float(m))
        mult = int(round(frac * 2 ** 31))
        if mult == 2 ** 31:
            mult, exp = mult // 2, exp + 1
        shift = 31 - exp
        rnd = 1 << (shift - 1)
        if mode == "fixed_point_double" and shift > 31:
            rnd += (1 << 30) if acc >= 0 else -(1 << 30)
        r = ((acc * mult + rnd) >> shift) + zp
    return int(min(max(r, lo), hi))


def requantize():
    f = GoldenFile(
        "requantize",
        "qnn.requantize in its three modes against an independent reference:\n"
        "ties of the f32 product, saturation, per-channel multipliers, a\n"
        "fused ReLU, and multipliers with shifts below and above 31.")
    acc = np.array([[0, 1, -1, 30, -30, 1700, -1700, 2147483647],
                    [-2147483648, 10, 11, 12, 13, 1000000, -1000000, 7]],
                   dtype=np.int64).T.copy()          # 8 x 2
    acc = np.concatenate([acc, RNG.integers(-200000, 200000, (24, 2))])
    scales = [0.001, 0.0003]
    for mode in ("float", "fixed_point_single", "fixed_point_double"):
        for label, s_out, zp, lo, hi, clamp, storage in [
                ("u8_relu", 0.02, 128, 128, 255, "clamp_min = 128 ", "u8"),
                ("i8", 0.7, -3, -128, 127, "", "i8")]:
            out = np.array([[ref_requantize(int(a), scales[c], s_out, zp, lo,
                                            hi, mode)
                             for c, a in enumerate(row)] for row in acc])
            out = np.where(out > 127, out - 256, out)
            qt = f"!quant.uniform<{storage}:f32, {s_out!r}:{zp}>"
            mode_attr = "" if mode == "float" else f"mode<{mode}> "
            at, rt = tensor_type(acc.shape, "i32"), tensor_type(acc.shape, "i8")
            f.add(f"{mode}_{label}",
                  f"  %0 = qnn.requantize %arg0 scales = [0.001, 0.0003] "
                  f"axis = 1 to {qt} {mode_attr}{clamp}: {at} -> {rt}\n"
                  f"  return %0 : {rt}", [(acc, "i32")], out, "i8")
    f.write()


def quantized_linear():
    """torch.ao.nn.quantized.Linear (onednn and qnnpack) against
    --qnn-rewrite-int8: the same QDQ program, rewritten to int8."""
    f = GoldenFile(
        "quantized_linear",
        "quant.dcast -> linalg.matmul (+ bias, ReLU) -> quant.qcast, rewritten\n"
        "by --qnn-rewrite-int8 into an i32 matmul and qnn.requantize, against\n"
        "torch.ao.nn.quantized.Linear's int8 outputs (qnnpack: bit-exact;\n"
        "onednn: the mismatch count, each at most 1, is checked separately).")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8 --qnn-compile | "
                  "mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8 | FileCheck %s "
                  "--check-prefix=INT8\n"
                  "// INT8-NOT: linalg.matmul\n"
                  "// INT8-COUNT-3: qnn.requantize")
    gen = torch.Generator().manual_seed(3)
    cases = [(8, 32, 16, True, False), (5, 64, 24, True, True),
             (3, 17, 9, False, True)]
    for i, (m, k, n, bias, relu) in enumerate(cases):
        x = torch.randn(m, k, generator=gen) * 2
        sx, zx = 0.05, 130
        xq = torch.quantize_per_tensor(x, sx, zx, torch.quint8)
        w = torch.randn(n, k, generator=gen) * 0.3
        sw = (w.abs().amax(dim=1) / 127.0).float()
        wq = torch.quantize_per_channel(w, sw.double(), torch.zeros(
            n, dtype=torch.long), 0, torch.qint8)
        b = torch.randn(n, generator=gen) * 0.5 if bias else None
        sy, zy = 0.12, 100
        outs = {}
        for eng in ("qnnpack", "onednn"):
            torch.backends.quantized.engine = eng
            lin = (torch.ao.nn.quantized.Linear(k, n) if not relu else
                   intrinsic_quantized.LinearReLU(k, n))
            lin.set_weight_bias(wq, b)
            lin.scale, lin.zero_point = sy, zy
            outs[eng] = lin(xq).int_repr().numpy().astype(np.int64)
        xcodes = xq.int_repr().numpy().astype(np.int64)
        xcodes = np.where(xcodes > 127, xcodes - 256, xcodes)
        wcodes = wq.int_repr().numpy().T.astype(np.int64)      # K x N
        scales = ", ".join(repr(float(v)) for v in
                           wq.q_per_channel_scales().numpy())
        qx = f"!quant.uniform<u8:f32, {sx!r}:{zx}>"
        qw = f"!quant.uniform<i8:f32:1, {{{scales}}}>"
        qy = f"!quant.uniform<u8:f32, {sy!r}:{zy}>"
        xt, wt, yt = (tensor_type((m, k), "f32"), tensor_type((k, n), "f32"),
                      tensor_type((m, n), "f32"))
        body = [
            f"  %xq = quant.scast %arg0 : {tensor_type((m, k), 'i8')} to "
            f"{tensor_type((m, k), qx)}",
            f"  %xd = quant.dcast %xq : {tensor_type((m, k), qx)} to {xt}",
            f"  %w = arith.constant {fmt_tensor(wcodes, 'i8')}",
            f"  %wq = quant.scast %w : {tensor_type((k, n), 'i8')} to "
            f"{tensor_type((k, n), qw)}",
            f"  %wd = quant.dcast %wq : {tensor_type((k, n), qw)} to {wt}",
            f"  %e = tensor.empty() : {yt}"]
        if bias:
            body += [f"  %b = arith.constant "
                     f"{fmt_tensor(b.numpy().astype(F32), 'f32')}",
                     f"  %init = linalg.broadcast ins(%b : "
                     f"{tensor_type((n,), 'f32')}) outs(%e : {yt}) "
                     f"dimensions = [0]"]
        else:
            body += ["  %zero = arith.constant 0.0 : f32",
                     f"  %init = linalg.fill ins(%zero : f32) outs(%e : {yt})"
                     f" -> {yt}"]
        body.append(f"  %y = linalg.matmul ins(%xd, %wd : {xt}, {wt}) "
                    f"outs(%init : {yt}) -> {yt}")
        last = "%y"
        if relu:
            body += [f"  %zeros = arith.constant dense<0.0> : {yt}",
                     f"  %r = arith.maximumf %y, %zeros : {yt}"]
            last = "%r"
        body += [f"  %yq = quant.qcast {last} : {yt} to "
                 f"{tensor_type((m, n), qy)}",
                 f"  %ys = quant.scast %yq : {tensor_type((m, n), qy)} to "
                 f"{tensor_type((m, n), 'i8')}",
                 f"  return %ys : {tensor_type((m, n), 'i8')}"]
        for eng in ("qnnpack",):
            expected = np.where(outs[eng] > 127, outs[eng] - 256, outs[eng])
            f.add(f"linear_{i}_{eng}", "\n".join(body), [(xcodes, "i8")],
                  expected, "i8",
                  f"M={m} K={k} N={n} bias={bias} relu={relu}")
        diff = np.abs(outs["onednn"] - outs["qnnpack"])
        print(f"linear_{i}: onednn differs from qnnpack on "
              f"{int((diff > 0).sum())} of {diff.size} elements "
              f"(max {int(diff.max())})")
    f.write()


def quantized_conv2d():
    """torch's quantized Conv2d / ConvReLU2d (qnnpack) against the same QDQ
    convolution rewritten by --qnn-rewrite-int8."""
    f = GoldenFile(
        "quantized_conv2d",
        "quant.dcast -> tensor.pad -> linalg convolution (+ bias, ReLU) ->\n"
        "quant.qcast, rewritten by --qnn-rewrite-int8, against\n"
        "torch.ao.nn.quantized.Conv2d / ConvReLU2d (qnnpack): NHWC/HWCF,\n"
        "NCHW/FCHW, stride 2, depthwise; padding by the input zero point.")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8 --qnn-compile | "
                  "mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8 | FileCheck %s "
                  "--check-prefix=INT8 --implicit-check-not="
                  "'{{linalg\\.[a-z0-9_]*conv[a-z0-9_]*[^q] }}'\n"
                  "// INT8: linalg.conv_2d_nhwc_hwcf_q\n"
                  "// INT8: qnn.requantize\n"
                  "// INT8: linalg.conv_2d_nchw_fchw_q\n"
                  "// INT8: qnn.requantize\n"
                  "// INT8: linalg.conv_2d_nhwc_hwcf_q\n"
                  "// INT8: qnn.requantize\n"
                  "// INT8: linalg.depthwise_conv_2d_nhwc_hwc_q\n"
                  "// INT8: qnn.requantize")
    gen = torch.Generator().manual_seed(5)
    torch.backends.quantized.engine = "qnnpack"
    cases = [  # layout, C, F, H, stride, relu, groups
        ("nhwc", 3, 4, 8, 1, False, 1), ("nchw", 4, 6, 7, 2, True, 1),
        ("nhwc", 5, 3, 6, 2, True, 1), ("depthwise", 4, 4, 6, 1, False, 4)]
    for i, (layout, c, fo, h, stride, relu, groups) in enumerate(cases):
        x = torch.randn(1, c, h, h, generator=gen) * 1.5
        sx, zx = 0.04, 120
        xq = torch.quantize_per_tensor(x, sx, zx, torch.quint8)
        w = torch.randn(fo, c // groups, 3, 3, generator=gen) * 0.3
        sw = (w.abs().amax(dim=(1, 2, 3)) / 127.0).float()
        wq = torch.quantize_per_channel(w, sw.double(), torch.zeros(
            fo, dtype=torch.long), 0, torch.qint8)
        b = torch.randn(fo, generator=gen) * 0.3
        sy, zy = 0.08, 90
        cls = (torch.nn.intrinsic.quantized.ConvReLU2d if relu else
               torch.ao.nn.quantized.Conv2d)
        conv = cls(c, fo, 3, stride=stride, padding=1, groups=groups)
        conv.set_weight_bias(wq, b)
        conv.scale, conv.zero_point = sy, zy
        y = conv(xq).int_repr().numpy().astype(np.int64)     # NCHW
        ho = y.shape[2]
        xcodes = xq.int_repr().numpy().astype(np.int64)
        wcodes = wq.int_repr().numpy().astype(np.int64)      # F C/g KH KW
        scales = ", ".join(repr(float(v)) for v in
                           wq.q_per_channel_scales().numpy())
        if layout == "nchw":
            xin, yout, wk = xcodes, y, wcodes
            xs, ps, ys = (1, c, h, h), (1, c, h + 2, h + 2), (1, fo, ho, ho)
            ws, axis, op = (fo, c, 3, 3), 0, "linalg.conv_2d_nchw_fchw"
            pad, bdims, wq_axis = "[0, 0, 1, 1]", "[0, 2, 3]", 0
        else:
            xin = xcodes.transpose(0, 2, 3, 1)
            yout = y.transpose(0, 2, 3, 1)
            xs, ps, ys = (1, h, h, c), (1, h + 2, h + 2, c), (1, ho, ho, fo)
            pad, bdims = "[0, 1, 1, 0]", "[0, 1, 2]"
            if layout == "depthwise":
                wk = wcodes[:, 0].transpose(1, 2, 0)           # KH KW C
                ws, wq_axis, op = (3, 3, c), 2, \
                    "linalg.depthwise_conv_2d_nhwc_hwc"
            else:
                wk = wcodes.transpose(2, 3, 1, 0)              # KH KW C F
                ws, wq_axis, op = (3, 3, c, fo), 3, "linalg.conv_2d_nhwc_hwcf"
        xin = np.where(xin > 127, xin - 256, xin)
        qx = f"!quant.uniform<u8:f32, {sx!r}:{zx}>"
        qw = f"!quant.uniform<i8:f32:{wq_axis}, {{{scales}}}>"
        qy = f"!quant.uniform<u8:f32, {sy!r}:{zy}>"
        T = tensor_type
        nd = len(ps)
        idx = ", ".join(f"%i{j}: index" for j in range(nd))
        body = [
            f"  %xq = quant.scast %arg0 : {T(xs, 'i8')} to {T(xs, qx)}",
            f"  %xd = quant.dcast %xq : {T(xs, qx)} to {T(xs, 'f32')}",
            "  %c0 = arith.constant 0.0 : f32",
            f"  %xp = tensor.pad %xd low{pad} high{pad} {{",
            f"  ^bb0({idx}):",
            "    tensor.yield %c0 : f32",
            f"  }} : {T(xs, 'f32')} to {T(ps, 'f32')}",
            f"  %w = arith.constant {fmt_tensor(wk, 'i8')}",
            f"  %wq = quant.scast %w : {T(ws, 'i8')} to {T(ws, qw)}",
            f"  %wd = quant.dcast %wq : {T(ws, qw)} to {T(ws, 'f32')}",
            f"  %b = arith.constant {fmt_tensor(b.numpy().astype(F32), 'f32')}",
            f"  %e = tensor.empty() : {T(ys, 'f32')}",
            f"  %init = linalg.broadcast ins(%b : {T((fo,), 'f32')}) "
            f"outs(%e : {T(ys, 'f32')}) dimensions = {bdims}",
            f"  %y = {op} {{dilations = dense<1> : tensor<2xi64>, strides = "
            f"dense<{stride}> : tensor<2xi64>}} ins(%xp, %wd : "
            f"{T(ps, 'f32')}, {T(ws, 'f32')}) outs(%init : {T(ys, 'f32')})"
            f" -> {T(ys, 'f32')}"]
        last = "%y"
        if relu:
            body += [f"  %zeros = arith.constant dense<0.0> : {T(ys, 'f32')}",
                     f"  %r = arith.maximumf %y, %zeros : {T(ys, 'f32')}"]
            last = "%r"
        body += [f"  %yq = quant.qcast {last} : {T(ys, 'f32')} to "
                 f"{T(ys, qy)}",
                 f"  %ys = quant.scast %yq : {T(ys, qy)} to {T(ys, 'i8')}",
                 f"  return %ys : {T(ys, 'i8')}"]
        expected = np.where(yout > 127, yout - 256, yout)
        f.add(f"conv_{i}_{layout}", "\n".join(body), [(xin, "i8")],
              expected, "i8",
              f"C={c} F={fo} H={h} stride={stride} relu={relu} "
              f"groups={groups}")
    f.write()


def quantized_max_pool():
    """torch's quantized max_pool2d against the int8 rewrite of
    qcast(max_pool(dcast(x)))."""
    f = GoldenFile(
        "quantized_max_pool",
        "qcast(linalg.pooling_nhwc_max(pad(dcast(x), -inf))) with the same\n"
        "quantized type in and out, rewritten by --qnn-rewrite-int8 to a max\n"
        "pool on the codes, against torch's quantized max_pool2d.")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8 --qnn-compile | "
                  "mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8 | FileCheck %s "
                  "--check-prefix=INT8\n"
                  "// INT8: linalg.pooling_nhwc_max_unsigned {{.*}} tensor<1x4x4x3xi8>\n"
                  "// INT8: linalg.pooling_nhwc_max {{.*}} tensor<1x3x3x2xi8>")
    gen = torch.Generator().manual_seed(9)
    for i, (dtype, storage, zp, c, h, pad, stride) in enumerate([
            (torch.quint8, "u8", 100, 3, 8, 1, 2),
            (torch.qint8, "i8", -5, 2, 7, 0, 2)]):
        x = torch.randn(1, c, h, h, generator=gen) * 3
        xq = torch.quantize_per_tensor(x, 0.05, zp, dtype)
        y = torch.nn.functional.max_pool2d(xq, 3, stride=stride, padding=pad)
        xin = xq.int_repr().numpy().astype(np.int64).transpose(0, 2, 3, 1)
        yout = y.int_repr().numpy().astype(np.int64).transpose(0, 2, 3, 1)
        xin = np.where(xin > 127, xin - 256, xin)
        yout = np.where(yout > 127, yout - 256, yout)
        T = tensor_type
        q = f"!quant.uniform<{storage}:f32, 0.05:{zp}>"
        xs, ys = xin.shape, yout.shape
        ps = (1, h + 2 * pad, h + 2 * pad, c)
        body = [f"  %xq = quant.scast %arg0 : {T(xs, 'i8')} to {T(xs, q)}",
                f"  %xd = quant.dcast %xq : {T(xs, q)} to {T(xs, 'f32')}",
                "  %ninf = arith.constant 0xFF800000 : f32"]
        src = "%xd"
        if pad:
            body += [f"  %xp = tensor.pad %xd low[0, {pad}, {pad}, 0] "
                     f"high[0, {pad}, {pad}, 0] {{",
                     "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
                     "    tensor.yield %ninf : f32",
                     f"  }} : {T(xs, 'f32')} to {T(ps, 'f32')}"]
            src = "%xp"
        else:
            ps = xs
        body += ["  %win = tensor.empty() : tensor<3x3xf32>",
                 f"  %e = tensor.empty() : {T(ys, 'f32')}",
                 f"  %init = linalg.fill ins(%ninf : f32) outs(%e : "
                 f"{T(ys, 'f32')}) -> {T(ys, 'f32')}",
                 f"  %y = linalg.pooling_nhwc_max {{dilations = dense<1> : "
                 f"tensor<2xi64>, strides = dense<{stride}> : tensor<2xi64>}}"
                 f" ins({src}, %win : {T(ps, 'f32')}, tensor<3x3xf32>) "
                 f"outs(%init : {T(ys, 'f32')}) -> {T(ys, 'f32')}",
                 f"  %yq = quant.qcast %y : {T(ys, 'f32')} to {T(ys, q)}",
                 f"  %ys = quant.scast %yq : {T(ys, q)} to {T(ys, 'i8')}",
                 f"  return %ys : {T(ys, 'i8')}"]
        f.add(f"max_pool_{i}_{storage}", "\n".join(body), [(xin, "i8")],
              yout, "i8", f"padding {pad}, stride {stride}")
    f.write()


def quantized_avg_pool():
    """torch's quantized avg_pool2d (x86 default engine, aten's kernel)
    against the int8 rewrite of qcast(sum_pool(pad(dcast(x), 0.0)) / k*k)."""
    f = GoldenFile(
        "quantized_avg_pool",
        "qcast(linalg.pooling_{nhwc,nchw}_sum(pad(dcast(x), 0.0)) / d), rewritten\n"
        "by --qnn-rewrite-int8 to an i32 sum pool on the codes and aten's\n"
        "requantization, against torch's quantized avg_pool2d (onednn engine;\n"
        "windows of 2x2 produce ties that round half to even in the code\n"
        "domain).")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8 --qnn-compile | "
                  "mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8 | FileCheck %s "
                  "--check-prefix=INT8\n"
                  "// INT8-NOT: arith.divf\n"
                  "// INT8: linalg.pooling_nhwc_sum {{.*}} -> "
                  "tensor<1x4x4x3xi32>\n"
                  "// INT8: linalg.pooling_nchw_sum {{.*}} -> "
                  "tensor<1x3x7x7xi32>\n"
                  "// INT8: linalg.pooling_nchw_sum {{.*}} -> "
                  "tensor<1x2x6x6xi32>\n"
                  "// INT8-NOT: arith.divf")
    torch.backends.quantized.engine = "onednn"
    gen = torch.Generator().manual_seed(11)
    T = tensor_type
    for i, (dtype, storage, zp, c, h, k, pad, stride, layout) in enumerate([
            (torch.quint8, "u8", 100, 3, 8, 2, 0, 2, "nhwc"),
            (torch.quint8, "u8", 37, 2, 7, 2, 1, 1, "nhwc"),
            (torch.qint8, "i8", -5, 2, 7, 3, 1, 2, "nhwc"),
            (torch.qint8, "i8", 3, 3, 6, 2, 1, 1, "nchw"),
            (torch.quint8, "u8", 128, 2, 6, 3, 1, 1, "nchw")]):
        # The last case divides in a linalg.generic, as torch-mlir does.
        generic = i == 4
        x = torch.randn(1, c, h, h, generator=gen) * 3
        xq = torch.quantize_per_tensor(x, 0.05, zp, dtype)
        y = torch.nn.functional.avg_pool2d(xq, k, stride=stride, padding=pad)
        perm = (0, 2, 3, 1) if layout == "nhwc" else (0, 1, 2, 3)
        xin = xq.int_repr().numpy().astype(np.int64).transpose(perm)
        yout = y.int_repr().numpy().astype(np.int64).transpose(perm)
        xin = np.where(xin > 127, xin - 256, xin)
        yout = np.where(yout > 127, yout - 256, yout)
        q = f"!quant.uniform<{storage}:f32, 0.05:{zp}>"
        xs, ys = xin.shape, yout.shape
        spatial = (1, 2) if layout == "nhwc" else (2, 3)
        ps = tuple(d + 2 * pad if a in spatial else d
                   for a, d in enumerate(xs))
        padding = ", ".join(str(pad) if a in spatial else "0"
                            for a in range(4))
        body = [f"  %xq = quant.scast %arg0 : {T(xs, 'i8')} to {T(xs, q)}",
                f"  %xd = quant.dcast %xq : {T(xs, q)} to {T(xs, 'f32')}",
                "  %zero = arith.constant 0.0 : f32"]
        src = "%xd"
        if pad:
            body += [f"  %xp = tensor.pad %xd low[{padding}] "
                     f"high[{padding}] {{",
                     "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
                     "    tensor.yield %zero : f32",
                     f"  }} : {T(xs, 'f32')} to {T(ps, 'f32')}"]
            src = "%xp"
        else:
            ps = xs
        body += [f"  %win = tensor.empty() : tensor<{k}x{k}xf32>",
                 f"  %e = tensor.empty() : {T(ys, 'f32')}",
                 f"  %init = linalg.fill ins(%zero : f32) outs(%e : "
                 f"{T(ys, 'f32')}) -> {T(ys, 'f32')}",
                 f"  %sum = linalg.pooling_{layout}_sum {{dilations = dense<1> "
                 f": tensor<2xi64>, strides = dense<{stride}> : "
                 f"tensor<2xi64>}} ins({src}, %win : {T(ps, 'f32')}, "
                 f"tensor<{k}x{k}xf32>) outs(%init : {T(ys, 'f32')}) -> "
                 f"{T(ys, 'f32')}",
                 f"  %d = arith.constant dense<{float(k * k)}> : "
                 f"{T(ys, 'f32')}",
                 f"  %y = arith.divf %sum, %d : {T(ys, 'f32')}"]
        if generic:
            body[-2:] = [
                f"  %d = arith.constant {float(k * k)} : f32",
                "  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1,"
                " d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) "
                "-> (d0, d1, d2, d3)>], iterator_types = [\"parallel\", "
                "\"parallel\", \"parallel\", \"parallel\"]} ins(%sum : "
                f"{T(ys, 'f32')}) outs(%e : {T(ys, 'f32')}) {{",
                "  ^bb0(%in: f32, %out: f32):",
                "    %q = arith.divf %in, %d : f32",
                "    linalg.yield %q : f32",
                f"  }} -> {T(ys, 'f32')}"]
        body += [f"  %yq = quant.qcast %y : {T(ys, 'f32')} to {T(ys, q)}",
                 f"  %ys = quant.scast %yq : {T(ys, q)} to {T(ys, 'i8')}",
                 f"  return %ys : {T(ys, 'i8')}"]
        f.add(f"avg_pool_{i}_{storage}_{layout}", "\n".join(body),
              [(xin, "i8")], yout, "i8",
              f"{layout}, window {k}, padding {pad}, stride {stride}"
              + (", divided in a linalg.generic" if generic else ""))
    f.write()


def sparse_matmul():
    """A 90%-pruned fully connected layer, compressed by
    --qnn-eliminate-sparsity, against a sequential f32 reference (the dense
    loop order), and the same layer with its weights as an argument (dense
    code)."""
    f = GoldenFile(
        "sparse_matmul",
        "A fully connected layer with 90% zero weights: compressed (constant\n"
        "weights, zero-skipping loops) and dense (weights as an argument),\n"
        "both against y = b + sum_k x[m, k] * w[k, n] accumulated in f32 in\n"
        "increasing k.")
    f.run_line = ("// RUN: quant-opt %s --qnn-eliminate-sparsity="
                  "compress-threshold=0.75 --qnn-compile"
                  " | mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-eliminate-sparsity="
                  "compress-threshold=0.75 | FileCheck %s"
                  " --check-prefix=SPARSE\n"
                  "// SPARSE-LABEL: func.func @compressed\n"
                  "// SPARSE-NOT: linalg.matmul\n"
                  "// SPARSE: scf.for\n"
                  "// SPARSE-LABEL: func.func @dense\n"
                  "// SPARSE: linalg.matmul")
    m, k, n = 6, 64, 24
    x = RNG.standard_normal((m, k)).astype(F32)
    w = RNG.standard_normal((k, n)).astype(F32)
    w[RNG.random((k, n)) < 0.9] = 0.0
    b = RNG.standard_normal(n).astype(F32)
    y = np.empty((m, n), dtype=F32)
    for i in range(m):
        for j in range(n):
            acc = F32(b[j])
            for kk in range(k):
                acc = F32(acc + F32(x[i, kk] * w[kk, j]))
            y[i, j] = acc
    T = tensor_type
    common = [f"  %b = arith.constant {fmt_tensor(b, 'f32')}",
              f"  %e = tensor.empty() : {T((m, n), 'f32')}",
              f"  %init = linalg.broadcast ins(%b : {T((n,), 'f32')}) outs(%e"
              f" : {T((m, n), 'f32')}) dimensions = [0]"]
    mm = (f"  %y = linalg.matmul ins(%arg0, %w : {T((m, k), 'f32')}, "
          f"{T((k, n), 'f32')}) outs(%init : {T((m, n), 'f32')}) -> "
          f"{T((m, n), 'f32')}\n  return %y : {T((m, n), 'f32')}")
    f.add("compressed", "\n".join(
        [f"  %w = arith.constant {fmt_tensor(w, 'f32')}"] + common) + "\n" +
        mm, [(x, "f32")], y, "f32", "constant weights: compressed")
    dense_body = "\n".join(common) + "\n" + mm.replace("%w :", "%arg1 :") \
        .replace("(%arg0, %w", "(%arg0, %arg1")
    f.add("dense", dense_body, [(x, "f32"), (w, "f32")], y, "f32",
          "weights as an argument: dense code")
    f.write()


def dynamic_linear():
    """torch.ao.quantization.quantize_dynamic (qnnpack) against
    --qnn-rewrite-int8="dynamic=true": activations quantized at run time."""
    f = GoldenFile(
        "dynamic_linear",
        "Dynamic quantization: a float matmul with int8 weights, rewritten\n"
        "by --qnn-rewrite-int8=\"dynamic=true\", against torch's\n"
        "quantize_dynamic Linear (qnnpack) bit for bit: typical inputs, and\n"
        "the degenerate ranges of ChooseQuantizationParams (all zeros, a\n"
        "range below its small-scale threshold, positive-only and\n"
        "negative-only inputs).")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8=\"dynamic=true\" "
                  "--qnn-compile | mlir-runner -e main "
                  "-entry-point-result=void %mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8=\"dynamic=true\" | "
                  "FileCheck %s --check-prefix=INT8\n"
                  "// INT8-NOT: linalg.matmul")
    torch.backends.quantized.engine = "qnnpack"
    gen = torch.Generator().manual_seed(11)
    m, k, n = 5, 24, 8
    inputs = {
        "typical": torch.randn(m, k, generator=gen) * 2,
        "zeros": torch.zeros(m, k),
        "tiny": torch.randn(m, k, generator=gen) * 1e-6,
        "positive": torch.rand(m, k, generator=gen) * 3 + 0.5,
        "negative": -torch.rand(m, k, generator=gen) * 3 - 0.5,
    }
    for bias in (True, False):
        lin = torch.nn.Linear(k, n, bias=bias)
        with torch.no_grad():
            lin.weight.copy_(torch.randn(n, k, generator=gen) * 0.4)
            if bias:
                lin.bias.copy_(torch.randn(n, generator=gen))
        qm = torch.ao.quantization.quantize_dynamic(
            torch.nn.Sequential(lin), {torch.nn.Linear}, dtype=torch.qint8)
        wq = qm[0].weight()
        codes = wq.int_repr().numpy().T.astype(np.int64)     # K x N
        qw = f"!quant.uniform<i8:f32, {float(wq.q_scale())!r}>"
        T = tensor_type
        body = [f"  %w = arith.constant {fmt_tensor(codes, 'i8')}",
                f"  %wq = quant.scast %w : {T((k, n), 'i8')} to "
                f"{T((k, n), qw)}",
                f"  %wd = quant.dcast %wq : {T((k, n), qw)} to "
                f"{T((k, n), 'f32')}",
                f"  %e = tensor.empty() : {T((m, n), 'f32')}"]
        if bias:
            b = lin.bias.detach().numpy().astype(F32)
            body += [f"  %b = arith.constant {fmt_tensor(b, 'f32')}",
                     f"  %init = linalg.broadcast ins(%b : {T((n,), 'f32')}) "
                     f"outs(%e : {T((m, n), 'f32')}) dimensions = [0]"]
        else:
            body += ["  %zero = arith.constant 0.0 : f32",
                     f"  %init = linalg.fill ins(%zero : f32) outs(%e : "
                     f"{T((m, n), 'f32')}) -> {T((m, n), 'f32')}"]
        body += [f"  %y = linalg.matmul ins(%arg0, %wd : {T((m, k), 'f32')}, "
                 f"{T((k, n), 'f32')}) outs(%init : {T((m, n), 'f32')}) -> "
                 f"{T((m, n), 'f32')}",
                 f"  return %y : {T((m, n), 'f32')}"]
        for name, x in inputs.items():
            if not bias and name not in ("typical", "zeros"):
                continue
            with torch.no_grad():
                y = qm(x).numpy()
            f.add(f"dynamic_{name}_{'bias' if bias else 'nobias'}",
                  "\n".join(body), [(x.numpy().astype(F32), "f32")], y,
                  "f32")
    f.write()


def unfused_add_pairs(sa, za, sb, zb, sy, zy):
    """The i8 code pairs whose sum aten's vectorized kernel (dequantization
    fma(s, q, fl32(-z s))) and its scalar loop ((q - z) s) quantize
    differently: they tell the two apart."""
    a, b = np.meshgrid(np.arange(-128, 128), np.arange(-128, 128))
    a, b = a.ravel(), b.ravel()
    inverse = F32(F32(1) / F32(sy))

    def add(dequantize):
        c = F32(dequantize(a, sa, za) + dequantize(b, sb, zb))
        return np.clip(np.rint(F32(c * inverse)).astype(np.int64) + zy,
                       -128, 127)
    fused = add(lambda q, s, z: F32(q * np.float64(F32(s)) +
                                     np.float64(F32(-z * F32(s)))))
    plain = add(lambda q, s, z: F32((q - z).astype(F32) * F32(s)))
    differ = np.nonzero(fused != plain)[0]
    return a[differ], b[differ]


def quantized_add():
    """torch.ops.quantized.add / add_relu against the int8 rewrite of
    qcast(act(dcast(a) + dcast(b))): u8 with qnnpack, i8 with aten's
    vectorized kernel."""
    f = GoldenFile(
        "quantized_add",
        "qcast(dcast(a) + dcast(b)) (and with ReLU), rewritten by\n"
        "--qnn-rewrite-int8 into integer code, against\n"
        "torch.ops.quantized.add / add_relu: u8 as QNNPACK's fixed-point add\n"
        "(qnnpack engine), i8 as aten's vectorized float kernel (64 elements,\n"
        "all on the vector path; pairs where its fused dequantization changes\n"
        "the result are planted in the inputs).")
    f.run_line = ("// RUN: quant-opt %s --qnn-rewrite-int8 --qnn-compile | "
                  "mlir-runner -e main -entry-point-result=void "
                  "%mlir_runner_libs | FileCheck %s\n"
                  "// RUN: quant-opt %s --qnn-rewrite-int8 | FileCheck %s "
                  "--check-prefix=INT8\n"
                  "// INT8-NOT: quant.dcast")
    gen = torch.Generator().manual_seed(13)
    configs = [("u8", 0.05, 128, 0.08, 100, 0.1, 120, False),
               ("u8", 0.02, 3, 0.3, 250, 0.25, 0, True),
               ("u8", 0.5, 0, 0.5, 255, 0.01, 128, False),
               ("u8", 0.011, 77, 0.013, 19, 0.017, 201, True),
               ("i8", 0.05, 0, 0.08, -10, 0.1, 5, False),
               ("i8", 0.0173, -7, 0.0911, 12, 0.0457, -3, True),
               ("i8", 0.5, -128, 0.5, 127, 0.01, 0, False),
               ("i8", 0.1234, 17, 0.0567, -19, 0.1789, 9, False)]
    for i, (st, sa, za, sb, zb, sy, zy, relu) in enumerate(configs):
        dtype = torch.quint8 if st == "u8" else torch.qint8
        torch.backends.quantized.engine = "qnnpack" if st == "u8" else "onednn"
        x = torch.randn(4, 16, generator=gen) * 4
        y = torch.randn(4, 16, generator=gen) * 4
        xq = torch.quantize_per_tensor(x, sa, za, dtype)
        yq = torch.quantize_per_tensor(y, sb, zb, dtype)
        if st == "i8":
            pa, pb = unfused_add_pairs(sa, za, sb, zb, sy, zy)
            n = min(len(pa), 16)
            xc, yc = xq.int_repr().flatten(), yq.int_repr().flatten()
            xc[:n], yc[:n] = torch.tensor(pa[:n]), torch.tensor(pb[:n])
            xq = torch._make_per_tensor_quantized_tensor(
                xc.reshape(4, 16), sa, za)
            yq = torch._make_per_tensor_quantized_tensor(
                yc.reshape(4, 16), sb, zb)
        op = torch.ops.quantized.add_relu if relu else torch.ops.quantized.add
        out = op(xq, yq, sy, zy).int_repr().numpy().astype(np.int64)
        codes = [np.where(t > 127, t - 256, t) for t in
                 (xq.int_repr().numpy().astype(np.int64),
                  yq.int_repr().numpy().astype(np.int64), out)]
        T = tensor_type
        qa = f"!quant.uniform<{st}:f32, {sa!r}:{za}>"
        qb = f"!quant.uniform<{st}:f32, {sb!r}:{zb}>"
        qy = f"!quant.uniform<{st}:f32, {sy!r}:{zy}>"
        sh = (4, 16)
        body = [f"  %aq = quant.scast %arg0 : {T(sh, 'i8')} to {T(sh, qa)}",
                f"  %bq = quant.scast %arg1 : {T(sh, 'i8')} to {T(sh, qb)}",
                f"  %a = quant.dcast %aq : {T(sh, qa)} to {T(sh, 'f32')}",
                f"  %b = quant.dcast %bq : {T(sh, qb)} to {T(sh, 'f32')}",
                f"  %s = arith.addf %a, %b : {T(sh, 'f32')}"]
        last = "%s"
        if relu:
            body += [f"  %z = arith.constant dense<0.0> : {T(sh, 'f32')}",
                     f"  %r = arith.maximumf %s, %z : {T(sh, 'f32')}"]
            last = "%r"
        body += [f"  %yq = quant.qcast {last} : {T(sh, 'f32')} to "
                 f"{T(sh, qy)}",
                 f"  %ys = quant.scast %yq : {T(sh, qy)} to {T(sh, 'i8')}",
                 f"  return %ys : {T(sh, 'i8')}"]
        note = (f"{n} planted pairs" if st == "i8" else "")
        f.add(f"add_{i}_{st}{'_relu' if relu else ''}", "\n".join(body),
              [(codes[0], "i8"), (codes[1], "i8")], codes[2], "i8", note)
    f.write()


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    fake_quant_per_tensor()
    fake_quant_per_channel()
    prune_masks()
    sign_and_log()
    requantize()
    quantized_linear()
    quantized_conv2d()
    quantized_max_pool()
    quantized_avg_pool()
    sparse_matmul()
    dynamic_linear()
    quantized_add()
