// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions --verify-diagnostics
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=generic --qnn-cpu-lower-contractions 2>&1 | FileCheck %s --check-prefix=GENERIC --allow-empty

// Every contraction a kernel family knows that stays on the portable loops
// says why. On the generic target, where portable loops were asked for,
// nothing is reported.
// GENERIC-NOT: remark: left to portable loops

memref.global "private" constant @w : memref<8x16xi8> = dense<1>
func.func @dynamic_channels(%x: memref<4x8xi8>, %acc: memref<4x?xi32>) {
  %w = memref.get_global @w : memref<8x16xi8>
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: a shape other than the batch is dynamic}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<4x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<4x?xi32>)
  return
}

// -----

memref.global "private" constant @w : memref<3x8x16xi8> = dense<1>
func.func @dynamic_batch_of_weights(%x: memref<?x4x8xi8>, %acc: memref<?x4x16xi32>) {
  %w = memref.get_global @w : memref<3x8x16xi8>
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the batch of a batched matmul, which selects its weights, is dynamic}}
  linalg.quantized_batch_matmul ins(%x, %w, %zero, %zero : memref<?x4x8xi8>, memref<3x8x16xi8>, i32, i32) outs(%acc : memref<?x4x16xi32>)
  return
}

// -----

memref.global "private" constant @f : memref<1x1x4x16xi8> = dense<127>
func.func @conv_wide_weights(%x: memref<1x2x2x4xi8>, %acc: memref<1x2x2x16xi32>) {
  %f = memref.get_global @f : memref<1x1x4x16xi8>
  %zero = arith.constant 0 : i32
  %zw = arith.constant -5 : i32
  // expected-remark @+1 {{left to portable loops: a weight minus its zero point (132) does not fit the 8-bit operand of vpdpbusd}}
  linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zw : memref<1x2x2x4xi8>, memref<1x1x4x16xi8>, i32, i32) outs(%acc : memref<1x2x2x16xi32>)
  return
}

// -----

memref.global "private" constant @w : memref<4x16xi8> = dense<127>
func.func @wide_weights_dynamic_zero(%x: memref<2x4xi8>, %zx: i32, %acc: memref<2x16xi32>) {
  %w = memref.get_global @w : memref<4x16xi8>
  %zw = arith.constant -5 : i32
  // expected-remark @+1 {{left to portable loops: the weight zero point applies per row, which a run-time activation zero point does not support}}
  linalg.quantized_matmul ins(%x, %w, %zx, %zw : memref<2x4xi8>, memref<4x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
  return
}

// -----

// Weights known only at run time: a convolution needs a weight zero point
// of 0 and whole groups of input channels; depthwise weights are not packed
// at run time.
func.func @runtime_weights_of_conv_zero_point(%x: memref<1x2x2x4xi8>, %f: memref<1x1x4x16xi8>, %acc: memref<1x2x2x16xi32>) {
  %zero = arith.constant 0 : i32
  %zw = arith.constant 3 : i32
  // expected-remark @+1 {{left to portable loops: the weights are known only at run time and their zero point (3) is not 0, which convolutions do not support}}
  linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zw : memref<1x2x2x4xi8>, memref<1x1x4x16xi8>, i32, i32) outs(%acc : memref<1x2x2x16xi32>)
  return
}

func.func @runtime_weights_of_conv_channels(%x: memref<1x2x2x3xi8>, %f: memref<1x1x3x16xi8>, %acc: memref<1x2x2x16xi32>) {
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the weights are known only at run time and the 3 input channels are not a multiple of 4}}
  linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zero : memref<1x2x2x3xi8>, memref<1x1x3x16xi8>, i32, i32) outs(%acc : memref<1x2x2x16xi32>)
  return
}

func.func @runtime_weights_of_depthwise(%x: memref<1x4x4x16xi8>, %f: memref<3x3x16xi8>, %acc: memref<1x2x2x16xi32>) {
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the weights are not a compile-time constant}}
  linalg.depthwise_conv_2d_nhwc_hwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zero : memref<1x4x4x16xi8>, memref<3x3x16xi8>, i32, i32) outs(%acc : memref<1x2x2x16xi32>)
  return
}

// -----

memref.global "private" constant @w : memref<0x16xi8> = dense<>
func.func @empty(%x: memref<2x0xi8>, %acc: memref<2x16xi32>) {
  %w = memref.get_global @w : memref<0x16xi8>
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the contraction is empty}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<2x0xi8>, memref<0x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
  return
}

// -----

func.func @attention_scores(%q: memref<4x8xf32>, %k: memref<8x4xf32>, %acc: memref<4x4xf32>) {
  // expected-remark @+1 {{left to portable loops: the weights are not a compile-time constant}}
  linalg.matmul ins(%q, %k : memref<4x8xf32>, memref<8x4xf32>) outs(%acc : memref<4x4xf32>)
  return
}

// -----

memref.global "private" constant @w : memref<8x16xi16> = dense<1>
func.func @i16_codes(%x: memref<2x8xi16>, %acc: memref<2x16xi32>) {
  %w = memref.get_global @w : memref<8x16xi16>
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the element types are not i8 x i8 -> i32 or f32}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<2x8xi16>, memref<8x16xi16>, i32, i32) outs(%acc : memref<2x16xi32>)
  return
}

// -----

memref.global "private" constant @w : memref<8x16xi8> = dense<1>
func.func @runtime_weight_zero(%x: memref<2x8xi8>, %zw: i32, %acc: memref<2x16xi32>) {
  %w = memref.get_global @w : memref<8x16xi8>
  %zero = arith.constant 0 : i32
  // expected-remark @+1 {{left to portable loops: the weight zero point is not a constant}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zw : memref<2x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
  return
}

// -----

memref.global "private" constant @w : memref<8x16xf32> = dense<1.0>
func.func @strided_output(%x: memref<2x8xf32>, %acc: memref<2x16xf32, strided<[32, 2]>>) {
  %w = memref.get_global @w : memref<8x16xf32>
  // expected-remark @+1 {{left to portable loops: the innermost dimension of an operand is strided}}
  linalg.matmul ins(%x, %w : memref<2x8xf32>, memref<8x16xf32>) outs(%acc : memref<2x16xf32, strided<[32, 2]>>)
  return
}

// -----

memref.global "private" constant @w : memref<16x8xf32> = dense<1.0>
func.func @transposed_activations(%x: memref<8x2xf32>, %acc: memref<2x16xf32>) {
  %w = memref.get_global @w : memref<16x8xf32>
  // expected-remark @+1 {{left to portable loops: the indexing is not a kernel's (transposed activations?)}}
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %w : memref<8x2xf32>, memref<16x8xf32>) outs(%acc : memref<2x16xf32>)
  return
}

// -----

// 2^31 output channels of splat weights: the kernels would pack 2^33
// weights and keep 2^31 initial values at compile time (this ran out of
// memory); the contraction runs on portable loops.
memref.global "private" constant @w : memref<4x2147483648xi8> = dense<1>
func.func @huge_channels(%x: memref<2x4xi8>, %acc: memref<2x2147483648xi32>) {
  %w = memref.get_global @w : memref<4x2147483648xi8>
  %zero = arith.constant 0 : i32
  linalg.fill ins(%zero : i32) outs(%acc : memref<2x2147483648xi32>)
  // expected-remark @+1 {{left to portable loops: the constant weights have more than 2^26 elements, which the kernels do not pack at compile time}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<2x4xi8>, memref<4x2147483648xi8>, i32, i32) outs(%acc : memref<2x2147483648xi32>)
  return
}

// -----

// Weights read at run time are packed at run time, but 2^31 output
// channels would still need 2^31 initial values at compile time.
func.func @huge_channels_runtime_weights(%x: memref<2x4xi8>, %w: memref<4x2147483648xi8>, %acc: memref<2x2147483648xi32>) {
  %zero = arith.constant 0 : i32
  linalg.fill ins(%zero : i32) outs(%acc : memref<2x2147483648xi32>)
  // expected-remark @+1 {{left to portable loops: more than 2^26 output channels, whose initial values the kernels do not keep at compile time}}
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<2x4xi8>, memref<4x2147483648xi8>, i32, i32) outs(%acc : memref<2x2147483648xi32>)
  return
}
