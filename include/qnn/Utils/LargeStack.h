//===- LargeStack.h - Run a tool on a thread with a large stack -*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// MLIR's parser, verifier and walks recurse once per level of nested
// regions: on the main thread's 8 MiB stack, 5,000 nested scf.if
// overflowed it. The tools run on a thread whose stack is reserved, not
// committed, up front (docs/Limits.md gives the depth tested).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UTILS_LARGESTACK_H
#define QNN_UTILS_LARGESTACK_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/thread.h"

#include <optional>

namespace mlir::qnn {

/// The stack of the tools' thread: 1 GiB of address space.
inline constexpr unsigned kToolStackBytes = 1u << 30;

/// Runs `main` on a thread with a kToolStackBytes stack and returns its
/// result.
inline int runWithLargeStack(llvm::function_ref<int()> main) {
  int result = 1;
  llvm::thread worker(std::optional<unsigned>(kToolStackBytes),
                      [&] { result = main(); });
  worker.join();
  return result;
}

} // namespace mlir::qnn

#endif // QNN_UTILS_LARGESTACK_H
