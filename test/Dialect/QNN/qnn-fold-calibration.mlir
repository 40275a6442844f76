// RUN: quant-opt %s --qnn-fold-calibration -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-fold-calibration="store-weights=false" -split-input-file | FileCheck %s --check-prefix=NOSTORE
// RUN: quant-opt %s --pass-pipeline='builtin.module(func.func(qnn-fold-calibration))' -split-input-file | FileCheck %s

// --qnn-fold-calibration, the earlier name of --qnn-fold-batch-norm,
// --qnn-calibration-to-fake-quant and --qnn-store-weights, still runs the
// three (on functions, or nested in a function pipeline). The passes have
// their own tests.

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

// A fake-quantized constant weight is stored as int8 codes; the module no
// longer holds the float weight. 0.31 / 0.0035 = 88.57 -> 89, -34.3 -> -34,
// 14.3 -> 14, 125.7 -> 126.
// CHECK-LABEL: func.func @store_fake_quant_weight
// CHECK-NOT: 3.100000e-01
// CHECK: %[[CODES:.*]] = arith.constant dense<{{\[}}[89, -34], [14, 126]]> : tensor<2x2xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[CODES]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 3.500000e-03>>
// CHECK: %[[W:.*]] = quant.dcast %[[Q]] : tensor<2x2x!quant.uniform<i8:f32, 3.500000e-03>> to tensor<2x2xf32>
// CHECK: return %[[W]]
// NOSTORE-LABEL: func.func @store_fake_quant_weight
// NOSTORE: qnn.fake_quant
// NOSTORE-NOT: quant.scast
func.func @store_fake_quant_weight() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[0.31, -0.12], [0.05, 0.44]]> : tensor<2x2xf32>
  %0 = qnn.fake_quant %w to !quant.uniform<i8:f32, 0.0035> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
