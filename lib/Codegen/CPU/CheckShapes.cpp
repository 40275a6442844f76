//===- CheckShapes.cpp - Reject shapes no CPU can run ---------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reports linalg ops whose operands disagree on a loop's static size, and
// buffers larger than the address space, before anything is generated for
// them.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"
#include "qnn/Utils/ConstantLimits.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNCPUCHECKSHAPESPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

/// The largest buffer a 64-bit CPU (48-bit virtual addresses) can hold.
static constexpr int64_t kMaxBufferBytes = int64_t(1) << 48;

/// Fails, reporting at `op`, when two operands of `op` give one loop
/// different static sizes.
static LogicalResult checkLoopSizes(linalg::LinalgOp op) {
  SmallVector<std::pair<int64_t, unsigned>> sizes(op.getNumLoops(),
                                                  {ShapedType::kDynamic, 0});
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<ShapedType>(operand.get().getType());
    if (!type || !type.hasRank())
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    for (auto [expr, size] : llvm::zip(map.getResults(), type.getShape())) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim || ShapedType::isDynamic(size))
        continue;
      auto &[known, from] = sizes[dim.getPosition()];
      if (ShapedType::isDynamic(known)) {
        known = size;
        from = operand.getOperandNumber();
      } else if (known != size) {
        return op->emitOpError()
               << "loop d" << dim.getPosition() << " has size " << size
               << " in operand #" << operand.getOperandNumber() << " but "
               << known << " in operand #" << from;
      }
    }
  }
  return success();
}

/// Fails, reporting at `loc`, when `type` is a static shape larger than
/// the address space.
static LogicalResult checkBytes(Type type, Location loc) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return success();
  // Other element types (quantized ones, before their lowering to storage
  // types) take at least a byte.
  Type element = shaped.getElementType();
  int64_t bits = element.isIndex()        ? 64
                 : element.isIntOrFloat() ? element.getIntOrFloatBitWidth()
                                          : 8;
  std::optional<int64_t> elements = getNumElementsChecked(shaped.getShape());
  int64_t bytes = 0;
  if (elements && !llvm::MulOverflow(*elements, (bits + 7) / 8, bytes) &&
      bytes <= kMaxBufferBytes)
    return success();
  return emitError(loc) << type
                        << " is larger than the 2^48 bytes a 64-bit CPU "
                           "can address";
}

namespace {
struct QNNCPUCheckShapesPass
    : cpu::impl::QNNCPUCheckShapesPassBase<QNNCPUCheckShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](Operation *op) {
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
        failed |= mlir::failed(checkLoopSizes(linalgOp));
      if (auto global = dyn_cast<memref::GlobalOp>(op))
        failed |= mlir::failed(checkBytes(global.getType(), op->getLoc()));
      for (Type type : op->getResultTypes())
        failed |= mlir::failed(checkBytes(type, op->getLoc()));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument argument : block.getArguments())
            failed |=
                mlir::failed(checkBytes(argument.getType(), argument.getLoc()));
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
