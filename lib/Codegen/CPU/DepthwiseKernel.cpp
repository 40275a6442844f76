//===- DepthwiseKernel.cpp - Depthwise convolutions on vectors ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "DepthwiseKernel.h"
#include "KernelEmitter.h"
#include "qnn/Codegen/CPU/IR/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
/// The packed weights and corrections of a depthwise convolution.
struct DepthwiseWeights {
  /// [KH * KW][paddedChannels], widened to i32 (or f32).
  DenseElementsAttr weights;
  /// Per padded channel, added when the accumulators start; null when all
  /// zero.
  DenseElementsAttr corrections;
  /// Per padded channel, the sum of the packed weights, which a run-time
  /// activation zero point multiplies; null without one.
  DenseElementsAttr columnSums;
};

/// Emits the loops of one depthwise convolution.
class DepthwiseEmitter {
public:
  DepthwiseEmitter(OpBuilder &b, const KernelContraction &c, int64_t lanes)
      : b(b), loc(c.op->getLoc()), c(c), lanes(lanes),
        paddedChannels(llvm::divideCeil(c.channels, lanes) * lanes) {}

  DepthwiseWeights pack() const;
  void emit(ModuleOp module, SymbolTable &symbols,
            const DepthwiseWeights &weights);

private:
  /// One output pixel: its output indices without the channel, and the
  /// top-left input coordinates of its window.
  struct Pixel {
    Value n, oh, ow, top, left;
  };

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Pixel getPixel(Value row);
  void emitRows(Value begin, Value end, int64_t pixels);
  void emitChannelBlock(ArrayRef<Pixel> pixels, Value col, int64_t valid);
  Value loadCorrection(Value col);
  Value loadVector(Value memref, ValueRange indices, VectorType type,
                   int64_t valid);
  void storeVector(Value value, Value memref, ValueRange indices,
                   int64_t valid);

  OpBuilder &b;
  Location loc;
  const KernelContraction &c;
  int64_t lanes, paddedChannels;
  Value packed, corrections, columnSums;
  std::optional<KernelEpilogue> epilogue;
};
} // namespace

DepthwiseWeights DepthwiseEmitter::pack() const {
  MLIRContext *ctx = c.weights.getContext();
  auto vector = [&](int64_t size, Type element) {
    return RankedTensorType::get({size}, element);
  };
  DepthwiseWeights result;
  int64_t size = c.reduction * paddedChannels;
  if (c.isFloat) {
    SmallVector<float> packedValues(size, 0.0f);
    auto values = c.weights.getValues<float>();
    for (int64_t k = 0; k < c.reduction; ++k)
      for (int64_t n = 0; n < c.channels; ++n)
        packedValues[k * paddedChannels + n] = values[c.getWeightIndex(k, n)];
    Type f32 = Float32Type::get(ctx);
    result.weights = DenseElementsAttr::get(vector(size, f32),
                                            ArrayRef<float>(packedValues));
    if (!c.init)
      return result;
    SmallVector<float> initial(paddedChannels, 0.0f);
    for (auto [n, value] : llvm::enumerate(c.initValues))
      initial[n] = cast<FloatAttr>(value).getValue().convertToFloat();
    result.corrections = DenseElementsAttr::get(vector(paddedChannels, f32),
                                                ArrayRef<float>(initial));
    return result;
  }
  SmallVector<int64_t> weights = getOffsetWeights(c);
  SmallVector<int32_t> packedValues(size, 0);
  SmallVector<int64_t> sums(paddedChannels, 0);
  for (int64_t k = 0; k < c.reduction; ++k) {
    for (int64_t n = 0; n < c.channels; ++n) {
      int64_t w = weights[k * c.channels + n];
      packedValues[k * paddedChannels + n] = static_cast<int32_t>(w);
      sums[n] += w;
    }
  }
  Type i32 = IntegerType::get(ctx, 32);
  auto wrap = [](int64_t v) {
    return static_cast<int32_t>(static_cast<uint32_t>(v));
  };
  result.weights = DenseElementsAttr::get(vector(size, i32),
                                          ArrayRef<int32_t>(packedValues));
  SmallVector<int32_t> corrections(paddedChannels, 0);
  for (int64_t n = 0; n < paddedChannels; ++n) {
    int64_t start =
        c.init && n < c.channels
            ? cast<IntegerAttr>(c.initValues[n]).getValue().getSExtValue()
            : 0;
    corrections[n] = wrap(start - c.inputZero * sums[n]);
  }
  if (llvm::any_of(corrections, [](int32_t v) { return v != 0; }))
    result.corrections = DenseElementsAttr::get(vector(paddedChannels, i32),
                                                ArrayRef<int32_t>(corrections));
  if (c.dynamicInputZero) {
    SmallVector<int32_t> wrapped = llvm::map_to_vector(sums, wrap);
    result.columnSums = DenseElementsAttr::get(vector(paddedChannels, i32),
                                               ArrayRef<int32_t>(wrapped));
  }
  return result;
}

void DepthwiseEmitter::emit(ModuleOp module, SymbolTable &symbols,
                            const DepthwiseWeights &weights) {
  epilogue =
      KernelEpilogue::match(c.op, c.output, c.channels, c.getChannelDim());
  if (epilogue && failed(epilogue->hoistOperands(c.op)))
    epilogue.reset();
  b.setInsertionPoint(c.op);
  auto addGlobal = [&](StringRef name, DenseElementsAttr value) {
    return createConstantBuffer(b, loc, module, symbols, name, value);
  };
  packed = addGlobal("__qnn_packed_weights", weights.weights);
  if (weights.corrections)
    corrections = addGlobal("__qnn_corrections", weights.corrections);
  if (weights.columnSums)
    columnSums = addGlobal("__qnn_column_sums", weights.columnSums);
  // Tiles of four pixels share each weight vector; the last rows one by
  // one.
  const int64_t tilePixels = 4;
  Value rows;
  if (ShapedType::isStatic(c.rows)) {
    rows = index(c.rows);
  } else {
    Value batch = memref::DimOp::create(b, loc, c.output, 0);
    rows = arith::MulIOp::create(b, loc, batch, index(c.outH * c.outW));
  }
  Value tiles = arith::DivUIOp::create(b, loc, rows, index(tilePixels));
  Value mainEnd = arith::MulIOp::create(b, loc, tiles, index(tilePixels));
  emitRows(index(0), mainEnd, tilePixels);
  emitRows(mainEnd, rows, 1);
  eraseKernelContraction(c, epilogue);
}

DepthwiseEmitter::Pixel DepthwiseEmitter::getPixel(Value row) {
  Value perImage = index(c.outH * c.outW);
  Pixel p;
  p.n = arith::DivUIOp::create(b, loc, row, perImage);
  Value pixel = arith::RemUIOp::create(b, loc, row, perImage);
  p.oh = arith::DivUIOp::create(b, loc, pixel, index(c.outW));
  p.ow = arith::RemUIOp::create(b, loc, pixel, index(c.outW));
  p.top = arith::MulIOp::create(b, loc, p.oh, index(c.strideH));
  p.left = arith::MulIOp::create(b, loc, p.ow, index(c.strideW));
  return p;
}

void DepthwiseEmitter::emitRows(Value begin, Value end, int64_t pixels) {
  scf::ForOp::create(
      b, loc, begin, end, index(pixels), ValueRange{},
      [&](OpBuilder &, Location, Value row, ValueRange) {
        SmallVector<Pixel> tile;
        for (int64_t p = 0; p < pixels; ++p)
          tile.push_back(
              getPixel(arith::AddIOp::create(b, loc, row, index(p))));
        int64_t full = c.channels / lanes * lanes;
        if (full > 0)
          scf::ForOp::create(b, loc, index(0), index(full), index(lanes),
                             ValueRange{},
                             [&](OpBuilder &, Location, Value col, ValueRange) {
                               emitChannelBlock(tile, col, lanes);
                               scf::YieldOp::create(b, loc);
                             });
        if (full < c.channels)
          emitChannelBlock(tile, index(full), c.channels - full);
        scf::YieldOp::create(b, loc);
      });
}

Value DepthwiseEmitter::loadVector(Value memref, ValueRange indices,
                                   VectorType type, int64_t valid) {
  if (valid == lanes)
    return vector::LoadOp::create(b, loc, type, memref, indices);
  Value zeros =
      arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
  return vector::MaskedLoadOp::create(b, loc, type, memref, indices,
                                      buildPrefixMask(b, loc, lanes, valid),
                                      zeros);
}

void DepthwiseEmitter::storeVector(Value value, Value memref,
                                   ValueRange indices, int64_t valid) {
  if (valid == lanes) {
    vector::StoreOp::create(b, loc, value, memref, indices);
    return;
  }
  vector::MaskedStoreOp::create(b, loc, memref, indices,
                                buildPrefixMask(b, loc, lanes, valid), value);
}

/// The corrections of the channels from `col`, minus a run-time zero point
/// times the weight sums; null when there are none.
Value DepthwiseEmitter::loadCorrection(Value col) {
  Type element = c.isFloat ? Type(b.getF32Type()) : Type(b.getI32Type());
  auto type = VectorType::get({lanes}, element);
  Value correction;
  if (corrections)
    correction = vector::LoadOp::create(b, loc, type, corrections, col);
  if (!columnSums)
    return correction;
  Value zero = vector::BroadcastOp::create(b, loc, type, c.dynamicInputZero);
  Value sums = vector::LoadOp::create(b, loc, type, columnSums, col);
  Value term = arith::MulIOp::create(b, loc, zero, sums);
  Value zeros =
      arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
  return arith::SubIOp::create(b, loc, correction ? correction : zeros, term);
}

void DepthwiseEmitter::emitChannelBlock(ArrayRef<Pixel> pixels, Value col,
                                        int64_t valid) {
  Type accElement = c.isFloat ? Type(b.getF32Type()) : Type(b.getI32Type());
  Type inElement = cast<MemRefType>(c.input.getType()).getElementType();
  auto accType = VectorType::get({lanes}, accElement);
  auto inType = VectorType::get({lanes}, inElement);
  auto add = [&](Value lhs, Value rhs) -> Value {
    if (c.isFloat)
      return arith::AddFOp::create(b, loc, lhs, rhs);
    return arith::AddIOp::create(b, loc, lhs, rhs);
  };
  // Start from the corrections, which hold the initial value when it is
  // folded; otherwise from the outputs.
  Value correction = loadCorrection(col);
  SmallVector<Value> accs;
  for (const Pixel &p : pixels) {
    if (c.init) {
      accs.push_back(correction);
      continue;
    }
    Value out = loadVector(c.output, {p.n, p.oh, p.ow, col}, accType, valid);
    accs.push_back(correction ? add(out, correction) : out);
  }
  auto window = [&](Value kh, Value kw, ValueRange iterAccs) {
    Value tap = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, kh, index(c.kernelW)), kw);
    Value offset = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, tap, index(paddedChannels)), col);
    Value w = vector::LoadOp::create(b, loc, accType, packed, offset);
    Value dy = arith::MulIOp::create(b, loc, kh, index(c.dilationH));
    Value dx = arith::MulIOp::create(b, loc, kw, index(c.dilationW));
    SmallVector<Value> result;
    for (auto [p, acc] : llvm::zip(pixels, iterAccs)) {
      Value y = arith::AddIOp::create(b, loc, p.top, dy);
      Value x = arith::AddIOp::create(b, loc, p.left, dx);
      Value in = loadVector(c.input, {p.n, y, x, col}, inType, valid);
      if (c.isFloat) {
        Value product = arith::MulFOp::create(b, loc, in, w);
        result.push_back(arith::AddFOp::create(b, loc, acc, product));
        continue;
      }
      Value wide =
          c.inputSigned
              ? arith::ExtSIOp::create(b, loc, accType, in).getResult()
              : arith::ExtUIOp::create(b, loc, accType, in).getResult();
      Value product = arith::MulIOp::create(b, loc, wide, w);
      result.push_back(arith::AddIOp::create(b, loc, acc, product));
    }
    return result;
  };
  // When no correction or output starts an accumulator (zero initial
  // value), start from zeros.
  for (Value &acc : accs)
    if (!acc)
      acc = arith::ConstantOp::create(b, loc,
                                      cast<TypedAttr>(b.getZeroAttr(accType)));
  auto rowsLoop = scf::ForOp::create(
      b, loc, index(0), index(c.kernelH), index(1), accs,
      [&](OpBuilder &, Location, Value kh, ValueRange rowAccs) {
        auto colsLoop = scf::ForOp::create(
            b, loc, index(0), index(c.kernelW), index(1), rowAccs,
            [&](OpBuilder &, Location, Value kw, ValueRange tapAccs) {
              scf::YieldOp::create(b, loc, window(kh, kw, tapAccs));
            });
        scf::YieldOp::create(b, loc, colsLoop.getResults());
      });
  for (auto [p, acc] : llvm::zip(pixels, rowsLoop.getResults())) {
    Value result = acc;
    Value target = c.output;
    if (epilogue) {
      result = epilogue->apply(b, loc, acc, {p.n, p.oh, p.ow}, col, valid);
      target = epilogue->getOutput();
    }
    storeVector(result, target, {p.n, p.oh, p.ow, col}, valid);
  }
}

LogicalResult cpu::emitDepthwiseKernel(const KernelContraction &c,
                                       Target target, ModuleOp module,
                                       SymbolTable &symbols,
                                       std::string &reason) {
  int64_t bits = getVectorBits(target);
  if (bits == 0) {
    reason = "target '" + stringifyTarget(target).str() +
             "' has no vector registers for depthwise convolutions";
    return failure();
  }
  if (c.rows == 0 || c.channels == 0 || c.reduction == 0) {
    reason = "the contraction is empty";
    return failure();
  }
  OpBuilder b(c.op);
  DepthwiseEmitter emitter(b, c, bits / 32);
  emitter.emit(module, symbols, emitter.pack());
  return success();
}
