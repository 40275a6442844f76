//===- TargetInfo.cpp - What each target stands for -----------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/IR/TargetInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

Target cpu::resolveTarget(Target target) {
  if (target != Target::host)
    return target;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef name) { return features.lookup(name); };
  if (triple.isX86_64()) {
    if (has("avx512vnni") && has("avx512bw") && has("avx512bitalg"))
      return Target::x86_avx512_bitalg;
    if (has("avx512vnni") && has("avx512bw"))
      return Target::x86_avx512_vnni;
    if (has("avx2") && has("fma"))
      return Target::x86_64_v3;
  }
  if (triple.isAArch64()) {
    if (has("i8mm"))
      return Target::aarch64_i8mm;
    if (has("dotprod"))
      return Target::aarch64_dotprod;
    return Target::aarch64;
  }
  return Target::generic;
}

LLVMTargetDescription cpu::getLLVMTargetDescription(Target target) {
  switch (target) {
  case Target::host: {
    llvm::SubtargetFeatures features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.getKey(), feature.getValue());
    return {llvm::sys::getProcessTriple(), llvm::sys::getHostCPUName().str(),
            features.getString()};
  }
  case Target::generic:
    return {llvm::sys::getProcessTriple(), "generic", ""};
  case Target::x86_64_v3:
    return {"x86_64-unknown-linux-gnu", "x86-64-v3", ""};
  case Target::x86_avx512_vnni:
    return {"x86_64-unknown-linux-gnu", "cascadelake", ""};
  case Target::x86_avx512_bitalg:
    return {"x86_64-unknown-linux-gnu", "icelake-server", ""};
  case Target::aarch64:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon"};
  case Target::aarch64_dotprod:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon,+dotprod"};
  case Target::aarch64_i8mm:
    return {"aarch64-unknown-linux-gnu", "generic", "+neon,+dotprod,+i8mm"};
  }
  llvm_unreachable("unknown target");
}

int64_t cpu::getVectorBits(Target target) {
  switch (target) {
  case Target::host:
  case Target::generic:
    return 0;
  case Target::x86_64_v3:
    return 256;
  case Target::x86_avx512_vnni:
  case Target::x86_avx512_bitalg:
    return 512;
  case Target::aarch64:
  case Target::aarch64_dotprod:
  case Target::aarch64_i8mm:
    return 128;
  }
  llvm_unreachable("unknown target");
}
