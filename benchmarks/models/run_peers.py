"""Times the peers that come from PyPI on one model, single thread, and
prints one JSON object: ONNX Runtime on the ONNX QDQ file (and writes
its optimized graph, whose fused ops the caller counts) and IREE on the
integer linalg form of the model.

Run with the Python that has `onnxruntime`, `iree-base-compiler` and
`iree-base-runtime` (pip); the build and the tests never need them.

IREE compiles into WORK_DIR once and reuses the module on later calls.

Usage: run_peers.py NAME ONNX_FILE LINALG_FILE INPUT_SHAPE WORK_DIR REPEATS
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np


def time_ort(onnx_path, shape, work, repeats):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    optimized = os.path.join(work, "ort_optimized.onnx")
    options.optimized_model_filepath = optimized
    start = time.perf_counter()
    session = ort.InferenceSession(onnx_path, options,
                                   providers=["CPUExecutionProvider"])
    compile_s = time.perf_counter() - start
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    feed = {session.get_inputs()[0].name: x}
    for _ in range(3):
        session.run(None, feed)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.run(None, feed)
        times.append(time.perf_counter() - start)
    return {"ms": 1e3 * statistics.median(times), "compile_s": compile_s,
            "optimized": optimized, "version": ort.__version__}


def time_iree(name, linalg_path, shape, work, repeats):
    import iree.compiler as ireec
    vmfb = os.path.join(work, f"{name}.vmfb")
    timing = os.path.join(work, "iree_compile_s")
    if not os.path.exists(vmfb):
        # Compiled once, on the first round.
        start = time.perf_counter()
        ireec.compile_file(
            linalg_path, output_file=vmfb, target_backends=["llvm-cpu"],
            extra_args=["--iree-llvmcpu-target-cpu=host"])
        with open(timing, "w") as f:
            f.write(str(time.perf_counter() - start))
    with open(timing) as f:
        compile_s = float(f.read())
    dims = "x".join(str(d) for d in shape)
    out = subprocess.run(
        ["iree-benchmark-module", f"--module={vmfb}", "--device=local-sync",
         f"--function={name}", f"--input={dims}xf32=0.5",
         f"--benchmark_repetitions={max(3, repeats // 4)}",
         "--benchmark_min_time=0.5s"],
        check=True, capture_output=True, text=True).stdout
    medians = re.findall(r"_median\s+([0-9.]+) ms", out)
    if not medians:
        raise RuntimeError("no median in iree-benchmark-module output:\n" +
                           out)
    return {"ms": float(medians[0]), "compile_s": compile_s,
            "version": ireec.version.VERSION
            if hasattr(ireec, "version") else "?"}


def nhwc(shape):
    """The shape our MLIR takes: NHWC for images."""
    if len(shape) == 4:
        return [shape[0], shape[2], shape[3], shape[1]]
    return shape


def main():
    name, onnx_path, linalg_path, shape, work, repeats = sys.argv[1:7]
    shape = [int(d) for d in shape.split("x")]
    repeats = int(repeats)
    result = {}
    for peer, run in [
            ("ort", lambda: time_ort(onnx_path, shape, work, repeats)),
            ("iree", lambda: time_iree(name, linalg_path,
                                       nhwc(shape), work, repeats))]:
        try:
            result[peer] = run()
        except Exception as error:  # a peer that fails is reported, not fatal
            result[peer] = {"error": str(error)[-2000:]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
