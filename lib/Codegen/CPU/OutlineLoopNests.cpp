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

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"
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
#include "mlir/Interfaces/ViewLikeInterface.h"
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

/// Whether `op` is the address of a constant global (weights, tables).
static bool isConstantGlobal(Operation *op, SymbolTable &symbols) {
  auto get = dyn_cast<memref::GetGlobalOp>(op);
  auto global = get ? symbols.lookup<memref::GlobalOp>(get.getName()) : nullptr;
  return global && global.getConstant();
}

/// Clones into `region` the constants and constant globals' addresses it
/// reads from above, so that the outlined function still sees its loop bounds
/// and buffers as constants rather than as arguments.
static void sinkConstants(RewriterBase &rewriter, Region &region,
                          SymbolTable &symbols) {
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(region, captured);
  Block &entry = region.front();
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumResults() != 1 ||
        !(matchPattern(def, m_Constant()) || isConstantGlobal(def, symbols)))
      continue;
    rewriter.setInsertionPointToStart(&entry);
    Value copy = rewriter.clone(*def)->getResult(0);
    rewriter.replaceUsesWithIf(value, copy, [&](OpOperand &use) {
      return region.isAncestor(use.getOwner()->getParentRegion());
    });
  }
}

/// The buffer `value` is a view of: the allocation, global or argument at
/// the end of its chain of views; any other producer (a call, a select)
/// ends the chain at its result.
static Value getRootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      value = view.getViewSource();
    else if (auto transpose = dyn_cast<memref::TransposeOp>(def))
      value = transpose.getIn();
    else
      return value;
  }
  return value;
}

/// The positions, in the callee's LLVM signature, of the aligned pointers
/// of the buffers `call` passes that alias no other buffer it passes: each
/// is the only one on its root buffer, and at most one comes from outside
/// the caller (an argument or a writable global). None when a buffer comes
/// from anything but a view chain, an allocation or a global.
static SmallVector<int64_t> getNoAliasPointers(func::CallOp call,
                                               SymbolTable &symbols) {
  SmallVector<Value> roots;
  for (Value operand : call.getOperands())
    roots.push_back(isa<MemRefType>(operand.getType()) ? getRootBuffer(operand)
                                                       : Value());
  // A buffer some other operation made (a call may return any buffer,
  // one of the others included): nothing is known.
  if (llvm::any_of(roots, [](Value root) {
        Operation *def = root ? root.getDefiningOp() : nullptr;
        return def &&
               !isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(
                   def);
      }))
    return {};
  // Buffers from outside the caller: its arguments and writable globals,
  // which its own caller may have passed to it as arguments.
  auto isExternal = [&](Value root) {
    Operation *def = root.getDefiningOp();
    return !def ||
           (isa<memref::GetGlobalOp>(def) && !isConstantGlobal(def, symbols));
  };
  int64_t fromArguments = llvm::count_if(
      roots, [&](Value root) { return root && isExternal(root); });
  SmallVector<int64_t> positions;
  int64_t position = 0;
  for (auto [operand, root] : llvm::zip(call.getOperands(), roots)) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    bool unique = root && llvm::count(roots, root) == 1 &&
                  (!isExternal(root) || fromArguments == 1);
    if (unique)
      positions.push_back(position + 1);
    // A descriptor: allocated and aligned pointers, offset, sizes, strides.
    position += type ? 3 + 2 * type.getRank()
                : isa<UnrankedMemRefType>(operand.getType()) ? 2
                                                             : 1;
  }
  return positions;
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
  sinkConstants(rewriter, region.getRegion(), symbols);
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
  SmallVector<int64_t> noalias = getNoAliasPointers(call, symbols);
  if (!noalias.empty())
    (*callee)->setAttr(QNNCPUDialect::getNoAliasPointersAttrName(),
                       rewriter.getDenseI64ArrayAttr(noalias));
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
