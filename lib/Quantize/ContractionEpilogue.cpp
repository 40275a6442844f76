//===- ContractionEpilogue.cpp - Bias and activation after a contraction --===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// The value of a float scalar constant, a splat constant or a
/// `linalg.fill` of one.
static std::optional<double> getUniformConstant(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr))) {
    if (auto scalar = dyn_cast<FloatAttr>(attr))
      return scalar.getValueAsDouble();
    auto dense = dyn_cast<DenseFPElementsAttr>(attr);
    if (dense && dense.isSplat())
      return dense.getSplatValue<APFloat>().convertToDouble();
    return std::nullopt;
  }
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return getUniformConstant(fill.getInputs()[0]);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Clamps
//===----------------------------------------------------------------------===//

namespace {
/// One clamp `max(x, bound)` or `min(x, bound)` and the value it reads.
struct Clamp {
  Value input;
  double bound;
  bool isMax;
};
} // namespace

/// Adds `clamp` to `act`.
static void addClamp(Activation &act, const Clamp &clamp) {
  if (clamp.isMax)
    act.lower = act.lower ? std::max(*act.lower, clamp.bound) : clamp.bound;
  else
    act.upper = act.upper ? std::min(*act.upper, clamp.bound) : clamp.bound;
}

/// The clamp of a binary max or min whose other operand is a constant.
static std::optional<Clamp> getBinaryClamp(Value lhs, Value rhs, bool isMax) {
  if (std::optional<double> bound = getUniformConstant(rhs))
    return Clamp{lhs, *bound, isMax};
  if (std::optional<double> bound = getUniformConstant(lhs))
    return Clamp{rhs, *bound, isMax};
  return std::nullopt;
}

/// `select(cmpf(x > c), x, c)` is max(x, c), and the other orders and
/// directions likewise.
static std::optional<Clamp> getSelectClamp(arith::SelectOp select) {
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!cmp)
    return std::nullopt;
  bool greater;
  switch (cmp.getPredicate()) {
  case arith::CmpFPredicate::OGT:
  case arith::CmpFPredicate::OGE:
  case arith::CmpFPredicate::UGT:
  case arith::CmpFPredicate::UGE:
    greater = true;
    break;
  case arith::CmpFPredicate::OLT:
  case arith::CmpFPredicate::OLE:
  case arith::CmpFPredicate::ULT:
  case arith::CmpFPredicate::ULE:
    greater = false;
    break;
  default:
    return std::nullopt;
  }
  Value x = cmp.getLhs(), c = cmp.getRhs();
  std::optional<double> bound = getUniformConstant(c);
  if (!bound) {
    std::swap(x, c);
    greater = !greater;
    bound = getUniformConstant(c);
  }
  if (!bound || !getUniformConstant(c))
    return std::nullopt;
  Value t = select.getTrueValue(), f = select.getFalseValue();
  std::optional<double> tc = getUniformConstant(t), fc = getUniformConstant(f);
  // select(x > c, x, c') with c' == c.
  if (t == x && fc && *fc == *bound)
    return Clamp{x, *bound, greater};
  if (f == x && tc && *tc == *bound)
    return Clamp{x, *bound, !greater};
  return std::nullopt;
}

/// The clamp `op` computes, on tensors or on the scalars of a body.
static std::optional<Clamp> getClamp(Operation *op) {
  if (isa<arith::MaximumFOp, arith::MaxNumFOp, linalg::MaxOp>(op) ||
      isa<arith::MinimumFOp, arith::MinNumFOp, linalg::MinOp>(op)) {
    bool isMax = isa<arith::MaximumFOp, arith::MaxNumFOp, linalg::MaxOp>(op);
    return getBinaryClamp(op->getOperand(0), op->getOperand(1), isMax);
  }
  if (auto select = dyn_cast<arith::SelectOp>(op))
    return getSelectClamp(select);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Element-wise generics
//===----------------------------------------------------------------------===//

namespace {
/// What an element-wise generic computes: clamps of its main input plus an
/// optional bias.
struct GenericEpilogue {
  Value input;
  std::optional<ConstantBias> bias;
  Activation act;
};
} // namespace

/// Reads the body of `generic` as clamps of `main + bias` or of `main`.
static std::optional<GenericEpilogue> readGeneric(linalg::GenericOp generic) {
  if (generic.getNumDpsInits() != 1 || generic.getNumDpsInputs() > 2 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.hasPureTensorSemantics())
    return std::nullopt;
  Block &body = generic.getRegion().front();
  GenericEpilogue result;
  Value v = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0];
  while (std::optional<Clamp> clamp =
             v.getDefiningOp() ? getClamp(v.getDefiningOp()) : std::nullopt) {
    addClamp(result.act, *clamp);
    v = clamp->input;
  }
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  auto inputOf = [&](Value arg) -> OpOperand * {
    auto blockArg = dyn_cast<BlockArgument>(arg);
    if (!blockArg || blockArg.getOwner() != &body ||
        blockArg.getArgNumber() >= generic.getNumDpsInputs())
      return nullptr;
    return generic.getDpsInputOperand(blockArg.getArgNumber());
  };
  OpOperand *main = inputOf(v);
  if (!main) {
    auto add = v.getDefiningOp<arith::AddFOp>();
    if (!add)
      return std::nullopt;
    for (auto [x, b] : {std::pair(add.getLhs(), add.getRhs()),
                        std::pair(add.getRhs(), add.getLhs())}) {
      OpOperand *mainOperand = inputOf(x), *biasOperand = inputOf(b);
      if (!mainOperand || !biasOperand ||
          !maps[mainOperand->getOperandNumber()].isIdentity())
        continue;
      result.bias = matchBiasOperand(
          biasOperand->get(), maps[biasOperand->getOperandNumber()], true);
      if (result.bias) {
        main = mainOperand;
        break;
      }
    }
  }
  if (!main || !maps[main->getOperandNumber()].isIdentity() ||
      (!result.bias && generic.getNumDpsInputs() != 1))
    return std::nullopt;
  result.input = main->get();
  return result;
}

//===----------------------------------------------------------------------===//
// The chain
//===----------------------------------------------------------------------===//

/// A bias added on tensors: `arith.addf` or `linalg.add` of the value and a
/// bias tensor.
static std::optional<std::pair<Value, ConstantBias>>
getTensorBias(Operation *op) {
  if (!isa<arith::AddFOp, linalg::AddOp>(op) ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return std::nullopt;
  for (auto [x, b] : {std::pair(op->getOperand(0), op->getOperand(1)),
                      std::pair(op->getOperand(1), op->getOperand(0))})
    if (std::optional<ConstantBias> bias =
            matchBiasTensor(b, /*allowCodes=*/true))
      return std::pair(x, *bias);
  return std::nullopt;
}

ContractionEpilogue qnn::peelContractionEpilogue(Value value) {
  ContractionEpilogue e;
  while (Operation *op = value.getDefiningOp()) {
    // A clamp applies after the bias: none once the bias is found.
    bool tensorOp = isa<RankedTensorType>(op->getResult(0).getType()) &&
                    !isa<linalg::GenericOp>(op);
    if (std::optional<Clamp> clamp = tensorOp ? getClamp(op) : std::nullopt) {
      if (e.bias)
        break;
      addClamp(e.act, *clamp);
      value = clamp->input;
      continue;
    }
    if (auto bias = getTensorBias(op)) {
      if (e.bias)
        break;
      e.bias = bias->second;
      value = bias->first;
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(op);
    std::optional<GenericEpilogue> read =
        generic ? readGeneric(generic) : std::nullopt;
    if (!read || (e.bias && (read->bias || read->act.lower || read->act.upper)))
      break;
    if (read->act.lower)
      addClamp(e.act, {Value(), *read->act.lower, true});
    if (read->act.upper)
      addClamp(e.act, {Value(), *read->act.upper, false});
    e.bias = read->bias;
    value = read->input;
  }
  e.contraction = value;
  return e;
}
