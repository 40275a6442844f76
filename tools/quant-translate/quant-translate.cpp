//===- quant-translate.cpp - Translations into and out of quant-mlir ------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Imports models written by other frameworks as MLIR:
//
//   quant-translate --import-onnx model.onnx -o model.mlir
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/ONNX/ImportONNX.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::qnn::registerImportONNXTranslation();
  return mlir::qnn::runWithLargeStack([&] {
    return mlir::failed(mlir::mlirTranslateMain(
               argc, argv, "quant-mlir translation driver\n"))
               ? 1
               : 0;
  });
}
