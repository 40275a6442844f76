//===- LowerInt8Kernels.cpp - Packed, vectorized int8 contractions --------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Lowers the integer contractions that --qnn-rewrite-int8 produces (after
// bufferization), and f32 ones with constant weights, into register-tiled
// loops around the target's dot-product instruction (Microkernel.h):
//
//   C[m, n] += sum_k (widen(x[m, k]) - zx) * (widen(w[k, n]) - zw)
//
// for a matmul, or for an NHWC x HWCF convolution seen as a matmul with one
// row per output pixel and k running over (kh, kw, c) (implicit GEMM: the
// input is read in place, never copied to columns).
//
// The constant weights are packed at compile time with their zero point
// folded in. The activations are read in place, their bytes flipped to the
// instruction's signedness when needed; the offsets this introduces, and
// the activation zero point, make one compile-time correction per output
// channel:
//
//   (x - zx) * w' = (x' - (delta + zx)) * w',  x' = x + delta,
//   C[m, n] += sum_k x' w' - (delta + zx) * sum_k w'[k, n],
//
// added to the accumulators when a tile starts (with a run-time zx, packed
// column sums times zx). Integer arithmetic wraps, so the result is exactly
// the contraction's. A constant initial value joins the corrections, and
// the element-wise consumer of the accumulators (the requantization) runs
// on each accumulator vector before it is stored (KernelEpilogue.h).
//
//===----------------------------------------------------------------------===//

#include "Microkernel.h"
#include "KernelContraction.h"
#include "KernelEpilogue.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include <functional>

namespace mlir::qnn {
#define GEN_PASS_DEF_QNNLOWERINT8KERNELSPASS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// Emits the kernel for one contraction.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, const Microkernel &kernel,
                KernelContraction c)
      : b(b), loc(c.op.getLoc()), kernel(kernel), c(c) {}

  /// Packs the weights and corrections into globals next to `module`'s
  /// functions and replaces the contraction with the kernel loops. Fails
  /// (leaving the IR unchanged) when a weight does not fit the kernel.
  LogicalResult emit(ModuleOp module, SymbolTable &symbols);

private:
  /// Indices of one output row, hoisted out of the reduction.
  struct Row {
    /// C indices without the channel.
    SmallVector<Value> output;
    /// Matmul: the input row. Convolution: batch, top and left input
    /// coordinates of the window.
    SmallVector<Value> input;
  };

  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  /// A constant mask of `size` lanes, the first `count` set.
  Value getPrefixMask(int64_t size, int64_t count) {
    return buildPrefixMask(b, loc, size, count);
  }
  Row getRow(Value row);
  /// The indices of channel `col` of `row` in an output-shaped buffer.
  SmallVector<Value> getOutputIndices(const Row &row, Value col) {
    SmallVector<Value> indices = row.output;
    indices.insert(indices.begin() + c.getChannelDim(), col);
    return indices;
  }
  /// Loads (stores) `lanes` consecutive channels from `col` of `row` of an
  /// output-shaped buffer, the first `valid` of them real: a vector access
  /// when channels are innermost, else one scalar access per lane.
  Value loadChannels(Value memref, const Row &row, Value col,
                     VectorType type, int64_t valid);
  void storeChannels(Value memref, const Row &row, Value col, Value value,
                     int64_t valid);
  /// A block of the reduction: groups [begin, end) of a matmul (or, with
  /// `tail`, the last partial group alone), window rows [begin, end) of a
  /// convolution. The corrections are added in the block where `first`
  /// holds.
  struct ReductionBlock {
    Value begin, end, first;
    bool tail = false;
  };
  void emitTile(Value firstRow, int64_t units, int64_t lastUnitRows,
                Value firstCol, int64_t accCols, int64_t lastAccCols,
                const ReductionBlock &block);
  SmallVector<Value> emitStep(ValueRange accs, ArrayRef<Row> rows,
                              Value colBlock, Value group,
                              ArrayRef<Value> inputIndices, int64_t validK);
  /// Checks that the kernel applies, decides blocking and fusion, and
  /// creates the packed weights and corrections. Fails, leaving the IR
  /// unchanged but for moved allocations, when the kernel does not apply.
  LogicalResult pack(ModuleOp module, SymbolTable &symbols);
  /// Replaces the contraction (and the ops it absorbs) with the loops.
  void emitLoops(ModuleOp module, SymbolTable &symbols);
  void emitRegion(int64_t rowBegin, int64_t rowEnd, int64_t units,
                  int64_t lastUnitRows, int64_t accCols);

  OpBuilder &b;
  Location loc;
  const Microkernel &kernel;
  KernelContraction c;
  Value packed, corrections;
  /// With a run-time activation zero point: the weights' column sums, which
  /// it multiplies into the corrections.
  Value columnSumsBuffer;
  int64_t groups = 0;
  /// Full groups of a matmul's reduction; the blocks of the reduction
  /// (groups of a matmul, window rows of a convolution), blockStep of them
  /// per pass; whether a matmul ends with a partial group.
  int64_t fullGroups = 0, blocks = 0, blockStep = 1;
  bool hasTail = false;
  /// Whether the corrections include the initial value of the outputs.
  bool initFolded = false;
  /// The element-wise consumer applied to the accumulators as they are
  /// stored, when the reduction runs in one block.
  std::optional<KernelEpilogue> epilogue;
};

KernelEmitter::Row KernelEmitter::getRow(Value row) {
  Row r;
  if (!c.isConv) {
    r.output = {row};
    r.input = {row};
    return r;
  }
  Value pixels = index(c.outH * c.outW);
  Value n = arith::DivUIOp::create(b, loc, row, pixels);
  Value pixel = arith::RemUIOp::create(b, loc, row, pixels);
  Value oh = arith::DivUIOp::create(b, loc, pixel, index(c.outW));
  Value ow = arith::RemUIOp::create(b, loc, pixel, index(c.outW));
  r.output = {n, oh, ow};
  r.input = {n, arith::MulIOp::create(b, loc, oh, index(c.strideH)),
             arith::MulIOp::create(b, loc, ow, index(c.strideW))};
  return r;
}

Value KernelEmitter::loadChannels(Value memref, const Row &row, Value col,
                                  VectorType type, int64_t valid) {
  int64_t lanes = type.getNumElements();
  Value zeros =
      arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
  SmallVector<Value> indices = getOutputIndices(row, col);
  if (!c.nchw) {
    if (valid == lanes)
      return vector::LoadOp::create(b, loc, type, memref, indices);
    return vector::MaskedLoadOp::create(b, loc, type, memref, indices,
                                        getPrefixMask(lanes, valid), zeros);
  }
  Value result = zeros;
  for (int64_t i = 0; i < valid; ++i) {
    indices[c.getChannelDim()] =
        arith::AddIOp::create(b, loc, col, index(i));
    Value element = memref::LoadOp::create(b, loc, memref, indices);
    result = vector::InsertOp::create(b, loc, element, result, i);
  }
  return result;
}

void KernelEmitter::storeChannels(Value memref, const Row &row, Value col,
                                  Value value, int64_t valid) {
  int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
  SmallVector<Value> indices = getOutputIndices(row, col);
  if (!c.nchw) {
    if (valid == lanes)
      vector::StoreOp::create(b, loc, value, memref, indices);
    else
      vector::MaskedStoreOp::create(b, loc, memref, indices,
                                    getPrefixMask(lanes, valid), value);
    return;
  }
  for (int64_t i = 0; i < valid; ++i) {
    indices[c.getChannelDim()] =
        arith::AddIOp::create(b, loc, col, index(i));
    Value element = vector::ExtractOp::create(b, loc, value, i);
    memref::StoreOp::create(b, loc, element, memref, indices);
  }
}

SmallVector<Value> KernelEmitter::emitStep(ValueRange accs,
                                           ArrayRef<Row> rows, Value colBlock,
                                           Value group,
                                           ArrayRef<Value> inputIndices,
                                           int64_t validK) {
  MLIRContext *ctx = b.getContext();
  VectorType weightType = kernel.getWeightVectorType(ctx);
  int64_t accCols = accs.size() / (rows.size() / kernel.rows);
  // Weights of accumulator column j: block colBlock + j, group `group`.
  SmallVector<Value> weights;
  for (int64_t j = 0; j < accCols; ++j) {
    Value block = arith::AddIOp::create(b, loc, colBlock, index(j));
    Value offset = arith::MulIOp::create(
        b, loc,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, block, index(groups)),
            group),
        index(weightType.getNumElements()));
    weights.push_back(
        vector::LoadOp::create(b, loc, weightType, packed, offset));
  }
  auto bytesType = VectorType::get(
      {kernel.kGroup}, cast<MemRefType>(c.input.getType()).getElementType());
  SmallVector<Value> result;
  for (size_t u = 0; u * kernel.rows < rows.size(); ++u) {
    SmallVector<Value> rowBytes;
    for (int64_t i = 0; i < kernel.rows; ++i) {
      const Row &row = rows[u * kernel.rows + i];
      SmallVector<Value> indices;
      if (c.isConv) {
        Value y = arith::AddIOp::create(b, loc, row.input[1],
                                        inputIndices[0]);
        Value x = arith::AddIOp::create(b, loc, row.input[2],
                                        inputIndices[1]);
        if (c.nchw) {
          // kGroup channels of one pixel, one plane apart: a gather.
          Value group = arith::ConstantOp::create(
              b, loc, cast<TypedAttr>(b.getZeroAttr(bytesType)));
          for (int64_t j = 0; j < kernel.kGroup; ++j) {
            Value channel =
                arith::AddIOp::create(b, loc, inputIndices[2], index(j));
            Value element = memref::LoadOp::create(
                b, loc, c.input, ValueRange{row.input[0], channel, y, x});
            group = vector::InsertOp::create(b, loc, element, group, j);
          }
          rowBytes.push_back(group);
          continue;
        }
        indices = {row.input[0], y, x, inputIndices[2]};
      } else {
        indices = {row.input[0], inputIndices[0]};
      }
      if (validK == kernel.kGroup) {
        rowBytes.push_back(
            vector::LoadOp::create(b, loc, bytesType, c.input, indices));
        continue;
      }
      Value mask = getPrefixMask(kernel.kGroup, validK);
      Value zeros = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(b.getZeroAttr(bytesType)));
      rowBytes.push_back(vector::MaskedLoadOp::create(
          b, loc, bytesType, c.input, indices, mask, zeros));
    }
    Value activations =
        kernel.buildActivationOperand(b, loc, rowBytes, c.inputSigned);
    for (int64_t j = 0; j < accCols; ++j)
      result.push_back(kernel.buildDot(b, loc, accs[u * accCols + j],
                                       activations, weights[j]));
  }
  return result;
}

void KernelEmitter::emitTile(Value firstRow, int64_t units,
                             int64_t lastUnitRows, Value firstCol,
                             int64_t accCols, int64_t lastAccCols,
                             const ReductionBlock &block) {
  int64_t partRows = kernel.rows;
  auto partType = VectorType::get(
      {kernel.cols},
      kernel.getAccumulatorType(b.getContext()).getElementType());
  Value zeros = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(partType)));

  // Rows of the tile; missing rows of the last unit repeat its first row.
  SmallVector<Row> rows;
  for (int64_t u = 0; u < units; ++u)
    for (int64_t i = 0; i < partRows; ++i) {
      int64_t offset = u * partRows;
      if (u + 1 < units || i < lastUnitRows)
        offset += i;
      rows.push_back(
          getRow(arith::AddIOp::create(b, loc, firstRow, index(offset))));
    }
  auto colOf = [&](int64_t j) {
    return arith::AddIOp::create(b, loc, firstCol, index(j * kernel.cols));
  };
  auto validOf = [&](int64_t j) {
    return j + 1 < accCols ? kernel.cols : lastAccCols;
  };

  // Accumulators. The first block of the reduction starts from the current
  // outputs plus the corrections, or from the corrections alone when they
  // include the initial value (then the outputs are not read); later blocks
  // continue from the outputs.
  auto initialAccumulators = [&](bool first) {
    SmallVector<Value> accs;
    for (int64_t u = 0; u < units; ++u)
      for (int64_t j = 0; j < accCols; ++j) {
        Value col = colOf(j);
        Value correction;
        if (first && corrections)
          correction =
              vector::LoadOp::create(b, loc, partType, corrections, col);
        if (first && columnSumsBuffer) {
          // - zx * sum_k w', with zx known at run time.
          Value zero = vector::BroadcastOp::create(b, loc, partType,
                                                   c.dynamicInputZero);
          Value sums = vector::LoadOp::create(b, loc, partType,
                                              columnSumsBuffer, col);
          Value term = arith::MulIOp::create(b, loc, zero, sums);
          correction = arith::SubIOp::create(
              b, loc, correction ? correction : zeros, term);
        }
        SmallVector<Value> parts;
        for (int64_t i = 0; i < partRows; ++i) {
          if (first && initFolded) {
            parts.push_back(correction ? correction : zeros);
            continue;
          }
          Value part = loadChannels(c.output, rows[u * partRows + i], col,
                                    partType, validOf(j));
          if (correction)
            part = arith::AddIOp::create(b, loc, part, correction);
          parts.push_back(part);
        }
        if (partRows == 1) {
          accs.push_back(parts[0]);
          continue;
        }
        SmallVector<int64_t> concat =
            llvm::to_vector(llvm::seq<int64_t>(0, 2 * kernel.cols));
        accs.push_back(
            vector::ShuffleOp::create(b, loc, parts[0], parts[1], concat));
      }
    return accs;
  };
  SmallVector<Value> accs;
  if (matchPattern(block.first, m_One())) {
    accs = initialAccumulators(true);
  } else if (matchPattern(block.first, m_Zero())) {
    accs = initialAccumulators(false);
  } else {
    auto ifOp = scf::IfOp::create(
        b, loc, block.first,
        [&](OpBuilder &, Location) {
          scf::YieldOp::create(b, loc, initialAccumulators(true));
        },
        [&](OpBuilder &, Location) {
          scf::YieldOp::create(b, loc, initialAccumulators(false));
        });
    accs.assign(ifOp.getResults().begin(), ifOp.getResults().end());
  }

  // The reduction.
  Value colBlock = arith::DivUIOp::create(b, loc, firstCol,
                                          index(kernel.cols));
  if (!c.isConv && block.tail) {
    accs = emitStep(accs, rows, colBlock, index(fullGroups),
                    {index(fullGroups * kernel.kGroup)},
                    c.reduction % kernel.kGroup);
  } else if (!c.isConv) {
    auto loop = scf::ForOp::create(
        b, loc, block.begin, block.end, index(1), accs,
        [&](OpBuilder &, Location, Value g, ValueRange iterAccs) {
          Value k = arith::MulIOp::create(b, loc, g, index(kernel.kGroup));
          scf::YieldOp::create(b, loc,
                               emitStep(iterAccs, rows, colBlock, g, {k},
                                        kernel.kGroup));
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
  } else {
    // Loops over the window rows (this block's), columns and channel
    // groups, in the order of the portable loops, so that f32 sums round
    // alike: (kh, kw, c) for NHWC, (c, kh, kw) for NCHW.
    int64_t channelGroups = c.inChannels / kernel.kGroup;
    struct Loop {
      Value begin, end;
    };
    SmallVector<Loop> loops = {{block.begin, block.end},
                               {index(0), index(c.kernelW)},
                               {index(0), index(channelGroups)}};
    SmallVector<unsigned> order = c.nchw ? SmallVector<unsigned>{2, 0, 1}
                                         : SmallVector<unsigned>{0, 1, 2};
    SmallVector<Value> ivs(3);
    std::function<SmallVector<Value>(unsigned, ValueRange)> nest =
        [&](unsigned depth, ValueRange iterAccs) -> SmallVector<Value> {
      if (depth == 3) {
        Value kh = ivs[0], kw = ivs[1], cg = ivs[2];
        Value y = arith::MulIOp::create(b, loc, kh, index(c.dilationH));
        Value x = arith::MulIOp::create(b, loc, kw, index(c.dilationW));
        Value window = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, kh, index(c.kernelW)), kw);
        Value g = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, window, index(channelGroups)),
            cg);
        Value ch = arith::MulIOp::create(b, loc, cg, index(kernel.kGroup));
        return emitStep(iterAccs, rows, colBlock, g, {y, x, ch},
                        kernel.kGroup);
      }
      const Loop &loop = loops[order[depth]];
      auto forOp = scf::ForOp::create(
          b, loc, loop.begin, loop.end, index(1), iterAccs,
          [&](OpBuilder &, Location, Value iv, ValueRange innerAccs) {
            ivs[order[depth]] = iv;
            scf::YieldOp::create(b, loc, nest(depth + 1, innerAccs));
          });
      return SmallVector<Value>(forOp.getResults());
    };
    accs = nest(0, accs);
  }

  // Store the accumulators.
  for (int64_t u = 0; u < units; ++u)
    for (int64_t j = 0; j < accCols; ++j) {
      Value acc = accs[u * accCols + j];
      Value col = colOf(j);
      int64_t validRows = u + 1 < units ? partRows : lastUnitRows;
      for (int64_t i = 0; i < validRows; ++i) {
        Value part = acc;
        if (partRows != 1) {
          SmallVector<int64_t> half = llvm::to_vector(
              llvm::seq<int64_t>(i * kernel.cols, (i + 1) * kernel.cols));
          part = vector::ShuffleOp::create(b, loc, acc, acc, half);
        }
        Value target = c.output;
        if (epilogue) {
          part = epilogue->apply(b, loc, part, col, validOf(j));
          target = epilogue->getOutput();
        }
        storeChannels(target, rows[u * partRows + i], col, part, validOf(j));
      }
    }
}

void KernelEmitter::emitRegion(int64_t rowBegin, int64_t rowEnd,
                               int64_t units, int64_t lastUnitRows,
                               int64_t accCols) {
  if (rowBegin >= rowEnd)
    return;
  int64_t rowStep = units * kernel.rows;
  int64_t tileWidth = accCols * kernel.cols;
  int64_t fullCols = c.channels / tileWidth * tileWidth;
  auto rowLoop = [&](Value firstCol, int64_t tileAccCols, int64_t lastAccCols,
                     const ReductionBlock &block) {
    scf::ForOp::create(b, loc, index(rowBegin), index(rowEnd),
                       index(rowStep), ValueRange{},
                       [&](OpBuilder &, Location, Value row, ValueRange) {
                         emitTile(row, units, lastUnitRows, firstCol,
                                  tileAccCols, lastAccCols, block);
                         scf::YieldOp::create(b, loc);
                       });
  };
  // Within a panel of columns, the reduction in blocks whose packed weights
  // stay in cache while every row tile uses them.
  auto panel = [&](Value firstCol, int64_t tileAccCols, int64_t lastAccCols) {
    if (blocks > 0 && blocks <= blockStep) {
      rowLoop(firstCol, tileAccCols, lastAccCols,
              {index(0), index(blocks),
               arith::ConstantIntOp::create(b, loc, 1, 1)});
    } else if (blocks > 0) {
      scf::ForOp::create(
          b, loc, index(0), index(blocks), index(blockStep), ValueRange{},
          [&](OpBuilder &, Location, Value begin, ValueRange) {
            Value end = arith::MinUIOp::create(
                b, loc, arith::AddIOp::create(b, loc, begin, index(blockStep)),
                index(blocks));
            Value first = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::eq, begin, index(0));
            rowLoop(firstCol, tileAccCols, lastAccCols, {begin, end, first});
            scf::YieldOp::create(b, loc);
          });
    }
    if (hasTail) {
      ReductionBlock tail;
      tail.first = arith::ConstantIntOp::create(b, loc, fullGroups == 0, 1);
      tail.tail = true;
      rowLoop(firstCol, tileAccCols, lastAccCols, tail);
    }
  };
  if (fullCols > 0)
    scf::ForOp::create(b, loc, index(0), index(fullCols), index(tileWidth),
                       ValueRange{},
                       [&](OpBuilder &, Location, Value col, ValueRange) {
                         panel(col, accCols, kernel.cols);
                         scf::YieldOp::create(b, loc);
                       });
  if (int64_t rest = c.channels - fullCols) {
    int64_t restAccs = llvm::divideCeil(rest, kernel.cols);
    panel(index(fullCols), restAccs, rest - (restAccs - 1) * kernel.cols);
  }
}

LogicalResult KernelEmitter::emit(ModuleOp module, SymbolTable &symbols) {
  if (failed(pack(module, symbols)))
    return failure();
  emitLoops(module, symbols);
  return success();
}

LogicalResult KernelEmitter::pack(ModuleOp module, SymbolTable &symbols) {
  MLIRContext *ctx = b.getContext();
  int64_t cols = kernel.cols, kGroup = kernel.kGroup;
  if (c.isConv && c.inChannels % kGroup != 0)
    return failure();
  // Empty shapes stay on the portable loops (an empty reduction must still
  // write the initial value, which the tiles would never visit).
  if (c.rows == 0 || c.channels == 0 || c.reduction == 0)
    return failure();
  int64_t columnBlocks = llvm::divideCeil(c.channels, cols);
  groups = llvm::divideCeil(c.reduction, kGroup);
  // At most blockBytes of packed weights per block of a main tile's panel.
  int64_t groupBits = kernel.tileCols * cols * kGroup * kernel.weightBits;
  int64_t rowGroups = c.kernelW * c.inChannels / kGroup;
  blockStep = std::max<int64_t>(
      1, kernel.blockBytes * 8 / (c.isConv ? rowGroups * groupBits
                                           : groupBits));
  // NCHW reductions run channels outermost: blocks of window rows would
  // reorder the f32 sums.
  if (c.nchw)
    blockStep = c.kernelH;

  // The requantization (or any element-wise consumer) joins the stores
  // when the outputs are final after one pass over the reduction.
  fullGroups = c.reduction / kGroup;
  blocks = c.isConv ? c.kernelH : fullGroups;
  hasTail = !c.isConv && c.reduction % kGroup != 0;
  bool singleBlock = hasTail ? blocks == 0 : blocks <= blockStep;
  if (singleBlock) {
    epilogue = KernelEpilogue::match(c.op, c.output, c.channels,
                                     c.getChannelDim());
    if (epilogue && failed(epilogue->hoistOperands(c.op)))
      epilogue.reset();
  }

  OpBuilder::InsertionGuard guard(b);
  auto addGlobal = [&](StringRef name, DenseElementsAttr value) -> Value {
    b.setInsertionPointToStart(module.getBody());
    auto type = MemRefType::get(value.getType().getShape(),
                                value.getType().getElementType());
    auto global = memref::GlobalOp::create(
        b, loc, name, b.getStringAttr("private"), type, value,
        /*constant=*/true, b.getI64IntegerAttr(64));
    symbols.insert(global);
    b.setInsertionPoint(c.op);
    return memref::GetGlobalOp::create(b, loc, type, global.getSymName());
  };
  // Weights are packed as [N/cols][K/kGroup][cols][kGroup], zero-padded.
  int64_t packedSize = columnBlocks * groups * cols * kGroup;
  auto packedIndex = [&](int64_t k, int64_t n) {
    return (((n / cols) * groups + k / kGroup) * cols + n % cols) * kGroup +
           k % kGroup;
  };
  auto vectorType = [&](int64_t size, Type element) {
    return RankedTensorType::get({size}, element);
  };
  // The corrections include the initial value when it is known: then the
  // kernel never reads the accumulators' initial contents.
  initFolded = c.init != nullptr;
  if (c.isFloat) {
    SmallVector<float> packedValues(packedSize, 0.0f);
    auto values = c.weights.getValues<float>();
    for (int64_t k = 0; k < c.reduction; ++k)
      for (int64_t n = 0; n < c.channels; ++n)
        packedValues[packedIndex(k, n)] = values[c.getWeightIndex(k, n)];
    packed = addGlobal("__qnn_packed_weights",
                       DenseElementsAttr::get(vectorType(packedSize,
                                                         b.getF32Type()),
                                              ArrayRef<float>(packedValues)));
    if (!initFolded)
      return success();
    SmallVector<float> initial(columnBlocks * cols, 0.0f);
    for (auto [n, value] : llvm::enumerate(c.initValues))
      initial[n] = cast<FloatAttr>(value).getValue().convertToFloat();
    // Starting from +0.0 is not starting from -0.0: compare bits.
    if (llvm::any_of(initial,
                     [](float v) { return llvm::bit_cast<uint32_t>(v); }))
      corrections = addGlobal(
          "__qnn_corrections",
          DenseElementsAttr::get(vectorType(initial.size(), b.getF32Type()),
                                 ArrayRef<float>(initial)));
    return success();
  }

  // Integer weights: w - zw, which must fit the instruction's operand.
  SmallVector<int64_t> weights = getOffsetWeights(c);
  int64_t lowest = -(int64_t(1) << (kernel.weightBits - 1));
  int64_t highest = (int64_t(1) << (kernel.weightBits - 1)) - 1;
  SmallVector<APInt> packedValues(packedSize, APInt(kernel.weightBits, 0));
  SmallVector<int64_t> columnSums(columnBlocks * cols, 0);
  for (int64_t k = 0; k < c.reduction; ++k)
    for (int64_t n = 0; n < c.channels; ++n) {
      int64_t w = weights[k * c.channels + n];
      if (w < lowest || w > highest)
        return failure();
      packedValues[packedIndex(k, n)] =
          APInt(kernel.weightBits, w, /*isSigned=*/true);
      columnSums[n] += w;
    }
  int64_t offset = kernel.getActivationOffset(c.inputSigned) + c.inputZero;
  packed = addGlobal(
      "__qnn_packed_weights",
      DenseElementsAttr::get(
          vectorType(packedSize, IntegerType::get(ctx, kernel.weightBits)),
          packedValues));
  SmallVector<int64_t> initial(columnSums.size(), 0);
  if (initFolded)
    for (auto [n, value] : llvm::enumerate(c.initValues))
      initial[n] = cast<IntegerAttr>(value).getValue().getSExtValue();
  bool anyCorrection = offset != 0 || llvm::any_of(initial, [](int64_t v) {
                         return v != 0;
                       });
  if (anyCorrection) {
    SmallVector<int32_t> values;
    for (auto [sum, start] : llvm::zip(columnSums, initial))
      values.push_back(static_cast<int32_t>(static_cast<uint32_t>(
          static_cast<uint64_t>(start - offset * sum))));
    corrections = addGlobal(
        "__qnn_corrections",
        DenseElementsAttr::get(vectorType(values.size(), b.getI32Type()),
                               ArrayRef<int32_t>(values)));
  }
  if (c.dynamicInputZero) {
    SmallVector<int32_t> sums;
    for (int64_t sum : columnSums)
      sums.push_back(static_cast<int32_t>(
          static_cast<uint32_t>(static_cast<uint64_t>(sum))));
    columnSumsBuffer = addGlobal(
        "__qnn_column_sums",
        DenseElementsAttr::get(vectorType(sums.size(), b.getI32Type()),
                               ArrayRef<int32_t>(sums)));
  }
  return success();
}

void KernelEmitter::emitLoops(ModuleOp module, SymbolTable &symbols) {
  // Main rows in tiles of tileRows accumulator rows; the remaining whole
  // accumulator rows one at a time, with wider tiles; a last partial one.
  int64_t unitRows = kernel.rows;
  int64_t mainStep = kernel.tileRows * unitRows;
  int64_t mainEnd = c.rows / mainStep * mainStep;
  int64_t wholeEnd = c.rows / unitRows * unitRows;
  emitRegion(0, mainEnd, kernel.tileRows, unitRows, kernel.tileCols);
  emitRegion(mainEnd, wholeEnd, 1, unitRows, kernel.tailTileCols);
  emitRegion(wholeEnd, c.rows, 1, c.rows - wholeEnd, kernel.tailTileCols);
  auto unpacked = c.op.getDpsInputOperand(1)->get()
                     .getDefiningOp<memref::GetGlobalOp>();
  c.op.erase();
  eraseInputFlip(c);
  if (initFolded)
    c.init->erase();
  if (epilogue)
    epilogue->erase();
  // The unpacked weights are dead unless something else reads them.
  if (unpacked.use_empty()) {
    auto global = symbols.lookup<memref::GlobalOp>(unpacked.getName());
    unpacked.erase();
    if (global && global.isPrivate() &&
        SymbolTable::symbolKnownUseEmpty(global, module))
      symbols.erase(global);
  }
}

struct QNNLowerInt8KernelsPass
    : qnn::impl::QNNLowerInt8KernelsPassBase<QNNLowerInt8KernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<CompileTarget> parsed = parseCompileTarget(target);
    if (!parsed) {
      module.emitError() << "unknown target '" << target
                         << "'; expected one of " << getCompileTargetNames();
      return signalPassFailure();
    }
    CompileTarget resolved = resolveCompileTarget(*parsed);
    std::optional<Microkernel> int8 = getInt8Microkernel(resolved);
    std::optional<Microkernel> f32 = getF32Microkernel(resolved);
    SmallVector<KernelContraction> contractions;
    module.walk([&](linalg::LinalgOp op) {
      if (std::optional<KernelContraction> c = matchKernelContraction(op))
        contractions.push_back(*c);
    });
    SymbolTable symbols(module);
    OpBuilder b(&getContext());
    for (const KernelContraction &c : contractions) {
      const std::optional<Microkernel> &kernel = c.isFloat ? f32 : int8;
      if (!kernel)
        continue;
      b.setInsertionPoint(c.op);
      KernelEmitter emitter(b, *kernel, c);
      (void)emitter.emit(module, symbols);
    }
  }
};

} // namespace
