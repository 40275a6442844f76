// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=x86-avx512-vnni --verify-diagnostics -o /dev/null
// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=x86-64-v3 --verify-diagnostics -o /dev/null
// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=aarch64-i8mm --verify-diagnostics -o /dev/null

// 4 x 2^31 all-zero splat weights (2^31 output channels): sparsity
// elimination used to hang on them and the kernel lowering to run out of
// memory on every target. Nothing is expanded: the matmul stays float
// (nothing quantizes it) and runs on portable loops, and the pipeline
// finishes in milliseconds.
func.func @huge_zero_weights(%x: tensor<2x4xf32>) -> tensor<2x2147483648xf32> {
  %w = arith.constant dense<0.0> : tensor<4x2147483648xf32>
  %z = arith.constant dense<0.0> : tensor<2x2147483648xf32>
  // expected-remark @+2 {{stays in float}}
  // expected-remark @+1 {{left to portable loops: the constant weights have more than 2^26 elements, which the kernels do not pack at compile time}}
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x2147483648xf32>) outs(%z : tensor<2x2147483648xf32>) -> tensor<2x2147483648xf32>
  return %y : tensor<2x2147483648xf32>
}
