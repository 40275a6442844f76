// RUN: quant-opt %s --qnn-quantize | FileCheck %s
// RUN: quant-opt %s --qnn-quantize="mode=fixed-point-double" | FileCheck %s --check-prefix=FIXED

// The quantize stage in its order: the batch norm folds into the float
// weights of the first layer (w * s, bias t); the calibrated activation
// becomes a quantization (u8, scale 4/255, zero point 64, written signed
// for the next contraction: -64); the second layer's weights are stored as
// codes; and the second matmul runs on the codes.
// CHECK-LABEL: func.func @layers
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK-DAG: %[[ZX:.*]] = arith.constant -64 : i32
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[}}[125, -125], [62, 62], [-31, 125]]> : tensor<3x2xi8>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[1.000000e+00, -1.250000e-01, 1.250000e-01], [5.000000e-01, 2.500000e-01, -5.000000e-01], [-2.500000e-01, 1.250000e-01, 5.000000e-01], [1.000000e+00, 0.000000e+00, -2.500000e-01]]> : tensor<4x3xf32>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense<[0.000000e+00, 2.500000e-01, -5.000000e-01]> : tensor<3xf32>
// CHECK: %[[BIAS:.*]] = linalg.broadcast ins(%[[SHIFT]] : tensor<3xf32>)
// The first layer reads float activations: it stays in float, and says why.
// CHECK: %[[Y1:.*]] = linalg.matmul {qnn.not_quantized = "input is not dequantized"} ins(%[[X]], %[[W1]] : tensor<2x4xf32>, tensor<4x3xf32>) outs(%[[BIAS]] : tensor<2x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[HQ:.*]] = quant.qcast %[[Y1]] : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 0.015686275437474251:-64>>
// CHECK: %[[H:.*]] = quant.scast %[[HQ]]
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins(%[[H]], %[[W2]], %[[ZX]], %{{.*}} : tensor<2x3xi8>, tensor<3x2xi8>, i32, i32)
// CHECK: qnn.requantize %[[ACC]] scales = [6.2745108152739704E-5] to !quant.uniform<i8:f32, 1.000000e-02>
// CHECK-NOT: qnn.calibrate
// CHECK-NOT: qnn.fake_quant
// FIXED-LABEL: func.func @layers
// FIXED: qnn.requantize {{.*}} mode<fixed_point_double>
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
func.func @layers(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w1 = arith.constant dense<[[0.5, -0.25, 0.125], [0.25, 0.5, -0.5], [-0.125, 0.25, 0.5], [0.5, 0.0, -0.25]]> : tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x3xf32>
  %init1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y1 = linalg.matmul ins(%x, %w1 : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init1 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = arith.constant dense<[2.0, 0.5, 1.0]> : tensor<3xf32>
  %t = arith.constant dense<[0.0, 0.25, -0.5]> : tensor<3xf32>
  %bn = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%y1, %s, %t : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%e1 : tensor<2x3xf32>) {
  ^bb0(%in: f32, %sc: f32, %sh: f32, %o: f32):
    %0 = arith.mulf %in, %sc : f32
    %1 = arith.addf %0, %sh : f32
    linalg.yield %1 : f32
  } -> tensor<2x3xf32>
  %h = qnn.calibrate %bn min_max to ui8 min = [-1.0] max = [3.0] : tensor<2x3xf32>
  %w2 = arith.constant dense<[[0.5, -0.5], [0.25, 0.25], [-0.125, 0.5]]> : tensor<3x2xf32>
  %w2q = qnn.fake_quant %w2 to !quant.uniform<i8<-127:127>:f32, 0.004> : tensor<3x2xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %init2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y2 = linalg.matmul ins(%h, %w2q : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y2q = qnn.fake_quant %y2 to !quant.uniform<i8:f32, 0.01> : tensor<2x2xf32>
  return %y2q : tensor<2x2xf32>
}

