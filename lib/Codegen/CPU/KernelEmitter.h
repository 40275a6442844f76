//===- KernelEmitter.h - Tiled loops around microkernels --------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Replaces one contraction by register-tiled loops around its family's
// microkernel, for a matmul or for a convolution seen as a matmul with one
// row per output pixel and k running over the window (implicit GEMM: the
// input is read in place, never copied to columns).
//
// - Rows run in tiles of `tileRows` accumulator rows, the remaining rows
//   one accumulator row at a time with wider tiles; columns in panels of
//   `tileCols` accumulators, the last one masked.
// - Reductions whose packed weight panel exceeds `blockBytes` run in blocks
//   (reloading the accumulators between blocks).
// - The first block starts from the corrections: with the initial value
//   folded in (KernelContraction::init), the outputs are written without
//   being read first.
// - When the reduction runs in one block, the element-wise consumer of the
//   accumulators (KernelEpilogue) is applied to each accumulator vector
//   before it is stored.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_KERNELEMITTER_H
#define QNN_LIB_CODEGEN_CPU_KERNELEMITTER_H

#include "KernelContraction.h"
#include "KernelEpilogue.h"
#include "KernelFamily.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qnn::cpu {

/// Whether `kernel` can run `c`, with the reason when it cannot.
LogicalResult checkKernelApplies(const KernelContraction &c,
                                 const Microkernel &kernel,
                                 std::string &reason);

/// Puts `value` into a private constant global of `module` (named after
/// `name`, uniqued) and reads it with `b` at its insertion point.
Value createConstantBuffer(OpBuilder &b, Location loc, ModuleOp module,
                           SymbolTable &symbols, StringRef name,
                           DenseElementsAttr value);

/// Erases the contraction of `c` and what its kernel absorbed: the folded
/// sign flip, the initial value, the fused `epilogue`, and the read of the
/// unpacked weights once nothing else reads them.
void eraseKernelContraction(const KernelContraction &c,
                            std::optional<KernelEpilogue> &epilogue);

/// Erases the private globals of `module` nothing reads any more (the
/// unpacked weights of the contractions the kernels took), with one walk
/// of the module.
void eraseUnusedGlobals(ModuleOp module, SymbolTable &symbols);

/// Emits the kernel for one contraction.
class KernelEmitter {
public:
  /// With `packSigns`, an epilogue whose output only feeds the next binary
  /// layer's bit packing writes the packed signs (KernelEpilogue).
  KernelEmitter(OpBuilder &b, const Microkernel &kernel,
                const KernelContraction &c, bool packSigns = true)
      : b(b), loc(c.op->getLoc()), kernel(kernel), c(c), packSigns(packSigns) {}

  /// Puts `packed` into private globals of `module` and replaces the
  /// contraction (and the ops it absorbs) by the kernel loops. The caller
  /// has checked checkKernelApplies.
  void emit(ModuleOp module, SymbolTable &symbols, const PackedWeights &packed);

private:
  /// Indices of one output row, hoisted out of the reduction.
  struct Row {
    /// The row (within its batch).
    Value index;
    /// C indices without the channel.
    SmallVector<Value> output;
    /// Matmul: the input row. Convolution: batch, top and left input
    /// coordinates of the window.
    SmallVector<Value> input;
  };

  /// A block of the reduction: groups [begin, end) of a matmul (or, with
  /// `tail`, the last partial group alone), window rows [begin, end) of a
  /// convolution. The corrections are added in the block where `first`
  /// holds.
  struct ReductionBlock {
    Value begin, end, first;
    bool tail = false;
  };

  /// The columns of one tile: accCols accumulators from firstCol, the last
  /// one with lastAccCols valid lanes.
  struct TileColumns {
    Value first;
    int64_t accCols;
    int64_t lastAccCols;
  };

  // KernelEmitter.cpp: blocking, fusion, globals and the loops over tiles.
  void plan();
  void emitRegions();
  void emitRegion(Value rowBegin, Value rowEnd, int64_t units,
                  int64_t lastUnitRows, int64_t accCols);
  void emitPanel(Value rowBegin, Value rowEnd, int64_t rowStep, int64_t units,
                 int64_t lastUnitRows, const TileColumns &cols);
  void emitRowLoop(Value rowBegin, Value rowEnd, int64_t rowStep, int64_t units,
                   int64_t lastUnitRows, const TileColumns &cols,
                   const ReductionBlock &block);

  // KernelTile.cpp: one register tile.
  void emitTile(Value firstRow, int64_t units, int64_t lastUnitRows,
                const TileColumns &cols, const ReductionBlock &block);
  SmallVector<Row> getTileRows(Value firstRow, int64_t units,
                               int64_t lastUnitRows);
  Row getRow(Value row);
  SmallVector<Value> emitStartAccumulators(ArrayRef<Row> rows, int64_t units,
                                           const TileColumns &cols,
                                           Value first);
  SmallVector<Value> loadStartAccumulators(ArrayRef<Row> rows, int64_t units,
                                           const TileColumns &cols, bool first);
  Value loadCorrection(Value col);
  SmallVector<Value> emitReduction(SmallVector<Value> accs, ArrayRef<Row> rows,
                                   Value colBlock, const ReductionBlock &block);
  SmallVector<Value> emitConvReduction(SmallVector<Value> accs,
                                       ArrayRef<Row> rows, Value colBlock,
                                       const ReductionBlock &block);
  SmallVector<Value> emitStep(ValueRange accs, ArrayRef<Row> rows,
                              Value colBlock, Value group,
                              ArrayRef<Value> inputIndices, int64_t validK);
  Value loadActivations(const Row &row, ArrayRef<Value> inputIndices,
                        int64_t validK);
  void storeAccumulators(ArrayRef<Value> accs, ArrayRef<Row> rows,
                         int64_t units, int64_t lastUnitRows,
                         const TileColumns &cols);

  // KernelTile.cpp: output access, vector or one lane at a time (NCHW).
  SmallVector<Value> getOutputIndices(const Row &row, Value col);
  Value loadChannels(Value memref, const Row &row, Value col, VectorType type,
                     int64_t valid);
  void storeChannels(Value memref, const Row &row, Value col, Value value,
                     int64_t valid);
  void storeVector(Value memref, SmallVector<Value> indices,
                   unsigned channelDim, Value value, int64_t valid);
  void storeSigns(ArrayRef<Value> row, Value col, Value value, int64_t valid);

  // KernelRuntimeWeights.cpp: weights packed and rows corrected at run
  // time.
  Value allocateRuntimeBuffer(Type element, Value size);
  SmallVector<Value> getRuntimeWeightIndices(Value k, Value n);
  Value loadRuntimeWeight(Value k, Value n);
  void emitRuntimePacking(ModuleOp module, SymbolTable &symbols,
                          const PackedWeights &weights);
  void emitRowCorrections(int64_t residualZero);
  Value loadRowCorrection(Value row);
  void freeRuntimeBuffers();

  Value index(int64_t v);
  Value add(Value lhs, Value rhs);
  /// `offset` plus the start of the current batch's `perBatch` elements.
  Value addBatchOffset(Value offset, int64_t perBatch);

  OpBuilder &b;
  Location loc;
  const Microkernel &kernel;
  const KernelContraction &c;
  bool packSigns;
  Value packed, corrections;
  /// With a run-time activation zero point: the weights' column sums, which
  /// it multiplies into the corrections.
  Value columnSums;
  int64_t groups = 0;
  /// With a residual weight zero point: -r * sum_k x' per row (and batch).
  Value rowCorrections;
  /// Buffers the kernel allocates (runtime weights, row corrections), freed
  /// after it; the zero point subtracted from runtime weights.
  SmallVector<Value> runtimeBuffers;
  int64_t runtimePackedZero = 0;
  /// Batched matmuls: the batch being emitted, and the packed elements and
  /// padded channels of one batch's weights.
  Value batchIndex;
  int64_t packedSize = 0, paddedChannels = 0;
  /// Convolutions: groups of input channels per window position (see
  /// PackingLayout).
  int64_t channelGroups = 0;
  /// Full groups of a matmul's reduction; the blocks of the reduction
  /// (groups of a matmul, window rows of a convolution), blockStep of them
  /// per pass; whether a matmul ends with a partial group.
  int64_t fullGroups = 0, blocks = 0, blockStep = 1;
  bool hasTail = false;
  /// The element-wise consumer applied to the accumulators as they are
  /// stored, when the reduction runs in one block.
  std::optional<KernelEpilogue> epilogue;
};

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_KERNELEMITTER_H
