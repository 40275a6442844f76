// RUN: quant-opt %s -convert-quant-to-linalg -split-input-file -verify-diagnostics

func.func @one_bit_storage(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i1:f32, 0.1>> {
  // expected-error @+1 {{is only lowered for storage types of 2 to 32 bits, got 1 bits}}
  %0 = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i1:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i1:f32, 0.1>>
}

// -----

func.func @calibrated_type(%x: tensor<4xf32>) -> tensor<4x!quant.calibrated<f32<-1.0:1.0>>> {
  // expected-error @+1 {{is only lowered for uniform quantized types, got '!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>'}}
  %0 = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.calibrated<f32<-1.0:1.0>>>
  return %0 : tensor<4x!quant.calibrated<f32<-1.0:1.0>>>
}

// -----

// A denormal scale (from a degenerate calibration written by another
// tool) has no finite f32 reciprocal: every input would quantize through
// +-Inf or NaN.
func.func @denormal_scale(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.0e-40>> {
  // expected-error @+1 {{'quant.qcast' op cannot quantize with scale 1.000000e-40: its f32 reciprocal is not finite}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.0e-40>>
  return %q : tensor<4x!quant.uniform<i8:f32, 1.0e-40>>
}

// -----

// Per channel, one denormal scale is enough.
func.func @denormal_channel_scale(%x: tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 2.0e-39}>> {
  // expected-error @+1 {{'quant.qcast' op cannot quantize with scale 2.000000e-39: its f32 reciprocal is not finite}}
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 2.0e-39}>>
  return %q : tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 2.0e-39}>>
}

// -----

// Dequantization multiplies by the scale itself: a denormal scale is
// computed exactly (no error).
func.func @denormal_dequantize(%x: tensor<4x!quant.uniform<i8:f32, 1.0e-40>>) -> tensor<4xf32> {
  %d = quant.dcast %x : tensor<4x!quant.uniform<i8:f32, 1.0e-40>> to tensor<4xf32>
  return %d : tensor<4xf32>
}
