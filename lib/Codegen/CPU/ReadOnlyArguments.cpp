//===- ReadOnlyArguments.cpp - Function arguments are not written ---------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Marks tensor arguments non-writable for one-shot bufferization, so that
// compiled functions never overwrite what their caller passed in.
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qnn::cpu {
#define GEN_PASS_DEF_QNNREADONLYARGUMENTSPASS
#include "qnn/Codegen/CPU/Passes.h.inc"
} // namespace mlir::qnn::cpu

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::cpu;

namespace {
struct QNNReadOnlyArgumentsPass
    : cpu::impl::QNNReadOnlyArgumentsPassBase<QNNReadOnlyArgumentsPass> {
  using Base::Base;

  void runOnOperation() override {
    StringRef name = bufferization::BufferizationDialect::kWritableAttrName;
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (auto function : getOperation().getOps<func::FuncOp>()) {
      if (function.isExternal())
        continue;
      for (auto [index, type] : llvm::enumerate(function.getArgumentTypes()))
        if (isa<TensorType>(type) && !function.getArgAttr(index, name))
          function.setArgAttr(index, name, readOnly);
    }
  }
};
} // namespace
