//===- CalibrationRun.cpp - Record statistics by running a model ----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/CalibrationRun.h"
#include "qnn/Calibration/Observer.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {
/// The state the JIT-compiled model reports to.
struct CalibrationRun {
  SmallVector<Observer> observers;
  bool histogramPass = false;
};
} // namespace

/// The run in progress (the observer callback is a plain C function).
static CalibrationRun *currentRun = nullptr;

/// Called by the compiled model with the input of qnn.calibrate number `id`.
extern "C" void qnnObserve(int64_t id, ::UnrankedMemRefType<float> *input) {
  DynamicMemRefType<float> view(*input);
  SmallVector<int64_t> shape(view.sizes, view.sizes + view.rank);
  SmallVector<float> values;
  for (float v : view)
    values.push_back(v);
  currentRun->observers[id].observe(values, shape, currentRun->histogramPass);
}

/// Replaces every qnn.calibrate of the runner module by a report of its
/// input to the observer, in walk order (the order of `calibrates`).
static LogicalResult instrument(ModuleOp runner) {
  auto builder = OpBuilder::atBlockBegin(runner.getBody());
  MLIRContext *ctx = runner.getContext();
  auto unranked = mlir::UnrankedMemRefType::get(Float32Type::get(ctx), 0);
  auto observe = func::FuncOp::create(
      builder, runner.getLoc(), "qnn_observe",
      builder.getFunctionType({builder.getI64Type(), unranked}, {}));
  observe.setPrivate();
  observe->setAttr("llvm.emit_c_interface", builder.getUnitAttr());

  SmallVector<CalibrateOp> calibrates;
  runner.walk([&](CalibrateOp op) { calibrates.push_back(op); });
  for (auto [id, op] : llvm::enumerate(calibrates)) {
    if (!op.getInput().getType().getElementType().isF32())
      return op.emitOpError()
             << "can only be calibrated on f32 values by quant-calibrate";
    builder.setInsertionPoint(op);
    Value idValue = arith::ConstantIntOp::create(builder, op.getLoc(),
                                                 builder.getI64Type(), id);
    RankedTensorType type = op.getInput().getType();
    Value buffer = bufferization::ToBufferOp::create(
        builder, op.getLoc(),
        MemRefType::get(type.getShape(), type.getElementType()), op.getInput(),
        builder.getUnitAttr());
    Value observed =
        memref::CastOp::create(builder, op.getLoc(), unranked, buffer);
    SmallVector<Value> operands{idValue, observed};
    func::CallOp::create(builder, op.getLoc(), observe, operands);
    op.replaceAllUsesWith(op.getInput());
    op.erase();
  }
  return success();
}

func::FuncOp qnn::lookupCalibrationEntry(ModuleOp module, StringRef name) {
  auto entry = module.lookupSymbol<func::FuncOp>(name);
  if (!entry || entry.isExternal()) {
    emitError(module.getLoc())
        << "no function '" << name << "' with a body in the model";
    return {};
  }
  return entry;
}

LogicalResult qnn::addBatchDriver(ModuleOp runner, ModuleOp batches,
                                  StringRef entryName, StringRef driverName) {
  func::FuncOp entry = lookupCalibrationEntry(runner, entryName);
  if (!entry)
    return failure();
  auto builder = OpBuilder::atBlockBegin(runner.getBody());
  builder.setInsertionPointToEnd(runner.getBody());
  auto driver = func::FuncOp::create(builder, runner.getLoc(), driverName,
                                     builder.getFunctionType({}, {}));
  Block *body = driver.addEntryBlock();
  int batchCount = 0;
  for (auto batch : batches.getOps<func::FuncOp>()) {
    if (batch.isExternal() || batch.getNumArguments() != 0)
      continue;
    if (batch.getResultTypes() != entry.getArgumentTypes())
      return batch.emitError()
             << "batch results " << batch.getResultTypes()
             << " do not match the arguments of '" << entryName
             << "': " << entry.getArgumentTypes();
    if (runner.lookupSymbol(batch.getSymName()))
      return batch.emitError() << "batch name '" << batch.getSymName()
                               << "' is already used by the model";
    auto clone = cast<func::FuncOp>(builder.clone(*batch));
    builder.setInsertionPointToEnd(body);
    auto args = func::CallOp::create(builder, batch.getLoc(), clone);
    func::CallOp::create(builder, batch.getLoc(), entry, args.getResults());
    builder.setInsertionPoint(driver);
    ++batchCount;
  }
  if (batchCount == 0)
    return batches.emitError() << "no batch: expected functions without "
                                  "arguments returning the inputs of '"
                               << entryName << "'";
  builder.setInsertionPointToEnd(body);
  func::ReturnOp::create(builder, runner.getLoc());
  return success();
}

/// Compiles the runner module and runs the driver once per pass.
static LogicalResult run(ModuleOp runner, CalibrationRun &state) {
  PassManager pm(runner->getContext());
  buildQNNCompilePipeline(pm, QNNCompileOptions());
  if (failed(pm.run(runner)))
    return failure();
  ExecutionEngineOptions options;
  auto engine = ExecutionEngine::create(runner, options);
  if (!engine) {
    return runner.emitError() << llvm::toString(engine.takeError());
  }
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("_mlir_ciface_qnn_observe")] = {
        llvm::orc::ExecutorAddr::fromPtr(&qnnObserve),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  currentRun = &state;
  bool needsHistogram = llvm::any_of(
      state.observers, [](const Observer &o) { return o.needsHistogram(); });
  for (bool histogramPass : {false, true}) {
    if (histogramPass && !needsHistogram)
      break;
    state.histogramPass = histogramPass;
    if (llvm::Error error =
            (*engine)->invokePacked("__qnn_calibration_driver")) {
      return runner.emitError() << llvm::toString(std::move(error));
    }
  }
  currentRun = nullptr;
  return success();
}

LogicalResult qnn::runCalibration(ModuleOp model, ModuleOp batches,
                                  const CalibrationOptions &options) {
  if (options.bins < 1)
    return model.emitError() << "calibration needs at least one histogram "
                                "bin";
  // One observer per qnn.calibrate of the model, in walk order.
  CalibrationRun state;
  SmallVector<CalibrateOp> calibrates;
  model->walk([&](CalibrateOp op) {
    calibrates.push_back(op);
    state.observers.emplace_back(op.getMethod(), op.getAxis(),
                                 op.getAveragingConstant().value_or(0.01),
                                 options.bins);
  });

  OwningOpRef<ModuleOp> runner = cast<ModuleOp>(model->clone());
  if (failed(instrument(*runner)) ||
      failed(addBatchDriver(*runner, batches, options.entry,
                            "__qnn_calibration_driver")) ||
      failed(run(*runner, state)))
    return failure();

  Builder builder(model.getContext());
  for (auto [op, observer] : llvm::zip(calibrates, state.observers)) {
    if (!observer.observed()) {
      op.emitWarning() << "was not reached by any batch; left without "
                          "statistics";
      continue;
    }
    op.setMinAttr(builder.getDenseF64ArrayAttr(observer.getMin()));
    op.setMaxAttr(builder.getDenseF64ArrayAttr(observer.getMax()));
    if (observer.needsHistogram())
      op.setHistogramAttr(
          builder.getDenseF64ArrayAttr(observer.getHistogram()));
  }
  return success();
}
