#!/usr/bin/python3
"""qnn-bench-models: whole quantized networks, single thread, against
PyTorch (onednn, qnnpack), ONNX Runtime and IREE in one run.

For each network of bench_models.py (full-size ResNet-50 and MobileNetV2
on one 224x224 image, one BERT-base encoder layer on 128 tokens):

  1. PyTorch 1.13 eager post-training quantization, once per engine, and
     the median forward time of each (torch.set_num_threads(1));
  2. the qnnpack-quantized network written as QDQ MLIR (NHWC spelling of
     test/golden/zoo_export.py; images NHWC), compiled by quant-compile
     --passes=qnn-quantize (wall time = compile time) and run by a C
     driver; its output codes are compared with torch's;
  3. the same network as an ONNX QDQ graph (onnx_qdq.py), timed in ONNX
     Runtime, whose optimized graph is checked for fused QLinear ops;
  4. its integer linalg form (--qnn-quantize --convert-quant-to-linalg
     --convert-qnn-to-linalg), compiled by IREE for llvm-cpu with the
     host's CPU and timed by iree-benchmark-module on local-sync.

Writes docs/benchmark-models.md, .png and .json (the results, which
--render JSON renders again).

Usage: /usr/bin/python3 benchmarks/models/qnn_bench_models.py
         [--build build] [--models resnet50,mobilenetv2] [--repeats 20]
         [--peer-python python3] [--out docs]
"""

import argparse
import collections
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "test", "golden"))
sys.path.insert(0, HERE)
import bench_models  # noqa: E402
import onnx_qdq  # noqa: E402
import zoo_export  # noqa: E402

DRIVER = r"""
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int repeats = atoi(argv[3]);
  float *input = malloc(sizeof(float) * INPUT_SIZE);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(input, sizeof(float), INPUT_SIZE, f) != INPUT_SIZE)
    return 1;
  fclose(f);
  INPUT_MEMREF x = {input, input, 0, {INPUT_SHAPE}, {INPUT_STRIDES}};
  struct qnn_memref_int8_2d y;
  double *times = malloc(sizeof(double) * repeats);
  for (int i = -3; i < repeats; ++i) {
    double start = now();
    ENTRY(&y, &x);
    double elapsed = now() - start;
    if (i >= 0)
      times[i] = elapsed;
    if (i + 1 < repeats)
      free(y.allocated);
  }
  qsort(times, repeats, sizeof(double), compare);
  printf("%.6f\n", 1e3 * times[repeats / 2]);
  f = fopen(argv[2], "wb");
  fwrite(y.aligned + y.offset, 1, y.sizes[0] * y.sizes[1], f);
  fclose(f);
  return 0;
}
"""


def median_ms(fn, repeats):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def quantize_torch(name):
    """Per engine: the quantized model, its output codes, nodes and
    input."""
    torch.set_num_threads(1)
    result = {}
    for engine in ["onednn", "qnnpack"]:
        quantized, nodes, x = bench_models.quantize(name, engine)
        with torch.no_grad():
            codes = run_codes(quantized, x)
        result[engine] = {"model": quantized, "codes": codes, "nodes": nodes,
                          "x": x}
    return result


def time_torch(model, x, engine, repeats):
    torch.backends.quantized.engine = engine
    with torch.no_grad():
        return median_ms(lambda: model(x), repeats)


def run_codes(quantized, x):
    captured = {}
    handle = quantized.dequant.register_forward_hook(
        lambda m, inputs, out: captured.update(q=inputs[0]))
    quantized(x)
    handle.remove()
    return captured["q"].int_repr().numpy().astype(np.int64)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          **kwargs)


def compile_ours(name, nodes, x, build, work):
    exporter = zoo_export.QDQExporter("nhwc")
    lines, out_shape = exporter.function(name, nodes, tuple(x.shape))
    mlir = os.path.join(work, f"{name}.mlir")
    with open(mlir, "w") as f:
        f.write("\n".join(lines))
    obj, header = os.path.join(work, f"{name}.o"), os.path.join(work,
                                                               "model.h")
    start = time.perf_counter()
    run([os.path.join(build, "bin", "quant-compile"), mlir,
         "--passes=qnn-quantize", "--target=host", "-o", obj,
         f"--header={header}"])
    compile_s = time.perf_counter() - start
    # The MLIR takes NHWC images; other inputs as they are.
    data = x.numpy()
    if data.ndim == 4:
        data = data.transpose(0, 2, 3, 1)
    data = np.ascontiguousarray(data).astype(np.float32)
    strides = [int(np.prod(data.shape[i + 1:])) for i in range(data.ndim)]
    driver = os.path.join(work, "driver.c")
    with open(driver, "w") as f:
        f.write(DRIVER)
    exe = os.path.join(work, f"bench_{name}")
    run(["clang-22", "-O2", driver, obj, "-o", exe, "-lm",
         f"-DENTRY=_mlir_ciface_{name}", f"-DINPUT_SIZE={x.numel()}",
         f"-DINPUT_MEMREF=struct qnn_memref_float_{data.ndim}d",
         f"-DINPUT_SHAPE={','.join(map(str, data.shape))}",
         f"-DINPUT_STRIDES={','.join(map(str, strides))}", f"-I{work}"])
    nhwc = os.path.join(work, "input.f32")
    data.tofile(nhwc)
    codes_path = os.path.join(work, "codes.u8")
    run([exe, nhwc, codes_path, "1"])
    codes = np.fromfile(codes_path, np.uint8).astype(np.int64)
    return {"compile_s": compile_s, "codes": codes, "mlir": mlir,
            "out_shape": out_shape, "run": [exe, nhwc, codes_path]}


def time_ours(ours, repeats):
    return float(run(ours["run"] + [str(repeats)]).stdout)


def linalg_form(build, mlir, work, name):
    out = os.path.join(work, f"{name}.linalg.mlir")
    run([os.path.join(build, "bin", "quant-opt"), mlir, "--qnn-quantize",
         "--convert-quant-to-linalg", "--convert-qnn-to-linalg",
         "--convert-elementwise-to-linalg", "-o", out])
    return out


def fused_ops(path):
    import onnx
    counts = collections.Counter(n.op_type for n in onnx.load(path).graph.node)
    return dict(counts)


def bench_model(name, args):
    """Compiles the model for every peer once, then times the peers in
    turn for `args.rounds` rounds (so that the machine's drift hits them
    alike) and keeps each peer's median over the rounds."""
    work = tempfile.mkdtemp(prefix=f"qnn-bench-{name}-")
    torch_models = quantize_torch(name)
    ref = torch_models["qnnpack"]
    ours = compile_ours(name, ref["nodes"], ref["x"], args.build, work)
    diff = np.abs(ours["codes"] - ref["codes"].reshape(-1))
    onnx_path = os.path.join(work, f"{name}.onnx")
    onnx_qdq.to_onnx(ref["nodes"], tuple(ref["x"].shape), ours["out_shape"],
                     onnx_path)
    linalg = linalg_form(args.build, ours["mlir"], work, name)
    shape = "x".join(str(d) for d in ref["x"].shape)
    times = collections.defaultdict(list)
    peers = {}
    for _ in range(args.rounds):
        for engine in ["onednn", "qnnpack"]:
            model = torch_models[engine]
            times[f"torch_{engine}"].append(
                time_torch(model["model"], model["x"], engine, args.repeats))
        times["ours"].append(time_ours(ours, args.repeats))
        peers = json.loads(run([args.peer_python,
                                os.path.join(HERE, "run_peers.py"), name,
                                onnx_path, linalg, shape, work,
                                str(args.repeats)]).stdout)
        for key in ("ort", "iree", "litert"):
            if "ms" in peers.get(key, {}):
                times[key].append(peers[key]["ms"])
    if "optimized" in peers.get("ort", {}):
        # The fused ops, not the temporary file they were read from.
        peers["ort"]["ops"] = fused_ops(peers["ort"].pop("optimized"))

    def summary(key):
        values = times[key]
        return {"ms": statistics.median(values), "rounds": values} \
            if values else {}

    result = {
        "name": name,
        "ours": dict(summary("ours"), compile_s=ours["compile_s"]),
        "torch_onednn": summary("torch_onednn"),
        "torch_qnnpack": summary("torch_qnnpack"),
        "codes_max_diff": int(diff.max()),
        "codes_within_1": float((diff <= 1).mean()),
        "argmax_equal": bool(np.argmax(ours["codes"]) ==
                             np.argmax(ref["codes"])),
    }
    for key in ("ort", "iree", "litert"):
        result[key] = dict(peers.get(key, {}), **summary(key))
    return result


PEERS = [("torch_onednn", "PyTorch onednn"),
         ("torch_qnnpack", "PyTorch qnnpack"),
         ("ort", "ONNX Runtime"), ("iree", "IREE"),
         ("litert", "LiteRT, Keras twin")]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def render(results, out_dir):
    lines = ["# Whole-model benchmark", "",
             "Generated by `benchmarks/models/qnn_bench_models.py` "
             "(`bash scripts/benchmark.sh --models`); do not edit.", "",
             f"Machine: {cpu_name()}, one thread, "
             f"{time.strftime('%Y-%m-%d')}. Every peer is timed in turn, "
             f"{len(results[0]['ours']['rounds'])} rounds; each time is the "
             "median over the rounds of the median of its forward passes "
             "in the round. Speedup = peer time / quant-mlir time (above "
             "1: quant-mlir is faster). Each cell gives the median and the "
             "best round, and the speedups of both. This shared 2-core "
             "machine drifts by up to 1.9x between rounds (PyTorch onednn "
             "on ResNet-50: 19.6 to 38.5 ms), which the rounds spread over "
             "every peer alike; the best round is the least disturbed, and "
             "ratios within about 20% of 1 are ties.",
             "",
             "| model | quant-mlir ms | compile s | " +
             " | ".join(f"{label} ms (speedup)" for _, label in PEERS) +
             " | codes vs torch |",
             "|---" * (4 + len(PEERS)) + "|"]
    def best(peer):
        return min(peer.get("rounds") or [peer["ms"]])

    for r in results:
        cells = [r["name"], f"{r['ours']['ms']:.2f} / {best(r['ours']):.2f}",
                 f"{r['ours']['compile_s']:.1f}"]
        for key, _ in PEERS:
            peer = r.get(key) or {}
            if "ms" in peer:
                cells.append(f"{peer['ms']:.2f} / {best(peer):.2f} "
                             f"({peer['ms'] / r['ours']['ms']:.2f}x / "
                             f"{best(peer) / best(r['ours']):.2f}x)")
            elif "no Keras model" in peer.get("error", ""):
                cells.append("n/a")
            else:
                cells.append("failed")
        cells.append(f"max diff {r['codes_max_diff']}, "
                     f"{100 * r['codes_within_1']:.1f}% within 1, argmax "
                     f"{'equal' if r['argmax_equal'] else 'differs'}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Peer compile times (s): " + ", ".join(
        f"{r['name']}: ONNX Runtime session "
        f"{(r.get('ort') or {}).get('compile_s', float('nan')):.1f}, IREE "
        f"{(r.get('iree') or {}).get('compile_s', float('nan')):.1f}, "
        "TFLite converter " + (
            f"{r['litert']['compile_s']:.1f}"
            if "compile_s" in (r.get("litert") or {}) else "n/a")
        for r in results) + ".", "",
        "LiteRT runs the Keras twin of the network (Keras' ResNet-50, v1, "
        "and MobileNetV2 with random weights, converted to int8 with the "
        "TFLite converter), with its default XNNPACK delegate: the same "
        "architecture and work, not the same weights. ResNeXt-50 and the "
        "BERT layer have no Keras twin.", ""]
    for r in results:
        ops = (r.get("ort") or {}).get("ops")
        if ops:
            fused = {k: v for k, v in ops.items() if k.startswith("QLinear")
                     or k.startswith("QGemm")}
            lines.append(f"ONNX Runtime's optimized {r['name']} graph: "
                         + ", ".join(f"{v} {k}" for k, v in
                                     sorted(fused.items())) +
                         f" ({sum(ops.values())} nodes in all).")
        for key in ("ort", "iree", "litert"):
            if (r.get(key) or {}).get("error") and not (
                    key == "litert" and "no Keras model" in r[key]["error"]):
                lines.append(f"{key} failed on {r['name']}: "
                             f"`{r[key]['error'][-300:]}`")
    with open(os.path.join(out_dir, "benchmark-models.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, "benchmark-models.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    plot(results, os.path.join(out_dir, "benchmark-models.png"))


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width = 0.8 / len(PEERS)
    for i, (key, label) in enumerate(PEERS):
        ratios = [(r.get(key) or {}).get("ms", 0) / r["ours"]["ms"]
                  for r in results]
        ax.bar([j + i * width for j in range(len(results))], ratios, width,
               label=label)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    for i, (key, _) in enumerate(PEERS):
        for j, r in enumerate(results):
            ratio = (r.get(key) or {}).get("ms", 0) / r["ours"]["ms"]
            if ratio:
                ax.text(j + i * width, ratio * 1.05, f"{ratio:.2g}",
                        ha="center", fontsize=7)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(results))])
    ax.set_xticklabels([r["name"] for r in results])
    ax.set_ylabel("peer time / quant-mlir time (log)")
    ax.set_title("Whole models, one thread (above 1: quant-mlir faster)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--models",
                        default="resnet50,resnext50,mobilenetv2,bert_layer")
    parser.add_argument("--repeats", type=int, default=20,
                        help="forward passes per peer and round")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of every peer in turn")
    parser.add_argument("--peer-python", default="python3")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"))
    parser.add_argument("--render", metavar="JSON",
                        help="only render the results of an earlier run")
    args = parser.parse_args()
    if args.render:
        with open(args.render) as f:
            render(json.load(f), args.out)
        return
    results = []
    for name in args.models.split(","):
        print(f"qnn-bench-models: {name}", file=sys.stderr)
        results.append(bench_model(name, args))
        print(json.dumps(results[-1], default=str), file=sys.stderr)
    render(results, args.out)


if __name__ == "__main__":
    main()
