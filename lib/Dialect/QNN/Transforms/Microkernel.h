//===- Microkernel.h - Dot-product instructions per target ------*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The integer dot-product instruction each target maps the inner
// contraction of an int8 kernel onto, the register tile around it and the
// layout of the weights packed for it.
//
// One accumulator is a vector of i32 holding `rows x cols` outputs (rows is
// 1, or 2 for the 2x2 tiles of `smmla`). One instruction adds to it the
// products over `kGroup` consecutive reduction steps: `vpdpbusd` (16 columns,
// 4 steps, u8 x s8), `vpmaddwd` (8 columns, 2 steps, i16 x i16), `sdot`
// (4 columns, 4 steps), `smmla` (2x2, 8 steps), or a widening multiply-add
// (4 columns, 1 step). f32 contractions use the same tiles with a vector
// multiply and add (not fused, so that every output sums its products in
// the order, and with the roundings, of the portable loops).
//
// Weights are packed at compile time as [N/cols][K/kGroup][cols][kGroup],
// zero-padded, so that each instruction reads one contiguous vector.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_MICROKERNEL_H
#define QNN_DIALECT_QNN_TRANSFORMS_MICROKERNEL_H

#include "qnn/Target/Target.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace mlir {
namespace qnn {

enum class DotInstruction { Vpdpbusd, Vpmaddwd, Sdot, Smmla, MulAdd, FMulAdd };

struct Microkernel {
  DotInstruction instruction;
  /// Output rows and columns in one accumulator.
  int64_t rows;
  int64_t cols;
  /// Reduction steps per instruction.
  int64_t kGroup;
  /// Bit width of a packed weight (an integer, or f32 for FMulAdd).
  unsigned weightBits;
  /// Whether the instruction reads the activations as unsigned bytes.
  bool unsignedActivations;
  /// Whether activations are widened before the instruction (no byte
  /// offset needed).
  bool widensActivations;
  /// Register tile: accumulator rows (of `rows` output rows each) and
  /// accumulator columns, for the main rows and for the remaining rows.
  int64_t tileRows;
  int64_t tileCols;
  int64_t tailTileCols;
  /// Bytes of packed weights a register tile's panel reads per block of the
  /// reduction. Blocking costs a reload of the accumulators per block;
  /// measured on Cascade Lake, panels up to 64 KiB (served by L2) run as
  /// fast as L1-sized ones, so only long reductions are blocked.
  int64_t blockBytes = 65536;

  int64_t getLanes() const { return rows * cols; }
  bool isFloat() const { return instruction == DotInstruction::FMulAdd; }

  /// The offset added to each activation byte to bring it to the
  /// instruction's signedness: +128 (s8 as u8), -128 (u8 as s8) or 0. The
  /// kernel applies it by flipping the sign bit.
  int64_t getActivationOffset(bool activationsSigned) const;

  /// The vector type of one packed weight load.
  VectorType getWeightVectorType(MLIRContext *ctx) const;

  /// The vector type of one accumulator.
  VectorType getAccumulatorType(MLIRContext *ctx) const;

  /// The instruction's activation operand, from `rows` vectors of kGroup
  /// i8 activations (one per output row of the accumulator).
  Value buildActivationOperand(OpBuilder &b, Location loc,
                               ArrayRef<Value> rowBytes,
                               bool activationsSigned) const;

  /// acc + dot(activations, weights).
  Value buildDot(OpBuilder &b, Location loc, Value acc, Value activations,
                 Value weights) const;
};

/// A constant i1 vector of `size` lanes, the first `count` set.
Value buildPrefixMask(OpBuilder &b, Location loc, int64_t size,
                      int64_t count);

/// The kernel of `target` for i8 x i8 -> i32 contractions, or nullopt for
/// targets left to portable loops. `target` must be resolved (not Host).
std::optional<Microkernel> getInt8Microkernel(CompileTarget target);

/// The kernel of `target` for f32 contractions, or nullopt.
std::optional<Microkernel> getF32Microkernel(CompileTarget target);

} // namespace qnn
} // namespace mlir

#endif // QNN_DIALECT_QNN_TRANSFORMS_MICROKERNEL_H
