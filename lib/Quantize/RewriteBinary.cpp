//===- RewriteBinary.cpp - Binarized matmuls onto packed bits -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// --qnn-rewrite-binary: a float matmul of binarized activations and
// binary constant weights,
//
//   y = init + qnn.binarize(x) @ w,   w[k, n] in {-a_n, +a_n},
//
// becomes a matmul on packed bits and a per-channel epilogue:
//
//   d = qnn.binary_matmul(qnn.bitpack(x), packed signs of w)     (i32)
//   y = fl32(d) * m[n] + bias[n],   m[n] = fl32(alpha_x * a_n)
//
// The weights may be written in any form whose values are binary per
// output channel: a float constant, or stored codes (what
// --qnn-store-weights makes of qnn.binarize). Their signs are packed at
// compile time. alpha_x is 1 for `scale = none`, and for a per-tensor
// `mean_abs` the magnitude of the binarized tensor.
//
// Ternary weights (w[k, n] in {-a_n, 0, +a_n}, what qnn.ternarize makes)
// become qnn.ternary_matmul on two bit planes (signs and nonzero mask), or
// with `ternary-kernel=int8` an i8 matmul of the activations' signs and
// the weights' codes, which the int8 kernels run.
//
//===----------------------------------------------------------------------===//

#include "RewritePatterns.h"
#include "SignWeights.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"
#include "qnn/Quantize/Passes.h"
#include "qnn/Utils/FuseConsumers.h"
#include "qnn/Utils/LinalgBuilders.h"
#include "qnn/Utils/PatternDriver.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNREWRITEBINARYPASS
#include "qnn/Quantize/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// Everything the rewrite needs, found before any op is created.
struct BinaryMatmul {
  linalg::MatmulOp op;
  BinarizeOp activation;
  /// The flatten between the binarization and the matmul, if any.
  tensor::CollapseShapeOp flatten;
  SignWeights weights;
  InitKind initKind = InitKind::None;
  /// The scalar, the N-vector or the M x N tensor the outputs start from.
  Value init;
};
} // namespace

/// Whether `value` is binarized activations, possibly zero-padded or
/// flattened.
static bool isBinarized(Value value) {
  if (auto pad = value.getDefiningOp<tensor::PadOp>())
    value = pad.getSource();
  if (auto flatten = value.getDefiningOp<tensor::CollapseShapeOp>())
    value = flatten.getSrc();
  return static_cast<bool>(value.getDefiningOp<BinarizeOp>());
}

/// Whether `op` reads A as M x K and B as K x N (`transposed`: N x K).
static bool getWeightOrder(linalg::MatmulOp op, bool &transposed) {
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  if (maps[0] != AffineMap::get(3, 0, {d(0), d(2)}, ctx) ||
      maps[2] != AffineMap::get(3, 0, {d(0), d(1)}, ctx))
    return false;
  transposed = maps[1] == AffineMap::get(3, 0, {d(1), d(2)}, ctx);
  return transposed || maps[1] == AffineMap::get(3, 0, {d(2), d(1)}, ctx);
}

/// Matches `op` as a binarized matmul; the reason when it is not one.
static FailureOr<BinaryMatmul> matchBinaryMatmul(linalg::MatmulOp op,
                                                 std::string &reason) {
  BinaryMatmul c;
  c.op = op;
  bool transposed = false;
  if (!op.hasPureTensorSemantics() || !getWeightOrder(op, transposed)) {
    reason = "the matmul's indexing is not A(m, k) B(k, n) or B(n, k)";
    return failure();
  }
  Value lhs = op.getDpsInputOperand(0)->get();
  if ((c.flatten = lhs.getDefiningOp<tensor::CollapseShapeOp>()))
    lhs = c.flatten.getSrc();
  c.activation = lhs.getDefiningOp<BinarizeOp>();
  if (!c.activation) {
    reason = "the activations are not binarized";
    return failure();
  }
  if (c.activation.getAxis()) {
    reason = "the activations are binarized with one scale per index of "
             "an axis, which a binary matmul cannot factor out";
    return failure();
  }
  auto resultType = cast<RankedTensorType>(op.getResultTypes()[0]);
  if (!resultType.getElementType().isF32() ||
      !c.activation.getType().getElementType().isF32()) {
    reason = "the matmul is not on f32";
    return failure();
  }
  // qnn.bitpack packs a static number of elements.
  if (ShapedType::isDynamic(
          cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType())
              .getDimSize(1))) {
    reason = "the reduction is dynamic";
    return failure();
  }
  // torch-mlir spells a Linear as a matmul of the transposed N x K weights.
  Value weightOperand = op.getDpsInputOperand(1)->get();
  if (auto transpose = weightOperand.getDefiningOp<linalg::TransposeOp>()) {
    if (transpose.getPermutation() == ArrayRef<int64_t>{1, 0}) {
      weightOperand = transpose.getInput();
      transposed = !transposed;
    }
  }
  std::optional<ConstantWeights> weights = matchConstantWeights(weightOperand);
  if (!weights) {
    reason = "the weights are not a constant";
    return failure();
  }
  ArrayRef<int64_t> shape = weights->values.getType().getShape();
  int64_t channels = transposed ? shape[0] : shape[1];
  int64_t reduction = transposed ? shape[1] : shape[0];
  FailureOr<SignWeights> signs = readSignWeights(
      getRealValues(*weights), channels, reduction,
      [&](int64_t n, int64_t k) {
        return transposed ? n * reduction + k : k * channels + n;
      },
      reason);
  if (failed(signs))
    return failure();
  c.weights = std::move(*signs);
  std::tie(c.initKind, c.init) =
      matchContractionInit(op.getDpsInitOperand(0)->get(), 1, 2);
  return c;
}

/// y = fl32(d) * m[n] (+ the initial value).
static Value buildEpilogue(PatternRewriter &rewriter, Location loc,
                           const BinaryMatmul &c, Value dot, Value alphaX) {
  MLIRContext *ctx = rewriter.getContext();
  Type f32 = rewriter.getF32Type();
  auto alphaType = RankedTensorType::get({c.weights.channels}, f32);
  Value multipliers = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(alphaType, ArrayRef<float>(c.weights.alphas)));
  auto resultType = cast<RankedTensorType>(c.op->getResult(0).getType());
  SmallVector<Value> inputs = {dot, multipliers};
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap channel = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  SmallVector<AffineMap> maps = {identity, channel};
  if (c.initKind == InitKind::PerChannel || c.initKind == InitKind::Full) {
    inputs.push_back(c.init);
    maps.push_back(c.initKind == InitKind::Full ? identity : channel);
  }
  maps.push_back(identity);
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, resultType.getShape(), f32,
      resultType.isDynamicDim(0)
          ? ValueRange{tensor::DimOp::create(rewriter, loc, dot, 0)}
          : ValueRange{});
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultType, inputs, empty, maps,
      {utils::IteratorType::parallel, utils::IteratorType::parallel},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value m = args[1];
        if (alphaX)
          m = arith::MulFOp::create(b, loc, alphaX, m);
        Value y = arith::SIToFPOp::create(b, loc, f32, args[0]);
        y = arith::MulFOp::create(b, loc, y, m);
        if (c.initKind == InitKind::Scalar)
          y = arith::AddFOp::create(b, loc, c.init, y);
        else if (c.initKind != InitKind::None)
          y = arith::AddFOp::create(b, loc, args[2], y);
        linalg::YieldOp::create(b, loc, ValueRange{y});
      });
  return generic.getResult(0);
}

/// The activations the binarization reads, flattened as the matmul reads
/// the binarized ones.
static Value getActivations(PatternRewriter &rewriter, Location loc,
                            const BinaryMatmul &c) {
  BinarizeOp activation = c.activation;
  Value x = activation.getInput();
  if (!c.flatten)
    return x;
  tensor::CollapseShapeOp flatten = c.flatten;
  return tensor::CollapseShapeOp::create(rewriter, loc, flatten.getResultType(),
                                         x, flatten.getReassociationIndices());
}

/// The i32 dot products on packed bits: qnn.binary_matmul, or for ternary
/// weights qnn.ternary_matmul on their sign and mask planes.
static Value buildBitDot(PatternRewriter &rewriter, Location loc,
                         const BinaryMatmul &c) {
  MLIRContext *ctx = rewriter.getContext();
  Value x = getActivations(rewriter, loc, c);
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t words = llvm::divideCeil(c.weights.reduction, 32);
  auto i32 = IntegerType::get(ctx, 32);
  Value packedX = BitpackOp::create(
      rewriter, loc, RankedTensorType::get({xType.getDimSize(0), words}, i32),
      x);
  Value signs = arith::ConstantOp::create(rewriter, loc,
                                          packBits(ctx, c.weights.negative,
                                                   c.weights.channels,
                                                   c.weights.reduction));
  auto dotType =
      RankedTensorType::get({xType.getDimSize(0), c.weights.channels}, i32);
  if (!c.weights.ternary)
    return BinaryMatmulOp::create(rewriter, loc, dotType, packedX, signs,
                                  c.weights.reduction);
  SmallVector<bool> nonzero;
  for (bool isZero : c.weights.zero)
    nonzero.push_back(!isZero);
  Value mask = arith::ConstantOp::create(
      rewriter, loc,
      packBits(ctx, nonzero, c.weights.channels, c.weights.reduction));
  return TernaryMatmulOp::create(rewriter, loc, dotType, packedX, signs, mask,
                                 c.weights.reduction);
}

/// The i32 dot products of ternary weights on the int8 kernels: the signs
/// of the activations as i8 codes (-1, +1) times the weights' codes (-1,
/// 0, +1), N x K.
static Value buildInt8Dot(PatternRewriter &rewriter, Location loc,
                          const BinaryMatmul &c) {
  MLIRContext *ctx = rewriter.getContext();
  Value x = getActivations(rewriter, loc, c);
  auto xType = cast<RankedTensorType>(x.getType());
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  Value codes = buildElementwise(
      rewriter, loc, x, {}, i8,
      [&](OpBuilder &b, Location loc, ValueRange in) -> Value {
        Value zero = createFloatConstant(b, loc, xType.getElementType(), 0.0);
        Value negative = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OLT, in[0], zero);
        Value minusOne =
            arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, -1));
        Value one = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 1));
        return arith::SelectOp::create(b, loc, negative, minusOne, one)
            .getResult();
      });
  SmallVector<int8_t> weights;
  for (auto [negative, zero] : llvm::zip(c.weights.negative, c.weights.zero))
    weights.push_back(zero ? 0 : negative ? -1 : 1);
  Value w = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({c.weights.channels, c.weights.reduction}, i8),
          ArrayRef<int8_t>(weights)));
  int64_t rows = xType.getDimSize(0);
  auto dotType = RankedTensorType::get({rows, c.weights.channels}, i32);
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, dotType.getShape(), i32,
      ShapedType::isDynamic(rows)
          ? ValueRange{tensor::DimOp::create(rewriter, loc, x, 0)}
          : ValueRange{});
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0));
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                 AffineMap::get(3, 0, {d(1), d(2)}, ctx),
                                 AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
  NamedAttribute indexing(rewriter.getStringAttr("indexing_maps"),
                          rewriter.getAffineMapArrayAttr(maps));
  return linalg::MatmulOp::create(rewriter, loc, TypeRange{dotType},
                                  ValueRange{codes, w}, ValueRange{init},
                                  ArrayRef<NamedAttribute>{indexing})
      .getResult(0);
}

namespace {
struct RewriteBinaryMatmul : OpRewritePattern<linalg::MatmulOp> {
  RewriteBinaryMatmul(MLIRContext *ctx, TernaryKernel ternaryKernel)
      : OpRewritePattern(ctx), ternaryKernel(ternaryKernel) {}

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    std::string reason;
    FailureOr<BinaryMatmul> c = matchBinaryMatmul(op, reason);
    if (failed(c))
      return rewriter.notifyMatchFailure(op, reason);
    Location loc = op.getLoc();
    Value dot = c->weights.ternary && ternaryKernel == TernaryKernel::int8
                    ? buildInt8Dot(rewriter, loc, *c)
                    : buildBitDot(rewriter, loc, *c);
    Value alphaX = buildActivationScale(rewriter, loc, c->activation);
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, *c, dot, alphaX));
    return success();
  }

private:
  TernaryKernel ternaryKernel;
};

/// A float matmul of real activations and sign weights stored as codes
/// (codes minus zero point in {-1, 0, +1}, as --qnn-store-weights keeps
/// binarized and ternarized weights): the weights become a float constant
/// again, so that the f32 kernels pack them at compile time instead of
/// dequantizing them at run time. Exact: each value is +-fl32(scale) or 0,
/// what the dequantization computes.
template <typename OpTy>
struct FoldSignWeights : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value operand = op.getDpsInputOperand(1)->get();
    if (isBinarized(op.getDpsInputOperand(0)->get()))
      return rewriter.notifyMatchFailure(op, "binarized activations");
    std::optional<ConstantWeights> weights = matchConstantWeights(operand);
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!weights || !weights->isQuantized() || !type ||
        !type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "weights are not f32 codes");
    SmallVector<int64_t> offsets = getCodeOffsets(*weights);
    if (llvm::any_of(offsets, [](int64_t v) { return v < -1 || v > 1; }))
      return rewriter.notifyMatchFailure(op, "not sign weights");
    SmallVector<float> values;
    for (double real : getRealValues(*weights))
      values.push_back(static_cast<float>(real));
    Value constant = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        DenseElementsAttr::get(type, ArrayRef<float>(values)));
    rewriter.modifyOpInPlace(op,
                             [&] { op.getDpsInputOperand(1)->set(constant); });
    return success();
  }
};

/// Whether `value` is the i32 result of a binary or ternary matmul, read
/// directly or through the reshape a convolution's epilogue reads.
static bool isPackedDot(Value value) {
  if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
    value = expand.getSrc();
  return isa_and_nonnull<BinaryMatmulOp, TernaryMatmulOp>(
      value.getDefiningOp());
}

/// Folds the element-wise consumers of each epilogue of a packed matmul
/// (an inference batch norm, an activation) into it, so that the CPU
/// kernels apply them to the accumulators before storing.
static void fuseEpilogueConsumers(Operation *root) {
  SmallVector<linalg::GenericOp> epilogues;
  root->walk([&](linalg::GenericOp op) {
    if (op.getNumDpsInputs() > 0 &&
        isPackedDot(op.getDpsInputOperand(0)->get()))
      epilogues.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (linalg::GenericOp epilogue : epilogues)
    fuseElementwiseConsumers(rewriter, epilogue);
}

struct QNNRewriteBinaryPass
    : qnn::impl::QNNRewriteBinaryPassBase<QNNRewriteBinaryPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRewriteBinaryPatterns(patterns, ternaryKernel);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      return signalPassFailure();
    fuseEpilogueConsumers(getOperation());
    // Binarized activations left in float: say why.
    getOperation()->walk([](linalg::LinalgOp op) {
      if (op.getNumDpsInputs() < 1 ||
          !isBinarized(op.getDpsInputOperand(0)->get()))
        return;
      std::string reason;
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation())) {
        if (failed(matchBinaryMatmul(matmul, reason)))
          op.emitRemark() << "binarized matmul stays in float: " << reason;
      } else if (isa<linalg::ConvolutionOpInterface>(op.getOperation())) {
        if (failed(explainBinaryConv(op, reason)))
          op.emitRemark() << "binarized convolution stays in float: " << reason;
      }
    });
  }
};
} // namespace

void qnn::populateRewriteBinaryPatterns(RewritePatternSet &patterns,
                                        TernaryKernel ternaryKernel) {
  patterns.add<RewriteBinaryMatmul>(patterns.getContext(), ternaryKernel);
  patterns.add<FoldSignWeights<linalg::MatmulOp>,
               FoldSignWeights<linalg::Conv2DNhwcHwcfOp>,
               FoldSignWeights<linalg::Conv2DNchwFchwOp>>(
      patterns.getContext());
  populateRewriteBinaryConvPatterns(patterns);
}
