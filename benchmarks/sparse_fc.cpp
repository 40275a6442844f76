//===- sparse_fc.cpp - Dense vs compressed pruned fully connected layer ---===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Builds y = x W + b with a pruned constant W (1024 x 1024; 90%, 95% and
// 97% zeros), compiles it twice with --qnn-compile (dense, on the vectorized
// f32 kernels, and after --qnn-eliminate-sparsity forced to store W
// compressed with zero-skipping loops), JIT-compiles both at -O3 and times
// them side by side in one process for batch 1 and 16. Counters report
// dense-equivalent FLOP/s (2 M K N per call); compare the rows with the
// same arguments (batch/sparsity%). The crossover sets the pass's default
// compress-threshold.
//
//===----------------------------------------------------------------------===//

#include "JitContext.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/InitAllDialects.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>

using namespace mlir;

namespace {
constexpr int64_t kK = 1024;
constexpr int64_t kN = 1024;

/// A compiled layer for one batch size.
struct Layer {
  std::unique_ptr<ExecutionEngine> engine;
  using Fn = void (*)(StridedMemRefType<float, 2> *,
                      StridedMemRefType<float, 2> *);
  Fn fn = nullptr;
};

/// The shared MLIR context.
struct Setup {
  Setup() : context(qnn::createJitContext()) {}

  /// Builds and compiles `fc(x: M x K) -> M x N` with `sparsity` of the
  /// weights zero, compressed or dense.
  Layer compile(int64_t m, double sparsity, bool compressed) {
    std::mt19937 rng(42);
    std::normal_distribution<float> normal;
    std::uniform_real_distribution<double> uniform;
    std::vector<float> weights(kK * kN), bias(kN);
    for (float &w : weights)
      w = uniform(rng) < sparsity ? 0.0f : normal(rng);
    for (float &b : bias)
      b = normal(rng);
    OpBuilder b(context.get());
    Location loc = b.getUnknownLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(b, loc);
    b.setInsertionPointToEnd(module->getBody());
    auto f32 = b.getF32Type();
    auto xType = RankedTensorType::get({m, kK}, f32);
    auto yType = RankedTensorType::get({m, kN}, f32);
    auto fn =
        func::FuncOp::create(b, loc, "fc", b.getFunctionType({xType}, {yType}));
    fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
    b.setInsertionPointToStart(fn.addEntryBlock());
    Value w = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({kK, kN}, f32),
                               ArrayRef<float>(weights)));
    Value biasValue = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({kN}, f32),
                               ArrayRef<float>(bias)));
    Value empty = tensor::EmptyOp::create(b, loc, yType.getShape(), f32);
    Value init = linalg::BroadcastOp::create(b, loc, biasValue, empty,
                                             ArrayRef<int64_t>{0})
                     .getResult()[0];
    Value y = linalg::MatmulOp::create(b, loc, TypeRange{yType},
                                       ValueRange{fn.getArgument(0), w},
                                       ValueRange{init})
                  .getResult(0);
    func::ReturnOp::create(b, loc, y);

    PassManager pm(context.get());
    if (compressed) {
      qnn::QNNEliminateSparsityPassOptions always;
      always.compressThreshold = 0.0;
      pm.addNestedPass<func::FuncOp>(
          qnn::createQNNEliminateSparsityPass(always));
    }
    qnn::buildQNNCompilePipeline(pm, qnn::QNNCompileOptions());
    if (failed(pm.run(*module)))
      llvm::report_fatal_error("compilation failed");
    Layer layer;
    void *address;
    std::tie(layer.engine, address) =
        qnn::createOptimizedEngine(*module, "_mlir_ciface_fc");
    layer.fn = reinterpret_cast<Layer::Fn>(address);
    return layer;
  }

  std::unique_ptr<MLIRContext> context;
};

Setup &getSetup() {
  static Setup setup;
  return setup;
}

void runLayer(benchmark::State &state, bool compressed) {
  int64_t m = state.range(0);
  Layer layer = getSetup().compile(m, state.range(1) / 100.0, compressed);
  std::vector<float> x(m * kK, 0.5f);
  StridedMemRefType<float, 2> input{x.data(), x.data(), 0, {m, kK}, {kK, 1}};
  for (auto _ : state) {
    StridedMemRefType<float, 2> output;
    layer.fn(&output, &input);
    benchmark::DoNotOptimize(output.data);
    std::free(output.basePtr);
  }
  state.counters["FLOP/s(dense-equivalent)"] = benchmark::Counter(
      2.0 * m * kK * kN, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

void denseFc(benchmark::State &state) { runLayer(state, false); }
void compressedFc(benchmark::State &state) { runLayer(state, true); }
} // namespace

/// Batch size x percentage of zero weights.
void shapes(benchmark::internal::Benchmark *b) {
  b->ArgsProduct({{1, 16}, {90, 95, 97}})->Unit(benchmark::kMicrosecond);
}

BENCHMARK(denseFc)->Apply(shapes);
BENCHMARK(compressedFc)->Apply(shapes);

BENCHMARK_MAIN();
