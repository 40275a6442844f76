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
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

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

/// Whether the constant `op` defines is part of a nest's structure (an
/// index: a loop bound, an offset; a vector) rather than data that differs
/// between layers of the same shape (weights, scales, zero points).
static bool isStructuralConstant(Operation *op) {
  if (!matchPattern(op, m_Constant()) || op->getNumResults() != 1)
    return false;
  Type type = op->getResult(0).getType();
  return type.isIndex() || isa<VectorType>(type);
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

/// Whether `op` only reads or writes the elements of the buffers it takes,
/// so that their type decides no other type.
static bool isAccess(Operation *op) {
  return isa<memref::LoadOp, memref::StoreOp, vector::LoadOp, vector::StoreOp,
             vector::MaskedLoadOp, vector::MaskedStoreOp,
             vector::TransferReadOp, vector::TransferWriteOp, linalg::LinalgOp>(
      op);
}

/// `type` with a dynamic offset when it is a strided layout with a static
/// one; null otherwise. The slices of one tensor at different offsets (the
/// groups of a grouped convolution) then have the same type, and their
/// nests the same body.
static MemRefType getDynamicOffsetType(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  auto layout =
      memref ? dyn_cast<StridedLayoutAttr>(memref.getLayout()) : nullptr;
  if (!layout || ShapedType::isDynamic(layout.getOffset()))
    return {};
  return MemRefType::get(memref.getShape(), memref.getElementType(),
                         StridedLayoutAttr::get(type.getContext(),
                                                ShapedType::kDynamic,
                                                layout.getStrides()),
                         memref.getMemorySpace());
}

namespace {
/// What a nest reads from above.
struct Captured {
  /// The values it takes as arguments, in the order of first use, each
  /// with whether the nest only accesses its elements.
  llvm::MapVector<Value, bool> arguments;
  /// The uses of arguments, with their argument numbers.
  SmallVector<std::pair<OpOperand *, unsigned>> uses;
  /// The uses of index and vector constants, cloned into the function so
  /// that it still sees its loop bounds as constants. Weights, scales and
  /// zero points stay arguments: nests of layers with the same shapes then
  /// have the same body and share one function.
  SmallVector<OpOperand *> constantUses;
};
} // namespace

/// What `nest` reads from above, in one walk: a constant such as %c0 has
/// thousands of uses in a network's function, most in other nests, so no
/// use list of a captured value is ever scanned.
static Captured capture(Operation *nest) {
  Captured captured;
  nest->walk([&](Operation *op) {
    for (OpOperand &operand : op->getOpOperands()) {
      Value value = operand.get();
      if (nest->isAncestor(value.getParentRegion()->getParentOp()))
        continue;
      Operation *def = value.getDefiningOp();
      if (def && isStructuralConstant(def)) {
        captured.constantUses.push_back(&operand);
        continue;
      }
      auto [it, inserted] = captured.arguments.insert({value, true});
      it->second &= isAccess(op);
      captured.uses.push_back(
          {&operand, static_cast<unsigned>(it - captured.arguments.begin())});
    }
  });
  return captured;
}

/// Moves `nest` into a private function named after `base`, called in its
/// place; returns the function.
static func::FuncOp outline(Operation *nest, SymbolTable &symbols,
                            StringRef base) {
  Captured captured = capture(nest);
  Location loc = nest->getLoc();
  OpBuilder b(nest);
  SmallVector<Value> operands;
  SmallVector<Type> types;
  for (auto [value, accessesOnly] : captured.arguments) {
    MemRefType dynamic = getDynamicOffsetType(value.getType());
    if (!accessesOnly || !dynamic) {
      operands.push_back(value);
      types.push_back(value.getType());
      continue;
    }
    operands.push_back(
        memref::CastOp::create(b, value.getLoc(), dynamic, value));
    types.push_back(dynamic);
  }

  auto caller = nest->getParentOfType<func::FuncOp>();
  b.setInsertionPoint(caller);
  auto callee =
      func::FuncOp::create(b, loc, base, b.getFunctionType(types, {}));
  // The symbol table renames on collision; the call follows.
  symbols.insert(callee);
  callee.setPrivate();
  callee->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *entry = callee.addEntryBlock();
  b.setInsertionPoint(nest);
  auto call = func::CallOp::create(b, loc, callee, operands);

  b.setInsertionPointToStart(entry);
  llvm::DenseMap<Value, Value> copies;
  for (OpOperand *use : captured.constantUses) {
    Value &copy = copies[use->get()];
    if (!copy)
      copy = b.clone(*use->get().getDefiningOp())->getResult(0);
    use->set(copy);
  }
  for (auto [use, number] : captured.uses)
    use->set(entry->getArgument(number));
  nest->moveBefore(entry, entry->end());
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, loc);

  SmallVector<int64_t> noalias = getNoAliasPointers(call, symbols);
  if (!noalias.empty())
    callee->setAttr(QNNCPUDialect::getNoAliasPointersAttrName(),
                    b.getDenseI64ArrayAttr(noalias));
  return callee;
}

/// Whether `lhs` and `rhs` compute the same: the same type, attributes but
/// for the name, and equivalent bodies.
static bool isSameFunction(func::FuncOp lhs, func::FuncOp rhs) {
  if (lhs.getFunctionType() != rhs.getFunctionType())
    return false;
  StringRef noalias = QNNCPUDialect::getNoAliasPointersAttrName();
  if (lhs->getAttr(noalias) != rhs->getAttr(noalias))
    return false;
  return OperationEquivalence::isRegionEquivalentTo(
      &lhs.getBody(), &rhs.getBody(), OperationEquivalence::IgnoreLocations);
}

/// Calls one function for each set of equivalent `functions` (the nests
/// of layers with the same shapes) and erases the others.
static void shareEquivalentFunctions(ArrayRef<func::FuncOp> functions,
                                     ModuleOp module, SymbolTable &symbols) {
  // Buckets by type and size; equivalence is checked within a bucket.
  llvm::MapVector<std::pair<Type, int64_t>, SmallVector<func::FuncOp>> buckets;
  for (func::FuncOp function : functions) {
    int64_t size = 0;
    function.walk([&](Operation *) { ++size; });
    buckets[{function.getFunctionType(), size}].push_back(function);
  }
  llvm::DenseMap<StringAttr, StringAttr> replacement;
  for (auto &[key, candidates] : buckets) {
    SmallVector<func::FuncOp> kept;
    for (func::FuncOp function : candidates) {
      auto same = llvm::find_if(kept, [&](func::FuncOp other) {
        return isSameFunction(other, function);
      });
      if (same == kept.end()) {
        kept.push_back(function);
        continue;
      }
      replacement[function.getSymNameAttr()] = same->getSymNameAttr();
    }
  }
  if (replacement.empty())
    return;
  module.walk([&](func::CallOp call) {
    auto it = replacement.find(call.getCalleeAttr().getAttr());
    if (it != replacement.end())
      call.setCallee(it->second.getValue());
  });
  for (func::FuncOp function : functions)
    if (replacement.count(function.getSymNameAttr())) {
      symbols.erase(function);
    }
}

namespace {
struct QNNCPUOutlineLoopNestsPass
    : cpu::impl::QNNCPUOutlineLoopNestsPassBase<QNNCPUOutlineLoopNestsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    SmallVector<func::FuncOp> outlined;
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
      for (Operation *nest : nests) {
        outlined.push_back(outline(nest, symbols, base));
      }
      // The constants only the nests read are dead in the caller now.
      for (Operation &op : llvm::make_early_inc_range(
               llvm::reverse(function.getBody().front())))
        if (isOpTriviallyDead(&op))
          op.erase();
    }
    shareEquivalentFunctions(outlined, module, symbols);
  }
};
} // namespace
