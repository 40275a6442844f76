//===- quant-opt.cpp - The quant-mlir optimizer driver --------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// An mlir-opt for quant-mlir: the QNN dialect, its passes and the upstream
// dialects and passes that quantized models are compiled with.
//
//===----------------------------------------------------------------------===//

#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::qnn::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::qnn::registerAllDialects(registry);

  return mlir::qnn::runWithLargeStack([&] {
    return mlir::asMainReturnCode(mlir::MlirOptMain(
        argc, argv, "quant-mlir optimizer driver\n", registry));
  });
}
