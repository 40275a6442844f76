/*===- QNN.h - C API of quant-mlir ------------------------------*- C -*-===*\
|*                                                                          *|
|* Part of the quant-mlir project, under the Apache License v2.0 with LLVM  *|
|* Exceptions. See https://llvm.org/LICENSE.txt for license information.    *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                  *|
|*                                                                          *|
|*===----------------------------------------------------------------------===*|
|*                                                                          *|
|* The C API of quant-mlir, in the style of MLIR's own (mlir-c/IR.h):       *|
|* register the qnn dialect, its passes and pipelines; quantize and compile *|
|* a module; emit an object file for a target; import an ONNX model.        *|
|*                                                                          *|
\*===----------------------------------------------------------------------===*/

#ifndef QNN_C_QNN_H
#define QNN_C_QNN_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The `qnn` dialect: `mlirGetDialectHandle__qnn__()`.
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(QNN, qnn);

/// Adds the qnn dialects and the upstream dialects (with the interfaces
/// their transformations need) that quant-mlir's pipelines use.
MLIR_CAPI_EXPORTED void qnnRegisterAllDialects(MlirDialectRegistry registry);

/// Registers quant-mlir's passes and pipelines (`--qnn-quantize`,
/// `--qnn-compile`, ...), for textual pass pipelines.
MLIR_CAPI_EXPORTED void qnnRegisterAllPasses(void);

/// Runs `--qnn-quantize` on `module` with `options` in the pipeline's
/// syntax (e.g. "dynamic=true"; empty for the defaults). Diagnostics go to
/// the context's handlers.
MLIR_CAPI_EXPORTED MlirLogicalResult qnnRunQuantize(MlirModule module,
                                                    MlirStringRef options);

/// Runs `--qnn-compile` on `module` (e.g. "target=x86-avx512-vnni
/// summary=true"), then checks that the module is in the LLVM dialect.
MLIR_CAPI_EXPORTED MlirLogicalResult qnnRunCompile(MlirModule module,
                                                   MlirStringRef options);

/// Writes the compiled `module` (in the LLVM dialect) as an object file for
/// `target` (a `--qnn-compile` target name: host, x86-avx512-vnni,
/// x86-avx512-bitalg, x86-64-v3, aarch64, aarch64-dotprod, aarch64-i8mm,
/// generic) to `path`.
MLIR_CAPI_EXPORTED MlirLogicalResult qnnEmitObjectFile(MlirModule module,
                                                       MlirStringRef target,
                                                       MlirStringRef path);

/// Imports the serialized ONNX model `bytes` (read from `fileName`, for
/// locations); a null module on failure, with the error reported to the
/// context's handlers.
MLIR_CAPI_EXPORTED MlirModule qnnImportONNX(MlirContext context,
                                            MlirStringRef bytes,
                                            MlirStringRef fileName);

#ifdef __cplusplus
}
#endif

#endif // QNN_C_QNN_H
