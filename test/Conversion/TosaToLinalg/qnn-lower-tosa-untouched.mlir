// RUN: quant-opt %s --qnn-lower-tosa | FileCheck %s --check-prefix=UNTOUCHED

// A module without TOSA is left exactly as it is: no canonicalization that
// could fold a fake quantization away.
// UNTOUCHED-LABEL: func.func @negative_no_tosa
// UNTOUCHED: %[[Q:.*]] = quant.qcast
// UNTOUCHED: quant.dcast %[[Q]]
func.func @negative_no_tosa(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.1>> to tensor<4xf32>
  return %d : tensor<4xf32>
}
