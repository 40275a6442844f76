// RUN: quant-opt %s --qnn-calibration-to-fake-quant -split-input-file -verify-diagnostics

func.func @missing_statistics(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{has no statistics: run a calibration first, or pass allow-missing-statistics=true to keep it}}
  %0 = qnn.calibrate %x min_max to i8 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The scale of the range (2e5 / 3) exceeds f16: the quantized type cannot
// be built.
func.func @scale_beyond_expressed_type(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{scale out of expressed type range [5.960464e-08, 6.550400e+04]}}
  %0 = qnn.calibrate %x min_max to i2 min = [-100000.0] max = [100000.0] : tensor<4xf16>
  return %0 : tensor<4xf16>
}
