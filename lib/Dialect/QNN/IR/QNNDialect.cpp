//===- QNNDialect.cpp - QNN dialect ---------------------------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;

#include "qnn/Dialect/QNN/IR/QNNOpsDialect.cpp.inc"

#include "qnn/Dialect/QNN/IR/QNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"

void QNNDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"
      >();
}

/// Folded values of QNN operations are dense tensors; they materialize as
/// `arith.constant`.
LogicalResult QNNDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  if (attr.getName() == getDivideByScaleAttrName()) {
    if (!isa<ModuleOp>(op) || !isa<UnitAttr>(attr.getValue()))
      return op->emitError() << "'" << attr.getName().getValue()
                             << "' must be a unit attribute of a module";
    return success();
  }
  if (attr.getName() != getNotQuantizedAttrName())
    return op->emitError() << "unknown qnn attribute '"
                           << attr.getName().getValue() << "'";
  if (!isa<StringAttr>(attr.getValue()))
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' must be a string (the reason), got "
                           << attr.getValue();
  return success();
}

Operation *QNNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
