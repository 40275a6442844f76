# -*- Python -*-
# lit configuration of the quant-mlir regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT_OPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quant_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))

# The sanitizer options of a sanitizer build (.ci/run, scripts/test.sh).
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()

# Variables are scoped to a CHECK-LABEL block, and every prefix must be used,
# as in upstream MLIR's own test suite.
config.environment["FILECHECK_OPTS"] = (
    "-enable-var-scope --allow-unused-prefixes=false"
)

config.excludes = ["CMakeLists.txt", "README.txt", "LICENSE.txt",
                   "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.quant_tools_dir, append_path=True)

tool_dirs = [config.quant_tools_dir, config.llvm_tools_dir]
tools = ["quant-opt", "quant-calibrate", "quant-compile", "quant-translate", "quant-report", "qnn-capi-test", "llvm-nm", "mlir-opt", "mlir-runner", "mlir-translate"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The fuzzer target exists in a coverage build only (scripts/fuzz.sh, the
# sanitizer suite of .ci/run); test/Fuzz runs it on inputs it must skip.
if os.path.exists(os.path.join(config.quant_tools_dir, "quant-fuzz")):
    config.available_features.add("quant-fuzz")
    llvm_config.add_tool_substitutions(["quant-fuzz"], tool_dirs)

# Execution tests run compiled modules with mlir-runner and the runner
# utility libraries of the installed MLIR; test/Integration requires them.
runner_libs = [
    os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so"),
    os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so"),
]
runner = os.path.join(config.llvm_tools_dir, "mlir-runner")
if os.path.exists(runner) and all(os.path.exists(lib) for lib in runner_libs):
    config.available_features.add("mlir-runner")
# Execution tests run the code optimized as users get it (-O3 exposes
# undefined behaviour that unoptimized code hides).
config.substitutions.append(
    ("%mlir_runner_libs", "-O3 -shared-libs=" + ",".join(runner_libs)))

# Instruction sets of the machine running the tests, for execution tests of
# the vectorized kernels (features named like the targets).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu_flags = set()
        for line in cpuinfo:
            if line.startswith("flags"):
                cpu_flags.update(line.split(":", 1)[1].split())
except OSError:
    cpu_flags = set()
if {"avx2", "fma"} <= cpu_flags:
    config.available_features.add("x86-64-v3")
if {"avx512bw", "avx512_vnni"} <= cpu_flags:
    config.available_features.add("x86-avx512-vnni")

# Cross compilation to AArch64 and running the binaries under QEMU (`-cpu
# max` has the dot product and int8 matrix extensions), and a host C
# compiler for ahead-of-time compiled code.
import shutil

aarch64_cc = shutil.which("aarch64-linux-gnu-gcc")
qemu_aarch64 = shutil.which("qemu-aarch64")
if aarch64_cc and qemu_aarch64 and os.path.isdir("/usr/aarch64-linux-gnu"):
    config.available_features.add("aarch64-cross")
config.substitutions.append(("%aarch64_cc", str(aarch64_cc)))
config.substitutions.append(
    ("%qemu_aarch64", f"{qemu_aarch64} -cpu max -L /usr/aarch64-linux-gnu"))
config.substitutions.append(
    ("%host_cc", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(
    ("%examples", os.path.join(os.path.dirname(config.test_source_root),
                               "examples")))

# ONNX's own backend node tests (Debian's libonnx-testdata), which the ONNX
# importer's tests run.
onnx_node_tests = "/usr/share/libonnx-testdata/data/node"
if os.path.isdir(onnx_node_tests):
    config.available_features.add("onnx-testdata")
config.substitutions.append(("%onnx_node_tests", onnx_node_tests))
