//===- CompressSparseWeights.cpp - Sparse matmuls on their nonzeros -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A matmul whose constant weights W (K x N) are mostly zero becomes loops
// over their nonzeros, stored column by column (CSC: for output n, the rows
// k and values of its nonzeros in increasing k):
//
//   y[m, n] = init[m, n] + sum_j x[m, rows[j]] * values[j],
//   j in [starts[n], starts[n + 1]).
//
// Weights stored as integer codes (weight-only quantization: x is plain
// f32) keep their codes; each value is dequantized in the loop as the
// `quant.dcast` lowering does, (f32(q) - zp[n]) * s[n], and codes equal to
// their zero point are the zeros. Each sum visits the nonzero terms in the
// order of the dense loop, so for finite inputs the result is the dense one
// bit for bit (the skipped terms are exact zeros). Part of
// --qnn-eliminate-sparsity.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Utils/ConstantWeights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// The per-column dequantization of stored weight codes: w = (q - zp) * s.
struct ColumnParams {
  SmallVector<float> scales, zeroPoints;
};

/// A sparse f32 matmul in CSC form, computed before anything is built.
struct SparseMatmul {
  Value input, init;
  int64_t channels = 0;
  /// Column starts (channels + 1) and row indices of the nonzeros.
  SmallVector<int64_t> starts, rows;
  /// The nonzero values (f32, or codes with `columns`).
  DenseElementsAttr values;
  std::optional<ColumnParams> columns;
  bool codesSigned = false;
};
} // namespace

/// The per-column parameters of weights (K x N) stored as codes, per tensor
/// or per axis 1; std::nullopt for other quantized types.
static std::optional<ColumnParams> getColumnParams(quant::QuantizedType type,
                                                   int64_t n) {
  ColumnParams params;
  if (!type.getExpressedType().isF32())
    return std::nullopt;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.scales.assign(n, static_cast<float>(perTensor.getScale()));
    params.zeroPoints.assign(n, static_cast<float>(perTensor.getZeroPoint()));
    return params;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getQuantizedDimension() != 1)
    return std::nullopt;
  for (auto [scale, zeroPoint] :
       llvm::zip(perAxis.getScales(), perAxis.getZeroPoints())) {
    params.scales.push_back(static_cast<float>(scale));
    params.zeroPoints.push_back(static_cast<float>(zeroPoint));
  }
  return params;
}

/// The CSC form of `weights` (K x N): column starts, row indices and the
/// flat indices of the nonzeros; the fraction of zeros.
static double getCompressedColumns(const ConstantWeights &weights,
                                   SparseMatmul &m,
                                   SmallVector<int64_t> &nonzeros) {
  ArrayRef<int64_t> shape = weights.values.getType().getShape();
  int64_t k = shape[0], n = shape[1];
  SmallVector<bool> isZero = getZeroElements(weights);
  m.starts = {0};
  for (int64_t col = 0; col < n; ++col) {
    for (int64_t row = 0; row < k; ++row) {
      if (isZero[row * n + col])
        continue;
      m.rows.push_back(row);
      nonzeros.push_back(row * n + col);
    }
    m.starts.push_back(static_cast<int64_t>(m.rows.size()));
  }
  return 1.0 - static_cast<double>(nonzeros.size()) /
                   static_cast<double>(std::max<int64_t>(k * n, 1));
}

/// Matches a plain f32 matmul whose constant weights are at least
/// `threshold` zeros, and computes its CSC form.
static FailureOr<SparseMatmul> matchSparseMatmul(linalg::MatmulOp op,
                                                 double threshold,
                                                 PatternRewriter &rewriter) {
  if (!op.hasPureTensorSemantics() ||
      op.getIndexingMapsArray() !=
          linalg::MatmulOp::getDefaultIndexingMaps(op.getContext()))
    return rewriter.notifyMatchFailure(op, "not a plain matmul");
  std::optional<ConstantWeights> weights =
      matchConstantWeights(op.getDpsInputOperand(1)->get());
  SparseMatmul m;
  m.input = op.getDpsInputOperand(0)->get();
  m.init = op.getDpsInitOperand(0)->get();
  if (!weights || !getElementTypeOrSelf(op.getType(0)).isF32() ||
      !getElementTypeOrSelf(m.input).isF32() ||
      (!weights->type && !weights->values.getElementType().isF32()))
    return rewriter.notifyMatchFailure(op, "not an f32 matmul with "
                                           "constant weights");
  m.channels = weights->values.getType().getDimSize(1);
  if (weights->type) {
    // Quantized activations (a dequantize, or a fake quantization that
    // --qnn-rewrite-int8 expands into one) are the int8 rewrite's.
    if (isa_and_nonnull<quant::DequantizeCastOp, FakeQuantOp>(
            m.input.getDefiningOp()))
      return rewriter.notifyMatchFailure(op, "activations are quantized");
    m.columns = getColumnParams(weights->type, m.channels);
    if (!m.columns)
      return rewriter.notifyMatchFailure(op, "not per tensor or per column");
    m.codesSigned = weights->type.isSigned();
  }
  SmallVector<int64_t> nonzeros;
  if (getCompressedColumns(*weights, m, nonzeros) < threshold)
    return rewriter.notifyMatchFailure(op, "not sparse enough");
  // An empty tensor cannot hold a nonzero: pad to one element.
  if (m.rows.empty()) {
    m.rows.push_back(0);
    nonzeros.push_back(0);
  }
  auto valuesType =
      RankedTensorType::get({static_cast<int64_t>(nonzeros.size())},
                            weights->values.getElementType());
  if (m.columns) {
    auto codes = llvm::to_vector(weights->values.getValues<APInt>());
    m.values = DenseElementsAttr::get(
        valuesType,
        llvm::map_to_vector(nonzeros, [&](int64_t i) { return codes[i]; }));
  } else {
    auto dense = llvm::to_vector(weights->values.getValues<float>());
    SmallVector<float> values =
        llvm::map_to_vector(nonzeros, [&](int64_t i) { return dense[i]; });
    m.values = DenseElementsAttr::get(valuesType, ArrayRef<float>(values));
  }
  return m;
}

/// (f32(q) - zp) * s, the `quant.dcast` lowering's arithmetic.
static Value dequantize(OpBuilder &b, Location loc, Value code, Value scale,
                        Value zeroPoint, bool isSigned) {
  Type f32 = b.getF32Type();
  Value real = isSigned
                   ? arith::SIToFPOp::create(b, loc, f32, code).getResult()
                   : arith::UIToFPOp::create(b, loc, f32, code).getResult();
  return arith::MulFOp::create(
      b, loc, arith::SubFOp::create(b, loc, real, zeroPoint), scale);
}

namespace {
/// The constants the loops read, and the loops themselves.
class SparseMatmulBuilder {
public:
  SparseMatmulBuilder(PatternRewriter &rewriter, Location loc,
                      const SparseMatmul &m)
      : rewriter(rewriter), loc(loc), m(m) {}

  /// The loops over columns, rows and nonzeros, yielding the result.
  Value build();

private:
  Value indexTensor(ArrayRef<int64_t> data);
  Value floatTensor(ArrayRef<float> data);
  Value toIndex(OpBuilder &b, Location l, Value tensor, Value at);
  /// The sum of one output's nonzero terms, from `start`.
  Value buildSum(OpBuilder &b, Location l, Value row, Value col, Value begin,
                 Value end, Value start, Value scale, Value zeroPoint);

  PatternRewriter &rewriter;
  Location loc;
  const SparseMatmul &m;
  Value starts, rows, values, scales, zeroPoints, one;
};
} // namespace

Value SparseMatmulBuilder::indexTensor(ArrayRef<int64_t> data) {
  return arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(data.size())},
                                rewriter.getI64Type()),
          data));
}

Value SparseMatmulBuilder::floatTensor(ArrayRef<float> data) {
  return arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({m.channels}, rewriter.getF32Type()), data));
}

Value SparseMatmulBuilder::toIndex(OpBuilder &b, Location l, Value tensor,
                                   Value at) {
  Value v = tensor::ExtractOp::create(b, l, tensor, at);
  return arith::IndexCastOp::create(b, l, b.getIndexType(), v);
}

Value SparseMatmulBuilder::buildSum(OpBuilder &b, Location l, Value row,
                                    Value col, Value begin, Value end,
                                    Value start, Value scale, Value zeroPoint) {
  auto sum = scf::ForOp::create(
      b, l, begin, end, one, ValueRange{start},
      [&](OpBuilder &nb, Location nl, Value j, ValueRange partial) {
        Value k = toIndex(nb, nl, rows, j);
        Value w = tensor::ExtractOp::create(nb, nl, values, j);
        if (m.columns)
          w = dequantize(nb, nl, w, scale, zeroPoint, m.codesSigned);
        Value x =
            tensor::ExtractOp::create(nb, nl, m.input, ValueRange{row, k});
        Value product = arith::MulFOp::create(nb, nl, x, w);
        scf::YieldOp::create(
            nb, nl,
            arith::AddFOp::create(nb, nl, partial[0], product).getResult());
      });
  return sum.getResult(0);
}

Value SparseMatmulBuilder::build() {
  starts = indexTensor(m.starts);
  rows = indexTensor(m.rows);
  values = arith::ConstantOp::create(rewriter, loc, m.values);
  if (m.columns) {
    scales = floatTensor(m.columns->scales);
    zeroPoints = floatTensor(m.columns->zeroPoints);
  }
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value rowCount = tensor::DimOp::create(rewriter, loc, m.init, 0);
  Value colCount = arith::ConstantIndexOp::create(rewriter, loc, m.channels);
  auto outer = scf::ForOp::create(
      rewriter, loc, zero, colCount, one, ValueRange{m.init},
      [&](OpBuilder &b, Location l, Value col, ValueRange acc) {
        Value begin = toIndex(b, l, starts, col);
        Value next = arith::AddIOp::create(b, l, col, one);
        Value end = toIndex(b, l, starts, next);
        Value scale, zeroPoint;
        if (m.columns) {
          scale = tensor::ExtractOp::create(b, l, scales, col);
          zeroPoint = tensor::ExtractOp::create(b, l, zeroPoints, col);
        }
        auto perRow = scf::ForOp::create(
            b, l, zero, rowCount, one, acc,
            [&](OpBuilder &rb, Location rl, Value row, ValueRange rowAcc) {
              Value start = tensor::ExtractOp::create(rb, rl, rowAcc[0],
                                                      ValueRange{row, col});
              Value sum = buildSum(rb, rl, row, col, begin, end, start, scale,
                                   zeroPoint);
              Value updated = tensor::InsertOp::create(rb, rl, sum, rowAcc[0],
                                                       ValueRange{row, col});
              scf::YieldOp::create(rb, rl, updated);
            });
        scf::YieldOp::create(b, l, perRow.getResult(0));
      });
  return outer.getResult(0);
}

namespace {
/// A matmul with mostly zero constant weights -> loops over the nonzeros.
struct CompressSparseWeights : OpRewritePattern<linalg::MatmulOp> {
  CompressSparseWeights(MLIRContext *ctx, double threshold)
      : OpRewritePattern(ctx), threshold(threshold) {}

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SparseMatmul> m = matchSparseMatmul(op, threshold, rewriter);
    if (failed(m))
      return failure();
    rewriter.replaceOp(op,
                       SparseMatmulBuilder(rewriter, op.getLoc(), *m).build());
    return success();
  }

  double threshold;
};
} // namespace

void qnn::populateCompressSparseWeightsPatterns(RewritePatternSet &patterns,
                                                double threshold) {
  patterns.add<CompressSparseWeights>(patterns.getContext(), threshold);
}
