//===- PlanBuffers.cpp - A function's buffers in one arena ----------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Gives the statically shaped buffers of a function's body fixed offsets in
// one allocation per call, reusing memory between buffers whose lifetimes
// do not overlap (greedy, largest first).
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUPLANBUFFERSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
/// One buffer of the arena: its allocation, its deallocations, its
/// lifetime in top-level operation indices, and its place.
struct Buffer {
  memref::AllocOp alloc;
  SmallVector<memref::DeallocOp> deallocs;
  int64_t start = 0, end = 0;
  int64_t size = 0, alignment = 64, offset = 0;
};
} // namespace

/// Whether `type` can live in a byte arena.
static bool isPlannable(MemRefType type) {
  return type.hasStaticShape() && type.getLayout().isIdentity() &&
         !type.getMemorySpace() && type.getElementType().isIntOrFloat() &&
         type.getElementTypeBitWidth() % 8 == 0;
}

/// Fills the deallocations and the last use of `buffer` (the allocation
/// at `buffer.start`), following every buffer made from it; fails if it
/// escapes through a terminator.
static LogicalResult traceUses(Buffer &buffer, Block &body,
                               const DenseMap<Operation *, int64_t> &indices) {
  SmallVector<Value> worklist = {buffer.alloc.getResult()};
  buffer.end = buffer.start;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user->hasTrait<OpTrait::IsTerminator>())
        return failure();
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
        buffer.deallocs.push_back(dealloc);
        continue;
      }
      // Any buffer an operation makes from this one may alias it (views,
      // but also memref.transpose, extract_strided_metadata's base, or a
      // call that returns its argument): its uses extend the lifetime.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
      Operation *top = body.findAncestorOpInBlock(*user);
      if (!top)
        return failure();
      buffer.end = std::max(buffer.end, indices.lookup(top));
    }
  }
  return success();
}

/// Places `buffers` (largest first, each at the lowest offset free of the
/// buffers placed before it whose lifetimes overlap) and returns the size
/// of the arena.
static int64_t placeBuffers(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    order.push_back(&buffer);
  llvm::stable_sort(order,
                    [](Buffer *a, Buffer *b) { return a->size > b->size; });
  SmallVector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *buffer : order) {
    SmallVector<Buffer *> live;
    for (Buffer *other : placed)
      if (other->start <= buffer->end && buffer->start <= other->end)
        live.push_back(other);
    llvm::sort(live,
               [](Buffer *a, Buffer *b) { return a->offset < b->offset; });
    int64_t offset = 0;
    for (Buffer *other : live) {
      if (offset + buffer->size <= other->offset)
        break;
      offset = std::max(offset,
                        static_cast<int64_t>(llvm::alignTo(
                            other->offset + other->size, buffer->alignment)));
    }
    buffer->offset = offset;
    total = std::max(total, offset + buffer->size);
    placed.push_back(buffer);
  }
  return total;
}

namespace {
struct QNNCPUPlanBuffersPass
    : cpu::impl::QNNCPUPlanBuffersPassBase<QNNCPUPlanBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal() || !function.getBody().hasOneBlock())
      return;
    Block &body = function.getBody().front();
    DenseMap<Operation *, int64_t> indices;
    for (auto [index, op] : llvm::enumerate(body))
      indices[&op] = index;

    SmallVector<Buffer> buffers;
    for (auto alloc : body.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!isPlannable(type))
        continue;
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.start = indices[alloc];
      if (failed(traceUses(buffer, body, indices)))
        continue;
      buffer.size = std::max<int64_t>(
          1, type.getNumElements() * (type.getElementTypeBitWidth() / 8));
      buffer.alignment =
          std::max<int64_t>(64, alloc.getAlignment().value_or(0));
      buffers.push_back(std::move(buffer));
    }

    // Buffers nothing reads or writes only need their deallocations gone.
    SmallVector<Buffer> used;
    for (Buffer &buffer : buffers) {
      if (llvm::all_of(buffer.alloc->getUses(), [](OpOperand &use) {
            return isa<memref::DeallocOp>(use.getOwner());
          })) {
        for (memref::DeallocOp dealloc : buffer.deallocs)
          dealloc.erase();
        buffer.alloc.erase();
        continue;
      }
      used.push_back(std::move(buffer));
    }
    if (used.size() < 2)
      return;

    int64_t total = placeBuffers(used);
    OpBuilder b(&getContext());
    Location loc = function.getLoc();
    b.setInsertionPointToStart(&body);
    // Aligned as the most demanding buffer, whose offset is a multiple of
    // its alignment.
    int64_t alignment = 64;
    for (const Buffer &buffer : used)
      alignment = std::max(alignment, buffer.alignment);
    auto arenaType = MemRefType::get({total}, b.getI8Type());
    Value arena = memref::AllocOp::create(b, loc, arenaType,
                                          b.getI64IntegerAttr(alignment));
    for (Buffer &buffer : used) {
      b.setInsertionPoint(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(b, buffer.alloc.getLoc(),
                                                    buffer.offset);
      Value view = memref::ViewOp::create(b, buffer.alloc.getLoc(),
                                          buffer.alloc.getType(), arena, offset,
                                          ValueRange{});
      for (memref::DeallocOp dealloc : buffer.deallocs)
        dealloc.erase();
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    b.setInsertionPoint(body.getTerminator());
    memref::DeallocOp::create(b, loc, arena);
  }
};
} // namespace
