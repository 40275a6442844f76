// RUN: quant-opt %s --qnn-compile="target=x86-avx512-vnni summary=true" -o /dev/null 2>&1 | FileCheck %s
// RUN: quant-opt %s --qnn-compile="target=x86-avx512-vnni" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-SUMMARY

// Every matmul or convolution that does not end on integer kernels says
// why; with summary=true one remark counts where they all went.

// CHECK-DAG: remark: float contraction on f32 kernels: input is not dequantized
// CHECK-DAG: remark: left to portable loops: the weight zero point is not a constant
// CHECK-DAG: remark: left to portable loops: the weights are not a compile-time constant
// CHECK: remark: contractions: 1 on integer kernels, 1 integer on portable loops, 1 float on f32 kernels, 1 float on portable loops
// NO-SUMMARY-NOT: remark: contractions:

func.func @integer(%x: tensor<4x8xi8>) -> tensor<4x16xi32> {
  %w = arith.constant dense<1> : tensor<8x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x16xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x16xi32>) -> tensor<4x16xi32>
  %r = linalg.quantized_matmul ins(%x, %w, %zero, %zero : tensor<4x8xi8>, tensor<8x16xi8>, i32, i32) outs(%f : tensor<4x16xi32>) -> tensor<4x16xi32>
  return %r : tensor<4x16xi32>
}

func.func @integer_runtime_weight_zero(%x: tensor<4x8xi8>, %zw: i32) -> tensor<4x16xi32> {
  %w = arith.constant dense<1> : tensor<8x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x16xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x16xi32>) -> tensor<4x16xi32>
  %r = linalg.quantized_matmul ins(%x, %w, %zero, %zw : tensor<4x8xi8>, tensor<8x16xi8>, i32, i32) outs(%f : tensor<4x16xi32>) -> tensor<4x16xi32>
  return %r : tensor<4x16xi32>
}

// As --qnn-rewrite-int8 leaves a layer that reads float activations.
func.func @float_layer(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.matmul {qnn.not_quantized = "input is not dequantized"} ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

func.func @float_attention(%q: tensor<4x8xf32>, %k: tensor<8x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = linalg.matmul ins(%q, %k : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
