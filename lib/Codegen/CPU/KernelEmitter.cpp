//===- KernelEmitter.cpp - Register-tiled loops around a microkernel ------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Blocking of the reduction, fusion of the epilogue, the packed globals and
// the loops over register tiles (the tiles are in KernelTile.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

LogicalResult cpu::checkKernelApplies(const KernelContraction &c,
                                      const Microkernel &kernel,
                                      std::string &reason) {
  // An empty reduction must still write the initial value, which no tile
  // would visit.
  if (c.rows == 0 || c.channels == 0 || c.reduction == 0) {
    reason = "the contraction is empty";
    return failure();
  }
  return success();
}

Value KernelEmitter::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value KernelEmitter::addBatchOffset(Value offset, int64_t perBatch) {
  if (!batchIndex)
    return offset;
  Value start = arith::MulIOp::create(b, loc, batchIndex, index(perBatch));
  return arith::AddIOp::create(b, loc, start, offset);
}

Value KernelEmitter::add(Value lhs, Value rhs) {
  if (kernel.isFloat)
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

void KernelEmitter::plan() {
  int64_t kGroup = kernel.kGroup;
  PackingLayout layout(kernel, c);
  groups = layout.groups;
  packedSize = layout.getSize();
  paddedChannels = layout.getPaddedChannels();
  channelGroups = layout.channelGroups;
  // At most blockBytes of packed weights per block of a main tile's panel.
  int64_t groupBits =
      kernel.tileCols * kernel.cols * kGroup * kernel.weightBits;
  int64_t rowGroups = c.kernelW * channelGroups;
  blockStep =
      std::max<int64_t>(1, kernel.blockBytes * 8 /
                               (c.isConv ? rowGroups * groupBits : groupBits));
  // NCHW reductions run channels outermost: blocks of window rows would
  // reorder the f32 sums.
  if (c.nchw)
    blockStep = c.kernelH;
  fullGroups = c.reduction / kGroup;
  blocks = c.isConv ? c.kernelH : fullGroups;
  hasTail = !c.isConv && c.reduction % kGroup != 0;
  // The requantization (or any element-wise consumer) joins the stores
  // when the outputs are final after one pass over the reduction.
  bool singleBlock = hasTail ? blocks == 0 : blocks <= blockStep;
  if (!singleBlock)
    return;
  epilogue =
      KernelEpilogue::match(c.op, c.output, c.channels, c.getChannelDim());
  if (epilogue && failed(epilogue->hoistOperands(c.op)))
    epilogue.reset();
  if (!epilogue || !packSigns)
    return;
  std::string reason = epilogue->matchSignPacking(c.op, kernel.cols);
  if (!reason.empty())
    emitRemark(loc) << "signs packed after the kernel: " << reason;
  else if (epilogue->packsSigns())
    emitRemark(loc) << "the kernel writes the signs of its output packed, "
                       "for the next binary layer";
}

Value cpu::createConstantBuffer(OpBuilder &b, Location loc, ModuleOp module,
                                SymbolTable &symbols, StringRef name,
                                DenseElementsAttr value) {
  auto type = MemRefType::get(value.getType().getShape(),
                              value.getType().getElementType());
  memref::GlobalOp global;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    global = memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"),
                                      type, value, /*constant=*/true,
                                      b.getI64IntegerAttr(64));
    symbols.insert(global);
  }
  return memref::GetGlobalOp::create(b, loc, type, global.getSymName());
}

void KernelEmitter::emit(ModuleOp module, SymbolTable &symbols,
                         const PackedWeights &weights) {
  plan();
  b.setInsertionPoint(c.op);
  auto addGlobal = [&](StringRef name, DenseElementsAttr value) {
    return createConstantBuffer(b, loc, module, symbols, name, value);
  };
  if (weights.runtime) {
    emitRuntimePacking(module, symbols, weights);
  } else {
    packed = addGlobal("__qnn_packed_weights", weights.weights);
    if (weights.corrections)
      corrections = addGlobal("__qnn_corrections", weights.corrections);
    if (weights.columnSums)
      columnSums = addGlobal("__qnn_column_sums", weights.columnSums);
  }
  if (weights.residualZero != 0)
    emitRowCorrections(weights.residualZero);
  if (c.batched) {
    scf::ForOp::create(b, loc, index(0), index(c.batch), index(1), ValueRange{},
                       [&](OpBuilder &, Location, Value batch, ValueRange) {
                         batchIndex = batch;
                         emitRegions();
                         scf::YieldOp::create(b, loc);
                       });
  } else {
    emitRegions();
  }
  freeRuntimeBuffers();
  eraseKernelContraction(c, epilogue);
}

/// Main rows in tiles of tileRows accumulator rows; the remaining whole
/// accumulator rows one at a time, with wider tiles; a last partial one.
/// With a batch known only at run time, the region bounds are computed.
void KernelEmitter::emitRegions() {
  int64_t unitRows = kernel.rows;
  int64_t mainStep = kernel.tileRows * unitRows;
  if (ShapedType::isStatic(c.rows)) {
    int64_t mainEnd = c.rows / mainStep * mainStep;
    int64_t wholeEnd = c.rows / unitRows * unitRows;
    auto region = [&](int64_t begin, int64_t end, int64_t units,
                      int64_t lastUnitRows, int64_t accCols) {
      if (begin < end)
        emitRegion(index(begin), index(end), units, lastUnitRows, accCols);
    };
    region(0, mainEnd, kernel.tileRows, unitRows, kernel.tileCols);
    region(mainEnd, wholeEnd, 1, unitRows, kernel.tailTileCols);
    region(wholeEnd, c.rows, 1, c.rows - wholeEnd, kernel.tailTileCols);
    return;
  }
  Value batch = memref::DimOp::create(b, loc, c.output, 0);
  Value rows = arith::MulIOp::create(b, loc, batch, index(c.outH * c.outW));
  auto roundDown = [&](int64_t step) -> Value {
    Value whole = arith::DivUIOp::create(b, loc, rows, index(step));
    return arith::MulIOp::create(b, loc, whole, index(step));
  };
  Value mainEnd = roundDown(mainStep);
  Value wholeEnd = roundDown(unitRows);
  emitRegion(index(0), mainEnd, kernel.tileRows, unitRows, kernel.tileCols);
  emitRegion(mainEnd, wholeEnd, 1, unitRows, kernel.tailTileCols);
  // At most one partial unit of rows is left; its loop runs once or never.
  if (unitRows > 1)
    emitRegion(wholeEnd, rows, 1, 1, kernel.tailTileCols);
}

void KernelEmitter::emitRegion(Value begin, Value end, int64_t units,
                               int64_t lastUnitRows, int64_t accCols) {
  int64_t rowStep = units * kernel.rows;
  int64_t tileWidth = accCols * kernel.cols;
  int64_t fullCols = c.channels / tileWidth * tileWidth;
  if (fullCols > 0)
    scf::ForOp::create(b, loc, index(0), index(fullCols), index(tileWidth),
                       ValueRange{},
                       [&](OpBuilder &, Location, Value col, ValueRange) {
                         emitPanel(begin, end, rowStep, units, lastUnitRows,
                                   {col, accCols, kernel.cols});
                         scf::YieldOp::create(b, loc);
                       });
  if (int64_t rest = c.channels - fullCols) {
    int64_t restAccs = llvm::divideCeil(rest, kernel.cols);
    emitPanel(begin, end, rowStep, units, lastUnitRows,
              {index(fullCols), restAccs, rest - (restAccs - 1) * kernel.cols});
  }
}

void KernelEmitter::emitPanel(Value rowBegin, Value rowEnd, int64_t rowStep,
                              int64_t units, int64_t lastUnitRows,
                              const TileColumns &cols) {
  // Within a panel of columns, the reduction in blocks whose packed weights
  // stay in cache while every row tile uses them.
  auto rowLoop = [&](const ReductionBlock &block) {
    emitRowLoop(rowBegin, rowEnd, rowStep, units, lastUnitRows, cols, block);
  };
  if (blocks > 0 && blocks <= blockStep) {
    rowLoop(
        {index(0), index(blocks), arith::ConstantIntOp::create(b, loc, 1, 1)});
  } else if (blocks > 0) {
    scf::ForOp::create(
        b, loc, index(0), index(blocks), index(blockStep), ValueRange{},
        [&](OpBuilder &, Location, Value begin, ValueRange) {
          Value end = arith::MinUIOp::create(
              b, loc, arith::AddIOp::create(b, loc, begin, index(blockStep)),
              index(blocks));
          Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              begin, index(0));
          rowLoop({begin, end, first});
          scf::YieldOp::create(b, loc);
        });
  }
  if (hasTail) {
    ReductionBlock tail;
    tail.first = arith::ConstantIntOp::create(b, loc, fullGroups == 0, 1);
    tail.tail = true;
    rowLoop(tail);
  }
}

void KernelEmitter::emitRowLoop(Value rowBegin, Value rowEnd, int64_t rowStep,
                                int64_t units, int64_t lastUnitRows,
                                const TileColumns &cols,
                                const ReductionBlock &block) {
  scf::ForOp::create(b, loc, rowBegin, rowEnd, index(rowStep), ValueRange{},
                     [&](OpBuilder &, Location, Value row, ValueRange) {
                       emitTile(row, units, lastUnitRows, cols, block);
                       scf::YieldOp::create(b, loc);
                     });
}

void cpu::eraseKernelContraction(const KernelContraction &c,
                                 std::optional<KernelEpilogue> &epilogue) {
  linalg::LinalgOp op = c.op;
  auto unpacked =
      op.getDpsInputOperand(1)->get().getDefiningOp<memref::GetGlobalOp>();
  op.erase();
  eraseInputFlip(c);
  if (c.init)
    c.init->erase();
  if (epilogue)
    epilogue->erase();
  // The unpacked weights' global goes with the pass's last sweep
  // (eraseUnusedGlobals) when nothing else reads it.
  if (unpacked && unpacked.use_empty())
    unpacked.erase();
}

void cpu::eraseUnusedGlobals(ModuleOp module, SymbolTable &symbols) {
  llvm::DenseSet<StringAttr> used;
  module.walk([&](memref::GetGlobalOp get) {
    used.insert(get.getNameAttr().getAttr());
  });
  for (auto global :
       llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
    if (global.isPrivate() && !used.contains(global.getSymNameAttr()))
      symbols.erase(global);
}
