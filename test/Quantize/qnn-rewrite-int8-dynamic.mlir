// RUN: quant-opt %s --qnn-rewrite-int8="dynamic=true" -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s --check-prefix=STATIC

!qw = !quant.uniform<i8:f32, 0.02>

// With dynamic=true, float activations times int8 weights: min/max of x at
// run time, torch's ChooseQuantizationParams, u8 codes, an i32 matmul and
// y = fl32(acc) * fl32(s_x * s_w) + b. Without it the float matmul stays.
// CHECK-LABEL: func.func @dynamic_linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK-DAG: arith.constant 6.0999998822808266E-5 : f64
// CHECK: %[[MIN:.*]] = linalg.reduce ins(%[[X]] : tensor<2x4xf32>)
// CHECK:   arith.minimumf
// CHECK: %[[MAX:.*]] = linalg.reduce ins(%[[X]] : tensor<2x4xf32>)
// CHECK:   arith.maximumf
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: %[[ZP:.*]] = arith.fptosi %{{.*}} : f64 to i32
// The u8 codes are written signed (minus 128) for quantized_matmul, whose
// activation zero point is the run-time one minus 128.
// CHECK: %[[XQ:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2x4xi8>)
// CHECK:   math.roundeven
// CHECK:   %[[SHIFTED:.*]] = arith.subf %{{.*}}, %{{.*}} : f32
// CHECK:   arith.fptosi %[[SHIFTED]] : f32 to i8
// CHECK: %[[SZP:.*]] = arith.subi %[[ZP]], %{{.*}} : i32
// CHECK: %[[ACC:.*]] = linalg.quantized_matmul ins(%[[XQ]], %{{.*}}, %[[SZP]], %{{.*}} : tensor<2x4xi8>, tensor<4x3xi8>, i32, i32) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<2x3xi32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK:   %[[M:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:   %[[F:.*]] = arith.sitofp %{{.*}} : i32 to f32
// CHECK:   %[[P:.*]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK:   arith.addf %[[P]], %{{.*}} : f32
// CHECK-NOT: linalg.matmul
// STATIC-LABEL: func.func @dynamic_linear
// STATIC: linalg.matmul
// STATIC-NOT: linalg.reduce
func.func @dynamic_linear(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6], [-7, 8, 9], [10, -11, 12]]> : tensor<4x3xi8>
  %wq = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!qw>
  %wd = quant.dcast %wq : tensor<4x3x!qw> to tensor<4x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %y = linalg.matmul ins(%x, %wd : tensor<2x4xf32>, tensor<4x3xf32>) outs(%bb : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Float weights: nothing to quantize dynamically.
// CHECK-LABEL: func.func @negative_float_weights
// CHECK: linalg.matmul
func.func @negative_float_weights(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
