//===- TargetOption.h - Target names on the command line --------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The command-line parser of `qnn::cpu::Target`, shared by every pass and
// pipeline option and by quant-compile's --target: the names are the ODS
// enum's, and a bad name gets one error message everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CPU_IR_TARGETOPTION_H
#define QNN_CODEGEN_CPU_IR_TARGETOPTION_H

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include "llvm/Support/CommandLine.h"

namespace llvm::cl {

/// Parses a target by its name (`symbolizeTarget`).
template <>
class parser<mlir::qnn::cpu::Target>
    : public basic_parser<mlir::qnn::cpu::Target> {
public:
  parser(Option &option) : basic_parser(option) {}

  /// Sets `value` to the target named `arg`; reports an error naming every
  /// target otherwise.
  bool parse(Option &option, StringRef argName, StringRef arg,
             mlir::qnn::cpu::Target &value);

  StringRef getValueName() const override { return "target"; }

  void printOptionDiff(const Option &option, mlir::qnn::cpu::Target value,
                       const OptionValue<mlir::qnn::cpu::Target> &defaultValue,
                       size_t globalWidth) const;

  /// Prints the name of `value` (pass pipelines print their options).
  static void print(raw_ostream &os, const mlir::qnn::cpu::Target &value);

  void anchor() override;
};

} // namespace llvm::cl

#endif // QNN_CODEGEN_CPU_IR_TARGETOPTION_H
