//===- ErrorRun.cpp - Quantization error per layer on real data -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/ErrorRun.h"
#include "qnn/Calibration/CalibrationRun.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

double LayerError::getSQNR() const {
  if (noise == 0)
    return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

double LayerError::getRelativeRMS() const {
  return signal == 0 ? 0.0 : std::sqrt(noise / signal);
}

namespace {
/// The state the JIT-compiled models report to: the float outputs of every
/// layer, then the errors of the quantized ones.
struct ErrorRun {
  bool comparing = false;
  SmallVector<std::vector<float>> reference;
  SmallVector<size_t> cursor;
  SmallVector<LayerError> errors;
  bool mismatch = false;
};
} // namespace

static ErrorRun *currentRun = nullptr;

/// Called by the compiled models with the output of layer `id`.
extern "C" void qnnReportObserve(int64_t id,
                                 ::UnrankedMemRefType<float> *output) {
  DynamicMemRefType<float> view(*output);
  ErrorRun &run = *currentRun;
  if (!run.comparing) {
    for (float v : view)
      run.reference[id].push_back(v);
    return;
  }
  std::vector<float> &reference = run.reference[id];
  size_t &at = run.cursor[id];
  LayerError &error = run.errors[id];
  for (float v : view) {
    if (at >= reference.size()) {
      run.mismatch = true;
      return;
    }
    double f = reference[at++];
    double d = static_cast<double>(v) - f;
    error.signal += f * f;
    error.noise += d * d;
    error.maxAbs = std::max(error.maxAbs, std::abs(d));
    ++error.count;
  }
}

/// Reports the f32 result of every layer of `module` to the observer.
static FailureOr<int64_t>
instrument(ModuleOp module, llvm::function_ref<bool(Operation *)> isLayer) {
  auto builder = OpBuilder::atBlockBegin(module.getBody());
  MLIRContext *ctx = module.getContext();
  auto unranked = mlir::UnrankedMemRefType::get(Float32Type::get(ctx), 0);
  auto observe = func::FuncOp::create(
      builder, module.getLoc(), "qnn_report_observe",
      builder.getFunctionType({builder.getI64Type(), unranked}, {}));
  observe.setPrivate();
  observe->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  SmallVector<Operation *> layers;
  module.walk([&](Operation *op) {
    if (isLayer(op))
      layers.push_back(op);
  });
  for (auto [id, op] : llvm::enumerate(layers)) {
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return op->emitOpError()
             << "has no static f32 tensor result to measure the error on";
    builder.setInsertionPointAfter(op);
    Location loc = op->getLoc();
    Value idValue =
        arith::ConstantIntOp::create(builder, loc, builder.getI64Type(), id);
    Value buffer = bufferization::ToBufferOp::create(
        builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
        op->getResult(0), builder.getUnitAttr());
    Value cast = memref::CastOp::create(builder, loc, unranked, buffer);
    func::CallOp::create(builder, loc, observe, ValueRange{idValue, cast});
  }
  return static_cast<int64_t>(layers.size());
}

/// Erases the functions of `module` that `entry` does not call (directly or
/// not): a test driver printing results needs runtime libraries the JIT
/// does not load.
static void keepOnlyEntry(ModuleOp module, StringRef entry) {
  llvm::StringSet<> reachable;
  SmallVector<StringRef> worklist = {entry};
  while (!worklist.empty()) {
    StringRef name = worklist.pop_back_val();
    if (!reachable.insert(name).second)
      continue;
    if (auto func = module.lookupSymbol<func::FuncOp>(name))
      func.walk(
          [&](func::CallOp call) { worklist.push_back(call.getCallee()); });
  }
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (!reachable.contains(func.getSymName()))
      func.erase();
}

/// Instruments, compiles and runs `model` on the batches.
static LogicalResult runOnBatches(ModuleOp model, ModuleOp batches,
                                  StringRef entry,
                                  llvm::function_ref<bool(Operation *)> isLayer,
                                  int64_t &layerCount) {
  OwningOpRef<ModuleOp> runner = cast<ModuleOp>(model->clone());
  keepOnlyEntry(*runner, entry);
  FailureOr<int64_t> count = instrument(*runner, isLayer);
  if (failed(count) ||
      failed(addBatchDriver(*runner, batches, entry, "__qnn_report_driver")))
    return failure();
  layerCount = *count;
  PassManager pm(runner->getContext());
  buildQNNCompilePipeline(pm, QNNCompileOptions());
  {
    // Where the layers run is the report's business, not this run's.
    ScopedDiagnosticHandler quiet(runner->getContext(), [](Diagnostic &diag) {
      return success(diag.getSeverity() == DiagnosticSeverity::Remark);
    });
    if (failed(pm.run(*runner)))
      return failure();
  }
  auto engine = ExecutionEngine::create(*runner, ExecutionEngineOptions());
  if (!engine)
    return runner->emitError() << llvm::toString(engine.takeError());
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("_mlir_ciface_qnn_report_observe")] = {
        llvm::orc::ExecutorAddr::fromPtr(&qnnReportObserve),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  if (llvm::Error error = (*engine)->invokePacked("__qnn_report_driver"))
    return runner->emitError() << llvm::toString(std::move(error));
  return success();
}

FailureOr<SmallVector<LayerError>>
qnn::measureLayerErrors(ModuleOp floatModel, ModuleOp quantizedModel,
                        ModuleOp batches, StringRef entry,
                        llvm::function_ref<bool(Operation *)> isLayer) {
  ErrorRun run;
  currentRun = &run;
  int64_t floatLayers = 0, quantizedLayers = 0;
  // Sized for any layer id before the float run reports.
  int64_t floatCount = 0, quantizedCount = 0;
  floatModel.walk([&](Operation *op) { floatCount += isLayer(op); });
  quantizedModel.walk([&](Operation *op) { quantizedCount += isLayer(op); });
  if (floatCount != quantizedCount)
    return quantizedModel.emitError()
           << "the float model has " << floatCount
           << " layers and the quantized one " << quantizedCount;
  int64_t upperBound = floatCount;
  run.reference.resize(upperBound);
  run.cursor.assign(upperBound, 0);
  run.errors.resize(upperBound);
  LogicalResult result =
      runOnBatches(floatModel, batches, entry, isLayer, floatLayers);
  if (succeeded(result)) {
    run.comparing = true;
    result =
        runOnBatches(quantizedModel, batches, entry, isLayer, quantizedLayers);
  }
  currentRun = nullptr;
  if (failed(result))
    return failure();
  if (floatLayers != quantizedLayers || run.mismatch)
    return quantizedModel.emitError()
           << "the float model has " << floatLayers
           << " layers and the quantized one " << quantizedLayers
           << " or outputs of other sizes";
  return run.errors;
}
