//===- FlattenElementwise.cpp - Element-wise ops as 1-D loops -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Collapses the iteration space of element-wise generics on contiguous
// buffers, so that the loop LLVM vectorizes is the whole buffer rather
// than its last, often short, dimension.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUFLATTENELEMENTWISEPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Whether every operand of `op` is a buffer with an identity layout.
static bool hasContiguousBuffers(linalg::GenericOp op) {
  return llvm::all_of(op->getOperands(), [](Value operand) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    return type && type.getLayout().isIdentity();
  });
}

namespace {
struct FlattenElementwise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    int64_t loops = op.getNumLoops();
    if (!op.hasPureBufferSemantics() || loops < 2 ||
        op.getNumParallelLoops() != loops || op.hasIndexSemantics() ||
        !hasContiguousBuffers(op))
      return rewriter.notifyMatchFailure(op, "not element-wise on buffers");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    // Constant results (a broadcast of a unit dimension) do not collapse.
    if (!llvm::all_of(maps, [](AffineMap map) {
          return map.isProjectedPermutation(/*allowZeroInResults=*/false);
        }))
      return rewriter.notifyMatchFailure(op, "an operand is indexed by a "
                                             "constant");
    // All dimensions together, or all but the last.
    for (int64_t count : {loops, loops - 1}) {
      if (count < 2)
        break;
      ReassociationIndices group = llvm::to_vector(llvm::seq<int64_t>(count));
      if (!linalg::areDimSequencesPreserved(maps, group))
        continue;
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(op, group, rewriter);
      if (failed(collapsed))
        continue;
      rewriter.replaceOp(op, collapsed->results);
      return success();
    }
    return rewriter.notifyMatchFailure(op, "dimensions do not collapse");
  }
};

struct QNNCPUFlattenElementwisePass
    : cpu::impl::QNNCPUFlattenElementwisePassBase<
          QNNCPUFlattenElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FlattenElementwise>(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};
} // namespace
