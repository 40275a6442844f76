//===- int8_gemm.cpp - quant-mlir int8 kernels against oneDNN -------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Side by side in one process, single thread: a quantized layer (u8
// activations with a zero point, s8 weights, i32 bias, u8 output) compiled
// by --qnn-rewrite-int8 and --qnn-compile for the running CPU; the same
// layer in f32 through --qnn-compile; oneDNN's int8 and f32 matmul or
// convolution for the same layer (weights reordered once, outside the
// timing); and the peak of vpdpbusd on this core.
//
// Every benchmark reports GOP/s (1 multiply-accumulate = 2 operations).
// Ours also report x_oneDNN (ratio to oneDNN in the same precision, run
// just before), int8 ours x_own_f32 (ratio to our f32 path) and
// peak_fraction (of the measured vpdpbusd peak). The int8 runs check that
// our outputs and oneDNN's differ by at most one code (rounding of ties);
// `max_code_diff` reports the largest difference.
//
// --qnn_target=T compiles our layers for target T (default: this CPU);
// x86-64-v3 also limits oneDNN to AVX2. oneDNN's AVX2 int8 kernels
// saturate 16-bit pair sums (vpmaddubsw), so their outputs are not exact
// there and the check only reports the difference.
//
// scripts/benchmark.sh runs this and renders docs/benchmark.md.
//
//===----------------------------------------------------------------------===//

#include "HexConstant.h"
#include "JitContext.h"
#include "qnn/Codegen/CPU/IR/QNNCPUDialect.h"
#include "qnn/InitAllDialects.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Quantize/Passes.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>

using namespace mlir;

namespace {

/// A layer: a GEMM (M x K times K x N) or the 3x3 convolution, stride 1,
/// pad 1, NHWC, batch 1, of an H x W x K image into N channels (M = H * W
/// output pixels).
struct Workload {
  std::string name;
  int64_t m, n, k;
  bool conv;
  int64_t height = 0, width = 0;

  double getOps() const { return 2.0 * m * n * k * (conv ? 9 : 1); }
};

// Quantization parameters of the layer (per tensor).
constexpr float kInputScale = 0.05f;
constexpr int32_t kInputZero = 128;
constexpr float kWeightScale = 0.01f;
constexpr float kOutputScale = 2.0f;
constexpr int32_t kOutputZero = 128;

/// Random data of one workload.
struct Data {
  explicit Data(const Workload &w) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> code(0, 255), weight(-127, 127),
        bias(-2000, 2000);
    int64_t inputSize = w.conv ? w.height * w.width * w.k : w.m * w.k;
    int64_t weightSize = w.k * w.n * (w.conv ? 9 : 1);
    input.resize(inputSize);
    for (uint8_t &v : input)
      v = code(rng);
    weights.resize(weightSize);
    for (int8_t &v : weights)
      v = weight(rng);
    biasCodes.resize(w.n);
    for (int32_t &v : biasCodes)
      v = bias(rng);
    inputF32.resize(inputSize);
    for (int64_t i = 0; i < inputSize; ++i)
      inputF32[i] = kInputScale * (input[i] - kInputZero);
    weightsF32.resize(weightSize);
    for (int64_t i = 0; i < weightSize; ++i)
      weightsF32[i] = kWeightScale * weights[i];
    for (int32_t b : biasCodes)
      biasF32.push_back(b * kInputScale * kWeightScale);
  }
  std::vector<uint8_t> input;
  std::vector<int8_t> weights;
  std::vector<int32_t> biasCodes;
  std::vector<float> inputF32, weightsF32, biasF32;
};

/// The layer as MLIR: QDQ around a float matmul or convolution for int8
/// (what a PyTorch export gives), or plain f32.
std::string getLayerSource(const Workload &w, const Data &d, bool int8) {
  std::string m = std::to_string(w.m), n = std::to_string(w.n),
              k = std::to_string(w.k);
  std::string elem = int8 ? "i8" : "f32";
  std::string in, out, wShape, contraction, biasDims;
  if (w.conv) {
    std::string h = std::to_string(w.height), wd = std::to_string(w.width);
    in = "1x" + h + "x" + wd + "x" + k;
    out = "1x" + h + "x" + wd + "x" + n;
    wShape = "3x3x" + k + "x" + n;
    biasDims = "[0, 1, 2]";
  } else {
    in = m + "x" + k;
    out = m + "x" + n;
    wShape = k + "x" + n;
    biasDims = "[0]";
  }
  std::string xq = "!quant.uniform<u8:f32, " + std::to_string(kInputScale) +
                   ":" + std::to_string(kInputZero) + ">";
  std::string wq =
      "!quant.uniform<i8:f32, " + std::to_string(kWeightScale) + ">";
  std::string yq = "!quant.uniform<u8:f32, " + std::to_string(kOutputScale) +
                   ":" + std::to_string(kOutputZero) + ">";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "func.func @layer(%x: tensor<" << in << "x" << elem << ">) -> tensor<"
     << out << "x" << elem << "> attributes {llvm.emit_c_interface} {\n";
  if (int8) {
    os << "  %xq = quant.scast %x : tensor<" << in << "xi8> to tensor<" << in
       << "x" << xq << ">\n"
       << "  %xf = quant.dcast %xq : tensor<" << in << "x" << xq
       << "> to tensor<" << in << "xf32>\n"
       << "  %wc = arith.constant dense<"
       << qnn::hexConstant(d.weights.data(), d.weights.size()) << "> : tensor<"
       << wShape << "xi8>\n"
       << "  %wq = quant.scast %wc : tensor<" << wShape << "xi8> to tensor<"
       << wShape << "x" << wq << ">\n"
       << "  %w = quant.dcast %wq : tensor<" << wShape << "x" << wq
       << "> to tensor<" << wShape << "xf32>\n";
  } else {
    os << "  %xf = arith.addf %x, %x : tensor<" << in << "xf32>\n"
       << "  %w = arith.constant dense<"
       << qnn::hexConstant(d.weightsF32.data(), d.weightsF32.size() * 4)
       << "> : tensor<" << wShape << "xf32>\n";
  }
  os << "  %b = arith.constant dense<"
     << qnn::hexConstant(d.biasF32.data(), d.biasF32.size() * 4)
     << "> : tensor<" << n << "xf32>\n"
     << "  %e = tensor.empty() : tensor<" << out << "xf32>\n"
     << "  %init = linalg.broadcast ins(%b : tensor<" << n
     << "xf32>) outs(%e : tensor<" << out << "xf32>) dimensions = " << biasDims
     << "\n";
  if (w.conv) {
    std::string h = std::to_string(w.height + 2),
                wd = std::to_string(w.width + 2);
    os << "  %zero = arith.constant 0.0 : f32\n"
       << "  %p = tensor.pad %xf low[0, 1, 1, 0] high[0, 1, 1, 0] {\n"
       << "  ^bb0(%i: index, %j: index, %l: index, %c: index):\n"
       << "    tensor.yield %zero : f32\n"
       << "  } : tensor<" << in << "xf32> to tensor<1x" << h << "x" << wd << "x"
       << k << "xf32>\n"
       << "  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
          "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : "
          "tensor<1x"
       << h << "x" << wd << "x" << k << "xf32>, tensor<" << wShape
       << "xf32>) outs(%init : tensor<" << out << "xf32>) -> tensor<" << out
       << "xf32>\n";
  } else {
    os << "  %y = linalg.matmul ins(%xf, %w : tensor<" << in << "xf32>, tensor<"
       << wShape << "xf32>) outs(%init : tensor<" << out << "xf32>) -> tensor<"
       << out << "xf32>\n";
  }
  if (int8)
    os << "  %yq = quant.qcast %y : tensor<" << out << "xf32> to tensor<" << out
       << "x" << yq << ">\n"
       << "  %ys = quant.scast %yq : tensor<" << out << "x" << yq
       << "> to tensor<" << out << "xi8>\n"
       << "  return %ys : tensor<" << out << "xi8>\n}\n";
  else
    os << "  return %y : tensor<" << out << "xf32>\n}\n";
  return s;
}

/// The target our layers are compiled for (--qnn_target=, default host).
qnn::cpu::Target &getTarget() {
  static qnn::cpu::Target target = qnn::cpu::Target::host;
  return target;
}

/// Whether oneDNN's int8 outputs are exact up to the rounding of ties (not
/// with its AVX2 kernels, whose vpmaddubsw saturates 16-bit pair sums).
bool &isReferenceExact() {
  static bool exact = true;
  return exact;
}

/// A layer JIT-compiled by quant-mlir for the running CPU.
class CompiledLayer {
public:
  CompiledLayer(MLIRContext &context, const std::string &source, bool int8) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    if (!module)
      llvm::report_fatal_error("cannot parse the layer");
    PassManager pm(&context);
    if (int8)
      pm.addNestedPass<func::FuncOp>(qnn::createQNNRewriteInt8Pass());
    qnn::QNNCompileOptions options;
    options.target = getTarget();
    qnn::buildQNNCompilePipeline(pm, options);
    if (failed(pm.run(*module)))
      llvm::report_fatal_error("compilation failed");
    std::tie(engine, function) =
        qnn::createOptimizedEngine(*module, "_mlir_ciface_layer");
  }

  /// Runs the layer on `input` (shape `shape`); returns the malloc'ed
  /// output, which the caller frees.
  template <typename T, size_t N>
  StridedMemRefType<T, int(N)> run(T *input,
                                   const std::array<int64_t, N> &shape) {
    constexpr int Rank = N;
    StridedMemRefType<T, Rank> in;
    in.basePtr = in.data = input;
    in.offset = 0;
    int64_t stride = 1;
    for (int i = Rank - 1; i >= 0; --i) {
      in.sizes[i] = shape[i];
      in.strides[i] = stride;
      stride *= shape[i];
    }
    StridedMemRefType<T, Rank> out;
    reinterpret_cast<void (*)(StridedMemRefType<T, Rank> *,
                              StridedMemRefType<T, Rank> *)>(function)(&out,
                                                                       &in);
    return out;
  }

private:
  std::unique_ptr<ExecutionEngine> engine;
  void *function = nullptr;
};

MLIRContext &getContext() {
  static std::unique_ptr<MLIRContext> context = qnn::createJitContext();
  return *context;
}

/// GOP/s of every benchmark that has run, by name.
std::map<std::string, double> &getRates() {
  static std::map<std::string, double> rates;
  return rates;
}

/// Times `body` over the benchmark's iterations and records the rate.
template <typename Body>
double timeLoop(benchmark::State &state, const std::string &name, double ops,
                Body body) {
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state)
    body();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  double rate = ops * state.iterations() / seconds / 1e9;
  getRates()[name] = rate;
  state.counters["GOP/s"] = rate;
  return rate;
}

/// Outputs of oneDNN's int8 runs, to compare ours with.
std::map<std::string, std::vector<uint8_t>> &getReferenceOutputs() {
  static std::map<std::string, std::vector<uint8_t>> outputs;
  return outputs;
}

void addRatio(benchmark::State &state, const char *counter, double rate,
              const std::string &baseline) {
  auto it = getRates().find(baseline);
  if (it != getRates().end() && it->second > 0)
    state.counters[counter] = rate / it->second;
}

//===----------------------------------------------------------------------===//
// oneDNN
//===----------------------------------------------------------------------===//

void runOneDnn(benchmark::State &state, const Workload &w, bool int8) {
  using namespace dnnl;
  using dt = memory::data_type;
  using tag = memory::format_tag;
  Data d(w);
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  dt act = int8 ? dt::u8 : dt::f32, wt = int8 ? dt::s8 : dt::f32;
  // Convolutions take the quantization parameters when the primitive is
  // created, matmuls at run time (what oneDNN 2.6 supports for each).
  float scale = kInputScale * kWeightScale / kOutputScale;
  int32_t inputZero = kInputZero, outputZero = kOutputZero;
  primitive_attr attr;
  if (int8 && w.conv) {
    attr.set_output_scales(0, {scale});
    attr.set_zero_points(DNNL_ARG_SRC, 0, {inputZero});
    attr.set_zero_points(DNNL_ARG_DST, 0, {outputZero});
  } else if (int8) {
    attr.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
    attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
    attr.set_zero_points(DNNL_ARG_DST, 0, {DNNL_RUNTIME_S32_VAL});
  }
  memory::desc src, weightsAny, weightsUser, bias, dst;
  primitive prim;
  memory::desc primWeights;
  if (w.conv) {
    memory::dims image = {1, w.k, w.height, w.width};
    memory::dims result = {1, w.n, w.height, w.width};
    src = memory::desc(image, act, tag::nhwc);
    weightsAny = memory::desc({w.n, w.k, 3, 3}, wt, tag::any);
    weightsUser = memory::desc({w.n, w.k, 3, 3}, wt, tag::hwio);
    bias = memory::desc({w.n}, dt::f32, tag::x);
    dst = memory::desc(result, act, tag::nhwc);
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct, src,
        weightsAny, bias, dst, {1, 1}, {1, 1}, {1, 1});
    convolution_forward::primitive_desc pd(desc, attr, eng);
    primWeights = pd.weights_desc();
    prim = convolution_forward(pd);
  } else {
    src = memory::desc({w.m, w.k}, act, tag::ab);
    weightsAny = memory::desc({w.k, w.n}, wt, tag::any);
    weightsUser = memory::desc({w.k, w.n}, wt, tag::ab);
    bias = memory::desc({1, w.n}, dt::f32, tag::ab);
    dst = memory::desc({w.m, w.n}, act, tag::ab);
    matmul::primitive_desc pd(matmul::desc(src, weightsAny, bias, dst), attr,
                              eng);
    primWeights = pd.weights_desc();
    prim = matmul(pd);
  }
  // oneDNN adds an int8 layer's bias to the accumulator before scaling.
  std::vector<float> biasValues(d.biasCodes.begin(), d.biasCodes.end());
  void *inputData = int8 ? static_cast<void *>(d.input.data())
                         : static_cast<void *>(d.inputF32.data());
  void *weightData = int8 ? static_cast<void *>(d.weights.data())
                          : static_cast<void *>(d.weightsF32.data());
  memory srcMem(src, eng, inputData);
  memory userWeights(weightsUser, eng, weightData);
  memory weightsMem(primWeights, eng);
  reorder(userWeights, weightsMem).execute(strm, userWeights, weightsMem);
  memory biasMem(bias, eng, int8 ? biasValues.data() : d.biasF32.data());
  memory dstMem(dst, eng);
  memory scaleMem({{1}, dt::f32, tag::x}, eng, &scale);
  memory inputZeroMem({{1}, dt::s32, tag::x}, eng, &inputZero);
  memory outputZeroMem({{1}, dt::s32, tag::x}, eng, &outputZero);
  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, srcMem},
                                          {DNNL_ARG_WEIGHTS, weightsMem},
                                          {DNNL_ARG_BIAS, biasMem},
                                          {DNNL_ARG_DST, dstMem}};
  if (int8 && !w.conv) {
    args[DNNL_ARG_ATTR_OUTPUT_SCALES] = scaleMem;
    args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC] = inputZeroMem;
    args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST] = outputZeroMem;
  }
  strm.wait();
  timeLoop(state, w.name + (int8 ? "/onednn_int8" : "/onednn_f32"), w.getOps(),
           [&] {
             prim.execute(strm, args);
             strm.wait();
           });
  if (int8) {
    const auto *out = static_cast<const uint8_t *>(dstMem.get_data_handle());
    getReferenceOutputs()[w.name].assign(out, out + w.m * w.n);
  }
}

//===----------------------------------------------------------------------===//
// quant-mlir
//===----------------------------------------------------------------------===//

void runOurs(benchmark::State &state, const Workload &w, bool int8) {
  Data d(w);
  CompiledLayer layer(getContext(), getLayerSource(w, d, int8), int8);
  std::string name = w.name + (int8 ? "/qnn_int8" : "/qnn_f32");
  double rate = 0;
  int maxDiff = 0;
  auto call = [&](auto *input, auto shape) {
    auto out = layer.run(input, shape);
    benchmark::DoNotOptimize(out.data);
    return out;
  };
  auto measure = [&](auto *input, auto shape) {
    rate = timeLoop(state, name, w.getOps(),
                    [&] { std::free(call(input, shape).basePtr); });
    if (!int8)
      return;
    auto out = call(input, shape);
    const std::vector<uint8_t> &ref = getReferenceOutputs()[w.name];
    for (size_t i = 0; i < ref.size(); ++i)
      maxDiff =
          std::max(maxDiff, std::abs(int(uint8_t(out.data[i])) - int(ref[i])));
    std::free(out.basePtr);
  };
  if (w.conv) {
    std::array<int64_t, 4> shape = {1, w.height, w.width, w.k};
    if (int8)
      measure(reinterpret_cast<int8_t *>(d.input.data()), shape);
    else
      measure(d.inputF32.data(), shape);
  } else {
    std::array<int64_t, 2> shape = {w.m, w.k};
    if (int8)
      measure(reinterpret_cast<int8_t *>(d.input.data()), shape);
    else
      measure(d.inputF32.data(), shape);
  }
  if (int8) {
    addRatio(state, "x_oneDNN", rate, w.name + "/onednn_int8");
    addRatio(state, "x_own_f32", rate, w.name + "/qnn_f32");
    addRatio(state, "peak_fraction", rate, "vpdpbusd_peak");
    state.counters["max_code_diff"] = maxDiff;
    if (maxDiff > 1 && isReferenceExact())
      state.SkipWithError("outputs differ from oneDNN by more than 1");
  } else {
    addRatio(state, "x_oneDNN", rate, w.name + "/onednn_f32");
  }
}

//===----------------------------------------------------------------------===//
// vpdpbusd peak
//===----------------------------------------------------------------------===//

/// 16 independent vpdpbusd per iteration (enough to cover the latency on
/// every port that executes it), in assembly so that nothing is folded.
void dpbusdLoop(int64_t iterations) {
  for (int64_t i = 0; i < iterations; ++i)
    asm volatile("vpdpbusd %%zmm31, %%zmm30, %%zmm0\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm1\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm2\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm3\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm4\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm5\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm6\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm7\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm8\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm9\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm10\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm11\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm12\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm13\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm14\n\t"
                 "vpdpbusd %%zmm31, %%zmm30, %%zmm15\n\t" ::
                     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
                       "xmm13", "xmm14", "xmm15");
}

void vpdpbusdPeak(benchmark::State &state) {
  if (!__builtin_cpu_supports("avx512vnni")) {
    state.SkipWithError("this CPU has no AVX-512 VNNI");
    return;
  }
  constexpr int64_t kIterations = 4096;
  // 16 instructions of 64 multiply-accumulates per iteration.
  timeLoop(state, "vpdpbusd_peak", 2.0 * 64 * 16 * kIterations,
           [&] { dpbusdLoop(kIterations); });
}

} // namespace

int main(int argc, char **argv) {
  // Single thread: oneDNN's OpenMP runtime reads this when it loads, so
  // set it and start again.
  const char *threads = std::getenv("OMP_NUM_THREADS");
  if (!threads || std::strcmp(threads, "1") != 0) {
    setenv("OMP_NUM_THREADS", "1", 1);
    execv("/proc/self/exe", argv);
    llvm::errs() << "cannot restart with OMP_NUM_THREADS=1\n";
    return 1;
  }
  // --qnn_target=T compiles our layers for T instead of this CPU; with
  // x86-64-v3, oneDNN is limited to AVX2 as well, for a like-for-like
  // comparison on an AVX-512 machine.
  std::vector<char *> args;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (!arg.consume_front("--qnn_target=")) {
      args.push_back(argv[i]);
      continue;
    }
    std::optional<qnn::cpu::Target> target = qnn::cpu::symbolizeTarget(arg);
    if (!target) {
      llvm::errs() << "unknown target '" << arg << "'; expected one of "
                   << qnn::cpu::getTargetNames() << "\n";
      return 1;
    }
    getTarget() = *target;
    if (*target == qnn::cpu::Target::x86_64_v3) {
      dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2);
      isReferenceExact() = false;
    }
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  benchmark::RegisterBenchmark("vpdpbusd_peak", vpdpbusdPeak);
  static const Workload workloads[] = {
      {"gemm_1x1024x1024", 1, 1024, 1024, false},
      {"gemm_64x1024x1024", 64, 1024, 1024, false},
      {"gemm_256x256x256", 256, 256, 256, false},
      {"gemm_1024x1024x1024", 1024, 1024, 1024, false},
      {"conv3x3_56x56x64x64", 56 * 56, 64, 64, true, 56, 56},
  };
  for (const Workload &w : workloads) {
    // Baselines first: the ratios of ours refer to them.
    benchmark::RegisterBenchmark(
        (w.name + "/onednn_f32").c_str(),
        [&w](benchmark::State &s) { runOneDnn(s, w, false); });
    benchmark::RegisterBenchmark(
        (w.name + "/qnn_f32").c_str(),
        [&w](benchmark::State &s) { runOurs(s, w, false); });
    benchmark::RegisterBenchmark(
        (w.name + "/onednn_int8").c_str(),
        [&w](benchmark::State &s) { runOneDnn(s, w, true); });
    benchmark::RegisterBenchmark(
        (w.name + "/qnn_int8").c_str(),
        [&w](benchmark::State &s) { runOurs(s, w, true); });
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
