//===- KernelEpilogue.cpp - Element-wise consumers fused into kernels -----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelEpilogue.h"
#include "Microkernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The ancestor of `op` in `block`, or null.
static Operation *getAncestorIn(Block *block, Operation *op) {
  return block->findAncestorOpInBlock(*op);
}

/// The view of the accumulators `acc` (rows x channels) as the pixels of a
/// convolution: an expand_shape that splits only the rows, into sizes
/// known at compile time but for the first, read by one op alone. Null
/// otherwise.
static memref::ExpandShapeOp getPixelView(Operation *user, MemRefType accType) {
  auto expand = dyn_cast<memref::ExpandShapeOp>(user);
  if (!expand || accType.getRank() != 2 || !expand->hasOneUse())
    return {};
  MemRefType type = expand.getResultType();
  int64_t rank = type.getRank();
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  if (groups.size() != 2 || groups[1] != ReassociationIndices{rank - 1})
    return {};
  for (int64_t d = 1; d < rank; ++d)
    if (type.isDynamicDim(d))
      return {};
  return expand;
}

/// The buffer `value` is a view of (through view-like ops), or `value`.
static Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// Whether an op strictly between `from` and `to` (in their block), or
/// nested in one, may write a view of `root`. The kernel reads the
/// epilogue's inputs at the contraction, before such a write.
static bool isWrittenBetween(Value root, Operation *from, Operation *to) {
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    WalkResult result = op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        if (!isa<BaseMemRefType>(operand.getType()) ||
            getRootBuffer(operand) != root)
          continue;
        auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
        if (!effects || effects.getEffectOnValue<MemoryEffects::Write>(operand))
          return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return true;
  }
  return false;
}

std::optional<KernelEpilogue> KernelEpilogue::match(Operation *contraction,
                                                    Value acc, int64_t channels,
                                                    unsigned channelDim) {
  Block *block = contraction->getBlock();
  auto accType = cast<MemRefType>(acc.getType());
  // The first later user of the accumulators (directly or through their
  // view as pixels), and no other reader.
  linalg::GenericOp epilogue;
  memref::ExpandShapeOp pixels;
  for (Operation *user : acc.getUsers()) {
    if (user == contraction || isa<memref::DeallocOp>(user))
      continue;
    Operation *ancestor = getAncestorIn(block, user);
    if (!ancestor || ancestor->isBeforeInBlock(contraction))
      continue;
    if (epilogue || pixels)
      return std::nullopt;
    if ((pixels = getPixelView(user, accType)))
      user = *pixels->user_begin();
    epilogue = dyn_cast<linalg::GenericOp>(user);
    if (!epilogue || epilogue->getBlock() != block)
      return std::nullopt;
  }
  if (!epilogue || !epilogue.hasPureBufferSemantics() ||
      epilogue.getNumDpsInits() != 1 ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops())
    return std::nullopt;
  Value accView = pixels ? pixels.getResult() : acc;
  auto viewType = cast<MemRefType>(accView.getType());
  unsigned rank = viewType.getRank();
  if (pixels)
    channelDim = rank - 1;
  SmallVector<AffineMap> maps = epilogue.getIndexingMapsArray();
  Value out = epilogue.getDpsInitOperand(0)->get();
  auto outType = dyn_cast<MemRefType>(out.getType());
  if (!outType || outType.getShape() != viewType.getShape() ||
      !outType.isLastDimUnitStride() || !maps.back().isIdentity())
    return std::nullopt;
  // Stores into any other buffer could overwrite what the kernel still
  // reads (its input): only a fresh allocation is written early.
  if (!out.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  KernelEpilogue result(epilogue);
  result.pixels = pixels;
  result.channelDim = channelDim;
  bool seenAcc = false;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type)
      return std::nullopt;
    if (input->get() == accView && map.isIdentity() && !seenAcc) {
      seenAcc = true;
      result.accInput = input->getOperandNumber();
      continue;
    }
    // A value per position (a scalar, or one for each of some of the
    // rows' dimensions), or a vector of channels: the channels last and
    // contiguous.
    if (!map.isProjectedPermutation())
      return std::nullopt;
    std::optional<unsigned> channelResult =
        map.getResultPosition(getAffineDimExpr(channelDim, map.getContext()));
    if (channelResult &&
        (*channelResult + 1 != map.getNumResults() ||
         type.getShape().back() != channels || !type.isLastDimUnitStride()))
      return std::nullopt;
    // The kernel writes neither the accumulators' buffer nor the output
    // before reading these.
    Value root = getRootBuffer(input->get());
    if (root == acc || root == out ||
        isWrittenBetween(root, contraction, epilogue))
      return std::nullopt;
  }
  if (!seenAcc)
    return std::nullopt;
  // An element-wise body that does not read the output.
  Block &body = epilogue.getRegion().front();
  if (!body.getArguments().back().use_empty())
    return std::nullopt;
  DominanceInfo dominance;
  for (Operation &bodyOp : body.without_terminator()) {
    if (bodyOp.getNumResults() != 1 || bodyOp.getNumRegions() != 0)
      return std::nullopt;
    if (!isa<arith::ConstantOp>(bodyOp) &&
        !OpTrait::hasElementwiseMappableTraits(&bodyOp))
      return std::nullopt;
    for (Value operand : bodyOp.getOperands()) {
      if (operand.getParentRegion() == &epilogue.getRegion())
        continue;
      // Captured from above: a scalar available at the contraction.
      if (!operand.getType().isIntOrIndexOrFloat() ||
          !dominance.properlyDominates(operand, contraction))
        return std::nullopt;
    }
  }
  return result;
}

SmallVector<Value> KernelEpilogue::getRowIndices(OpBuilder &b, Location loc,
                                                 ArrayRef<Value> accRow) {
  if (!pixels)
    return SmallVector<Value>(accRow);
  // Row r of the accumulators is pixel (r / (s1 ... sn), ..., r mod sn).
  ArrayRef<int64_t> sizes = pixels.getResultType().getShape().drop_back();
  SmallVector<Value> indices(sizes.size());
  Value rest = accRow.front();
  for (size_t d = sizes.size() - 1; d > 0; --d) {
    Value size = arith::ConstantIndexOp::create(b, loc, sizes[d]);
    indices[d] = arith::RemUIOp::create(b, loc, rest, size);
    rest = arith::DivUIOp::create(b, loc, rest, size);
  }
  indices[0] = rest;
  return indices;
}

SmallVector<Value> KernelEpilogue::getOutputIndices(ArrayRef<Value> row,
                                                    Value col) {
  SmallVector<Value> indices(row);
  indices.insert(indices.begin() + channelDim, col);
  return indices;
}

LogicalResult KernelEpilogue::hoistOperands(Operation *contraction) {
  SmallVector<Operation *> toMove;
  DominanceInfo dominance;
  for (OpOperand &operand : op->getOpOperands()) {
    // The kernel applies the body to its own accumulators.
    if (operand.getOperandNumber() == accInput)
      continue;
    Operation *def = operand.get().getDefiningOp();
    if (!def || def->getBlock() != contraction->getBlock() ||
        def->isBeforeInBlock(contraction))
      continue;
    // An allocation's sizes (a batch known at run time) must be known
    // before the contraction too.
    auto alloc = dyn_cast<memref::AllocOp>(def);
    bool movableAlloc =
        alloc && llvm::all_of(alloc->getOperands(), [&](Value size) {
          return dominance.properlyDominates(size, contraction);
        });
    if (!movableAlloc && !isa<memref::GetGlobalOp>(def))
      return failure();
    toMove.push_back(def);
  }
  for (Operation *def : toMove)
    def->moveBefore(contraction);
  return success();
}

Value KernelEpilogue::apply(OpBuilder &b, Location loc, Value acc,
                            ArrayRef<Value> row, Value col,
                            int64_t validLanes) {
  auto accType = cast<VectorType>(acc.getType());
  int64_t lanes = accType.getNumElements();
  auto vectorOf = [&](Type scalar) {
    return VectorType::get(accType.getShape(), scalar);
  };
  auto splat = [&](Value scalar) -> Value {
    return vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()),
                                       scalar);
  };
  // The epilogue's loop indices, the channel's being `col`.
  SmallVector<Value> loopIndices = getOutputIndices(row, col);
  Block &body = op.getRegion().front();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    if (input->getOperandNumber() == accInput) {
      mapping.map(arg, acc);
      continue;
    }
    Value memref = input->get();
    AffineMap map = op.getMatchingIndexingMap(input);
    SmallVector<Value> indices;
    for (AffineExpr result : map.getResults())
      indices.push_back(loopIndices[cast<AffineDimExpr>(result).getPosition()]);
    bool perChannel =
        map.getNumResults() != 0 &&
        cast<AffineDimExpr>(map.getResults().back()).getPosition() ==
            channelDim;
    if (!perChannel) {
      mapping.map(arg, splat(memref::LoadOp::create(b, loc, memref, indices)));
    } else if (validLanes < lanes) {
      Value mask = buildPrefixMask(b, loc, lanes, validLanes);
      Value zeros = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(b.getZeroAttr(vectorOf(arg.getType()))));
      mapping.map(arg,
                  vector::MaskedLoadOp::create(b, loc, vectorOf(arg.getType()),
                                               memref, indices, mask, zeros));
    } else {
      mapping.map(arg, vector::LoadOp::create(b, loc, vectorOf(arg.getType()),
                                              memref, indices));
    }
  }
  for (Operation &bodyOp : body.without_terminator()) {
    Type resultType = vectorOf(bodyOp.getResult(0).getType());
    if (auto constant = dyn_cast<arith::ConstantOp>(bodyOp)) {
      Value scalar = arith::ConstantOp::create(b, loc, constant.getValue());
      mapping.map(constant.getResult(), splat(scalar));
      continue;
    }
    OperationState state(loc, bodyOp.getName());
    for (Value operand : bodyOp.getOperands()) {
      Value mapped = mapping.lookupOrNull(operand);
      state.addOperands(mapped ? mapped : splat(operand));
    }
    state.addTypes(resultType);
    state.addAttributes(bodyOp.getAttrs());
    mapping.map(bodyOp.getResult(0), b.create(state)->getResult(0));
  }
  return mapping.lookup(body.getTerminator()->getOperand(0));
}

void KernelEpilogue::erase() {
  Value out = getOutput();
  op.erase();
  if (pixels)
    pixels.erase();
  if (packing)
    erasePacking(out);
}
