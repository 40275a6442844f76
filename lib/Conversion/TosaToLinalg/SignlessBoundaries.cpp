//===- SignlessBoundaries.cpp - Signless function types after TOSA --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// TOSA types tensors of unsigned codes as ui8 (old TFLite uint8 models);
// upstream's lowering computes on signless i8 and leaves
// unrealized_conversion_casts at the function's boundary, which nothing
// after it can bufferize. The boundary becomes signless: the same bits.
//
//===----------------------------------------------------------------------===//

#include "LowerTosa.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qnn;

/// `type` with a signless element type if it is a tensor of signed or
/// unsigned integers; null otherwise.
static RankedTensorType getSignless(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  auto element =
      tensor ? dyn_cast<IntegerType>(tensor.getElementType()) : nullptr;
  if (!element || element.isSignless())
    return nullptr;
  return tensor.clone(IntegerType::get(type.getContext(), element.getWidth()));
}

/// The cast `op` if it only changes `from` into `to`.
static bool isSignCast(Operation *op, Type from, Type to) {
  auto cast = dyn_cast<UnrealizedConversionCastOp>(op);
  return cast && cast->getNumOperands() == 1 && cast->getNumResults() == 1 &&
         cast->getOperand(0).getType() == from &&
         cast->getResult(0).getType() == to;
}

/// Makes the arguments and results of `function` signless where only
/// sign casts read or produce them.
static void makeSignless(func::FuncOp function) {
  Block &entry = function.getBody().front();
  SmallVector<Type> inputs(function.getArgumentTypes());
  for (BlockArgument arg : entry.getArguments()) {
    RankedTensorType signless = getSignless(arg.getType());
    if (!signless || !llvm::all_of(arg.getUsers(), [&](Operation *user) {
          return isSignCast(user, arg.getType(), signless);
        }))
      continue;
    for (Operation *cast : llvm::make_early_inc_range(arg.getUsers())) {
      cast->getResult(0).replaceAllUsesWith(arg);
      cast->erase();
    }
    arg.setType(signless);
    inputs[arg.getArgNumber()] = signless;
  }
  SmallVector<Type> results(function.getResultTypes());
  function.walk([&](func::ReturnOp ret) {
    for (OpOperand &operand : ret->getOpOperands()) {
      Operation *def = operand.get().getDefiningOp();
      RankedTensorType signless = getSignless(operand.get().getType());
      if (!def || !signless ||
          !isSignCast(def, signless, operand.get().getType()))
        continue;
      operand.set(def->getOperand(0));
      results[operand.getOperandNumber()] = signless;
      if (def->use_empty())
        def->erase();
    }
  });
  function.setFunctionType(
      FunctionType::get(function.getContext(), inputs, results));
}

/// Folds the round trips i8 -> ui8 -> i8 the lowering leaves between two
/// lowered TOSA ops.
static void foldRoundTrips(ModuleOp module) {
  module.walk([](UnrealizedConversionCastOp cast) {
    if (cast->getNumOperands() != 1 || cast->getNumResults() != 1)
      return;
    auto inner =
        cast->getOperand(0).getDefiningOp<UnrealizedConversionCastOp>();
    if (!inner || inner->getNumOperands() != 1 ||
        inner->getOperand(0).getType() != cast->getResult(0).getType())
      return;
    cast->getResult(0).replaceAllUsesWith(inner->getOperand(0));
  });
  module.walk([](UnrealizedConversionCastOp cast) {
    if (cast->use_empty())
      cast->erase();
  });
}

LogicalResult qnn::makeBoundariesSignless(ModuleOp module) {
  foldRoundTrips(module);
  // A function called in the module keeps its type, which its calls use:
  // its sign casts are reported below.
  for (auto function : module.getOps<func::FuncOp>())
    if (!function.isExternal() && function.getBody().hasOneBlock() &&
        function.symbolKnownUseEmpty(module))
      makeSignless(function);
  WalkResult left =
      module.walk(
          [](UnrealizedConversionCastOp cast) {
            cast.emitOpError()
                << "is a change of integer signedness the TOSA lowering left "
                   "inside the function, which cannot be compiled";
            return WalkResult::interrupt();
          });
  return failure(left.wasInterrupted());
}
