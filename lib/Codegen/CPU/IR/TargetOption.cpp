//===- TargetOption.cpp - Target names on the command line ----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/IR/TargetOption.h"

using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace llvm::cl {

bool parser<Target>::parse(Option &option, StringRef, StringRef arg,
                           Target &value) {
  if (std::optional<Target> target = symbolizeTarget(arg)) {
    value = *target;
    return false;
  }
  return option.error("unknown target '" + arg + "'; expected one of " +
                      getTargetNames());
}

void parser<Target>::printOptionDiff(const Option &option, Target value,
                                     const OptionValue<Target> &defaultValue,
                                     size_t globalWidth) const {
  printOptionName(option, globalWidth);
  outs() << "= " << stringifyTarget(value);
  if (defaultValue.hasValue())
    outs() << " (default: " << stringifyTarget(defaultValue.getValue()) << ")";
  outs() << "\n";
}

void parser<Target>::print(raw_ostream &os, const Target &value) {
  os << stringifyTarget(value);
}

void parser<Target>::anchor() {}

} // namespace llvm::cl
