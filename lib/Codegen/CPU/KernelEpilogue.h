//===- KernelEpilogue.h - Consumers fused into kernels ----------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The element-wise linalg.generic that consumes a contraction's
// accumulators (the requantization of --qnn-rewrite-int8, with its bias,
// clamp and zero point), applied by the kernel to each accumulator vector
// before it is stored, instead of in a separate pass over the i32 outputs.
//
// When the epilogue's only reader packs the signs of its output into words
// (qnn.bitpack, the input of the next binary layer), the kernel writes the
// words instead: Larq's output threshold, computed as the float epilogue
// followed by `y < 0`, so that the bits are those of the unfused program.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_KERNELEPILOGUE_H
#define QNN_LIB_CODEGEN_CPU_KERNELEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <string>

namespace mlir::qnn::cpu {

class KernelEpilogue {
public:
  /// The epilogue of `contraction`, which accumulates into `acc` (`channels`
  /// channels in dimension `channelDim`): the first op after it that uses
  /// `acc`, an all-parallel linalg.generic reading it with the identity map
  /// (or, for rows x channels, reading its rows as the pixels of a
  /// convolution through an expand_shape) and otherwise values per
  /// position or vectors of channels (projected permutations with the
  /// channels last) that nothing writes between the two, writing a fresh
  /// allocation of the same shape, with an element-wise body. `acc` must
  /// have no other reader. Nothing is changed.
  static std::optional<KernelEpilogue> match(Operation *contraction, Value acc,
                                             int64_t channels,
                                             unsigned channelDim);

  /// Moves the allocations (whose sizes are known before the contraction)
  /// and globals the epilogue uses that are defined between the
  /// contraction and the epilogue before the contraction, so that the
  /// kernel can use them. Fails, changing nothing, when one of
  /// them is anything else.
  LogicalResult hoistOperands(Operation *contraction);

  /// The epilogue's indices (without the channel) of the accumulators'
  /// row `accRow` (their indices without the channel): the same, or the
  /// pixel of a convolution whose rows the epilogue reads as pixels.
  SmallVector<Value> getRowIndices(OpBuilder &b, Location loc,
                                   ArrayRef<Value> accRow);

  /// The epilogue's indices of channel `col` of row `row` (getRowIndices).
  SmallVector<Value> getOutputIndices(ArrayRef<Value> row, Value col);

  /// The dimension of the epilogue's channels.
  unsigned getChannelDim() const { return channelDim; }

  /// Applies the body to `acc` (a vector of accumulators for the channels
  /// from `col` of row `row` (getRowIndices), the first `validLanes` of
  /// them real) and returns the vector to store in the epilogue's output.
  Value apply(OpBuilder &b, Location loc, Value acc, ArrayRef<Value> row,
              Value col, int64_t validLanes);

  /// The buffer the epilogue writes.
  Value getOutput() { return op.getDpsInitOperand(0)->get(); }

  /// Whether the epilogue's output is read only by the packing of its
  /// signs into words (the lowering of qnn.bitpack, through the split of
  /// the innermost, channel dimension into words), so that a kernel of
  /// `lanes` channels per vector can write the words instead. On success,
  /// moves the zero fill of the words (and their allocation) before the
  /// contraction, and packsSigns() holds. Otherwise changes nothing and
  /// returns the reason, or an empty string when nothing packs the output.
  std::string matchSignPacking(Operation *contraction, int64_t lanes);

  /// Whether the kernel writes the packed signs (matchSignPacking).
  bool packsSigns() const { return static_cast<bool>(packing); }

  /// The words the packed signs go to, one per `getWordBits()` channels,
  /// zero before the kernel ors the bits in.
  Value getPackedOutput() { return packing.getDpsInitOperand(0)->get(); }
  int64_t getWordBits() {
    return cast<MemRefType>(getPackedOutput().getType())
        .getElementTypeBitWidth();
  }

  /// Erases the epilogue (after the kernel has taken its place), and with
  /// packed signs the packing and the float buffer it read.
  void erase();

private:
  explicit KernelEpilogue(linalg::GenericOp op) : op(op) {}

  /// Erases the packing of the signs and the float output `out`.
  void erasePacking(Value out);

  linalg::GenericOp op;
  /// Which input holds the accumulators; their view as pixels, if any;
  /// the epilogue's channel dimension.
  unsigned accInput = 0;
  memref::ExpandShapeOp pixels;
  unsigned channelDim = 0;
  /// With packed signs: the packing, and the split of the output into
  /// words it reads.
  linalg::GenericOp packing;
  Operation *split = nullptr;
};

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_KERNELEPILOGUE_H
