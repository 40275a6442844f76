//===- KernelRuntimeWeights.cpp - Weights packed by the kernel ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the kernel computes at run time when it cannot at compile time: the
// packing (and corrections) of weights known only at run time (both
// operands of a matmul are activations, as in attention), and the per-row
// corrections of a residual weight zero point (PackedWeights).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// Emits `for (i = begin; i < end; i += step) body(i)`.
static void emitLoop(OpBuilder &b, Location loc, Value begin, Value end,
                     Value step, llvm::function_ref<void(Value)> body) {
  scf::ForOp::create(b, loc, begin, end, step, ValueRange{},
                     [&](OpBuilder &, Location, Value iv, ValueRange) {
                       body(iv);
                       scf::YieldOp::create(b, loc);
                     });
}

/// Emits a sum over [0, count) of `term(i)` (i32).
static Value emitSum(OpBuilder &b, Location loc, Value count,
                     llvm::function_ref<Value(Value)> term) {
  Value zero = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 0);
  Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, zeroIndex, count, one, ValueRange{zero},
      [&](OpBuilder &, Location, Value i, ValueRange acc) {
        scf::YieldOp::create(
            b, loc, ValueRange{arith::AddIOp::create(b, loc, acc[0], term(i))});
      });
  return loop.getResult(0);
}

Value KernelEmitter::allocateRuntimeBuffer(Type element, Value size) {
  auto type = MemRefType::get({ShapedType::kDynamic}, element);
  Value buffer = memref::AllocOp::create(b, loc, type, ValueRange{size},
                                         b.getI64IntegerAttr(64));
  runtimeBuffers.push_back(buffer);
  return buffer;
}

/// The indices of weight (k, n) in the weight buffer of its layout: k runs
/// over the window (row, column) and then the input channel, as the
/// packed panels of constant weights do (getWeightIndex).
SmallVector<Value> KernelEmitter::getRuntimeWeightIndices(Value k, Value n) {
  auto div = [&](Value v, int64_t d) -> Value {
    return arith::DivUIOp::create(b, loc, v, index(d));
  };
  auto rem = [&](Value v, int64_t d) -> Value {
    return arith::RemUIOp::create(b, loc, v, index(d));
  };
  if (c.layout == WeightLayout::KN)
    return {k, n};
  int64_t channels = c.inChannels, width = c.kernelW;
  Value channel = rem(k, channels), window = div(k, channels);
  Value row = div(window, width), column = rem(window, width);
  switch (c.layout) {
  case WeightLayout::HWCF:
    return {row, column, channel, n};
  case WeightLayout::FHWC:
    return {n, row, column, channel};
  case WeightLayout::FCHW:
    return {n, channel, row, column};
  default:
    llvm_unreachable("weights of this layout are not packed at run time");
  }
}

/// The packed weight p(k, n) = w(k, n) - packedZero of batch `batchIndex`,
/// as an i32; 0 outside the K x N weights.
Value KernelEmitter::loadRuntimeWeight(Value k, Value n) {
  Type i32 = b.getI32Type();
  auto less = [&](Value v, int64_t bound) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, v,
                                 index(bound));
  };
  Value inK = less(k, c.reduction), inN = less(n, c.channels);
  Value valid = arith::AndIOp::create(b, loc, inK, inN);
  Value kc = arith::SelectOp::create(b, loc, inK, k, index(0));
  Value nc = arith::SelectOp::create(b, loc, inN, n, index(0));
  SmallVector<Value> indices = getRuntimeWeightIndices(kc, nc);
  if (batchIndex)
    indices.insert(indices.begin(), batchIndex);
  Value code = memref::LoadOp::create(b, loc, c.weightBuffer, indices);
  Value wide = arith::ExtSIOp::create(b, loc, i32, code);
  Value packedZero =
      arith::ConstantIntOp::create(b, loc, i32, runtimePackedZero);
  Value p = arith::SubIOp::create(b, loc, wide, packedZero);
  Value zero = arith::ConstantIntOp::create(b, loc, i32, 0);
  return arith::SelectOp::create(b, loc, valid, p, zero);
}

void KernelEmitter::emitRuntimePacking(ModuleOp module, SymbolTable &symbols,
                                       const PackedWeights &weights) {
  runtimePackedZero = weights.packedZero;
  Type weightType = kernel.getWeightType(b.getContext());
  Type i32 = b.getI32Type();
  int64_t columnBlocks = paddedChannels / kernel.cols;
  packed = allocateRuntimeBuffer(weightType, index(c.batch * packedSize));
  Value sums = allocateRuntimeBuffer(i32, index(c.batch * paddedChannels));
  corrections = allocateRuntimeBuffer(i32, index(c.batch * paddedChannels));
  if (c.dynamicInputZero)
    columnSums = sums;
  // The initial value per channel, a constant table.
  SmallVector<int64_t> initial = getInitialValues(c, paddedChannels);
  Value initialTable;
  if (llvm::any_of(initial, [](int64_t v) { return v != 0; })) {
    SmallVector<int32_t> values(initial.begin(), initial.end());
    auto type = RankedTensorType::get({paddedChannels}, i32);
    initialTable = createConstantBuffer(
        b, loc, module, symbols, "__qnn_initial_values",
        DenseElementsAttr::get(type, ArrayRef<int32_t>(values)));
  }
  int64_t offset = kernel.getActivationOffset(c.inputSigned) + c.inputZero;
  int64_t rowTerm = c.reduction * offset * weights.residualZero;
  Value one = index(1);
  auto perBatch = [&](Value batch) {
    if (c.batched)
      batchIndex = batch;
    // [N/cols][K/kGroup][cols][kGroup], zero-padded.
    emitLoop(b, loc, index(0), index(columnBlocks), one, [&](Value block) {
      emitLoop(b, loc, index(0), index(groups), one, [&](Value group) {
        emitLoop(b, loc, index(0), index(kernel.cols), one, [&](Value col) {
          emitLoop(b, loc, index(0), index(kernel.kGroup), one, [&](Value s) {
            Value k = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(b, loc, group, index(kernel.kGroup)), s);
            Value n = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(b, loc, block, index(kernel.cols)), col);
            Value p = arith::TruncIOp::create(b, loc, weightType,
                                              loadRuntimeWeight(k, n));
            Value position = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(
                    b, loc,
                    arith::AddIOp::create(
                        b, loc,
                        arith::MulIOp::create(
                            b, loc,
                            arith::AddIOp::create(
                                b, loc,
                                arith::MulIOp::create(b, loc, block,
                                                      index(groups)),
                                group),
                            index(kernel.cols)),
                        col),
                    index(kernel.kGroup)),
                s);
            memref::StoreOp::create(b, loc, p, packed,
                                    addBatchOffset(position, packedSize));
          });
        });
      });
    });
    // Column sums, and the corrections they make.
    emitLoop(b, loc, index(0), index(paddedChannels), one, [&](Value n) {
      Value sum = emitSum(b, loc, index(c.reduction),
                          [&](Value k) { return loadRuntimeWeight(k, n); });
      Value position = addBatchOffset(n, paddedChannels);
      memref::StoreOp::create(b, loc, sum, sums, position);
      // init[n] - offset * sum + rowTerm, init read from a constant table.
      Value start =
          initialTable
              ? memref::LoadOp::create(b, loc, initialTable, n).getResult()
              : arith::ConstantIntOp::create(b, loc, i32, 0).getResult();
      Value scaled = arith::MulIOp::create(
          b, loc, sum, arith::ConstantIntOp::create(b, loc, i32, -offset));
      Value correction = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, start, scaled),
          arith::ConstantIntOp::create(b, loc, i32, rowTerm));
      memref::StoreOp::create(b, loc, correction, corrections, position);
    });
  };
  if (c.batched)
    emitLoop(b, loc, index(0), index(c.batch), one, perBatch);
  else
    perBatch(Value());
  batchIndex = Value();
}

void KernelEmitter::emitRowCorrections(int64_t residualZero) {
  Type i32 = b.getI32Type();
  Value rows = ShapedType::isStatic(c.rows)
                   ? index(c.rows)
                   : memref::DimOp::create(b, loc, c.output, 0).getResult();
  Value total = arith::MulIOp::create(b, loc, rows, index(c.batch));
  rowCorrections = allocateRuntimeBuffer(i32, total);
  int64_t delta = kernel.getActivationOffset(c.inputSigned);
  Value one = index(1);
  // -r * sum_k (x + delta).
  auto perBatch = [&](Value batch) {
    emitLoop(b, loc, index(0), rows, one, [&](Value m) {
      Value sum = emitSum(b, loc, index(c.reduction), [&](Value k) {
        SmallVector<Value> indices = {m, k};
        if (batch)
          indices.insert(indices.begin(), batch);
        Value x = memref::LoadOp::create(b, loc, c.input, indices);
        return c.inputSigned
                   ? arith::ExtSIOp::create(b, loc, i32, x).getResult()
                   : arith::ExtUIOp::create(b, loc, i32, x).getResult();
      });
      Value shifted = arith::AddIOp::create(
          b, loc, sum,
          arith::ConstantIntOp::create(b, loc, i32, c.reduction * delta));
      Value correction = arith::MulIOp::create(
          b, loc, shifted,
          arith::ConstantIntOp::create(b, loc, i32, -residualZero));
      Value position = m;
      if (batch)
        position = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, batch, rows), m);
      memref::StoreOp::create(b, loc, correction, rowCorrections, position);
    });
  };
  if (c.batched)
    emitLoop(b, loc, index(0), index(c.batch), one, perBatch);
  else
    perBatch(Value());
}

Value KernelEmitter::loadRowCorrection(Value row) {
  Value position = row;
  if (batchIndex)
    position = addBatchOffset(row, c.rows);
  return memref::LoadOp::create(b, loc, rowCorrections, position);
}

void KernelEmitter::freeRuntimeBuffers() {
  for (Value buffer : runtimeBuffers)
    memref::DeallocOp::create(b, loc, buffer);
}
