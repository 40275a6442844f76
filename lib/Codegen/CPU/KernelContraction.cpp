//===- KernelContraction.cpp - Contractions the kernels handle ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelContraction.h"
#include "qnn/Utils/ConstantLimits.h"
#include "qnn/Utils/Contract.h"
#include "qnn/Utils/ConvolutionWindow.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

DenseElementsAttr cpu::getConstantGlobal(Value value, Operation *from) {
  auto getGlobal = value.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return {};
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      from, getGlobal.getNameAttr());
  if (!global || !global.getConstant())
    return {};
  return dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
}

/// The layout of the weights of `op`, for the named contractions the
/// kernels implement; whether the op is a batched matmul.
static std::optional<WeightLayout> getWeightLayout(Operation *op,
                                                   bool &batched) {
  batched = isa<linalg::QuantizedBatchMatmulOp, linalg::BatchMatmulOp>(op);
  return TypeSwitch<Operation *, std::optional<WeightLayout>>(op)
      .Case<linalg::QuantizedMatmulOp, linalg::QuantizedBatchMatmulOp>(
          [](auto) { return WeightLayout::KN; })
      .Case<linalg::BatchMatmulOp>([](linalg::BatchMatmulOp matmul)
                                       -> std::optional<WeightLayout> {
        if (matmul.getIndexingMapsArray() !=
            linalg::BatchMatmulOp::getDefaultIndexingMaps(matmul.getContext()))
          return std::nullopt;
        return WeightLayout::KN;
      })
      .Case<linalg::MatmulOp>(
          [](linalg::MatmulOp matmul) -> std::optional<WeightLayout> {
            MLIRContext *ctx = matmul.getContext();
            SmallVector<AffineMap> maps = matmul.getIndexingMapsArray();
            if (maps == linalg::MatmulOp::getDefaultIndexingMaps(ctx))
              return WeightLayout::KN;
            auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
            if (maps[0] == AffineMap::get(3, 0, {d(0), d(2)}, ctx) &&
                maps[1] == AffineMap::get(3, 0, {d(1), d(2)}, ctx) &&
                maps[2] == AffineMap::get(3, 0, {d(0), d(1)}, ctx))
              return WeightLayout::NK;
            return std::nullopt;
          })
      .Case<linalg::Conv2DNhwcHwcfQOp, linalg::Conv2DNhwcHwcfOp>(
          [](auto) { return WeightLayout::HWCF; })
      .Case<linalg::Conv2DNhwcFhwcQOp, linalg::Conv2DNhwcFhwcOp>(
          [](auto) { return WeightLayout::FHWC; })
      .Case<linalg::Conv2DNchwFchwQOp, linalg::Conv2DNchwFchwOp>(
          [](auto) { return WeightLayout::FCHW; })
      .Case<linalg::DepthwiseConv2DNhwcHwcQOp,
            linalg::DepthwiseConv2DNhwcHwcOp>(
          [](auto) { return WeightLayout::HWC; })
      .Default([](Operation *) { return std::nullopt; });
}

/// The strides and dilations of a named convolution.
static void getWindow(Operation *op, KernelContraction &c) {
  if (std::optional<ConvolutionWindow> window = getConvolutionWindow(op)) {
    c.strideH = window->strideH;
    c.strideW = window->strideW;
    c.dilationH = window->dilationH;
    c.dilationW = window->dilationW;
  }
}

/// Records the shape of the contraction as rows x channels over the
/// reduction; false when the weights do not fill it.
static bool matchShape(KernelContraction &c) {
  ArrayRef<int64_t> in = cast<MemRefType>(c.input.getType()).getShape();
  ArrayRef<int64_t> out = cast<MemRefType>(c.output.getType()).getShape();
  ArrayRef<int64_t> w = c.weightShape;
  switch (c.layout) {
  case WeightLayout::KN:
  case WeightLayout::NK:
    if (c.batched) {
      c.batch = out[0];
      out = out.drop_front();
      in = in.drop_front();
      if (w[0] != c.batch)
        return false;
    }
    c.rows = out[0];
    c.channels = out[1];
    c.reduction = in[1];
    break;
  case WeightLayout::HWC:
    c.isConv = c.depthwise = true;
    getWindow(c.op, c);
    c.kernelH = w[0];
    c.kernelW = w[1];
    c.channels = c.inChannels = w[2];
    c.outH = out[1];
    c.outW = out[2];
    c.rows = ShapedType::isDynamic(out[0]) ? ShapedType::kDynamic
                                           : out[0] * c.outH * c.outW;
    c.reduction = c.kernelH * c.kernelW;
    if (in[3] != c.channels)
      return false;
    break;
  case WeightLayout::HWCF:
  case WeightLayout::FHWC:
  case WeightLayout::FCHW: {
    c.isConv = true;
    c.nchw = c.layout == WeightLayout::FCHW;
    getWindow(c.op, c);
    bool hwcf = c.layout == WeightLayout::HWCF;
    c.kernelH = w[hwcf ? 0 : c.nchw ? 2 : 1];
    c.kernelW = w[hwcf ? 1 : c.nchw ? 3 : 2];
    c.inChannels = w[hwcf ? 2 : c.nchw ? 1 : 3];
    c.channels = w[hwcf ? 3 : 0];
    c.outH = out[c.nchw ? 2 : 1];
    c.outW = out[c.nchw ? 3 : 2];
    c.rows = ShapedType::isDynamic(out[0]) ? ShapedType::kDynamic
                                           : out[0] * c.outH * c.outW;
    c.reduction = c.kernelH * c.kernelW * c.inChannels;
    if (in[c.nchw ? 1 : 3] != c.inChannels)
      return false;
    break;
  }
  }
  int64_t weightCount = 1;
  for (int64_t size : w)
    weightCount *= size;
  return weightCount == c.batch * c.reduction * c.channels &&
         cast<MemRefType>(c.output.getType()).getDimSize(c.getChannelDim()) ==
             c.channels;
}

/// Whether nothing strictly between `from` and `to` (in one block) may
/// write memory other than allocations made there.
static bool onlyWritesFreshAllocations(Operation *from, Operation *to) {
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    if (isa<memref::AllocOp>(op) || isMemoryEffectFree(op))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || !linalgOp.hasPureBufferSemantics())
      return false;
    for (Value init : linalgOp.getDpsInits()) {
      auto alloc = init.getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc->getBlock() != from->getBlock() ||
          alloc->isBeforeInBlock(from))
        return false;
    }
  }
  return true;
}

/// Folds the sign flip that writes the contraction's input, when the
/// kernel can read the flip's source at the contraction instead: the flip
/// writes a fresh allocation that only the contraction reads, and nothing
/// in between writes other memory.
static void matchInputFlip(KernelContraction &c) {
  auto alloc = c.input.getDefiningOp<memref::AllocOp>();
  if (!alloc || c.dynamicInputZero)
    return;
  linalg::GenericOp flip;
  for (Operation *user : alloc->getUsers()) {
    if (user == c.op.getOperation() || isa<memref::DeallocOp>(user))
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (flip || !generic || !getSignFlipSource(generic) ||
        generic.getDpsInitOperand(0)->get() != c.input)
      return;
    flip = generic;
  }
  if (!flip || flip->getBlock() != c.op->getBlock() ||
      !flip->isBeforeInBlock(c.op) || !onlyWritesFreshAllocations(flip, c.op))
    return;
  c.inputFlip = flip;
  c.input = getSignFlipSource(flip);
  c.inputSigned = false;
  c.inputZero += 128;
}

void cpu::matchInitialValue(KernelContraction &c) {
  Operation *init = nullptr;
  for (Operation *user : c.output.getUsers()) {
    if (user == c.op.getOperation())
      continue;
    Operation *ancestor = c.op->getBlock()->findAncestorOpInBlock(*user);
    if (!ancestor)
      return;
    if (c.op->isBeforeInBlock(ancestor))
      continue;
    if (ancestor != user || init)
      return;
    init = user;
  }
  if (!init)
    return;
  Type element = cast<MemRefType>(c.output.getType()).getElementType();
  if (auto fill = dyn_cast<linalg::FillOp>(init)) {
    Attribute value;
    if (fill.getOutputs()[0] != c.output ||
        !matchPattern(fill.getInputs()[0], m_Constant(&value)) ||
        !isa<IntegerAttr, FloatAttr>(value) ||
        cast<TypedAttr>(value).getType() != element)
      return;
    c.initValues.assign(c.channels, value);
  } else if (auto broadcast = dyn_cast<linalg::BroadcastOp>(init)) {
    SmallVector<int64_t> others;
    int64_t rank = cast<MemRefType>(c.output.getType()).getRank();
    for (int64_t d = 0; d < rank; ++d)
      if (d != c.getChannelDim())
        others.push_back(d);
    if (broadcast.getInit() != c.output ||
        broadcast.getDimensions() != ArrayRef<int64_t>(others))
      return;
    DenseElementsAttr values = getConstantGlobal(broadcast.getInput(), init);
    if (!values || values.getNumElements() != c.channels ||
        values.getElementType() != element)
      return;
    llvm::append_range(c.initValues, values.getValues<Attribute>());
  } else {
    return;
  }
  c.init = init;
}

/// Matches the weights: a constant, or for integer matmuls and
/// convolutions a buffer of static shape read at run time.
static bool matchWeights(KernelContraction &c, bool isInteger,
                         std::string &reason) {
  Value weights = c.op.getDpsInputOperand(1)->get();
  c.weights = getConstantGlobal(weights, c.op);
  if (c.weights) {
    llvm::append_range(c.weightShape, c.weights.getType().getShape());
    return true;
  }
  auto type = dyn_cast<MemRefType>(weights.getType());
  bool packable =
      c.layout == WeightLayout::KN || c.layout == WeightLayout::HWCF ||
      c.layout == WeightLayout::FHWC || c.layout == WeightLayout::FCHW;
  if (!isInteger || !packable || !type || !type.hasStaticShape() ||
      !type.isLastDimUnitStride()) {
    reason = "the weights are not a compile-time constant";
    return false;
  }
  c.weightBuffer = weights;
  llvm::append_range(c.weightShape, type.getShape());
  return true;
}

/// Matches the operands: activations, weights and, for integer
/// contractions, the zero points (the weights' a constant; none for a
/// plain linalg.matmul of integers). Sets `reason` when they do not fit a
/// kernel.
static bool matchOperands(KernelContraction &c, std::string &reason) {
  linalg::LinalgOp op = c.op;
  c.input = op.getDpsInputOperand(0)->get();
  c.output = op.getDpsInitOperand(0)->get();
  auto inputType = dyn_cast<MemRefType>(c.input.getType());
  auto outputType = dyn_cast<MemRefType>(c.output.getType());
  bool isInteger = inputType && isa<IntegerType>(inputType.getElementType());
  if (!matchWeights(c, isInteger, reason))
    return false;
  // Only the outermost dimension of the activations may be dynamic (a
  // batch or a number of rows known at run time), and not for batched
  // matmuls, whose batch selects the weights.
  auto isStaticButBatch = [&](MemRefType type) {
    return type &&
           llvm::all_of(type.getShape().drop_front(), ShapedType::isStatic);
  };
  if (!isStaticButBatch(inputType) || !isStaticButBatch(outputType)) {
    reason = "a shape other than the batch is dynamic";
    return false;
  }
  if (isa<linalg::QuantizedBatchMatmulOp, linalg::BatchMatmulOp>(op) &&
      (inputType.isDynamicDim(0) || outputType.isDynamicDim(0))) {
    reason = "the batch of a batched matmul, which selects its weights, is "
             "dynamic";
    return false;
  }
  if (!inputType.isLastDimUnitStride() || !outputType.isLastDimUnitStride()) {
    reason = "the innermost dimension of an operand is strided";
    return false;
  }
  Type element = inputType.getElementType();
  Type weightElement =
      c.weights ? c.weights.getElementType()
                : cast<MemRefType>(c.weightBuffer.getType()).getElementType();
  bool supported =
      weightElement == element &&
      (isInteger
           ? element.isInteger(8) && outputType.getElementType().isInteger(32)
           : element.isF32() && outputType.getElementType().isF32());
  if (!supported) {
    reason = "the element types are not i8 x i8 -> i32 or f32";
    return false;
  }
  c.isFloat = !isInteger;
  // A plain matmul of integers sign-extends: zero points 0.
  if (!isInteger || !isQuantizedContraction(op))
    return true;
  APInt zero;
  if (!matchPattern(op.getDpsInputOperand(3)->get(), m_ConstantInt(&zero))) {
    reason = "the weight zero point is not a constant";
    return false;
  }
  c.weightZero = zero.getSExtValue();
  Value inputZero = op.getDpsInputOperand(2)->get();
  if (matchPattern(inputZero, m_ConstantInt(&zero)))
    c.inputZero = zero.getSExtValue();
  else
    c.dynamicInputZero = inputZero;
  return true;
}

FailureOr<KernelContraction> cpu::matchKernelContraction(linalg::LinalgOp op,
                                                         std::string &reason) {
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
    return matchBinaryContraction(generic, reason);
  bool batched = false;
  std::optional<WeightLayout> layout = getWeightLayout(op, batched);
  if (!layout || !op.hasPureBufferSemantics() || op.getNumDpsInits() != 1) {
    reason = "the indexing is not a kernel's (transposed activations?)";
    return failure();
  }
  KernelContraction c;
  c.op = op;
  c.layout = *layout;
  c.batched = batched;
  if (!matchOperands(c, reason))
    return failure();
  if (!matchShape(c)) {
    reason = "the weights do not match the operand shapes";
    return failure();
  }
  // The kernels pack constant weights and keep one initial value per
  // channel at compile time.
  if (c.weights && !isFoldableSize(c.weights.getType())) {
    reason = "the constant weights have more than 2^26 elements, which the "
             "kernels do not pack at compile time";
    return failure();
  }
  if (c.channels > kMaxFoldedElements) {
    reason = "more than 2^26 output channels, whose initial values the "
             "kernels do not keep at compile time";
    return failure();
  }
  if (!c.isFloat)
    matchInputFlip(c);
  matchInitialValue(c);
  return c;
}

int64_t KernelContraction::getWeightIndex(int64_t k, int64_t n,
                                          int64_t batchIndex) const {
  switch (layout) {
  case WeightLayout::KN:
    return (batchIndex * reduction + k) * channels + n;
  case WeightLayout::HWCF:
  case WeightLayout::HWC:
    return k * channels + n;
  case WeightLayout::NK:
  case WeightLayout::FHWC:
    return n * reduction + k;
  case WeightLayout::FCHW: {
    int64_t window = k / inChannels, channel = k % inChannels;
    return (n * inChannels + channel) * kernelH * kernelW + window;
  }
  }
  llvm_unreachable("unknown weight layout");
}

/// The codes of `attr`, sign-extended, in row-major order. Byte codes,
/// which is what weights are, are read from the raw buffer: going through
/// APInt per element took most of a ResNet-50's compile time.
static SmallVector<int64_t> readCodes(DenseElementsAttr attr) {
  SmallVector<int64_t> values;
  values.reserve(attr.getNumElements());
  if (attr.getElementType().isInteger(8) && !attr.isSplat()) {
    for (char byte : attr.getRawData())
      values.push_back(static_cast<int8_t>(byte));
    return values;
  }
  for (const APInt &code : attr.getValues<APInt>())
    values.push_back(code.getSExtValue());
  return values;
}

SmallVector<int64_t> cpu::getOffsetWeights(const KernelContraction &c,
                                           int64_t batchIndex) {
  SmallVector<int64_t> codes = readCodes(c.weights);
  SmallVector<int64_t> values(c.reduction * c.channels);
  for (int64_t k = 0; k < c.reduction; ++k)
    for (int64_t n = 0; n < c.channels; ++n)
      values[k * c.channels + n] =
          codes[c.getWeightIndex(k, n, batchIndex)] - c.weightZero;
  return values;
}

SmallVector<int64_t> cpu::getInitialValues(const KernelContraction &c,
                                           int64_t padded) {
  SmallVector<int64_t> initial(padded, 0);
  if (c.init)
    for (auto [n, value] : llvm::enumerate(c.initValues))
      initial[n] = cast<IntegerAttr>(value).getValue().getSExtValue();
  return initial;
}

void cpu::eraseInputFlip(const KernelContraction &c) {
  linalg::GenericOp flip = c.inputFlip;
  if (!flip)
    return;
  Value buffer = flip.getDpsInitOperand(0)->get();
  flip.erase();
  // The flipped buffer is dead once only its deallocations use it.
  if (!llvm::all_of(buffer.getUsers(), llvm::IsaPred<memref::DeallocOp>))
    return;
  for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
    user->erase();
  buffer.getDefiningOp()->erase();
}
