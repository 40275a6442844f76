//===- my-opt.cpp - A downstream compiler's driver with quant-mlir --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A compiler built outside quant-mlir that links its installed libraries:
// the `qnn` dialect, its passes and the `--qnn-quantize` / `--qnn-compile`
// pipelines, next to whatever the compiler adds of its own.
//
//===----------------------------------------------------------------------===//

#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::qnn::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::qnn::registerAllDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "A downstream compiler using quant-mlir\n", registry));
}
