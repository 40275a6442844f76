//===- Target.cpp - Machines quant-mlir generates code for ----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Target/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::qnn;

std::optional<CompileTarget> qnn::parseCompileTarget(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CompileTarget>>(name)
      .Case("host", CompileTarget::Host)
      .Case("generic", CompileTarget::Generic)
      .Case("x86-64-v3", CompileTarget::X86_64_V3)
      .Case("x86-avx512-vnni", CompileTarget::X86Avx512Vnni)
      .Case("aarch64", CompileTarget::AArch64)
      .Case("aarch64-dotprod", CompileTarget::AArch64Dotprod)
      .Case("aarch64-i8mm", CompileTarget::AArch64I8mm)
      .Default(std::nullopt);
}

llvm::StringRef qnn::stringifyCompileTarget(CompileTarget target) {
  switch (target) {
  case CompileTarget::Host:
    return "host";
  case CompileTarget::Generic:
    return "generic";
  case CompileTarget::X86_64_V3:
    return "x86-64-v3";
  case CompileTarget::X86Avx512Vnni:
    return "x86-avx512-vnni";
  case CompileTarget::AArch64:
    return "aarch64";
  case CompileTarget::AArch64Dotprod:
    return "aarch64-dotprod";
  case CompileTarget::AArch64I8mm:
    return "aarch64-i8mm";
  }
  llvm_unreachable("unknown compile target");
}

llvm::StringRef qnn::getCompileTargetNames() {
  return "host, generic, x86-64-v3, x86-avx512-vnni, aarch64, "
         "aarch64-dotprod, aarch64-i8mm";
}

CompileTarget qnn::resolveCompileTarget(CompileTarget target) {
  if (target != CompileTarget::Host)
    return target;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef name) { return features.lookup(name); };
  if (triple.isX86_64()) {
    if (has("avx512vnni") && has("avx512bw"))
      return CompileTarget::X86Avx512Vnni;
    if (has("avx2") && has("fma"))
      return CompileTarget::X86_64_V3;
  }
  if (triple.isAArch64()) {
    if (has("i8mm"))
      return CompileTarget::AArch64I8mm;
    if (has("dotprod"))
      return CompileTarget::AArch64Dotprod;
    return CompileTarget::AArch64;
  }
  return CompileTarget::Generic;
}

LLVMTargetDescription qnn::getLLVMTargetDescription(CompileTarget target) {
  switch (target) {
  case CompileTarget::Host: {
    llvm::SubtargetFeatures features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.getKey(), feature.getValue());
    return {llvm::sys::getProcessTriple(),
            llvm::sys::getHostCPUName().str(), features.getString()};
  }
  case CompileTarget::Generic:
    return {llvm::sys::getProcessTriple(), "generic", ""};
  case CompileTarget::X86_64_V3:
    return {"x86_64-unknown-linux-gnu", "x86-64-v3", ""};
  case CompileTarget::X86Avx512Vnni:
    return {"x86_64-unknown-linux-gnu", "cascadelake", ""};
  case CompileTarget::AArch64:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon"};
  case CompileTarget::AArch64Dotprod:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon,+dotprod"};
  case CompileTarget::AArch64I8mm:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon,+dotprod,+i8mm"};
  }
  llvm_unreachable("unknown compile target");
}
