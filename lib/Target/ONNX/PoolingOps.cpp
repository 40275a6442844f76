//===- PoolingOps.cpp - MaxPool, AveragePool, GlobalAveragePool -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// 2-D pooling of NCHW floats as `linalg.pooling_nchw_max` and
// `linalg.pooling_nchw_sum`, the sum divided by the number of elements each
// window reads (padding counted only with `count_include_pad`).
//
//===----------------------------------------------------------------------===//

#include "Contraction.h"
#include "GraphImporter.h"
#include "IRBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

namespace {
/// The windows of a 2-D pooling.
struct PoolGeometry {
  SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd;
  SmallVector<int64_t> resultShape;
};
} // namespace

static FailureOr<PoolGeometry> getPoolGeometry(GraphImporter &im,
                                               ArrayRef<int64_t> x) {
  if (x.size() != 4)
    return im.emitNodeError() << "only 2-D pooling of NCHW inputs is "
                                 "supported";
  PoolGeometry g;
  g.kernel = im.getInts("kernel_shape");
  if (g.kernel.size() != 2)
    return im.emitNodeError() << "kernel_shape must give two dimensions";
  g.strides = im.getInts("strides");
  if (g.strides.empty())
    g.strides = {1, 1};
  g.dilations = im.getInts("dilations");
  if (g.dilations.empty())
    g.dilations = {1, 1};
  if (g.strides.size() != 2 || g.dilations.size() != 2)
    return im.emitNodeError() << "strides and dilations must give two "
                                 "dimensions";
  for (ArrayRef<int64_t> values :
       {ArrayRef<int64_t>(g.kernel), ArrayRef<int64_t>(g.strides),
        ArrayRef<int64_t>(g.dilations)})
    if (llvm::any_of(values, [](int64_t v) { return v < 1; }))
      return im.emitNodeError() << "kernel sizes, strides and dilations "
                                   "must be positive";
  if (failed(resolvePads(im, x.drop_front(2), g.kernel, g.strides, g.dilations,
                         g.padBegin, g.padEnd)))
    return failure();
  bool ceilMode = im.getInt("ceil_mode", 0);
  g.resultShape = {x[0], x[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t extent = (g.kernel[i] - 1) * g.dilations[i] + 1;
    int64_t padded = x[2 + i] + g.padBegin[i] + g.padEnd[i];
    if (padded < extent)
      return im.emitNodeError() << "the window is larger than the input";
    int64_t span = padded - extent;
    // With ceil_mode, a last window that overhangs the input would read
    // fewer elements; only the case where none does is supported.
    if (ceilMode && span % g.strides[i] != 0)
      return im.emitNodeError()
             << "ceil_mode with windows that overhang the input is not "
                "supported";
    g.resultShape[2 + i] = span / g.strides[i] + 1;
  }
  return g;
}

/// Builds `PoolOp` over `x` padded with `padValue` into `init`.
template <typename PoolOp>
static Value buildPool(OpBuilder &b, Location loc, Value x,
                       const PoolGeometry &g, Value padValue, Value init) {
  Value padded = padTrailing(b, loc, x, g.padBegin, g.padEnd, padValue);
  Value window = tensor::EmptyOp::create(b, loc, g.kernel, b.getF32Type());
  return PoolOp::create(b, loc, init.getType(), ValueRange{padded, window},
                        init, b.getI64TensorAttr(g.strides),
                        b.getI64TensorAttr(g.dilations))
      .getResult(0);
}

static LogicalResult importMaxPool(GraphImporter &im) {
  if (failed(im.checkAttributes({"auto_pad", "ceil_mode", "dilations",
                                 "kernel_shape", "pads", "storage_order",
                                 "strides"})))
    return failure();
  if (im.getNode().output_size() > 1 && !im.getNode().output(1).empty())
    return im.emitNodeError() << "the Indices output is not supported";
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  if (failed(x))
    return failure();
  FailureOr<PoolGeometry> g = getPoolGeometry(im, x->getShape());
  if (failed(g))
    return failure();
  OpBuilder &b = im.b;
  Value lowest = createScalarConstant(b, im.loc, b.getF32Type(),
                                      -std::numeric_limits<double>::infinity());
  Value init = createFilled(b, im.loc, g->resultShape, lowest);
  Value y = buildPool<linalg::PoolingNchwMaxOp>(b, im.loc, x->value, *g, lowest,
                                                init);
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

/// Divides the window sums `sum` by the number of elements each window
/// read: `count` for all, or the constant per-position `counts`.
static Value divideByCounts(OpBuilder &b, Location loc, Value sum,
                            const PoolGeometry &g, ArrayRef<int64_t> input,
                            bool includePad) {
  auto type = cast<RankedTensorType>(sum.getType());
  bool padded = llvm::any_of(g.padBegin, [](int64_t p) { return p != 0; }) ||
                llvm::any_of(g.padEnd, [](int64_t p) { return p != 0; });
  Type f32 = b.getF32Type();
  if (!padded || includePad) {
    Value count = createScalarConstant(b, loc, f32, g.kernel[0] * g.kernel[1]);
    return buildBroadcastElementwise(
        b, loc, sum, type.getShape(), f32,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(nb, l, args[0], count);
        });
  }
  // The elements of each window that are not padding.
  int64_t oh = g.resultShape[2], ow = g.resultShape[3];
  SmallVector<float> counts;
  for (int64_t i = 0; i < oh; ++i) {
    for (int64_t j = 0; j < ow; ++j) {
      int64_t n = 0;
      for (int64_t ki = 0; ki < g.kernel[0]; ++ki) {
        for (int64_t kj = 0; kj < g.kernel[1]; ++kj) {
          int64_t r = i * g.strides[0] + ki * g.dilations[0] - g.padBegin[0];
          int64_t c = j * g.strides[1] + kj * g.dilations[1] - g.padBegin[1];
          n += r >= 0 && r < input[2] && c >= 0 && c < input[3];
        }
      }
      counts.push_back(n);
    }
  }
  auto countType = RankedTensorType::get({oh, ow}, f32);
  Value countTensor = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(countType, ArrayRef<float>(counts)));
  return buildBroadcastElementwise(
      b, loc, ValueRange{sum, countTensor}, type.getShape(), f32,
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::DivFOp::create(nb, l, args[0], args[1]);
      });
}

static LogicalResult importAveragePool(GraphImporter &im) {
  if (failed(
          im.checkAttributes({"auto_pad", "ceil_mode", "count_include_pad",
                              "dilations", "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Tensor> x = im.getFloatInput(0, "X");
  if (failed(x))
    return failure();
  FailureOr<PoolGeometry> g = getPoolGeometry(im, x->getShape());
  if (failed(g))
    return failure();
  OpBuilder &b = im.b;
  Value zero = createScalarConstant(b, im.loc, b.getF32Type(), 0.0);
  Value init = createFilled(b, im.loc, g->resultShape, zero);
  Value sum =
      buildPool<linalg::PoolingNchwSumOp>(b, im.loc, x->value, *g, zero, init);
  Value y = divideByCounts(b, im.loc, sum, *g, x->getShape(),
                           im.getInt("count_include_pad", 0));
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

static LogicalResult importGlobalAveragePool(GraphImporter &im) {
  if (failed(im.checkAttributes({})))
    return failure();
  FailureOr<Tensor> x = im.getInput(0, "X");
  if (failed(x))
    return failure();
  if (x->type != kFloat || x->getRank() != 4)
    return im.emitNodeError() << "only float NCHW inputs are supported";
  ArrayRef<int64_t> shape = x->getShape();
  PoolGeometry g;
  g.kernel = {shape[2], shape[3]};
  g.strides = {1, 1};
  g.dilations = {1, 1};
  g.padBegin = {0, 0};
  g.padEnd = {0, 0};
  g.resultShape = {shape[0], shape[1], 1, 1};
  OpBuilder &b = im.b;
  Value zero = createScalarConstant(b, im.loc, b.getF32Type(), 0.0);
  Value init = createFilled(b, im.loc, g.resultShape, zero);
  Value sum =
      buildPool<linalg::PoolingNchwSumOp>(b, im.loc, x->value, g, zero, init);
  Value y = divideByCounts(b, im.loc, sum, g, shape, false);
  im.setOutput(0, Tensor::get(y, kFloat));
  return success();
}

void onnx_import::addPoolingImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table) {
  table["MaxPool"] = importMaxPool;
  table["AveragePool"] = importAveragePool;
  table["GlobalAveragePool"] = importGlobalAveragePool;
}
