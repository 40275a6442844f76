//===- OutlineLoopNests.cpp - Each loop nest in a function of its own -----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// LLVM's loop passes are superlinear in the size of a function, so a whole
// network in one function compiles in minutes. Every top-level loop nest
// of a large function moves into a private function of its own, called in
// its place and never inlined back.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUOUTLINELOOPNESTSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Whether `op` is a loop nest to outline: a top-level operation with no
/// results (bufferized loops write memory) that is or holds a loop or a
/// linalg op. A conditional deallocation stays where it is.
static bool isLoopNest(Operation &op) {
  if (op.getNumRegions() == 0 || op.getNumResults() != 0 ||
      op.hasTrait<OpTrait::IsTerminator>())
    return false;
  WalkResult found = op.walk([](Operation *nested) {
    return isa<LoopLikeOpInterface, linalg::LinalgOp>(nested)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

/// Clones into `region` the constants and global addresses it reads from
/// above, so that the outlined function still sees its loop bounds and
/// buffers as constants rather than as arguments.
static void sinkConstants(RewriterBase &rewriter, Region &region) {
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(region, captured);
  Block &entry = region.front();
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumResults() != 1 ||
        !(matchPattern(def, m_Constant()) || isa<memref::GetGlobalOp>(def)))
      continue;
    rewriter.setInsertionPointToStart(&entry);
    Value copy = rewriter.clone(*def)->getResult(0);
    rewriter.replaceUsesWithIf(value, copy, [&](OpOperand &use) {
      return region.isAncestor(use.getOwner()->getParentRegion());
    });
  }
}

/// Moves `nest` into a private function named after `base`, called in its
/// place.
static LogicalResult outline(Operation *nest, SymbolTable &symbols,
                             StringRef base) {
  IRRewriter rewriter(nest->getContext());
  Location loc = nest->getLoc();
  rewriter.setInsertionPoint(nest);
  auto region = scf::ExecuteRegionOp::create(rewriter, loc, TypeRange{});
  Block *body = rewriter.createBlock(&region.getRegion());
  rewriter.setInsertionPointToEnd(body);
  auto yield = scf::YieldOp::create(rewriter, loc);
  nest->moveBefore(yield);
  sinkConstants(rewriter, region.getRegion());
  func::CallOp call;
  FailureOr<func::FuncOp> callee =
      outlineSingleBlockRegion(rewriter, loc, region.getRegion(), base, &call);
  if (failed(callee))
    return failure();
  // The symbol table renames on collision; the call follows.
  symbols.insert(*callee);
  call.setCallee(callee->getSymName());
  callee->setPrivate();
  (*callee)->setAttr("passthrough", rewriter.getArrayAttr(
                                        {rewriter.getStringAttr("noinline")}));
  call->moveBefore(region);
  rewriter.eraseOp(region);
  return success();
}

namespace {
struct QNNCPUOutlineLoopNestsPass
    : cpu::impl::QNNCPUOutlineLoopNestsPassBase<QNNCPUOutlineLoopNestsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || !function.getBody().hasOneBlock())
        continue;
      SmallVector<Operation *> nests;
      for (Operation &op : function.getBody().front())
        if (isLoopNest(op))
          nests.push_back(&op);
      if (nests.size() <= minLoopNests)
        continue;
      std::string base = ("__qnn_loops_" + function.getSymName()).str();
      for (Operation *nest : nests)
        if (failed(outline(nest, symbols, base)))
          return signalPassFailure();
      // The constants only the nests read are dead in the caller now.
      for (Operation &op : llvm::make_early_inc_range(
               llvm::reverse(function.getBody().front())))
        if (isOpTriviallyDead(&op))
          op.erase();
    }
  }
};
} // namespace
