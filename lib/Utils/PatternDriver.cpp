//===- PatternDriver.cpp - Rewrites that keep fake quantization -----------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Utils/PatternDriver.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

LogicalResult qnn::applyPatternsWithoutFolding(Operation *op,
                                               RewritePatternSet &&patterns) {
  GreedyRewriteConfig config;
  config.enableFolding(false);
  // The driver still erases the operations the patterns leave dead; region
  // simplification would also rescan every nested region on each
  // iteration, quadratic in the depth of nesting.
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return applyPatternsGreedily(op, std::move(patterns), config);
}
