"""Times the peers that come from PyPI on one model, single thread, and
prints one JSON object: ONNX Runtime on the ONNX QDQ file (and writes
its optimized graph, whose fused ops the caller counts), IREE on the
integer linalg form of the model, and LiteRT (TFLite's interpreter, with
its default XNNPACK delegate) on the Keras twin of the network (Keras'
own ResNet-50 and MobileNetV2 with random weights, converted to int8 by
the TFLite converter with a representative set of random images: the same
architecture, not the same weights).

Run with the Python that has `onnxruntime`, `iree-base-compiler`,
`iree-base-runtime`, `tensorflow` and `ai-edge-litert` (pip); the build
and the tests never need them.

IREE and the TFLite converter work into WORK_DIR once; later calls reuse
their output.

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


def keras_twin(name, shape):
    """Keras' model of the same network, NHWC; None when it has none."""
    import keras
    if name == "resnet50":
        return keras.applications.ResNet50(
            weights=None, input_shape=(shape[2], shape[3], shape[1]))
    if name == "mobilenetv2":
        return keras.applications.MobileNetV2(
            weights=None, input_shape=(shape[2], shape[3], shape[1]))
    return None


def time_litert(name, shape, work, repeats):
    from ai_edge_litert.interpreter import Interpreter
    path = os.path.join(work, f"{name}.tflite")
    timing = os.path.join(work, "litert_convert_s")
    if not os.path.exists(path):
        model = keras_twin(name, shape)
        if model is None:
            raise RuntimeError("no Keras model of this network")
        import tensorflow as tf
        rng = np.random.default_rng(1)
        size = (1, shape[2], shape[3], shape[1])

        def representative():
            for _ in range(4):
                yield [rng.standard_normal(size).astype(np.float32)]
        start = time.perf_counter()
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        with open(path, "wb") as f:
            f.write(converter.convert())
        with open(timing, "w") as f:
            f.write(str(time.perf_counter() - start))
    with open(timing) as f:
        convert_s = float(f.read())
    interpreter = Interpreter(model_path=path, num_threads=1)
    interpreter.allocate_tensors()
    detail = interpreter.get_input_details()[0]
    x = np.random.default_rng(0).standard_normal(detail["shape"])
    interpreter.set_tensor(detail["index"], x.astype(detail["dtype"]))
    for _ in range(3):
        interpreter.invoke()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        interpreter.invoke()
        times.append(time.perf_counter() - start)
    import ai_edge_litert
    return {"ms": 1e3 * statistics.median(times), "compile_s": convert_s,
            "version": getattr(ai_edge_litert, "__version__", "?")}


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
    # Only the JSON goes to standard output: what the peers print (the
    # TFLite converter prints from C++) goes to standard error.
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    for peer, run in [
            ("ort", lambda: time_ort(onnx_path, shape, work, repeats)),
            ("iree", lambda: time_iree(name, linalg_path,
                                       nhwc(shape), work, repeats)),
            ("litert", lambda: time_litert(name, shape, work, repeats))]:
        try:
            result[peer] = run()
        except Exception as error:  # a peer that fails is reported, not fatal
            result[peer] = {"error": str(error)[-2000:]}
    sys.stdout.flush()
    os.dup2(saved_stdout, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
