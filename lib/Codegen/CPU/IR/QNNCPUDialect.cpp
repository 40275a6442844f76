//===- QNNCPUDialect.cpp - CPU code generation dialect --------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.cpp.inc"

#include "qnn/Codegen/CPU/IR/QNNCPUEnums.cpp.inc"

/// A target name, as a string (or, without dashes, a keyword).
static ParseResult parseTargetName(AsmParser &parser, Target &value) {
  std::string name;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeywordOrString(&name))
    return failure();
  std::optional<Target> target = symbolizeTarget(name);
  if (!target)
    return parser.emitError(loc) << "unknown target '" << name
                                 << "'; expected one of " << getTargetNames();
  value = *target;
  return success();
}

static void printTargetName(AsmPrinter &printer, Target value) {
  printer.printString(stringifyTarget(value));
}

#define GET_ATTRDEF_CLASSES
#include "qnn/Codegen/CPU/IR/QNNCPUAttrs.cpp.inc"

void QNNCPUDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnn/Codegen/CPU/IR/QNNCPUAttrs.cpp.inc"
      >();
}

LogicalResult QNNCPUDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  if (attr.getName() == getNoAliasPointersAttrName()) {
    auto positions = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!isa<FunctionOpInterface>(op) || !positions ||
        llvm::any_of(positions.asArrayRef(), [](int64_t p) { return p < 0; }))
      return op->emitError()
             << "'" << getNoAliasPointersAttrName()
             << "' must be an array of argument positions on a function";
    return success();
  }
  if (attr.getName() != getTargetAttrName())
    return op->emitError() << "unknown attribute '" << attr.getName().getValue()
                           << "' of the qnn_cpu dialect";
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << getTargetAttrName()
                           << "' is only valid on a module";
  if (!isa<TargetAttr>(attr.getValue()))
    return op->emitError() << "'" << getTargetAttrName()
                           << "' must be a #qnn_cpu.target, got "
                           << attr.getValue();
  return success();
}

std::string cpu::getTargetNames() {
  std::string names;
  for (uint32_t i = 0; i <= getMaxEnumValForTarget(); ++i) {
    if (std::optional<Target> target = symbolizeTarget(i)) {
      if (!names.empty())
        names += ", ";
      names += stringifyTarget(*target).str();
    }
  }
  return names;
}

TargetAttr cpu::getTargetAttr(ModuleOp module) {
  return module->getAttrOfType<TargetAttr>(QNNCPUDialect::getTargetAttrName());
}

void cpu::setTargetAttr(ModuleOp module, Target target) {
  module->setAttr(QNNCPUDialect::getTargetAttrName(),
                  TargetAttr::get(module.getContext(), target));
}
