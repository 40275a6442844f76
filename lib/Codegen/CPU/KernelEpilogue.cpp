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

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The ancestor of `op` in `block`, or null.
static Operation *getAncestorIn(Block *block, Operation *op) {
  return block->findAncestorOpInBlock(*op);
}

std::optional<KernelEpilogue> KernelEpilogue::match(Operation *contraction,
                                                    Value acc, int64_t channels,
                                                    unsigned channelDim) {
  Block *block = contraction->getBlock();
  auto accType = cast<MemRefType>(acc.getType());
  int64_t rank = accType.getRank();
  // The first later user of the accumulators, and no other reader.
  linalg::GenericOp epilogue;
  for (Operation *user : acc.getUsers()) {
    if (user == contraction || isa<memref::DeallocOp>(user))
      continue;
    Operation *ancestor = getAncestorIn(block, user);
    if (!ancestor || ancestor->isBeforeInBlock(contraction))
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || epilogue || generic->getBlock() != block)
      return std::nullopt;
    epilogue = generic;
  }
  if (!epilogue || !epilogue.hasPureBufferSemantics() ||
      epilogue.getNumDpsInits() != 1 ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops())
    return std::nullopt;
  SmallVector<AffineMap> maps = epilogue.getIndexingMapsArray();
  Value out = epilogue.getDpsInitOperand(0)->get();
  auto outType = dyn_cast<MemRefType>(out.getType());
  if (!outType || outType.getShape() != accType.getShape() ||
      !outType.isLastDimUnitStride() || !maps.back().isIdentity())
    return std::nullopt;
  // Stores into any other buffer could overwrite what the kernel still
  // reads (its input): only a fresh allocation is written early.
  if (!out.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  KernelEpilogue result(epilogue);
  bool seenAcc = false;
  MLIRContext *ctx = contraction->getContext();
  AffineMap perChannel =
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx));
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type)
      return std::nullopt;
    if (input->get() == acc && map.isIdentity() && !seenAcc) {
      seenAcc = true;
      result.accInput = input->getOperandNumber();
      continue;
    }
    bool scalar = type.getRank() == 0 && map.getNumResults() == 0;
    bool vector = type.getRank() == 1 && map == perChannel &&
                  type.getDimSize(0) == channels && type.isLastDimUnitStride();
    if (!scalar && !vector)
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

LogicalResult KernelEpilogue::hoistOperands(Operation *contraction) {
  SmallVector<Operation *> toMove;
  DominanceInfo dominance;
  for (OpOperand &operand : op->getOpOperands()) {
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

Value KernelEpilogue::apply(OpBuilder &b, Location loc, Value acc, Value col,
                            int64_t validLanes) {
  auto accType = cast<VectorType>(acc.getType());
  auto vectorOf = [&](Type scalar) {
    return VectorType::get(accType.getShape(), scalar);
  };
  auto splat = [&](Value scalar) -> Value {
    return vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()),
                                       scalar);
  };
  Block &body = op.getRegion().front();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    Value memref = input->get();
    if (input->getOperandNumber() == accInput) {
      mapping.map(arg, acc);
    } else if (cast<MemRefType>(memref.getType()).getRank() == 0) {
      mapping.map(arg, splat(memref::LoadOp::create(b, loc, memref)));
    } else if (validLanes < accType.getNumElements()) {
      Value mask =
          buildPrefixMask(b, loc, accType.getNumElements(), validLanes);
      Value zeros = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(b.getZeroAttr(vectorOf(arg.getType()))));
      mapping.map(arg,
                  vector::MaskedLoadOp::create(b, loc, vectorOf(arg.getType()),
                                               memref, col, mask, zeros));
    } else {
      mapping.map(arg, vector::LoadOp::create(b, loc, vectorOf(arg.getType()),
                                              memref, col));
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
