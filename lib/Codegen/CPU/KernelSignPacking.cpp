//===- KernelSignPacking.cpp - Kernels that write packed sign bits --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The epilogue of a layer whose output only feeds the next binary layer:
// qnn.bitpack's lowering reads the float output through a split of its
// channels into words. The kernel then ors `y < 0` of each accumulator
// vector into the words, and neither the float output nor the packing
// remains.
//
//===----------------------------------------------------------------------===//

#include "BitpackLowering.h"
#include "KernelEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The packing of the signs of `out` (the lowering of qnn.bitpack reading
/// a split of it into words), and the split; null when there is none.
static std::pair<linalg::GenericOp, memref::ExpandShapeOp>
findPacking(Value out) {
  for (Operation *user : out.getUsers()) {
    auto split = dyn_cast<memref::ExpandShapeOp>(user);
    if (!split)
      continue;
    for (Operation *reader : split->getUsers()) {
      auto packing = dyn_cast<linalg::GenericOp>(reader);
      if (packing && isBitpackLowering(packing) &&
          packing.getDpsInputOperand(0)->get() == split.getResult())
        return {packing, split};
    }
  }
  return {};
}

/// Whether `split` divides only the innermost of `rank` dimensions, in two.
static bool splitsInnermost(memref::ExpandShapeOp split, int64_t rank) {
  SmallVector<ReassociationIndices> groups = split.getReassociationIndices();
  if (static_cast<int64_t>(groups.size()) != rank)
    return false;
  for (int64_t d = 0; d + 1 < rank; ++d)
    if (groups[d] != ReassociationIndices{d})
      return false;
  return groups.back() == ReassociationIndices{rank - 1, rank};
}

/// The zero fill of `words` before `packing` in its block, if the only
/// other users of `words` before `packing` are that fill and its
/// allocation.
static linalg::FillOp getZeroFill(Value words, linalg::GenericOp packing) {
  linalg::FillOp fill;
  for (Operation *user : words.getUsers()) {
    if (user == packing || isa<memref::DeallocOp>(user))
      continue;
    // Readers after the packing (the next layer, maybe in loops) are fine.
    Operation *ancestor = packing->getBlock()->findAncestorOpInBlock(*user);
    if (!ancestor)
      return {};
    if (!ancestor->isBeforeInBlock(packing))
      continue;
    auto candidate = dyn_cast<linalg::FillOp>(user);
    if (!candidate || ancestor != user || fill ||
        !matchPattern(candidate.getInputs()[0], m_Zero()))
      return {};
    fill = candidate;
  }
  return fill;
}

std::string KernelEpilogue::matchSignPacking(Operation *contraction,
                                             int64_t lanes) {
  Value out = getOutput();
  auto [packingOp, splitOp] = findPacking(out);
  if (!packingOp)
    return "";
  for (Operation *user : out.getUsers())
    if (user != op && user != splitOp && !isa<memref::DeallocOp>(user))
      return "the float output has another reader";
  if (!splitOp->hasOneUse())
    return "the float output has another reader";
  int64_t rank = cast<MemRefType>(out.getType()).getRank();
  if (channelDim + 1 != rank || !splitsInnermost(splitOp, rank))
    return "the channels are not the innermost dimension";
  Value words = packingOp.getDpsInitOperand(0)->get();
  int64_t wordBits = cast<MemRefType>(words.getType()).getElementTypeBitWidth();
  if (wordBits % lanes != 0)
    return llvm::formatv("a {0}-bit word is not a whole number of the "
                         "kernel's {1}-channel vectors",
                         wordBits, lanes);
  auto alloc = words.getDefiningOp<memref::AllocOp>();
  linalg::FillOp fill = getZeroFill(words, packingOp);
  if (!alloc || !fill)
    return "the words are not a fresh, zero-filled allocation";
  // The kernel ors bits into the words: they are allocated and zeroed
  // before it.
  DominanceInfo dominance;
  for (Value size : alloc->getOperands())
    if (!dominance.properlyDominates(size, contraction))
      return "the words' size is computed after the contraction";
  Value zero = fill.getInputs()[0];
  if (!dominance.properlyDominates(zero, contraction)) {
    Operation *constant = zero.getDefiningOp();
    if (!constant || !matchPattern(constant, m_Constant()))
      return "the words' zero is computed after the contraction";
    constant->moveBefore(contraction);
  }
  if (!alloc->isBeforeInBlock(contraction))
    alloc->moveBefore(contraction);
  fill->moveBefore(contraction);
  packing = packingOp;
  split = splitOp;
  return "";
}

void KernelEpilogue::erasePacking(Value out) {
  packing.erase();
  split->erase();
  // The float output, now neither written nor read, and its frees.
  for (Operation *user : llvm::make_early_inc_range(out.getUsers()))
    if (isa<memref::DeallocOp>(user))
      user->erase();
  if (auto alloc = out.getDefiningOp<memref::AllocOp>())
    if (alloc->use_empty())
      alloc.erase();
}
