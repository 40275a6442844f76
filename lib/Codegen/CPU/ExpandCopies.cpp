//===- ExpandCopies.cpp - Copies without the MLIR runtime library ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The LLVM lowering of memref.copy calls `memrefCopy` from the MLIR runtime
// library unless both sides are contiguous. Copies into or out of strided
// views (tensor.pad bufferizes into one) become loops over contiguous rows,
// each a memcpy, or linalg.copy when the rows are strided, so that compiled
// code links with nothing but libc.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNEXPANDCOPIESPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;

namespace {
/// Whether the LLVM lowering copies `value` with memcpy: an identity
/// layout, or one static row with unit stride.
bool isContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type)
    return false;
  if (type.getLayout().isIdentity())
    return true;
  return type.getRank() == 1 && type.hasStaticShape() &&
         type.isLastDimUnitStride();
}

/// A copy the LLVM lowering would send to the runtime library: between
/// static views whose rows are contiguous, loops over the rows, each row a
/// contiguous memref.copy (a memcpy); otherwise linalg.copy (loops).
struct ExpandStridedCopy : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    if (isContiguous(op.getSource()) && isContiguous(op.getTarget()))
      return rewriter.notifyMatchFailure(op, "lowers to memcpy");
    auto sourceType = dyn_cast<MemRefType>(op.getSource().getType());
    auto targetType = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!sourceType || !targetType)
      return rewriter.notifyMatchFailure(op, "unranked");
    if (!sourceType.hasStaticShape() || sourceType.getRank() < 2 ||
        !sourceType.isLastDimUnitStride() ||
        !targetType.isLastDimUnitStride()) {
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                  op.getTarget());
      return success();
    }
    Location loc = op.getLoc();
    int64_t rank = sourceType.getRank();
    ArrayRef<int64_t> shape = sourceType.getShape();
    SmallVector<Value> ivs;
    // Loops over all but the innermost dimension.
    for (int64_t d = 0; d + 1 < rank; ++d) {
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value size = arith::ConstantIndexOp::create(rewriter, loc, shape[d]);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      auto loop = scf::ForOp::create(rewriter, loc, zero, size, one);
      ivs.push_back(loop.getInductionVar());
      rewriter.setInsertionPoint(loop.getBody()->getTerminator());
    }
    auto row = [&](Value memref) -> Value {
      SmallVector<OpFoldResult> offsets(ivs.begin(), ivs.end());
      offsets.push_back(rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes(rank - 1, rewriter.getIndexAttr(1));
      sizes.push_back(rewriter.getIndexAttr(shape.back()));
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      auto type =
          cast<MemRefType>(memref::SubViewOp::inferRankReducedResultType(
              {shape.back()}, cast<MemRefType>(memref.getType()), offsets,
              sizes, strides));
      return memref::SubViewOp::create(rewriter, loc, type, memref, offsets,
                                       sizes, strides);
    };
    memref::CopyOp::create(rewriter, loc, row(op.getSource()),
                           row(op.getTarget()));
    rewriter.eraseOp(op);
    return success();
  }
};

struct QNNExpandCopiesPass
    : qnn::cpu::impl::QNNExpandCopiesPassBase<QNNExpandCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandStridedCopy>(&getContext());
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns),
                                  GreedyRewriteConfig().enableFolding(false))))
      signalPassFailure();
  }
};
} // namespace
