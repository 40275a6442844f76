//===- FreeKnownBuffers.cpp - Settle deallocations in linear time ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Frees, with plain memref.dealloc, the entries of bufferization.dealloc
// whose buffer is a known allocation that no retained value comes from, so
// that upstream's quadratic simplification only sees what is left.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNFREEKNOWNBUFFERSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
/// Where a buffer comes from.
struct Origin {
  enum Kind {
    /// A memref.alloc of the function: `alloc` is its result.
    Allocation,
    /// An argument of the function or a global: no allocation of the
    /// function aliases it.
    External,
    /// Anything else: it may alias any buffer.
    Unknown,
  };
  Kind kind = Unknown;
  Value alloc;
};
} // namespace

/// The origin of `value` in `function`, through views.
static Origin getOrigin(Value value, func::FuncOp function) {
  while (true) {
    if (auto argument = dyn_cast<BlockArgument>(value)) {
      if (argument.getOwner() == &function.getBody().front())
        return {Origin::External, {}};
      return {};
    }
    Operation *op = value.getDefiningOp();
    if (isa<memref::AllocOp>(op))
      return {Origin::Allocation, value};
    if (isa<memref::GetGlobalOp>(op))
      return {Origin::External, {}};
    if (auto metadata = dyn_cast<memref::ExtractStridedMetadataOp>(op)) {
      value = metadata.getSource();
      continue;
    }
    if (auto view = dyn_cast<ViewLikeOpInterface>(op)) {
      value = view.getViewSource();
      continue;
    }
    return {};
  }
}

/// Whether `value` is the constant `expected`.
static bool isConstant(Value value, bool expected) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto attr = constant ? dyn_cast<BoolAttr>(constant.getValue()) : nullptr;
  return attr && attr.getValue() == expected;
}

/// Frees what `dealloc` can settle; leaves it unchanged when any of its
/// values has an unknown origin.
static void settle(bufferization::DeallocOp dealloc, func::FuncOp function) {
  llvm::DenseSet<Value> retained;
  for (Value value : dealloc.getRetained()) {
    Origin origin = getOrigin(value, function);
    if (origin.kind == Origin::Unknown)
      return;
    if (origin.kind == Origin::Allocation)
      retained.insert(origin.alloc);
  }

  // An allocation is freed here only if every entry of it is settled,
  // so that the remaining dealloc never frees it a second time.
  SmallVector<Origin> origins;
  llvm::DenseSet<Value> unsettled;
  for (auto [memref, condition] :
       llvm::zip_equal(dealloc.getMemrefs(), dealloc.getConditions())) {
    Origin origin = getOrigin(memref, function);
    if (origin.kind == Origin::Unknown)
      return;
    origins.push_back(origin);
    bool constant = isConstant(condition, true) || isConstant(condition, false);
    if (origin.kind == Origin::Allocation &&
        (retained.contains(origin.alloc) || !constant))
      unsettled.insert(origin.alloc);
  }

  llvm::SetVector<Value> freed;
  SmallVector<Value> memrefs, conditions;
  for (auto [origin, memref, condition] : llvm::zip_equal(
           origins, dealloc.getMemrefs(), dealloc.getConditions())) {
    bool settled = origin.kind == Origin::Allocation
                       ? !unsettled.contains(origin.alloc)
                       : isConstant(condition, false);
    if (!settled) {
      memrefs.push_back(memref);
      conditions.push_back(condition);
      continue;
    }
    if (origin.kind == Origin::Allocation && isConstant(condition, true))
      freed.insert(origin.alloc);
  }
  if (memrefs.size() == dealloc.getMemrefs().size())
    return;

  OpBuilder b(dealloc);
  Location loc = dealloc.getLoc();
  for (Value alloc : freed)
    memref::DeallocOp::create(b, loc, alloc);
  if (memrefs.empty()) {
    // No entry is left to alias a retained value: none is owned here.
    Value no = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
    for (Value result : dealloc.getUpdatedConditions())
      result.replaceAllUsesWith(no);
  } else {
    auto rest = bufferization::DeallocOp::create(b, loc, memrefs, conditions,
                                                 dealloc.getRetained());
    dealloc.replaceAllUsesWith(rest.getUpdatedConditions());
  }
  dealloc.erase();
}

namespace {
struct QNNFreeKnownBuffersPass
    : cpu::impl::QNNFreeKnownBuffersPassBase<QNNFreeKnownBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    SmallVector<bufferization::DeallocOp> deallocs;
    function.walk([&](bufferization::DeallocOp op) { deallocs.push_back(op); });
    for (bufferization::DeallocOp dealloc : deallocs)
      settle(dealloc, function);
  }
};
} // namespace
