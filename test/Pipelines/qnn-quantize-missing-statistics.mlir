// RUN: quant-opt %s --qnn-quantize="allow-missing-statistics=true" | FileCheck %s
// RUN: quant-opt %s --qnn-quantize --verify-diagnostics -o /dev/null

// A calibration without statistics is an error, unless the option leaves
// it in place (then its consumer stays float).
// CHECK-LABEL: func.func @not_calibrated
// CHECK: qnn.calibrate
// CHECK: linalg.matmul
func.func @not_calibrated(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'qnn.calibrate' op has no statistics: run a calibration first, or pass allow-missing-statistics=true to keep it}}
  %h = qnn.calibrate %x min_max to ui8 : tensor<2x3xf32>
  %w = arith.constant dense<[[0.5, -0.5], [0.25, 0.25], [-0.125, 0.5]]> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
