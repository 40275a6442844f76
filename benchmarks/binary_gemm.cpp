//===- binary_gemm.cpp - Binary kernels against int8, f32 and plain C -----===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Side by side in one process, single thread, on the same shapes
// (M x K times K x N):
//
// - binaryGemm: qnn.binary_matmul on packed activations (the binary
//   kernel alone), i32 out;
// - xnorReference: the plain C loop of xnor_reference.c (clang -O3
//   -march=native) on the same packed words;
// - binaryLayer: a binarized fully connected layer through --qnn-quantize
//   and --qnn-compile: f32 in, bit packing, the kernel, scales and bias,
//   f32 out;
// - binaryLayerToBits: the same layer followed by qnn.bitpack of its output,
//   as the next binary layer reads it: its kernel writes the packed signs
//   (i32 words out) instead of f32; binaryLayerToBitsSeparate: the same
//   with --qnn-compile's pack-signs=false (f32 out of the kernel, then the
//   vectorized packing loop);
// - ternaryBitPlanesLayer, ternaryInt8Layer: the binarized layer with
//   ternary weights (a third of them zero), on bit planes
//   (ternary-kernel=bit-planes) and on the int8 kernels
//   (ternary-kernel=int8);
// - int8Layer: the int8 layer (i8 codes in, int8 kernel, requantization,
//   i8 codes out) of the same shape;
// - f32Layer: the f32 layer on our f32 kernels.
//
// Every benchmark reports OP/s with 1 multiply-accumulate = 2 operations
// (for binary ones, one bit product). binaryGemm checks its outputs against
// xnorReference's. scripts/benchmark.sh --binary renders the medians into
// docs/benchmark-binary.md and .png with the ratios.
//
//===----------------------------------------------------------------------===//

#include "HexConstant.h"
#include "JitContext.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <tuple>

extern "C" void xnor_gemm_reference(const uint64_t *a, const uint64_t *b,
                                    int32_t *c, int64_t m, int64_t n,
                                    int64_t words, int64_t k);

using namespace mlir;

namespace {
/// Random data of one shape: signs of the activations and weights, and the
/// same as int8 codes and floats.
struct Data {
  Data(int64_t m, int64_t n, int64_t k) : m(m), n(n), k(k) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> bit(0, 1), code(-127, 127);
    std::normal_distribution<float> normal;
    words64 = (k + 63) / 64;
    // Packed rows: 64-bit words, which are also the 32-bit words of
    // qnn.bitpack in little-endian order.
    a.assign(m * words64, 0);
    b.assign(n * words64, 0);
    auto fill = [&](std::vector<uint64_t> &packed, int64_t rows) {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < k; ++j)
          if (bit(rng))
            packed[r * words64 + j / 64] |= uint64_t(1) << (j % 64);
    };
    fill(a, m);
    fill(b, n);
    x.resize(m * k);
    for (float &v : x)
      v = normal(rng);
    codes.resize(m * k);
    for (int8_t &v : codes)
      v = code(rng);
    weightCodes.resize(k * n);
    for (int8_t &v : weightCodes)
      v = code(rng);
    bias.resize(n);
    for (float &v : bias)
      v = normal(rng);
  }
  /// The weights' sign (bit) of (kk, nn).
  bool negative(int64_t kk, int64_t nn) const {
    return (b[nn * words64 + kk / 64] >> (kk % 64)) & 1;
  }
  int64_t m, n, k, words64;
  std::vector<uint64_t> a, b;
  std::vector<float> x, bias;
  std::vector<int8_t> codes, weightCodes;
};

enum class Kind {
  BinaryGemm,
  BinaryLayer,
  BinaryLayerToBits,
  TernaryBitPlanesLayer,
  TernaryInt8Layer,
  Int8Layer,
  F32Layer
};

bool isTernary(Kind kind) {
  return kind == Kind::TernaryBitPlanesLayer || kind == Kind::TernaryInt8Layer;
}

/// The function @f of `kind` on the shape of `d`, as MLIR.
std::string getSource(Kind kind, const Data &d) {
  std::string m = std::to_string(d.m), n = std::to_string(d.n),
              k = std::to_string(d.k);
  int64_t words32 = (d.k + 31) / 32;
  std::string s;
  llvm::raw_string_ostream os(s);
  auto header = [&](StringRef in, StringRef out) {
    os << "func.func @f(%x: tensor<" << in << ">) -> tensor<" << out
       << "> attributes {llvm.emit_c_interface} {\n";
  };
  if (kind == Kind::BinaryGemm) {
    std::string packed = n + "x" + std::to_string(words32) + "xi32";
    header(m + "x" + std::to_string(words32) + "xi32", m + "x" + n + "xi32");
    // Rows of 64-bit words hold 2 * words64 32-bit words; use the first
    // words32 of each.
    std::vector<uint32_t> w(d.n * words32);
    for (int64_t r = 0; r < d.n; ++r)
      for (int64_t j = 0; j < words32; ++j)
        w[r * words32 + j] =
            static_cast<uint32_t>(d.b[r * d.words64 + j / 2] >> (32 * (j % 2)));
    os << "  %w = arith.constant dense<"
       << qnn::hexConstant(w.data(), w.size() * 4) << "> : tensor<" << packed
       << ">\n"
       << "  %y = qnn.binary_matmul %x, %w k = " << k << " : tensor<" << m
       << "x" << words32 << "xi32>, tensor<" << packed << "> -> tensor<" << m
       << "x" << n << "xi32>\n"
       << "  return %y : tensor<" << m << "x" << n << "xi32>\n}\n";
    return s;
  }
  std::string in = m + "x" + k, out = m + "x" + n, wShape = k + "x" + n;
  std::string elem = kind == Kind::Int8Layer ? "i8" : "f32";
  std::string bits = m + "x" + std::to_string((d.n + 31) / 32) + "xi32";
  header(in + "x" + elem,
         kind == Kind::BinaryLayerToBits ? bits : out + "x" + elem);
  os << "  %b = arith.constant dense<"
     << qnn::hexConstant(d.bias.data(), d.bias.size() * 4) << "> : tensor<" << n
     << "xf32>\n"
     << "  %e = tensor.empty() : tensor<" << out << "xf32>\n"
     << "  %init = linalg.broadcast ins(%b : tensor<" << n
     << "xf32>) outs(%e : tensor<" << out << "xf32>) dimensions = [0]\n";
  std::string xq = "!quant.uniform<i8:f32, 0.05>";
  std::string wq = "!quant.uniform<i8:f32, 0.01>";
  std::string yq = "!quant.uniform<i8:f32, 0.5>";
  if (kind == Kind::Int8Layer) {
    os << "  %xq = quant.scast %x : tensor<" << in << "xi8> to tensor<" << in
       << "x" << xq << ">\n"
       << "  %xf = quant.dcast %xq : tensor<" << in << "x" << xq
       << "> to tensor<" << in << "xf32>\n"
       << "  %wc = arith.constant dense<"
       << qnn::hexConstant(d.weightCodes.data(), d.weightCodes.size())
       << "> : tensor<" << wShape << "xi8>\n"
       << "  %wq = quant.scast %wc : tensor<" << wShape << "xi8> to tensor<"
       << wShape << "x" << wq << ">\n"
       << "  %w = quant.dcast %wq : tensor<" << wShape << "x" << wq
       << "> to tensor<" << wShape << "xf32>\n";
  } else {
    // Binary weights: +-0.01 with the signs of the packed weights; ternary
    // ones also 0 where the weight code is below -42.
    std::vector<float> w(d.k * d.n);
    for (int64_t kk = 0; kk < d.k; ++kk)
      for (int64_t nn = 0; nn < d.n; ++nn)
        w[kk * d.n + nn] = isTernary(kind) && d.weightCodes[kk * d.n + nn] < -42
                               ? 0.0f
                           : d.negative(kk, nn) ? -0.01f
                                                : 0.01f;
    os << "  %w = arith.constant dense<"
       << qnn::hexConstant(w.data(), w.size() * 4) << "> : tensor<" << wShape
       << "xf32>\n";
    if (kind != Kind::F32Layer)
      os << "  %xf = qnn.binarize %x : tensor<" << in << "xf32>\n";
    else
      os << "  %xf = arith.addf %x, %x : tensor<" << in << "xf32>\n";
  }
  os << "  %y = linalg.matmul ins(%xf, %w : tensor<" << in << "xf32>, tensor<"
     << wShape << "xf32>) outs(%init : tensor<" << out << "xf32>) -> tensor<"
     << out << "xf32>\n";
  if (kind == Kind::Int8Layer) {
    os << "  %yq = quant.qcast %y : tensor<" << out << "xf32> to tensor<" << out
       << "x" << yq << ">\n"
       << "  %yc = quant.scast %yq : tensor<" << out << "x" << yq
       << "> to tensor<" << out << "xi8>\n"
       << "  return %yc : tensor<" << out << "xi8>\n}\n";
  } else if (kind == Kind::BinaryLayerToBits) {
    os << "  %p = qnn.bitpack %y : tensor<" << out << "xf32> -> tensor<" << bits
       << ">\n"
       << "  return %p : tensor<" << bits << ">\n}\n";
  } else {
    os << "  return %y : tensor<" << out << "xf32>\n}\n";
  }
  return s;
}

/// A compiled function: f(result, input) on 2-D memrefs.
struct Compiled {
  std::unique_ptr<ExecutionEngine> engine;
  void (*fn)(void *, void *) = nullptr;
};

Compiled compile(Kind kind, const Data &d, bool packSigns = true) {
  static std::unique_ptr<MLIRContext> context = qnn::createJitContext();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(getSource(kind, d), context.get());
  if (!module)
    llvm::report_fatal_error("benchmark source does not parse");
  PassManager pm(context.get());
  qnn::QNNQuantizeOptions quantize;
  if (kind == Kind::TernaryInt8Layer)
    quantize.ternaryKernel = qnn::TernaryKernel::int8;
  qnn::buildQNNQuantizePipeline(pm, quantize);
  qnn::QNNCompileOptions compileOptions;
  compileOptions.packSigns = packSigns;
  qnn::buildQNNCompilePipeline(pm, compileOptions);
  if (failed(pm.run(*module)))
    llvm::report_fatal_error("compilation failed");
  Compiled c;
  void *address;
  std::tie(c.engine, address) =
      qnn::createOptimizedEngine(*module, "_mlir_ciface_f");
  c.fn = reinterpret_cast<void (*)(void *, void *)>(address);
  return c;
}

template <typename T>
StridedMemRefType<T, 2> view(T *data, int64_t rows, int64_t cols) {
  return {data, data, 0, {rows, cols}, {cols, 1}};
}

void setRate(benchmark::State &state, const Data &d) {
  state.counters["OP/s"] = benchmark::Counter(
      2.0 * d.m * d.n * d.k, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

Data getData(benchmark::State &state) {
  return Data(state.range(0), state.range(2), state.range(1));
}

template <typename In, typename Out>
void runCompiled(benchmark::State &state, Kind kind, std::vector<In> &input,
                 const Data &d, int64_t cols, bool packSigns = true) {
  Compiled c = compile(kind, d, packSigns);
  auto in = view(input.data(), d.m, cols);
  for (auto _ : state) {
    StridedMemRefType<Out, 2> out;
    c.fn(&out, &in);
    benchmark::DoNotOptimize(out.data);
    std::free(out.basePtr);
  }
  setRate(state, d);
}

void binaryGemm(benchmark::State &state) {
  Data d = getData(state);
  // The activations' 64-bit words as 32-bit ones.
  int64_t words32 = (d.k + 31) / 32;
  std::vector<int32_t> input(d.m * words32);
  for (int64_t r = 0; r < d.m; ++r)
    for (int64_t j = 0; j < words32; ++j)
      input[r * words32 + j] = static_cast<int32_t>(
          static_cast<uint32_t>(d.a[r * d.words64 + j / 2] >> (32 * (j % 2))));
  Compiled c = compile(Kind::BinaryGemm, d);
  auto in = view(input.data(), d.m, words32);
  // Check against the plain C loop once.
  {
    StridedMemRefType<int32_t, 2> out;
    c.fn(&out, &in);
    std::vector<int32_t> expected(d.m * d.n);
    xnor_gemm_reference(d.a.data(), d.b.data(), expected.data(), d.m, d.n,
                        d.words64, d.k);
    for (int64_t i = 0; i < d.m * d.n; ++i)
      if (out.data[i] != expected[i]) {
        state.SkipWithError("binary kernel differs from the reference");
        std::free(out.basePtr);
        return;
      }
    std::free(out.basePtr);
  }
  for (auto _ : state) {
    StridedMemRefType<int32_t, 2> out;
    c.fn(&out, &in);
    benchmark::DoNotOptimize(out.data);
    std::free(out.basePtr);
  }
  setRate(state, d);
}

void xnorReference(benchmark::State &state) {
  Data d = getData(state);
  std::vector<int32_t> out(d.m * d.n);
  for (auto _ : state) {
    xnor_gemm_reference(d.a.data(), d.b.data(), out.data(), d.m, d.n, d.words64,
                        d.k);
    benchmark::DoNotOptimize(out.data());
  }
  setRate(state, d);
}

void binaryLayer(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, float>(state, Kind::BinaryLayer, d.x, d, d.k);
}

void binaryLayerToBits(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, int32_t>(state, Kind::BinaryLayerToBits, d.x, d, d.k);
}

void binaryLayerToBitsSeparate(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, int32_t>(state, Kind::BinaryLayerToBits, d.x, d, d.k,
                              /*packSigns=*/false);
}

void ternaryBitPlanesLayer(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, float>(state, Kind::TernaryBitPlanesLayer, d.x, d, d.k);
}

void ternaryInt8Layer(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, float>(state, Kind::TernaryInt8Layer, d.x, d, d.k);
}

void int8Layer(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<int8_t, int8_t>(state, Kind::Int8Layer, d.codes, d, d.k);
}

void f32Layer(benchmark::State &state) {
  Data d = getData(state);
  runCompiled<float, float>(state, Kind::F32Layer, d.x, d, d.k);
}
} // namespace

/// M x K x N.
void shapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"M", "K", "N"});
  for (auto [m, k, n] : {std::tuple{1, 1024, 1024},
                         {1, 4096, 1024},
                         {16, 1024, 1024},
                         {64, 1024, 1024},
                         {256, 256, 256},
                         {256, 2304, 256}})
    b->Args({m, k, n});
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(binaryGemm)->Apply(shapes);
BENCHMARK(xnorReference)->Apply(shapes);
BENCHMARK(binaryLayer)->Apply(shapes);
BENCHMARK(binaryLayerToBits)->Apply(shapes);
BENCHMARK(binaryLayerToBitsSeparate)->Apply(shapes);
BENCHMARK(ternaryBitPlanesLayer)->Apply(shapes);
BENCHMARK(ternaryInt8Layer)->Apply(shapes);
BENCHMARK(int8Layer)->Apply(shapes);
BENCHMARK(f32Layer)->Apply(shapes);

BENCHMARK_MAIN();
