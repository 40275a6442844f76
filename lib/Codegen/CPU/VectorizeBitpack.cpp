//===- VectorizeBitpack.cpp - Sign bits of whole words at once ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The lowering of qnn.bitpack reduces each word over its W bits one at a
// time (a compare, a shift, a select and an or per element). This pass
// rewrites that reduction on buffers into one vector compare per word,
// whose W-bit mask is the word: a vcmpps into a mask register and a kmov
// on AVX-512, a movmsk on AVX2.
//
//===----------------------------------------------------------------------===//

#include "BitpackLowering.h"
#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUVECTORIZEBITPACKPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
struct VectorizeBitpack : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isBitpackLowering(op))
      return rewriter.notifyMatchFailure(op, "not a bit packing");
    Location loc = op.getLoc();
    Value input = op.getDpsInputOperand(0)->get();
    Value output = op.getDpsInitOperand(0)->get();
    auto outputType = cast<MemRefType>(output.getType());
    auto word = cast<IntegerType>(outputType.getElementType());
    int64_t width = word.getWidth();
    // One loop per word of the output.
    SmallVector<Value> lbs, ubs, steps;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d = 0; d < outputType.getRank(); ++d) {
      lbs.push_back(zero);
      ubs.push_back(memref::DimOp::create(rewriter, loc, output, d));
      steps.push_back(one);
    }
    auto floatVector = VectorType::get({width}, rewriter.getF32Type());
    scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps,
        [&](OpBuilder &b, Location loc, ValueRange indices) {
          SmallVector<Value> at(indices);
          at.push_back(zero);
          Value values = vector::LoadOp::create(b, loc, floatVector, input, at);
          Value zeros = arith::ConstantOp::create(
              b, loc, DenseElementsAttr::get(floatVector, 0.0f));
          Value negative = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OLT, values, zeros);
          Value bits = vector::BitCastOp::create(
              b, loc, VectorType::get({1}, word), negative);
          Value packed = vector::ExtractOp::create(b, loc, bits, int64_t(0));
          Value old = memref::LoadOp::create(b, loc, output, indices);
          memref::StoreOp::create(b, loc,
                                  arith::OrIOp::create(b, loc, old, packed),
                                  output, indices);
        });
    rewriter.eraseOp(op);
    return success();
  }
};

struct QNNCPUVectorizeBitpackPass
    : cpu::impl::QNNCPUVectorizeBitpackPassBase<QNNCPUVectorizeBitpackPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<VectorizeBitpack>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
