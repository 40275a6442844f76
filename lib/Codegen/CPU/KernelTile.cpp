//===- KernelTile.cpp - One register tile of a contraction kernel ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A register tile: `units` accumulator rows by `accCols` accumulators,
// started from the corrections (and the outputs, unless the initial value
// is folded), run over one block of the reduction with the microkernel's
// instruction, and stored (through the fused epilogue when there is one).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include <functional>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

//===----------------------------------------------------------------------===//
// Rows and output access
//===----------------------------------------------------------------------===//

KernelEmitter::Row KernelEmitter::getRow(Value row) {
  Row r;
  r.index = row;
  if (!c.isConv) {
    r.output = {row};
    if (batchIndex)
      r.output.insert(r.output.begin(), batchIndex);
    r.input = r.output;
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

SmallVector<KernelEmitter::Row>
KernelEmitter::getTileRows(Value firstRow, int64_t units,
                           int64_t lastUnitRows) {
  // Missing rows of the last unit repeat its first row.
  SmallVector<Row> rows;
  for (int64_t u = 0; u < units; ++u)
    for (int64_t i = 0; i < kernel.rows; ++i) {
      int64_t offset = u * kernel.rows;
      if (u + 1 < units || i < lastUnitRows)
        offset += i;
      rows.push_back(
          getRow(arith::AddIOp::create(b, loc, firstRow, index(offset))));
    }
  return rows;
}

SmallVector<Value> KernelEmitter::getOutputIndices(const Row &row, Value col) {
  SmallVector<Value> indices = row.output;
  indices.insert(indices.begin() + c.getChannelDim(), col);
  return indices;
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
                                        buildPrefixMask(b, loc, lanes, valid),
                                        zeros);
  }
  Value result = zeros;
  for (int64_t i = 0; i < valid; ++i) {
    indices[c.getChannelDim()] = arith::AddIOp::create(b, loc, col, index(i));
    Value element = memref::LoadOp::create(b, loc, memref, indices);
    result = vector::InsertOp::create(b, loc, element, result, i);
  }
  return result;
}

void KernelEmitter::storeChannels(Value memref, const Row &row, Value col,
                                  Value value, int64_t valid) {
  storeVector(memref, getOutputIndices(row, col), c.getChannelDim(), value,
              valid);
}

void KernelEmitter::storeVector(Value memref, SmallVector<Value> indices,
                                unsigned channelDim, Value value,
                                int64_t valid) {
  int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
  if (channelDim + 1 == indices.size()) {
    if (valid == lanes)
      vector::StoreOp::create(b, loc, value, memref, indices);
    else
      vector::MaskedStoreOp::create(b, loc, memref, indices,
                                    buildPrefixMask(b, loc, lanes, valid),
                                    value);
    return;
  }
  // Channels not innermost (NCHW): one lane at a time.
  Value col = indices[channelDim];
  for (int64_t i = 0; i < valid; ++i) {
    indices[channelDim] = arith::AddIOp::create(b, loc, col, index(i));
    Value element = vector::ExtractOp::create(b, loc, value, i);
    memref::StoreOp::create(b, loc, element, memref, indices);
  }
}

/// Ors the signs of `value` (bit = 1 for `y < 0`, as qnn.bitpack), the
/// `valid` channels from `col` of the epilogue's row `row`, into the packed
/// output: the word holding channel `col`, from bit `col mod W` (the
/// vector's lanes divide W).
void KernelEmitter::storeSigns(ArrayRef<Value> row, Value col, Value value,
                               int64_t valid) {
  auto type = cast<VectorType>(value.getType());
  int64_t lanes = type.getNumElements();
  Value words = epilogue->getPackedOutput();
  int64_t wordBits = epilogue->getWordBits();
  auto wordType = b.getIntegerType(wordBits);
  Value zeros =
      arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
  Value negative =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, value, zeros);
  if (valid < lanes)
    negative = arith::AndIOp::create(b, loc, negative,
                                     buildPrefixMask(b, loc, lanes, valid));
  Value bits = vector::ExtractOp::create(
      b, loc,
      vector::BitCastOp::create(
          b, loc, VectorType::get({1}, b.getIntegerType(lanes)), negative),
      int64_t(0));
  if (lanes < wordBits)
    bits = arith::ExtUIOp::create(b, loc, wordType, bits);
  Value shift = arith::IndexCastOp::create(
      b, loc, wordType, arith::RemUIOp::create(b, loc, col, index(wordBits)));
  Value shifted = arith::ShLIOp::create(b, loc, bits, shift);
  SmallVector<Value> indices(row);
  indices.push_back(arith::DivUIOp::create(b, loc, col, index(wordBits)));
  Value old = memref::LoadOp::create(b, loc, words, indices);
  memref::StoreOp::create(b, loc, arith::OrIOp::create(b, loc, old, shifted),
                          words, indices);
}

//===----------------------------------------------------------------------===//
// The tile
//===----------------------------------------------------------------------===//

void KernelEmitter::emitTile(Value firstRow, int64_t units,
                             int64_t lastUnitRows, const TileColumns &cols,
                             const ReductionBlock &block) {
  SmallVector<Row> rows = getTileRows(firstRow, units, lastUnitRows);
  SmallVector<Value> accs =
      emitStartAccumulators(rows, units, cols, block.first);
  Value colBlock =
      arith::DivUIOp::create(b, loc, cols.first, index(kernel.cols));
  accs = emitReduction(std::move(accs), rows, colBlock, block);
  storeAccumulators(accs, rows, units, lastUnitRows, cols);
}

/// The accumulators of the first block of the reduction start from the
/// current outputs plus the corrections, or from the corrections alone when
/// they include the initial value (then the outputs are not read); later
/// blocks continue from the outputs.
SmallVector<Value> KernelEmitter::emitStartAccumulators(ArrayRef<Row> rows,
                                                        int64_t units,
                                                        const TileColumns &cols,
                                                        Value first) {
  if (matchPattern(first, m_One()))
    return loadStartAccumulators(rows, units, cols, true);
  if (matchPattern(first, m_Zero()))
    return loadStartAccumulators(rows, units, cols, false);
  auto ifOp = scf::IfOp::create(
      b, loc, first,
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, loc,
                             loadStartAccumulators(rows, units, cols, true));
      },
      [&](OpBuilder &, Location) {
        scf::YieldOp::create(b, loc,
                             loadStartAccumulators(rows, units, cols, false));
      });
  return SmallVector<Value>(ifOp.getResults());
}

/// The corrections of the `kernel.cols` channels from `col`: the packed
/// ones, minus the run-time zero point times the column sums; null when
/// there are none.
Value KernelEmitter::loadCorrection(Value col) {
  auto partType = VectorType::get(
      {kernel.cols},
      kernel.getAccumulatorType(b.getContext()).getElementType());
  Value correction;
  Value position = addBatchOffset(col, paddedChannels);
  if (corrections)
    correction =
        vector::LoadOp::create(b, loc, partType, corrections, position);
  if (!columnSums)
    return correction;
  // - zx * sum_k w', with zx known at run time.
  Value zero =
      vector::BroadcastOp::create(b, loc, partType, c.dynamicInputZero);
  Value sums = vector::LoadOp::create(b, loc, partType, columnSums, position);
  Value term = arith::MulIOp::create(b, loc, zero, sums);
  Value zeros = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(partType)));
  return arith::SubIOp::create(b, loc, correction ? correction : zeros, term);
}

SmallVector<Value> KernelEmitter::loadStartAccumulators(ArrayRef<Row> rows,
                                                        int64_t units,
                                                        const TileColumns &cols,
                                                        bool first) {
  auto partType = VectorType::get(
      {kernel.cols},
      kernel.getAccumulatorType(b.getContext()).getElementType());
  Value zeros = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(b.getZeroAttr(partType)));
  SmallVector<Value> accs;
  for (int64_t u = 0; u < units; ++u) {
    for (int64_t j = 0; j < cols.accCols; ++j) {
      Value col =
          arith::AddIOp::create(b, loc, cols.first, index(j * kernel.cols));
      int64_t valid = j + 1 < cols.accCols ? kernel.cols : cols.lastAccCols;
      Value correction = first ? loadCorrection(col) : Value();
      SmallVector<Value> parts;
      for (int64_t i = 0; i < kernel.rows; ++i) {
        const Row &row = rows[u * kernel.rows + i];
        Value part;
        if (first && c.init) {
          part = correction ? correction : zeros;
        } else {
          part = loadChannels(c.output, row, col, partType, valid);
          if (correction)
            part = add(part, correction);
        }
        if (first && rowCorrections)
          part = add(part, vector::BroadcastOp::create(
                               b, loc, partType, loadRowCorrection(row.index)));
        parts.push_back(part);
      }
      if (kernel.rows == 1) {
        accs.push_back(parts[0]);
        continue;
      }
      SmallVector<int64_t> concat =
          llvm::to_vector(llvm::seq<int64_t>(0, 2 * kernel.cols));
      accs.push_back(
          vector::ShuffleOp::create(b, loc, parts[0], parts[1], concat));
    }
  }
  return accs;
}

void KernelEmitter::storeAccumulators(ArrayRef<Value> accs, ArrayRef<Row> rows,
                                      int64_t units, int64_t lastUnitRows,
                                      const TileColumns &cols) {
  for (int64_t u = 0; u < units; ++u) {
    for (int64_t j = 0; j < cols.accCols; ++j) {
      Value acc = accs[u * cols.accCols + j];
      Value col =
          arith::AddIOp::create(b, loc, cols.first, index(j * kernel.cols));
      int64_t valid = j + 1 < cols.accCols ? kernel.cols : cols.lastAccCols;
      int64_t validRows = u + 1 < units ? kernel.rows : lastUnitRows;
      for (int64_t i = 0; i < validRows; ++i) {
        Value part = acc;
        if (kernel.rows != 1) {
          SmallVector<int64_t> half = llvm::to_vector(
              llvm::seq<int64_t>(i * kernel.cols, (i + 1) * kernel.cols));
          part = vector::ShuffleOp::create(b, loc, acc, acc, half);
        }
        const Row &row = rows[u * kernel.rows + i];
        if (!epilogue) {
          storeChannels(c.output, row, col, part, valid);
          continue;
        }
        SmallVector<Value> epilogueRow =
            epilogue->getRowIndices(b, loc, row.output);
        part = epilogue->apply(b, loc, part, epilogueRow, col, valid);
        if (epilogue->packsSigns())
          storeSigns(epilogueRow, col, part, valid);
        else
          storeVector(epilogue->getOutput(),
                      epilogue->getOutputIndices(epilogueRow, col),
                      epilogue->getChannelDim(), part, valid);
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// The reduction
//===----------------------------------------------------------------------===//

SmallVector<Value> KernelEmitter::emitReduction(SmallVector<Value> accs,
                                                ArrayRef<Row> rows,
                                                Value colBlock,
                                                const ReductionBlock &block) {
  if (c.isConv)
    return emitConvReduction(std::move(accs), rows, colBlock, block);
  if (block.tail)
    return emitStep(accs, rows, colBlock, index(fullGroups),
                    {index(fullGroups * kernel.kGroup)},
                    c.reduction % kernel.kGroup);
  auto loop = scf::ForOp::create(
      b, loc, block.begin, block.end, index(1), accs,
      [&](OpBuilder &, Location, Value g, ValueRange iterAccs) {
        Value k = arith::MulIOp::create(b, loc, g, index(kernel.kGroup));
        scf::YieldOp::create(
            b, loc, emitStep(iterAccs, rows, colBlock, g, {k}, kernel.kGroup));
      });
  return SmallVector<Value>(loop.getResults());
}

/// Loops over the window rows (this block's), columns and channel groups,
/// in the order of the portable loops, so that f32 sums round alike:
/// (kh, kw, c) for NHWC, (c, kh, kw) for NCHW. When the input channels are
/// not a multiple of kGroup, the last group of each window position reads
/// the remaining channels alone (integer sums: the order does not matter).
SmallVector<Value>
KernelEmitter::emitConvReduction(SmallVector<Value> accs, ArrayRef<Row> rows,
                                 Value colBlock, const ReductionBlock &block) {
  int64_t fullChannelGroups = c.inChannels / kernel.kGroup;
  int64_t lastChannels = c.inChannels % kernel.kGroup;
  // One step at window position (kh, kw) and channel group cg.
  auto step = [&](ValueRange stepAccs, Value kh, Value kw, Value cg,
                  int64_t validK) {
    Value y = arith::MulIOp::create(b, loc, kh, index(c.dilationH));
    Value x = arith::MulIOp::create(b, loc, kw, index(c.dilationW));
    Value window = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, kh, index(c.kernelW)), kw);
    Value g = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, window, index(channelGroups)),
        cg);
    Value ch = arith::MulIOp::create(b, loc, cg, index(kernel.kGroup));
    return emitStep(stepAccs, rows, colBlock, g, {y, x, ch}, validK);
  };
  struct Loop {
    Value begin, end;
  };
  // Loops 0, 1, 2 run over kh, kw and the full channel groups.
  SmallVector<Loop> loops = {{block.begin, block.end},
                             {index(0), index(c.kernelW)},
                             {index(0), index(fullChannelGroups)}};
  SmallVector<Value> ivs(3);
  std::function<SmallVector<Value>(ArrayRef<unsigned>, ValueRange, bool)> nest =
      [&](ArrayRef<unsigned> order, ValueRange iterAccs,
          bool tail) -> SmallVector<Value> {
    if (order.empty()) {
      if (tail)
        return step(iterAccs, ivs[0], ivs[1], index(fullChannelGroups),
                    lastChannels);
      return step(iterAccs, ivs[0], ivs[1], ivs[2], kernel.kGroup);
    }
    const Loop &loop = loops[order.front()];
    auto forOp = scf::ForOp::create(
        b, loc, loop.begin, loop.end, index(1), iterAccs,
        [&](OpBuilder &, Location, Value iv, ValueRange innerAccs) {
          ivs[order.front()] = iv;
          scf::YieldOp::create(b, loc,
                               nest(order.drop_front(), innerAccs, tail));
        });
    return SmallVector<Value>(forOp.getResults());
  };
  SmallVector<unsigned> order =
      c.nchw ? SmallVector<unsigned>{2, 0, 1} : SmallVector<unsigned>{0, 1, 2};
  if (fullChannelGroups > 0)
    accs = nest(order, accs, /*tail=*/false);
  if (lastChannels > 0)
    accs = nest({0, 1}, accs, /*tail=*/true);
  return accs;
}

/// The activations of one row for one instruction: kGroup consecutive
/// elements of the reduction (the first `validK` real), or for NCHW the
/// kGroup channels of one pixel, one plane apart (a gather).
Value KernelEmitter::loadActivations(const Row &row,
                                     ArrayRef<Value> inputIndices,
                                     int64_t validK) {
  auto groupType = VectorType::get(
      {kernel.kGroup}, cast<MemRefType>(c.input.getType()).getElementType());
  auto zeros = [&]() -> Value {
    return arith::ConstantOp::create(b, loc,
                                     cast<TypedAttr>(b.getZeroAttr(groupType)));
  };
  SmallVector<Value> indices = row.input;
  indices.push_back(inputIndices[0]);
  if (c.isConv) {
    Value y = arith::AddIOp::create(b, loc, row.input[1], inputIndices[0]);
    Value x = arith::AddIOp::create(b, loc, row.input[2], inputIndices[1]);
    indices = {row.input[0], y, x, inputIndices[2]};
    if (c.nchw) {
      Value group = zeros();
      for (int64_t j = 0; j < validK; ++j) {
        Value channel =
            arith::AddIOp::create(b, loc, inputIndices[2], index(j));
        Value element = memref::LoadOp::create(
            b, loc, c.input, ValueRange{row.input[0], channel, y, x});
        group = vector::InsertOp::create(b, loc, element, group, j);
      }
      return group;
    }
  }
  if (validK == kernel.kGroup)
    return vector::LoadOp::create(b, loc, groupType, c.input, indices);
  Value mask = buildPrefixMask(b, loc, kernel.kGroup, validK);
  return vector::MaskedLoadOp::create(b, loc, groupType, c.input, indices, mask,
                                      zeros());
}

SmallVector<Value> KernelEmitter::emitStep(ValueRange accs, ArrayRef<Row> rows,
                                           Value colBlock, Value group,
                                           ArrayRef<Value> inputIndices,
                                           int64_t validK) {
  VectorType weightType = kernel.getWeightVectorType(b.getContext());
  int64_t accCols = accs.size() / (rows.size() / kernel.rows);
  // Weights of accumulator column j: block colBlock + j, group `group`.
  SmallVector<Value> weights;
  for (int64_t j = 0; j < accCols; ++j) {
    Value block = arith::AddIOp::create(b, loc, colBlock, index(j));
    Value offset = addBatchOffset(
        arith::MulIOp::create(
            b, loc,
            arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, block, index(groups)),
                group),
            index(weightType.getNumElements())),
        packedSize);
    weights.push_back(
        vector::LoadOp::create(b, loc, weightType, packed, offset));
  }
  const DotInstruction &instruction = *kernel.instruction;
  SmallVector<Value> result;
  for (size_t u = 0; u * kernel.rows < rows.size(); ++u) {
    SmallVector<Value> rowElements;
    for (int64_t i = 0; i < kernel.rows; ++i)
      rowElements.push_back(
          loadActivations(rows[u * kernel.rows + i], inputIndices, validK));
    Value activations = instruction.buildActivationOperand(
        b, loc, kernel, rowElements, c.inputSigned);
    for (int64_t j = 0; j < accCols; ++j)
      result.push_back(instruction.buildDot(
          b, loc, kernel, accs[u * accCols + j], activations, weights[j]));
  }
  return result;
}
