//===- qnn-capi-test.c - A C program driving quant-mlir -------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Registers quant-mlir, parses a fake-quantized layer, quantizes and
// compiles it, checks the result is in the LLVM dialect and writes an
// object file (argv[1]) for x86-64-v3. Then shows the errors reach the
// caller: an unknown target and invalid pipeline options.
//
//===----------------------------------------------------------------------===//

#include "qnn-c/QNN.h"

#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"

#include <stdio.h>
#include <string.h>

static const char *kLayer =
    "func.func @layer(%x: tensor<4x8xf32>) -> tensor<4x2xi8> {\n"
    "  %q = quant.qcast %x : tensor<4x8xf32> to "
    "tensor<4x8x!quant.uniform<i8:f32, 0.1>>\n"
    "  %xd = quant.dcast %q : tensor<4x8x!quant.uniform<i8:f32, 0.1>> to "
    "tensor<4x8xf32>\n"
    "  %c = arith.constant dense<3> : tensor<8x2xi8>\n"
    "  %wq = quant.scast %c : tensor<8x2xi8> to "
    "tensor<8x2x!quant.uniform<i8:f32, 0.05>>\n"
    "  %w = quant.dcast %wq : tensor<8x2x!quant.uniform<i8:f32, 0.05>> to "
    "tensor<8x2xf32>\n"
    "  %zero = arith.constant 0.0 : f32\n"
    "  %e = tensor.empty() : tensor<4x2xf32>\n"
    "  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> "
    "tensor<4x2xf32>\n"
    "  %y = linalg.matmul ins(%xd, %w : tensor<4x8xf32>, tensor<8x2xf32>) "
    "outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>\n"
    "  %yq = quant.qcast %y : tensor<4x2xf32> to "
    "tensor<4x2x!quant.uniform<i8:f32, 0.01>>\n"
    "  %codes = quant.scast %yq : tensor<4x2x!quant.uniform<i8:f32, 0.01>> "
    "to tensor<4x2xi8>\n"
    "  return %codes : tensor<4x2xi8>\n"
    "}\n";

/// Counts the occurrences of "llvm.func" and of "linalg." in printed IR.
struct Counts {
  int llvmFuncs;
  int linalgOps;
};

static void countIR(MlirStringRef text, void *userData) {
  struct Counts *counts = (struct Counts *)userData;
  for (size_t i = 0; i + 9 <= text.length; ++i) {
    if (strncmp(text.data + i, "llvm.func", 9) == 0)
      ++counts->llvmFuncs;
    if (strncmp(text.data + i, "linalg.", 7) == 0)
      ++counts->linalgOps;
  }
}

static void printToStdout(MlirStringRef text, void *userData) {
  (void)userData;
  fwrite(text.data, 1, text.length, stdout);
}

/// Prints every diagnostic on stdout, so that the test checks them.
static MlirLogicalResult printDiagnostic(MlirDiagnostic diagnostic,
                                         void *userData) {
  (void)userData;
  printf("diagnostic: ");
  mlirDiagnosticPrint(diagnostic, printToStdout, NULL);
  printf("\n");
  return mlirLogicalResultSuccess();
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: qnn-capi-test <object file>\n");
    return 2;
  }
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  qnnRegisterAllDialects(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirContextLoadAllAvailableDialects(ctx);
  qnnRegisterAllPasses();
  mlirContextAttachDiagnosticHandler(ctx, printDiagnostic, NULL, NULL);

  MlirDialect qnn = mlirContextGetOrLoadDialect(
      ctx, mlirDialectHandleGetNamespace(mlirGetDialectHandle__qnn__()));
  printf("qnn dialect loaded: %d\n", !mlirDialectIsNull(qnn));

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kLayer));
  if (mlirModuleIsNull(module))
    return 1;
  MlirLogicalResult quantized =
      qnnRunQuantize(module, mlirStringRefCreateFromCString(""));
  printf("quantize: %d\n", mlirLogicalResultIsSuccess(quantized));
  MlirLogicalResult compiled =
      qnnRunCompile(module, mlirStringRefCreateFromCString("target=x86-64-v3"));
  printf("compile: %d\n", mlirLogicalResultIsSuccess(compiled));

  struct Counts counts = {0, 0};
  mlirOperationPrint(mlirModuleGetOperation(module), countIR, &counts);
  printf("llvm.func: %d, linalg ops left: %d\n", counts.llvmFuncs > 0,
         counts.linalgOps);

  MlirLogicalResult emitted =
      qnnEmitObjectFile(module, mlirStringRefCreateFromCString("x86-64-v3"),
                        mlirStringRefCreateFromCString(argv[1]));
  printf("object: %d\n", mlirLogicalResultIsSuccess(emitted));

  // Errors reach the caller as diagnostics and failed results.
  MlirLogicalResult badTarget =
      qnnEmitObjectFile(module, mlirStringRefCreateFromCString("z80"),
                        mlirStringRefCreateFromCString(argv[1]));
  printf("unknown target: %d\n", mlirLogicalResultIsFailure(badTarget));
  MlirModule other =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kLayer));
  MlirLogicalResult badOptions =
      qnnRunCompile(other, mlirStringRefCreateFromCString("colour=red"));
  printf("invalid options: %d\n", mlirLogicalResultIsFailure(badOptions));
  MlirModule notONNX =
      qnnImportONNX(ctx, mlirStringRefCreateFromCString("not a model"),
                    mlirStringRefCreateFromCString("bytes.onnx"));
  printf("not an ONNX model: %d\n", mlirModuleIsNull(notONNX));

  mlirModuleDestroy(other);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return 0;
}
