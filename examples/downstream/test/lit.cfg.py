# lit configuration of the downstream example's tests.
import os

import lit.formats

config.name = "DOWNSTREAM"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir"]
config.test_source_root = config.downstream_src_root
config.test_exec_root = config.downstream_obj_root
config.environment["PATH"] = os.pathsep.join(
    [config.downstream_tools_dir, config.llvm_tools_dir,
     config.environment.get("PATH", "")])
runner_libs = [os.path.join(config.llvm_lib_dir, lib) for lib in
               ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so")]
config.substitutions.append(
    ("%mlir_runner_libs", "-shared-libs=" + ",".join(runner_libs)))
