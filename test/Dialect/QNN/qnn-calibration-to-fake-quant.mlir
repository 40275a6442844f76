// RUN: quant-opt %s --qnn-calibration-to-fake-quant -split-input-file | FileCheck %s

// The histogram methods. Percentile 80 of 10 equal bins over [0, 10] clips
// 10% from each side: [1, 9]; affine u8 then gives scale 9/255 and zero
// point 0 (the range is widened to contain 0).
// CHECK-LABEL: func.func @percentile_uniform_histogram
// CHECK: qnn.fake_quant %{{.*}} to [[TYPE:!quant.uniform<.*>]] : tensor<4xf32>
// CHECK-NEXT: qnn.fake_quant %{{.*}} to [[TYPE]] : tensor<4xf32>
func.func @percentile_uniform_histogram(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // 9 / 255 in f32.
  %ref = qnn.fake_quant %x to !quant.uniform<u8:f32, 0.035294119268655777> : tensor<4xf32>
  %0 = qnn.calibrate %x percentile to ui8 percentile = 80.0 min = [0.0] max = [10.0] histogram = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0] : tensor<4xf32>
  return %ref, %0 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Entropy over |x|: 256 bins over [0, 2.56], a flat body in the first 100
// bins and one outlier in bin 200. A candidate below 201 bins moves the
// outlier into an empty last bin, which its quantization Q leaves at 0:
// infinite divergence. Every candidate from 201 bins on reproduces the flat
// body exactly (divergence 0), and TensorRT keeps the last minimum: the
// whole range, t = 2.56, so scale = 2.56 / 127.5.
// CHECK-LABEL: func.func @entropy_last_minimum
// CHECK: qnn.fake_quant %{{.*}} to [[TYPE:!quant.uniform<.*>]] : tensor<4xf32>
// CHECK-NEXT: qnn.fake_quant %{{.*}} to [[TYPE]] : tensor<4xf32>
func.func @entropy_last_minimum(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // fl32(fl32(2.56) / 127.5)
  %ref = qnn.fake_quant %x to !quant.uniform<i8:f32, 0.020078431814908981> : tensor<4xf32>
  %0 = qnn.calibrate %x entropy to i8 symmetric min = [-2.56] max = [2.56] histogram = [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]  : tensor<4xf32>
  return %ref, %0 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A 4-bit affine range with reduce_range uses 3 bits, [-4, 3]: scale 4/7,
// zero point -4 - round(-1.75) = -2.
// CHECK-LABEL: func.func @i4_reduce_range
// CHECK: qnn.fake_quant %{{.*}} to !quant.uniform<i4<-4:3>:f32, 0.57142859697341919:-2> : tensor<4xf32>
func.func @i4_reduce_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.calibrate %x min_max to i4 reduce_range min = [-1.0] max = [3.0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}
