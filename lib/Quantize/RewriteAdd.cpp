//===- RewriteAdd.cpp - Quantized additions on the codes ------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Rewrites qcast(act(dcast(a) + dcast(b))) into integer code: QNNPACK's
// fixed-point add for u8 (torch's qnnpack engine) and aten's float kernel
// for i8 (qint8, every engine).
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"
#include "QuantizedOperands.h"
#include "RewritePatterns.h"
#include "qnn/Utils/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// QNNPACK's requantization parameters of a quantized add (u8).
struct AddParams {
  int32_t aMultiplier, bMultiplier, zeroPointProduct;
  int32_t shift, remainderMask, remainderThreshold;
};

/// pytorch_qnnp_compute_add_quantization_params: multipliers with 22-bit
/// precision sharing one shift, from the f32 ratios a/y and b/y (each in
/// [2^-14, 2^8)).
std::optional<AddParams> getAddParams(float aOverY, float bOverY, int64_t aZero,
                                      int64_t bZero) {
  auto inRange = [](float s) { return s >= 0x1.0p-14f && s < 0x1.0p+8f; };
  if (!inRange(aOverY) || !inRange(bOverY))
    return std::nullopt;
  float largest = std::max(aOverY, bOverY);
  int32_t exponent =
      static_cast<int32_t>(llvm::bit_cast<uint32_t>(largest) >> 23) - 127;
  int32_t shift = 21 - exponent;
  auto multiplier =
      llvm::bit_cast<float>(static_cast<uint32_t>(21 - exponent + 127) << 23);
  auto a = static_cast<int32_t>(std::nearbyint(aOverY * multiplier));
  auto b = static_cast<int32_t>(std::nearbyint(bOverY * multiplier));
  uint32_t mask = (uint32_t(1) << shift) - 1;
  return AddParams{
      a,
      b,
      static_cast<int32_t>(
          -(static_cast<uint32_t>(a) * static_cast<uint32_t>(aZero) +
            static_cast<uint32_t>(b) * static_cast<uint32_t>(bZero))),
      shift,
      static_cast<int32_t>(mask),
      static_cast<int32_t>(mask >> 1)};
}

/// QNNPACK's add of the u8 codes `a` and `b`, before the output zero point:
///   acc = -(m_a z_a + m_b z_b) + m_a a + m_b b               (i32)
///   y   = (acc >> s) + round_bit
/// where the rounding bit compares the remainder with half of 2^s.
Value emitFixedPointAdd(OpBuilder &b, Location loc, Value x, Value y,
                        const AddParams &params) {
  Type i32 = b.getI32Type();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i32, v);
  };
  Value xw = arith::ExtUIOp::create(b, loc, i32, x);
  Value yw = arith::ExtUIOp::create(b, loc, i32, y);
  Value acc = arith::AddIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc, c(params.zeroPointProduct),
          arith::MulIOp::create(b, loc, xw, c(params.aMultiplier))),
      arith::MulIOp::create(b, loc, yw, c(params.bMultiplier)));
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, acc, c(0));
  Value remainder = arith::SubIOp::create(
      b, loc, arith::AndIOp::create(b, loc, acc, c(params.remainderMask)),
      arith::ExtUIOp::create(b, loc, i32, negative));
  Value roundUp =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, remainder,
                            c(params.remainderThreshold));
  return arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, acc, c(params.shift)),
      arith::ExtUIOp::create(b, loc, i32, roundUp));
}

/// The dequantization of aten's vectorized kernels: fma(s, q, fl32(-z s)).
Value emitDequantize(OpBuilder &b, Location loc, Value code,
                     quant::UniformQuantizedType type) {
  Type f32 = b.getF32Type();
  auto scale = static_cast<float>(type.getScale());
  float offset = -static_cast<float>(type.getZeroPoint()) * scale;
  Value real = type.isSigned()
                   ? arith::SIToFPOp::create(b, loc, f32, code).getResult()
                   : arith::UIToFPOp::create(b, loc, f32, code).getResult();
  return math::FmaOp::create(b, loc, real,
                             createFloatConstant(b, loc, f32, scale),
                             createFloatConstant(b, loc, f32, offset));
}

/// aten's qadd_kernel on the codes `a` and `b`, before the output zero
/// point: y = nearbyint((da + db) * fl32(1 / s_y)) in f32.
Value emitFloatAdd(OpBuilder &b, Location loc, Value x, Value y,
                   quant::UniformQuantizedType xType,
                   quant::UniformQuantizedType yType,
                   quant::UniformQuantizedType outType) {
  Type f32 = b.getF32Type();
  float inverse = 1.0f / static_cast<float>(outType.getScale());
  Value sum = arith::AddFOp::create(b, loc, emitDequantize(b, loc, x, xType),
                                    emitDequantize(b, loc, y, yType));
  Value scaled = arith::MulFOp::create(
      b, loc, sum, createFloatConstant(b, loc, f32, inverse));
  return arith::FPToSIOp::create(b, loc, b.getI32Type(),
                                 math::RoundEvenOp::create(b, loc, scaled));
}

/// The operands of `value` if it is the element-wise sum of two tensors of
/// its shape: `arith.addf`, `linalg.add`, or a generic whose body adds its
/// two identity-indexed inputs.
std::optional<std::pair<Value, Value>> matchTensorAdd(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !isa<RankedTensorType>(value.getType()))
    return std::nullopt;
  if (auto add = dyn_cast<arith::AddFOp>(op))
    return std::make_pair(add.getLhs(), add.getRhs());
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInputs() != 2 ||
      linalgOp.getNumDpsInits() != 1 ||
      linalgOp.getNumParallelLoops() != linalgOp.getNumLoops() ||
      !llvm::all_of(linalgOp.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Value lhs = linalgOp.getDpsInputOperand(0)->get();
  Value rhs = linalgOp.getDpsInputOperand(1)->get();
  if (lhs.getType() != value.getType() || rhs.getType() != value.getType())
    return std::nullopt;
  if (isa<linalg::AddOp>(op))
    return std::make_pair(lhs, rhs);
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic)
    return std::nullopt;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != &body || body.getOperations().size() != 2)
    return std::nullopt;
  BlockArgument a = body.getArgument(0), b = body.getArgument(1);
  if ((add.getLhs() == a && add.getRhs() == b) ||
      (add.getLhs() == b && add.getRhs() == a))
    return std::make_pair(lhs, rhs);
  return std::nullopt;
}

/// qcast(act(dcast(a) + dcast(b))) with 8-bit per-tensor types -> an
/// element-wise generic on the codes, the activation folded into the clamp:
/// u8 operands use QNNPACK's fixed-point add (torch.ops.quantized.add /
/// add_relu, qnnpack), i8 operands aten's float kernel (qint8 has no
/// QNNPACK add).
struct RewriteQuantizedAdd : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    // The activation in any spelling the contraction epilogue reads.
    ContractionEpilogue epilogue = peelContractionEpilogue(op.getInput());
    Activation act = epilogue.act;
    Value pre = epilogue.contraction;
    std::optional<std::pair<Value, Value>> add = matchTensorAdd(pre);
    if (!outType || !add || epilogue.bias || !pre.hasOneUse())
      return rewriter.notifyMatchFailure(op, "not a quantized tensor add");
    Value aQuantized, bQuantized;
    quant::UniformQuantizedType aType =
        getDequantizedType(add->first, aQuantized);
    quant::UniformQuantizedType bType =
        getDequantizedType(add->second, bQuantized);
    auto is8Bit = [&](quant::UniformQuantizedType t, bool isSigned) {
      return t && t.isSigned() == isSigned &&
             t.getStorageTypeIntegralWidth() == 8;
    };
    bool isSigned = aType && aType.isSigned();
    if (!is8Bit(aType, isSigned) || !is8Bit(bType, isSigned) || !outType ||
        outType.getStorageTypeIntegralWidth() != 8)
      return rewriter.notifyMatchFailure(op, "not all u8 or all i8");
    // An output of the other signedness (a sign flip folded into it for the
    // layer that reads it) is computed on the operands' side and moved
    // over by 128 at the end.
    bool flipOutput = outType.isSigned() != isSigned;
    if (flipOutput)
      outType = flipSignedness(outType);
    std::optional<AddParams> params;
    if (!isSigned) {
      auto sy = static_cast<float>(outType.getScale());
      params = getAddParams(static_cast<float>(aType.getScale()) / sy,
                            static_cast<float>(bType.getScale()) / sy,
                            aType.getZeroPoint(), bType.getZeroPoint());
      if (!params)
        return rewriter.notifyMatchFailure(op, "scale ratios out of range");
    }
    int64_t lo = outType.getStorageTypeMin();
    int64_t hi = outType.getStorageTypeMax();
    if (act.lower)
      lo = std::max(lo, quantizeBound(*act.lower, outType));
    if (act.upper)
      hi = std::min(hi, quantizeBound(*act.upper, outType));

    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto toCodes = [&](Value quantized) -> Value {
      return quant::StorageCastOp::create(
          rewriter, loc, cast<RankedTensorType>(quantized.getType()).clone(i8),
          quantized);
    };
    int64_t zy = outType.getZeroPoint();
    Value result = buildElementwise(
        rewriter, loc, {toCodes(aQuantized), toCodes(bQuantized)}, {}, i8,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value y = params ? emitFixedPointAdd(b, l, args[0], args[1], *params)
                           : emitFloatAdd(b, l, args[0], args[1], aType, bType,
                                          outType);
          y = arith::AddIOp::create(
              b, l, y, arith::ConstantIntOp::create(b, l, i32, zy));
          Value code = createClampToStorage(b, l, y, lo, hi, i8);
          if (!flipOutput)
            return code;
          return arith::XOrIOp::create(
              b, l, code, arith::ConstantIntOp::create(b, l, i8, 0x80));
        });
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(), result);
    return success();
  }
};
} // namespace

void qnn::populateRewriteAddPatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteQuantizedAdd>(patterns.getContext());
}
