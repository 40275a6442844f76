//===- quant-fuzz.cpp - libFuzzer target for parsing and the passes -------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Parses each input as an MLIR module, verifies it and, when it is valid,
// runs one of quant-mlir's passes or pipelines on it, chosen by a hash of
// the input. Errors are the expected outcome of most inputs and are
// dropped; what the fuzzer looks for is a crash, a hang, a sanitizer report
// or memory beyond libFuzzer's limit. docs/Testing.md describes how to run
// it and how a finding becomes a lit test.
//
//===----------------------------------------------------------------------===//

#include "qnn/InitAllDialects.h"
#include "qnn/InitAllPasses.h"
#include "qnn/Utils/LargeStack.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/xxhash.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir;

/// The pipelines an input can go through, in the textual form of
/// --pass-pipeline (anchored on the module).
static const char *const kPipelines[] = {
    "func.func(qnn-fold-batch-norm)",
    "func.func(qnn-calibration-to-fake-quant)",
    "func.func(qnn-store-weights)",
    "func.func(qnn-eliminate-sparsity)",
    "func.func(qnn-rewrite-int8)",
    "qnn-fold-calibration",
    "qnn-quantize",
    "qnn-quantize{dynamic=true}",
    "convert-quant-to-linalg",
    "convert-qnn-to-linalg",
    "qnn-lower-tosa",
    "func.func(qnn-cpu-split-grouped-convolutions)",
    "func.func(qnn-cpu-detach-elementwise-outputs)",
    "qnn-cpu-check-shapes",
    "qnn-lower-int8-kernels{target=x86-avx512-vnni}",
    "qnn-lower-int8-kernels{target=aarch64-dotprod}",
    "func.func(qnn-free-known-buffers,qnn-cpu-plan-buffers)",
    "func.func(qnn-expand-copies,qnn-cpu-flatten-elementwise)",
    "qnn-cpu-outline-loop-nests{min-loop-nests=1}",
    "qnn-compile{target=generic}",
    "qnn-compile{target=x86-avx512-vnni}",
    "qnn-compile{target=aarch64-i8mm}",
    "qnn-quantize,qnn-compile{target=x86-64-v3}",
};

/// Inputs longer than this are skipped: the fuzzer's time goes to
/// structure, not size.
static constexpr size_t kMaxInputSize = 64 * 1024;

static DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    qnn::registerAllPasses();
    auto *result = new DialectRegistry();
    qnn::registerAllDialects(*result);
    return result;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  (void)getRegistry();
  return 0;
}

/// The characters MLIR's lexer skips as whitespace (not \f or \v, which
/// it rejects: `= \f[0]` is malformed too).
static constexpr llvm::StringLiteral kLexerSpace = " \t\r\n";

/// Consumes an integer as MLIR's parser of an integer list reads it: an
/// optional `-`, then decimal digits few enough not to overflow 64 bits.
/// Anything else it accepts (hexadecimal, huge values) is left to the
/// caller to treat as malformed.
static bool consumeInteger(llvm::StringRef &rest) {
  rest.consume_front("-");
  rest = rest.ltrim(kLexerSpace);
  size_t digits = rest.find_first_not_of("0123456789");
  if (digits == llvm::StringRef::npos)
    digits = rest.size();
  if (digits == 0 || digits > 18)
    return false;
  rest = rest.drop_front(digits);
  // `0x1` lexes as one hexadecimal token, `1a` as two tokens.
  return rest.empty() || !llvm::isAlnum(rest.front());
}

/// Whether `rest`, the text after `dimensions` or `permutation`, starts
/// with `=` but not with `= [...]` holding a well-formed list of integers:
/// `[]` or integers separated by single commas (`[0, 1, ]`, `[, 0]`,
/// `[0 1]` and `[-]` are all malformed). Decides conservatively: a list
/// the parser would accept but this does not (comments inside, a
/// hexadecimal value) only costs the fuzzer an input.
static bool isMalformedList(llvm::StringRef rest) {
  rest = rest.ltrim(kLexerSpace);
  if (!rest.consume_front("="))
    return false;
  rest = rest.ltrim(kLexerSpace);
  if (!rest.consume_front("["))
    return true;
  rest = rest.ltrim(kLexerSpace);
  if (rest.consume_front("]"))
    return false;
  while (true) {
    if (!consumeInteger(rest))
      return true;
    rest = rest.ltrim(kLexerSpace);
    if (rest.consume_front("]"))
      return false;
    if (!rest.consume_front(","))
      return true;
    rest = rest.ltrim(kLexerSpace);
  }
}

/// Whether `input` spells a `linalg.` op in custom form followed by `<`
/// and anything but `{`: the parser of the named structured ops (matmul,
/// convolutions, fill, ...) reads it as the op's properties and uses it as
/// a dictionary unchecked. Conservative for the other linalg ops.
static bool hasNonDictionaryLinalgProperties(llvm::StringRef input) {
  for (size_t at = input.find("linalg."); at != llvm::StringRef::npos;
       at = input.find("linalg.", at + 1)) {
    llvm::StringRef rest = input.drop_front(at + 7);
    rest = rest.drop_while([](char c) { return llvm::isAlnum(c) || c == '_'; });
    rest = rest.ltrim(kLexerSpace);
    if (rest.consume_front("<") && !rest.ltrim(kLexerSpace).starts_with("{"))
      return true;
  }
  return false;
}

/// Whether `input` would reach a crash of upstream MLIR 22's parser, which
/// quant-mlir cannot intercept: linalg.broadcast, linalg.transpose and
/// linalg.reduce crash on a `dimensions`/`permutation` that is not a
/// well-formed `[...]` list of integers, and the named structured ops on
/// properties that are not a dictionary (test/Fuzz/upstream-parser-crash*).
static bool reachesUpstreamParserCrash(llvm::StringRef input) {
  for (llvm::StringRef keyword : {"dimensions", "permutation"})
    for (size_t at = input.find(keyword); at != llvm::StringRef::npos;
         at = input.find(keyword, at + 1))
      if (isMalformedList(input.drop_front(at + keyword.size())))
        return true;
  return hasNonDictionaryLinalgProperties(input);
}

/// The pipeline for `input`: a hash of it, or pipeline N when
/// QUANT_FUZZ_PIPELINE=N is set (to find which one a finding fails in).
static const char *choosePipeline(llvm::StringRef input) {
  constexpr size_t count = std::size(kPipelines);
  if (const char *forced = std::getenv("QUANT_FUZZ_PIPELINE"))
    return kPipelines[std::strtoul(forced, nullptr, 10) % count];
  return kPipelines[llvm::xxh3_64bits(input) % count];
}

/// Parses `input` and runs its pipeline, as the tools do.
static void runOne(llvm::StringRef input) {
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  // Every diagnostic is an expected outcome; printing them would only slow
  // the fuzzer down.
  context.getDiagEngine().registerHandler([](Diagnostic &) {});

  // MLIR's lexer reads the terminating null of its buffer, which the
  // fuzzer's data does not have: parse a copy, as quant-opt parses a file.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(input),
                               llvm::SMLoc());
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!module)
    return;

  const char *pipeline = choosePipeline(input);
  PassManager pm(&context);
  if (failed(parsePassPipeline(pipeline, pm))) {
    std::fprintf(stderr, "quant-fuzz: cannot parse pipeline '%s'\n", pipeline);
    std::abort();
  }
  (void)pm.run(*module);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInputSize)
    return -1;
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  if (reachesUpstreamParserCrash(input))
    return -1;
  // On the tools' large stack, so that deep nesting is not a finding.
  return qnn::runWithLargeStack([&] {
    runOne(input);
    return 0;
  });
}
