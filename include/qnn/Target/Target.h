//===- Target.h - Machines quant-mlir generates code for --------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The code generation targets of `--qnn-compile`, `--qnn-lower-int8-kernels`
// and `quant-compile`: their names, the LLVM triple, CPU and features each
// stands for, and the detection of the running machine (`host`).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TARGET_TARGET_H
#define QNN_TARGET_TARGET_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir {
namespace qnn {

enum class CompileTarget {
  /// The machine the compiler runs on, resolved to one of the others.
  Host,
  /// Portable scalar loops for any machine.
  Generic,
  /// x86-64 with AVX2 (x86-64-v3): `vpmaddwd` on 16-bit operands.
  X86_64_V3,
  /// x86-64 with AVX-512 VNNI (Cascade Lake and later): `vpdpbusd`.
  X86Avx512Vnni,
  /// AArch64 with Advanced SIMD only.
  AArch64,
  /// AArch64 with the dot product extension: `sdot`.
  AArch64Dotprod,
  /// AArch64 with the 8-bit matrix multiply extension: `smmla`.
  AArch64I8mm,
};

/// The target named `name` (the spelling of `target=`), if any.
std::optional<CompileTarget> parseCompileTarget(llvm::StringRef name);

/// The spelling of `target`.
llvm::StringRef stringifyCompileTarget(CompileTarget target);

/// The names accepted by parseCompileTarget, for diagnostics.
llvm::StringRef getCompileTargetNames();

/// `host` resolved to the most capable target the running CPU supports;
/// any other target unchanged.
CompileTarget resolveCompileTarget(CompileTarget target);

/// What LLVM needs to generate code for a (resolved) target.
struct LLVMTargetDescription {
  std::string triple;
  std::string cpu;
  std::string features;
};

/// The LLVM description of `target`; `host` describes the running machine
/// exactly (its CPU name and all its features).
LLVMTargetDescription getLLVMTargetDescription(CompileTarget target);

} // namespace qnn
} // namespace mlir

#endif // QNN_TARGET_TARGET_H
