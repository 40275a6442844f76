// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file -verify-diagnostics

// Every matmul or convolution --qnn-rewrite-int8 leaves in float says why,
// in a remark and in its qnn.not_quantized attribute.

func.func @float_input(%x: tensor<2x4xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>> {
  %w = arith.constant dense<1> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8:f32, 0.01>>
  %wd = quant.dcast %wq : tensor<4x3x!quant.uniform<i8:f32, 0.01>> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  // expected-remark @+1 {{stays in float: input is not dequantized}}
  %y = linalg.matmul ins(%x, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return %yq : tensor<2x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @result_not_quantized(%x: tensor<2x4x!quant.uniform<i8:f32, 0.05>>) -> tensor<2x3xf32> {
  %xd = quant.dcast %x : tensor<2x4x!quant.uniform<i8:f32, 0.05>> to tensor<2x4xf32>
  %w = arith.constant dense<1> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8:f32, 0.01>>
  %wd = quant.dcast %wq : tensor<4x3x!quant.uniform<i8:f32, 0.01>> to tensor<4x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  // expected-remark @+1 {{stays in float: no quant.qcast reads its result through a per-channel bias and an activation; it goes to 'math.tanh'}}
  %y = linalg.matmul ins(%xd, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %t = math.tanh %y : tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}

// -----

func.func @float_weights(%x: tensor<2x4x!quant.uniform<i8:f32, 0.05>>, %w: tensor<4x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.1>> {
  %xd = quant.dcast %x : tensor<2x4x!quant.uniform<i8:f32, 0.05>> to tensor<2x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<2x3xf32>
  // expected-remark @+1 {{stays in float: weights are not stored codes or a dequantized activation}}
  %y = linalg.matmul ins(%xd, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%zeros : tensor<2x3xf32>) -> tensor<2x3xf32>
  %yq = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 0.1>>
  return %yq : tensor<2x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @conv_1d(%x: tensor<1x6x3x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x2x!quant.uniform<i8:f32, 0.1>> {
  %xd = quant.dcast %x : tensor<1x6x3x!quant.uniform<i8:f32, 0.05>> to tensor<1x6x3xf32>
  %w = arith.constant dense<1> : tensor<3x3x2xi8>
  %wq = quant.scast %w : tensor<3x3x2xi8> to tensor<3x3x2x!quant.uniform<i8:f32, 0.01>>
  %wd = quant.dcast %wq : tensor<3x3x2x!quant.uniform<i8:f32, 0.01>> to tensor<3x3x2xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x4x2xf32>
  // expected-remark @+1 {{stays in float: 'linalg.conv_1d_nwc_wcf' is not a matmul or convolution the rewrite knows}}
  %y = linalg.conv_1d_nwc_wcf ins(%xd, %wd : tensor<1x6x3xf32>, tensor<3x3x2xf32>) outs(%zeros : tensor<1x4x2xf32>) -> tensor<1x4x2xf32>
  %yq = quant.qcast %y : tensor<1x4x2xf32> to tensor<1x4x2x!quant.uniform<i8:f32, 0.1>>
  return %yq : tensor<1x4x2x!quant.uniform<i8:f32, 0.1>>
}
