//===- Microkernel.h - Dot-product instructions, register tiles -*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The instruction a kernel maps the inner contraction onto, the register
// tile around it and the shape of the weights packed for it.
//
// One accumulator is a vector of `rows x cols` outputs (rows is 1, or 2 for
// the 2x2 tiles of `smmla`). One instruction adds to it the products over
// `kGroup` consecutive reduction steps. The instructions themselves, and
// which one each target uses for each kernel family, are in the
// per-architecture tables (X86Microkernels.cpp, AArch64Microkernels.cpp).
//
// Weights are packed at compile time as [N/cols][K/kGroup][cols][kGroup],
// zero-padded, so that each instruction reads one contiguous vector.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CODEGEN_CPU_MICROKERNEL_H
#define QNN_LIB_CODEGEN_CPU_MICROKERNEL_H

#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::qnn::cpu {

struct Microkernel;

/// How one dot-product instruction reads its operands and accumulates.
class DotInstruction {
public:
  virtual ~DotInstruction();

  /// The instruction's name, for remarks and tests.
  virtual StringRef getName() const = 0;

  /// The instruction's activation operand, from `kernel.rows` vectors of
  /// `kernel.kGroup` activations (one per output row of the accumulator).
  /// Integer activations are i8 codes, signed when `activationsSigned`.
  virtual Value buildActivationOperand(OpBuilder &b, Location loc,
                                       const Microkernel &kernel,
                                       ArrayRef<Value> rowElements,
                                       bool activationsSigned) const = 0;

  /// `acc + dot(activations, weights)`.
  virtual Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                         Value acc, Value activations, Value weights) const = 0;
};

/// An instruction whose activation operand is one 32-bit word of a row
/// (four bytes) broadcast to every lane, its bytes flipped to the
/// instruction's signedness (`vpdpbusd`, `sdot`).
class WordBroadcastInstruction : public DotInstruction {
public:
  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool activationsSigned) const override;
};

/// Binary contractions on packed words: one 32-bit word of a row broadcast
/// to every lane, xored with one word per channel, and
/// `acc - 2 * popcount(difference)` (here with an i32 popcount;
/// subclasses count bytes and sum them with a dot-product instruction).
class XorPopcountInstruction : public DotInstruction {
public:
  StringRef getName() const override { return "xor + popcount"; }

  /// The row's word broadcast to the lanes of the accumulator.
  Value buildActivationOperand(OpBuilder &b, Location loc,
                               const Microkernel &kernel,
                               ArrayRef<Value> rowElements,
                               bool activationsSigned) const override;

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override;

  /// `acc - 2 * popcount(bits)`, `bits` a vector of words like `acc`.
  virtual Value buildSubtractTwicePopcount(OpBuilder &b, Location loc,
                                           const Microkernel &kernel, Value acc,
                                           Value bits) const;

protected:
  /// The popcount of every byte of `bits`, and the vector of `-2` bytes to
  /// multiply them by.
  static std::pair<Value, Value> buildBytePopcounts(OpBuilder &b, Location loc,
                                                    Value bits);
};

/// Ternary contractions: the weights' sign and mask words of `cols`
/// channels in one vector of `cols` 64-bit lanes (signs in the low half of
/// the vector, masks in the high half), and
/// `acc - 2 * popcount((a xor signs) and mask)` with the popcount of
/// `counter`.
class MaskedXorPopcountInstruction final : public XorPopcountInstruction {
public:
  explicit MaskedXorPopcountInstruction(const XorPopcountInstruction &counter)
      : counter(counter) {}

  StringRef getName() const override { return "xor + and + popcount"; }

  Value buildDot(OpBuilder &b, Location loc, const Microkernel &kernel,
                 Value acc, Value activations, Value weights) const override;

private:
  const XorPopcountInstruction &counter;
};

/// An instruction and the register tile around it.
struct Microkernel {
  const DotInstruction *instruction;
  /// Output rows and columns in one accumulator.
  int64_t rows;
  int64_t cols;
  /// Reduction steps per instruction.
  int64_t kGroup;
  /// The packed weight element: an integer of this width, or f32.
  unsigned weightBits;
  bool isFloat;
  /// Whether the instruction reads the activations as unsigned bytes, and
  /// whether it widens them first (then no byte offset is needed).
  bool unsignedActivations;
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

  /// The offset added to each activation byte to bring it to the
  /// instruction's signedness: +128 (s8 as u8), -128 (u8 as s8) or 0. The
  /// kernel applies it by flipping the sign bit.
  int64_t getActivationOffset(bool activationsSigned) const;

  /// The element type of a packed weight.
  Type getWeightType(MLIRContext *ctx) const;

  /// The vector type of one packed weight load.
  VectorType getWeightVectorType(MLIRContext *ctx) const;

  /// The vector type of one accumulator.
  VectorType getAccumulatorType(MLIRContext *ctx) const;
};

/// The microkernels of the x86 targets for i8 x i8 -> i32 and f32
/// contractions (X86Microkernels.cpp); nullopt for other targets.
std::optional<Microkernel> getX86Int8Microkernel(Target target);
std::optional<Microkernel> getX86F32Microkernel(Target target);

/// The microkernels of the x86 targets for binary contractions on packed
/// 32-bit words (X86Microkernels.cpp); nullopt for other targets.
std::optional<Microkernel> getX86BinaryMicrokernel(Target target);

/// The same for the AArch64 targets (AArch64Microkernels.cpp).
std::optional<Microkernel> getAArch64BinaryMicrokernel(Target target);

/// The microkernels of the targets for ternary contractions: the binary
/// ones with the instruction masked (X86Microkernels.cpp,
/// AArch64Microkernels.cpp).
std::optional<Microkernel> getX86TernaryMicrokernel(Target target);
std::optional<Microkernel> getAArch64TernaryMicrokernel(Target target);

/// `binary` with `masked` (a MaskedXorPopcountInstruction around its
/// instruction) and two 32-bit weight planes per step (Microkernel.cpp).
Microkernel getTernaryMicrokernel(const Microkernel &binary,
                                  const DotInstruction &masked);
std::optional<Microkernel> getAArch64Int8Microkernel(Target target);
std::optional<Microkernel> getAArch64F32Microkernel(Target target);

/// Portable vector instructions (Microkernel.cpp): an f32 multiply and a
/// separate add (no fused multiply-add, so that every output sums its
/// products in the order, and with the roundings, of the portable loops),
/// and an i8 -> i32 widening multiply-add.
const DotInstruction &getFloatMulAddInstruction();
const DotInstruction &getWideningMulAddInstruction();

/// acc - 2 * popcount(a xor w) on lanes of 32-bit words, the popcount as
/// LLVM lowers it for the target (Microkernel.cpp).
const XorPopcountInstruction &getXorPopcountInstruction();

/// The same, masked: acc - 2 * popcount((a xor signs) and mask).
const DotInstruction &getMaskedXorPopcountInstruction();

/// A constant i1 vector of `size` lanes, the first `count` set.
Value buildPrefixMask(OpBuilder &b, Location loc, int64_t size, int64_t count);

/// Broadcasts the bytes of `group` (a vector of 32 bits) as one word to
/// every lane of `resultType`, flipping the sign bit of every byte when
/// `flip` is set.
Value broadcastWord(OpBuilder &b, Location loc, Value group,
                    VectorType resultType, bool flip);

} // namespace mlir::qnn::cpu

#endif // QNN_LIB_CODEGEN_CPU_MICROKERNEL_H
