//===- KernelContraction.cpp - Contractions the kernels handle ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// Matches `widen(arg) [- constant]`.
/// With `dynamicZero`, the zero point may also be a value defined before
/// the contraction (dynamic quantization's), returned there.
bool matchWidened(Value value, Value arg, bool &isSigned, int64_t &zero,
                  Value *dynamicZero = nullptr) {
  zero = 0;
  if (auto sub = value.getDefiningOp<arith::SubIOp>()) {
    APInt constant;
    if (matchPattern(sub.getRhs(), m_ConstantInt(&constant))) {
      zero = constant.getSExtValue();
    } else if (dynamicZero &&
               sub.getRhs().getParentRegion() != arg.getParentRegion()) {
      *dynamicZero = sub.getRhs();
    } else {
      return false;
    }
    value = sub.getLhs();
  }
  if (auto ext = value.getDefiningOp<arith::ExtSIOp>()) {
    isSigned = true;
    return ext.getIn() == arg;
  }
  if (auto ext = value.getDefiningOp<arith::ExtUIOp>()) {
    isSigned = false;
    return ext.getIn() == arg;
  }
  return false;
}

/// Matches the body `out + widen(x) [- zx] * widen(w) [- zw]` on i8 x i8
/// into i32.
bool matchBody(linalg::LinalgOp op, KernelContraction &c) {
  if (op->getNumRegions() != 1 || op->getRegion(0).empty())
    return false;
  Block &body = op->getRegion(0).front();
  if (body.getNumArguments() != 3)
    return false;
  Value x = body.getArgument(0), w = body.getArgument(1),
        out = body.getArgument(2);
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getValues().size() != 1)
    return false;
  Value sum = yield.getValues()[0];
  // The product added to the output.
  auto addend = [&](Value lhs, Value rhs) -> Value {
    if (lhs == out)
      return rhs;
    return rhs == out ? lhs : Value();
  };
  // f32: out + x * w, as the portable loops compute it.
  if (x.getType().isF32() && w.getType().isF32() && out.getType().isF32()) {
    auto add = sum.getDefiningOp<arith::AddFOp>();
    if (!add)
      return false;
    Value product = addend(add.getLhs(), add.getRhs());
    auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
    if (!mul || !((mul.getLhs() == x && mul.getRhs() == w) ||
                  (mul.getLhs() == w && mul.getRhs() == x)))
      return false;
    c.isFloat = true;
    return true;
  }
  if (!x.getType().isInteger(8) || !w.getType().isInteger(8) ||
      !out.getType().isInteger(32))
    return false;
  auto add = sum.getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  Value product = addend(add.getLhs(), add.getRhs());
  auto mul = product ? product.getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return false;
  for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())}) {
    c.dynamicInputZero = {};
    if (matchWidened(a, x, c.inputSigned, c.inputZero,
                     &c.dynamicInputZero) &&
        matchWidened(b, w, c.weightSigned, c.weightZero))
      return true;
  }
  return false;
}

/// The coefficient of dimension `dim` in the pure affine `expr`.
std::optional<int64_t> getCoefficient(AffineExpr expr, unsigned dim,
                                      unsigned numDims) {
  MLIRContext *ctx = expr.getContext();
  SmallVector<AffineExpr> values(numDims, getAffineConstantExpr(0, ctx));
  values[dim] = getAffineConstantExpr(1, ctx);
  auto constant = dyn_cast<AffineConstantExpr>(
      simplifyAffineExpr(expr.replaceDims(values), numDims, 0));
  if (!constant)
    return std::nullopt;
  return constant.getValue();
}

/// Matches the indexing maps of a matmul or an NHWC x HWCF convolution and
/// records the shape.
bool matchMaps(linalg::LinalgOp op, KernelContraction &c) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  MLIRContext *ctx = op.getContext();
  auto inputType = cast<MemRefType>(c.input.getType());
  auto outputType = cast<MemRefType>(c.output.getType());
  ArrayRef<int64_t> weightShape = c.weights.getType().getShape();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;

  if (maps[0].getNumDims() == 3) {
    // Weights K x N, or N x K as PyTorch stores a Linear's.
    c.weightsTransposed = maps[1] == AffineMap::get(3, 0, {d(1), d(2)}, ctx);
    if (iterators != SmallVector<utils::IteratorType>{par, par, red} ||
        maps[0] != AffineMap::get(3, 0, {d(0), d(2)}, ctx) ||
        (!c.weightsTransposed &&
         maps[1] != AffineMap::get(3, 0, {d(2), d(1)}, ctx)) ||
        maps[2] != AffineMap::get(3, 0, {d(0), d(1)}, ctx))
      return false;
    c.rows = outputType.getDimSize(0);
    c.channels = outputType.getDimSize(1);
    c.reduction = inputType.getDimSize(1);
    return true;
  }
  if (maps[0].getNumDims() != 7 || maps[0].getNumResults() != 4 ||
      iterators != SmallVector<utils::IteratorType>{par, par, par, par, red,
                                                    red, red})
    return false;
  // NHWC: (n, oh, ow, f, kh, kw, c): input (n, oh*sh + kh*dh,
  // ow*sw + kw*dw, c), filter (kh, kw, c, f), output (n, oh, ow, f).
  // NCHW: (n, f, oh, ow, c, kh, kw): input (n, c, oh*sh + kh*dh,
  // ow*sw + kw*dw), filter (f, c, kh, kw), output (n, f, oh, ow).
  c.nchw = maps[2] == AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx) &&
           maps[1] == AffineMap::get(7, 0, {d(1), d(4), d(5), d(6)}, ctx);
  unsigned oh = c.nchw ? 2 : 1, ow = oh + 1, kh = c.nchw ? 5 : 4,
           kw = kh + 1, ch = c.nchw ? 4 : 6;
  if (!c.nchw &&
      (maps[1] != AffineMap::get(7, 0, {d(4), d(5), d(6), d(3)}, ctx) ||
       maps[2] != AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)))
    return false;
  unsigned hPos = c.nchw ? 2 : 1;
  AffineExpr h = maps[0].getResult(hPos), w = maps[0].getResult(hPos + 1);
  std::optional<int64_t> sh = getCoefficient(h, oh, 7),
                         dh = getCoefficient(h, kh, 7),
                         sw = getCoefficient(w, ow, 7),
                         dw = getCoefficient(w, kw, 7);
  if (!sh || !dh || !sw || !dw)
    return false;
  AffineExpr hExpr = d(oh) * *sh + d(kh) * *dh,
             wExpr = d(ow) * *sw + d(kw) * *dw;
  SmallVector<AffineExpr> input =
      c.nchw ? SmallVector<AffineExpr>{d(0), d(ch), hExpr, wExpr}
             : SmallVector<AffineExpr>{d(0), hExpr, wExpr, d(ch)};
  if (maps[0] != AffineMap::get(7, 0, input, ctx))
    return false;
  c.isConv = true;
  c.strideH = *sh;
  c.strideW = *sw;
  c.dilationH = *dh;
  c.dilationW = *dw;
  c.outH = outputType.getDimSize(c.nchw ? 2 : 1);
  c.outW = outputType.getDimSize(c.nchw ? 3 : 2);
  c.kernelH = weightShape[c.nchw ? 2 : 0];
  c.kernelW = weightShape[c.nchw ? 3 : 1];
  c.inChannels = weightShape[c.nchw ? 1 : 2];
  c.rows = outputType.getDimSize(0) * c.outH * c.outW;
  c.channels = weightShape[c.nchw ? 0 : 3];
  c.reduction = c.kernelH * c.kernelW * c.inChannels;
  return true;
}

/// Records the initial value of the accumulators when the only earlier
/// user of the output sets it to one constant per channel: a linalg.fill
/// with a constant, or a linalg.broadcast of a constant global along the
/// channels.
void matchInitialValue(KernelContraction &c) {
  Operation *init = nullptr;
  for (Operation *user : c.output.getUsers()) {
    if (user == c.op.getOperation())
      continue;
    Operation *ancestor = c.op->getBlock()->findAncestorOpInBlock(*user);
    if (!ancestor)
      return;
    if (c.op->isBeforeInBlock(ancestor))
      continue;
    if (ancestor != user)
      return;
    if (init)
      return;
    init = user;
  }
  if (!init)
    return;
  int64_t rank = cast<MemRefType>(c.output.getType()).getRank();
  if (auto fill = dyn_cast<linalg::FillOp>(init)) {
    Attribute value;
    if (fill.getOutputs()[0] != c.output ||
        !matchPattern(fill.getInputs()[0], m_Constant(&value)) ||
        !isa<IntegerAttr, FloatAttr>(value) ||
        cast<TypedAttr>(value).getType() !=
            cast<MemRefType>(c.output.getType()).getElementType())
      return;
    c.initValues.assign(c.channels, value);
  } else if (auto broadcast = dyn_cast<linalg::BroadcastOp>(init)) {
    SmallVector<int64_t> others;
    for (int64_t d = 0; d < rank; ++d)
      if (d != c.getChannelDim())
        others.push_back(d);
    if (broadcast.getInit() != c.output ||
        broadcast.getDimensions() != ArrayRef<int64_t>(others))
      return;
    auto getGlobal =
        broadcast.getInput().getDefiningOp<memref::GetGlobalOp>();
    if (!getGlobal)
      return;
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        init, getGlobal.getNameAttr());
    if (!global || !global.getConstant())
      return;
    auto values =
        dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
    if (!values || values.getNumElements() != c.channels ||
        values.getElementType() !=
            cast<MemRefType>(c.output.getType()).getElementType())
      return;
    llvm::append_range(c.initValues, values.getValues<Attribute>());
  } else {
    return;
  }
  c.init = init;
}

} // namespace

std::optional<KernelContraction>
qnn::matchKernelContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return std::nullopt;
  KernelContraction c;
  c.op = op;
  c.input = op.getDpsInputOperand(0)->get();
  c.output = op.getDpsInitOperand(0)->get();
  auto getGlobal = op.getDpsInputOperand(1)->get()
                       .getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      op, getGlobal.getNameAttr());
  if (!global || !global.getConstant())
    return std::nullopt;
  c.weights =
      dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
  auto inputType = dyn_cast<MemRefType>(c.input.getType());
  auto outputType = dyn_cast<MemRefType>(c.output.getType());
  if (!c.weights || !inputType || !outputType ||
      !inputType.hasStaticShape() || !outputType.hasStaticShape() ||
      !inputType.isLastDimUnitStride() || !outputType.isLastDimUnitStride())
    return std::nullopt;
  if (!matchBody(op, c) || !matchMaps(op, c) ||
      c.weights.getElementType() != cast<MemRefType>(c.input.getType())
                                        .getElementType())
    return std::nullopt;
  matchInitialValue(c);
  return c;
}

int64_t KernelContraction::getWeightIndex(int64_t k, int64_t n) const {
  if (nchw) {
    // k runs over (kh, kw, c); the filter is [F][C][KH][KW].
    int64_t window = k / inChannels, channel = k % inChannels;
    return (n * inChannels + channel) * kernelH * kernelW + window;
  }
  // [K][N] and [KH][KW][C][F] are k-major; transposed weights [N][K].
  return weightsTransposed ? n * reduction + k : k * channels + n;
}

SmallVector<int64_t> qnn::getOffsetWeights(const KernelContraction &c) {
  auto codes = c.weights.getValues<APInt>();
  SmallVector<int64_t> values(c.reduction * c.channels);
  for (int64_t k = 0; k < c.reduction; ++k)
    for (int64_t n = 0; n < c.channels; ++n) {
      APInt v = codes[c.getWeightIndex(k, n)];
      values[k * c.channels + n] =
          (c.weightSigned ? v.getSExtValue() : v.getZExtValue()) -
          c.weightZero;
    }
  return values;
}

