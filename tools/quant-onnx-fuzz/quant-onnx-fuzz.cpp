//===- quant-onnx-fuzz.cpp - libFuzzer target of the ONNX importer --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Imports each input as a serialized ONNX model. Whatever the bytes, the
// importer must return a verified module or report an error: a crash, a
// sanitizer report or a hang is a finding. scripts/fuzz.sh runs it.
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/ONNX/ImportONNX.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

/// Inputs larger than this are skipped: the corpus' models are smaller.
static constexpr size_t kMaxInputSize = 1 << 20;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInputSize)
    return -1;
  StringRef bytes(reinterpret_cast<const char *>(data), size);
  return qnn::runWithLargeStack([&] {
    // The importer loads the dialects it writes.
    MLIRContext context(MLIRContext::Threading::DISABLED);
    // Errors are expected; only how the importer fails matters.
    ScopedDiagnosticHandler quiet(&context,
                                  [](Diagnostic &) { return success(); });
    (void)qnn::importONNXModel(bytes, "fuzz.onnx", &context);
    return 0;
  });
}
