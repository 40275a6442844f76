#!/usr/bin/python3
"""Generates test/Dialect/QNN/qnn-calibration-to-fake-quant-observers.mlir.

Each case feeds data to a torch.ao.quantization observer (PyTorch 1.13:
MinMax, MovingAverageMinMax, PerChannelMinMax, Histogram), writes the
statistics it recorded into a qnn.calibrate, and writes torch's
calculate_qparams() as a reference qnn.fake_quant just before it. FileCheck
requires --qnn-calibration-to-fake-quant to produce exactly the reference
type (the printed scale is the exact double of torch's f32 scale).

Usage: /usr/bin/python3 test/golden/generate_calibration.py
"""

import os

import numpy as np
import torch
from torch.ao.quantization import observer as obs

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "Dialect", "QNN", "qnn-calibration-to-fake-quant-observers.mlir")
RNG = np.random.default_rng(7)


def f64_list(t):
    return "[" + ", ".join(repr(float(v)) for v in t.flatten().tolist()) + "]"


def storage(dtype, qmin, qmax):
    base = "i8" if dtype == torch.qint8 else "u8"
    full = (-128, 127) if dtype == torch.qint8 else (0, 255)
    if (qmin, qmax) == full:
        return base
    return f"{base}<{qmin}:{qmax}>"


def case(name, observer, batches, *, symmetric, storage_attr, flags="",
         method="min_max", extra="", axis=None, shape=(2, 8)):
    for b in batches:
        observer(torch.from_numpy(b))
    scale, zp = observer.calculate_qparams()
    scale, zp = scale.flatten().tolist(), zp.flatten().tolist()
    st = storage(observer.dtype, observer.quant_min, observer.quant_max)
    if axis is None:
        qtype = f"!quant.uniform<{st}:f32, {scale[0]!r}:{zp[0]}>"
    else:
        params = ", ".join(f"{s!r}:{z}" for s, z in zip(scale, zp))
        qtype = f"!quant.uniform<{st}:f32:{axis}, {{{params}}}>"
    ty = "tensor<" + "x".join(map(str, shape)) + "xf32>"
    stats = f"min = {f64_list(observer.min_val)} max = {f64_list(observer.max_val)}"
    if method in ("mse",):
        stats += f" histogram = {f64_list(observer.histogram)}"
    attrs = (" symmetric" if symmetric else "") + flags + extra
    if axis is not None:
        attrs += f" axis = {axis}"
    return f"""
// -----

// CHECK-LABEL: func.func @{name}
// CHECK: qnn.fake_quant %[[X:.*]] to [[TYPE:!quant.uniform<.*>]] : {ty}
// CHECK-NEXT: qnn.fake_quant %[[X]] to [[TYPE]] : {ty}
func.func @{name}(%x: {ty}) -> ({ty}, {ty}) {{
  %ref = qnn.fake_quant %x to {qtype} : {ty}
  %0 = qnn.calibrate %x {method} to {storage_attr}{attrs} {stats} : {ty}
  return %ref, %0 : {ty}, {ty}
}}
"""


def trt_entropy_threshold(hist, amax, nbins):
    """TensorRT's entropy calibration as NVIDIA's pytorch-quantization
    implements it (_compute_amax_entropy, stride 1, start bin 128), without
    its bins[0] = bins[1] adjustment: the last minimum of KL(P || Q)."""
    bins = np.asarray(hist, dtype=np.float64)
    edges = np.linspace(0, amax, len(bins) + 1)
    best, best_i = np.inf, len(bins)
    for i in range(min(128, len(bins)), len(bins) + 1):
        space = np.linspace(0, i, num=nbins + 1)
        digitized = np.digitize(range(i), space) - 1
        digitized[bins[:i] == 0] = -1
        counts = np.zeros(nbins)
        for j, d in enumerate(digitized):
            if d != -1:
                counts[d] += bins[j]
        members = np.bincount(digitized[digitized != -1], minlength=nbins)
        q = np.array([counts[d] / members[d] if d != -1 else 0.0
                      for d in digitized])
        p = bins[:i].copy()
        p[-1] += bins[i:].sum()
        p, q = p / p.sum(), q / q.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(p > 0, p * np.log(p / q), 0.0).sum()
        if np.isnan(kl):
            kl = np.inf
        if kl <= best:
            best, best_i = kl, i
    return float(edges[best_i])


def entropy_case(name, samples):
    samples = samples.astype(np.float32)
    lo, hi = float(samples.min()), float(samples.max())
    amax = max(-lo, hi)
    hist, _ = np.histogram(np.abs(samples), bins=512, range=(0.0, amax))
    t = trt_entropy_threshold(hist, amax, 128)
    clip_lo, clip_hi = np.float32(max(lo, -t)), np.float32(min(hi, t))
    # torch's _calculate_qparams, symmetric i8, in f32.
    a = max(-min(clip_lo, np.float32(0)), max(clip_hi, np.float32(0)))
    scale = max(np.float32(a) / np.float32(127.5), np.finfo(np.float32).eps)
    ty = "tensor<4xf32>"
    hist_text = "[" + ", ".join(repr(float(c)) for c in hist) + "]"
    return f"""
// -----

// Entropy: TensorRT's threshold from an independent implementation.
// CHECK-LABEL: func.func @{name}
// CHECK: qnn.fake_quant %[[X:.*]] to [[TYPE:!quant.uniform<.*>]] : {ty}
// CHECK-NEXT: qnn.fake_quant %[[X]] to [[TYPE]] : {ty}
func.func @{name}(%x: {ty}) -> ({ty}, {ty}) {{
  %ref = qnn.fake_quant %x to !quant.uniform<i8:f32, {float(np.float32(scale))!r}> : {ty}
  %0 = qnn.calibrate %x entropy to i8 symmetric min = [{lo!r}] max = [{hi!r}] histogram = {hist_text} : {ty}
  return %ref, %0 : {ty}, {ty}
}}
"""


def batches(n=3, shape=(2, 8), lo=-3.0, hi=5.0):
    return [RNG.uniform(lo, hi, shape).astype(np.float32) for _ in range(n)]


def main():
    text = ["""// RUN: quant-opt %s --qnn-calibration-to-fake-quant -split-input-file | FileCheck %s
//
// Generated by test/golden/generate_calibration.py; do not edit.
// Scales and zero points of torch.ao.quantization observers (PyTorch 1.13),
// and of an independent implementation of TensorRT's entropy calibration:
// each case puts the reference result in a qnn.fake_quant and requires the
// folded qnn.calibrate to produce exactly the same type.
"""]
    per_tensor = torch.per_tensor_affine
    sym = torch.per_tensor_symmetric
    text.append(case("min_max_u8_affine",
                     obs.MinMaxObserver(dtype=torch.quint8, qscheme=per_tensor),
                     batches(), symmetric=False, storage_attr="ui8"))
    text.append(case("min_max_i8_symmetric",
                     obs.MinMaxObserver(dtype=torch.qint8, qscheme=sym),
                     batches(), symmetric=True, storage_attr="i8"))
    text.append(case("min_max_u8_symmetric",
                     obs.MinMaxObserver(dtype=torch.quint8, qscheme=sym),
                     batches(), symmetric=True, storage_attr="ui8"))
    text.append(case("min_max_i8_affine_positive_range",
                     obs.MinMaxObserver(dtype=torch.qint8, qscheme=per_tensor),
                     batches(lo=0.5, hi=6.0), symmetric=False,
                     storage_attr="i8"))
    text.append(case("min_max_u8_reduce_range",
                     obs.MinMaxObserver(dtype=torch.quint8, qscheme=per_tensor,
                                        reduce_range=True),
                     batches(), symmetric=False, storage_attr="ui8",
                     flags=" reduce_range"))
    text.append(case("min_max_i8_reduce_range_symmetric",
                     obs.MinMaxObserver(dtype=torch.qint8, qscheme=sym,
                                        reduce_range=True),
                     batches(), symmetric=True, storage_attr="i8",
                     flags=" reduce_range"))
    text.append(case("min_max_i8_narrow_symmetric",
                     obs.MinMaxObserver(dtype=torch.qint8, qscheme=sym,
                                        quant_min=-127, quant_max=127),
                     batches(), symmetric=True, storage_attr="i8",
                     flags=" narrow_range"))
    text.append(case("min_max_all_zero",
                     obs.MinMaxObserver(dtype=torch.quint8, qscheme=per_tensor),
                     [np.zeros((2, 8), np.float32)], symmetric=False,
                     storage_attr="ui8"))
    text.append(case("moving_average_u8",
                     obs.MovingAverageMinMaxObserver(dtype=torch.quint8,
                                                     averaging_constant=0.01),
                     batches(5), symmetric=False, storage_attr="ui8",
                     method="moving_average",
                     extra=" averaging_constant = 1.000000e-02"))
    text.append(case("per_channel_i8_symmetric",
                     obs.PerChannelMinMaxObserver(
                         ch_axis=1, dtype=torch.qint8,
                         qscheme=torch.per_channel_symmetric),
                     batches(shape=(3, 4)), symmetric=True,
                     storage_attr="i8", axis=1, shape=(3, 4)))
    text.append(case("per_channel_u8_affine",
                     obs.PerChannelMinMaxObserver(
                         ch_axis=0, dtype=torch.quint8,
                         qscheme=torch.per_channel_affine),
                     batches(shape=(3, 4)), symmetric=False,
                     storage_attr="ui8", axis=0, shape=(3, 4)))
    text.append(case("histogram_mse_u8",
                     obs.HistogramObserver(dtype=torch.quint8),
                     [np.concatenate([RNG.normal(0, 1, 2000),
                                      [12.0, -9.0]]).astype(np.float32)
                      .reshape(1, -1)],
                     symmetric=False, storage_attr="ui8", method="mse",
                     shape=(1, 2002)))
    text.append(case("histogram_mse_i8_symmetric",
                     obs.HistogramObserver(dtype=torch.qint8, qscheme=sym),
                     [RNG.laplace(0, 1, 3000).astype(np.float32)
                      .reshape(1, -1)],
                     symmetric=True, storage_attr="i8", method="mse",
                     shape=(1, 3000)))
    text.append(entropy_case(
        "entropy_laplace_with_outliers",
        np.concatenate([RNG.laplace(0, 0.5, 20000), [9.0, -7.5, 8.2]])))
    text.append(entropy_case("entropy_gaussian",
                             RNG.normal(0.3, 1.0, 20000)))
    with open(OUT, "w") as f:
        f.write("".join(text))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
