#!/usr/bin/env python3
"""Compile time and peak memory of --qnn-compile against the size of a model.

Generates functions of N element-wise quantization ops in three shapes (a
chain of quant.qcast/quant.dcast pairs; the same chain with a qnn.binarize
every ten pairs, whose mean-abs scale is a reduction; N/2 pairs that each
read the argument, summed by a chain of arith.addf), compiles each with
`quant-opt --qnn-compile` and records wall seconds and peak RSS. The zoo of
test/Integration/Zoo, and ResNet-50 when torch is importable, are compiled
with --qnn-quantize --qnn-compile too. Writes compile-time.{json,md,png}.

    python3 benchmarks/compile_time.py --build build --out docs
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TYPE = "tensor<16xf32>"


def qtype(i):
    return f"tensor<16x!quant.uniform<i8:f32, 0.05:{i % 7}>>"


def chain(ops, binarize_every=0):
    lines = [f"func.func @chain(%x: {TYPE}) -> {TYPE} {{"]
    value, count, i = "%x", 0, 0
    while count < ops:
        lines.append(f"  %q{i} = quant.qcast {value} : {TYPE} to {qtype(i)}")
        lines.append(f"  %d{i} = quant.dcast %q{i} : {qtype(i)} to {TYPE}")
        value, count = f"%d{i}", count + 2
        if binarize_every and i % binarize_every == binarize_every - 1:
            lines.append(f"  %b{i} = qnn.binarize {value} scale<mean_abs> : {TYPE}")
            value, count = f"%b{i}", count + 1
        i += 1
    lines += [f"  return {value} : {TYPE}", "}"]
    return "\n".join(lines)


def fanout(ops):
    lines = [f"func.func @fanout(%x: {TYPE}) -> {TYPE} {{"]
    total, count, i = None, 0, 0
    while count < ops:
        lines.append(f"  %q{i} = quant.qcast %x : {TYPE} to {qtype(i)}")
        lines.append(f"  %d{i} = quant.dcast %q{i} : {qtype(i)} to {TYPE}")
        count += 2
        if total is None:
            total = f"%d{i}"
        else:
            lines.append(f"  %s{i} = arith.addf {total}, %d{i} : {TYPE}")
            total, count = f"%s{i}", count + 1
        i += 1
    lines += [f"  return {total} : {TYPE}", "}"]
    return "\n".join(lines)


def measure(quant_opt, path, passes):
    """Wall seconds and peak RSS (MB) of one quant-opt run."""
    out = path.with_suffix(".out")
    cmd = ["/usr/bin/time", "-f", "%e %M", quant_opt, str(path), *passes,
           "-o", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"compile-time: {path.name} failed:\n{run.stderr[-2000:]}")
    seconds, kb = run.stderr.strip().splitlines()[-1].split()
    out.unlink()
    return float(seconds), int(kb) / 1024


def run_rss(build, path, directory):
    """Peak RSS (MB) of the zoo module's @main compiled ahead of time and
    linked as the program's main (it prints through MLIR's runner
    utilities, whose libraries count too)."""
    obj = directory / (path.stem + ".o")
    exe = directory / path.stem
    llvm_lib = "/usr/lib/llvm-22/lib"
    subprocess.run([os.path.join(build, "bin", "quant-compile"), str(path),
                    "--passes=qnn-quantize", "-o", str(obj)], check=True,
                   capture_output=True)
    subprocess.run(["/usr/lib/llvm-22/bin/clang", str(obj), f"-L{llvm_lib}",
                    f"-Wl,-rpath,{llvm_lib}", "-lmlir_c_runner_utils",
                    "-lmlir_runner_utils", "-lm", "-o", str(exe)], check=True)
    run = subprocess.run(["/usr/bin/time", "-f", "%M", str(exe)],
                         capture_output=True, text=True)
    return int(run.stderr.strip().splitlines()[-1]) / 1024


def run_rss_above_baseline(build, path, directory):
    """run_rss of `path` minus that of an empty @main linked the same way
    (MLIR's runner libraries alone take about 80 MB)."""
    empty = directory / "empty_main.mlir"
    empty.write_text("func.func @main() {\n  return\n}\n")
    return run_rss(build, path, directory) - run_rss(build, empty, directory)


def resnet50(directory):
    """ResNet-50 in the QDQ spelling of the model benchmark, or None."""
    sys.path[:0] = [str(ROOT / "benchmarks/models"), str(ROOT / "test/golden")]
    try:
        import bench_models
        import zoo_export
    except ImportError:
        return None
    _, nodes, x = bench_models.quantize("resnet50", "onednn")
    lines, _ = zoo_export.QDQExporter("nhwc").function(
        "resnet50", nodes, tuple(x.shape))
    path = directory / "resnet50.mlir"
    path.write_text("\n".join(lines))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--sizes", default="100,300,1000,3000,6300,10000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    quant_opt = os.path.join(args.build, "bin", "quant-opt")
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = {
        "qcast/dcast chain": lambda n: chain(n),
        "chain + binarize / 10 pairs": lambda n: chain(n, 10),
        "fan-out + sum": fanout,
    }
    results = {"scaling": {}, "models": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # Rounds over every shape and size, so that the machine's drift
        # (it shares its cores) hits all sizes alike; medians per point.
        files = {}
        for index, (name, make) in enumerate(shapes.items()):
            for n in sizes:
                files[name, n] = tmp / f"shape{index}_{n}.mlir"
                files[name, n].write_text(make(n))
        runs = {key: [] for key in files}
        for _ in range(args.repeats):
            for key, path in files.items():
                runs[key].append(measure(quant_opt, path, ["--qnn-compile"]))
        for name in shapes:
            rows = []
            for n in sizes:
                seconds = sorted(r[0] for r in runs[name, n])[args.repeats // 2]
                rss = max(r[1] for r in runs[name, n])
                rows.append({"ops": n, "seconds": seconds, "rss_mb": rss})
                print(f"{name:30s} {n:6d} ops {seconds:7.2f} s "
                      f"{1e3 * seconds / n:6.3f} ms/op {rss:7.0f} MB",
                      flush=True)
            results["scaling"][name] = rows
        models = sorted((ROOT / "test/Integration/Zoo").glob("*.mlir"))
        resnet = resnet50(tmp)
        if resnet:
            models.append(resnet)
        for path in models:
            runs = [measure(quant_opt, path, ["--qnn-quantize", "--qnn-compile"])
                    for _ in range(args.repeats)]
            seconds = sorted(r[0] for r in runs)[len(runs) // 2]
            rss = max(r[1] for r in runs)
            label = "ResNet-50 (model benchmark)" if path == resnet else \
                f"zoo/{path.stem}"
            entry = {"seconds": seconds, "rss_mb": rss,
                     "bytes": path.stat().st_size}
            if path != resnet:
                entry["run_rss_mb"] = run_rss_above_baseline(args.build,
                                                             path, tmp)
            results["models"][label] = entry
            print(f"{label:30s} {seconds:7.2f} s {rss:7.0f} MB "
                  f"run +{entry.get('run_rss_mb', 0):5.1f} MB", flush=True)
    render(results, pathlib.Path(args.out))


def render(results, out):
    (out / "benchmark-compile.json").write_text(
        json.dumps(results, indent=1) + "\n")
    md = ["# Compile time and memory",
          "",
          "`bash scripts/benchmark.sh --compile-time` (benchmarks/"
          "compile_time.py): `quant-opt --qnn-compile`, the median wall "
          "time of the rounds (each round compiles every size of every "
          "shape once) and the largest peak RSS, on a 2-core Xeon virtual "
          "machine whose speed drifts by up to 50% as it shares its cores. "
          "Each op of the scaling tables is one element-wise quantization "
          "op on `tensor<16xf32>`; 6,300 ops with a binarization every ten "
          "pairs is the 3,000 pairs and 300 `qnn.binarize` that took over "
          "120 s and 7 GB before.",
          ""]
    for name, rows in results["scaling"].items():
        md += [f"## {name}", "", "| ops | seconds | ms per op | peak RSS (MB) |",
               "|---|---|---|---|"]
        for r in rows:
            md.append(f"| {r['ops']} | {r['seconds']:.2f} | "
                      f"{1e3 * r['seconds'] / r['ops']:.3f} | "
                      f"{r['rss_mb']:.0f} |")
        md.append("")
    md += ["## Models", "",
           "Compiling with `quant-opt --qnn-quantize --qnn-compile`; running "
           "the zoo's `@main` (every spelling, both engines, with the "
           "comparisons against torch's codes) compiled by `quant-compile` "
           "and linked as the program: its peak RSS above that of an empty "
           "program linked the same way (MLIR's runner utility libraries, "
           "which print the results, take about 80 MB).", "",
           "| model | input (KB) | compile (s) | compile peak RSS (MB) | "
           "run peak RSS above empty (MB) |", "|---|---|---|---|---|"]
    for name, r in results["models"].items():
        run = f"{r['run_rss_mb']:.1f}" if "run_rss_mb" in r else "n/a"
        md.append(f"| {name} | {r['bytes'] / 1024:.0f} | {r['seconds']:.2f} | "
                  f"{r['rss_mb']:.0f} | {run} |")
    md += ["", "![compile time per op](benchmark-compile.png)", ""]
    (out / "benchmark-compile.md").write_text("\n".join(md))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("compile-time: matplotlib missing, no plot")
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for name, rows in results["scaling"].items():
        ops = [r["ops"] for r in rows]
        left.plot(ops, [1e3 * r["seconds"] / r["ops"] for r in rows], "o-",
                  label=name)
        right.plot(ops, [r["rss_mb"] for r in rows], "o-", label=name)
    for axis, label in ((left, "ms per op"), (right, "peak RSS (MB)")):
        axis.set_xscale("log")
        axis.set_xlabel("element-wise ops in one function")
        axis.set_ylabel(label)
        axis.grid(True, alpha=0.3)
    left.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    left.legend()
    fig.suptitle("quant-opt --qnn-compile: time per op and peak memory")
    fig.tight_layout()
    fig.savefig(out / "benchmark-compile.png", dpi=110)


if __name__ == "__main__":
    main()
