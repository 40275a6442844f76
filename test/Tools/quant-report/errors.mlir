// Every error of quant-report is located and says what is missing.

// RUN: not quant-report %s --entry=missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: no function 'missing' with a body in the model

// RUN: not quant-report %s --entry=no_layers 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: errors.mlir:[[# @LINE + 7]]:1: error: has no matmul or convolution to report on

// The error against float needs the float model, which is the model
// without its qnn.calibrate and qnn.fake_quant: a QDQ model has none.
// RUN: not quant-report %s --entry=qdq --inputs=%S/Inputs/batches.mlir 2>&1 | FileCheck %s --check-prefix=QDQ
// QDQ: error: the error against float needs a model with qnn.calibrate or qnn.fake_quant

func.func @no_layers(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}

// RUN: not quant-report %s --entry=two_args --inputs=%S/Inputs/batches.mlir 2>&1 | FileCheck %s --check-prefix=BATCH
// BATCH: batches.mlir:2:1: error: batch results 'tensor<2x4xf32>' do not match the arguments of 'two_args'
func.func @two_args(%x: tensor<2x4xf32>, %y: tensor<4x2xf32>) -> tensor<2x2xf32> {
  %xq = qnn.calibrate %x min_max to ui8 min = [-2.0] max = [2.0] : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = linalg.matmul ins(%xq, %y : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

func.func @qdq(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32, 0.1>>
  %xd = quant.dcast %q : tensor<2x4x!quant.uniform<i8:f32, 0.1>> to tensor<2x4xf32>
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = linalg.matmul ins(%xd, %w : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
