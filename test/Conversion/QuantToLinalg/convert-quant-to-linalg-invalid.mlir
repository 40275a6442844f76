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
