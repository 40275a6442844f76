// RUN: quant-opt %s --qnn-calibration-to-fake-quant="allow-missing-statistics=true" | FileCheck %s

// With allow-missing-statistics, a calibrate that has not been calibrated
// yet stays, and the others fold.
// CHECK-LABEL: func.func @partially_calibrated
// CHECK: %[[A:.*]] = qnn.calibrate %{{.*}} min_max to i8 : tensor<4xf32>
// CHECK: %[[B:.*]] = qnn.fake_quant %[[A]] to !quant.uniform<i8:f32, 0.0078431377187371254> : tensor<4xf32>
// CHECK: return %[[B]]
func.func @partially_calibrated(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.calibrate %x min_max to i8 : tensor<4xf32>
  %1 = qnn.calibrate %0 min_max to i8 symmetric min = [-1.0] max = [0.5] : tensor<4xf32>
  return %1 : tensor<4xf32>
}
