// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.05:-5>
!qy = !quant.uniform<u8:f32, 0.1:10>

// Average pooling with 0.0 padding (count_include_pad): the codes minus
// the input zero point are summed in i32 (padding adds 0), then
// y = clamp(roundeven(fl32(acc) * m + z_y)) with m = fl32(0.05 / 0.1) / 9.
// CHECK-LABEL: func.func @avg_pool_padded
// CHECK-DAG: %[[ZX:.*]] = arith.constant -5 : i32
// CHECK-DAG: %[[M:.*]] = arith.constant 0.055555556 : f32
// CHECK-DAG: %[[ZY:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 255 : i32
// CHECK: %[[CODES:.*]] = quant.scast %{{.*}} : tensor<1x4x4x2x!quant.uniform<i8:f32, 5.000000e-02:-5>> to tensor<1x4x4x2xi8>
// CHECK: %[[CENTERED:.*]] = linalg.generic {{.*}} ins(%[[CODES]] : tensor<1x4x4x2xi8>) outs(%{{.*}} : tensor<1x4x4x2xi32>)
// CHECK:   %[[WIDE:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:   arith.subi %[[WIDE]], %[[ZX]] : i32
// CHECK: %[[PADDED:.*]] = tensor.pad %[[CENTERED]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %{{.*}} : i32
// CHECK: } : tensor<1x4x4x2xi32> to tensor<1x6x6x2xi32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x2x2x2xi32>)
// CHECK: %[[ACC:.*]] = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %{{.*}} : tensor<1x6x6x2xi32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x2x2xi32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[ACC]] : tensor<1x2x2x2xi32>) outs(%{{.*}} : tensor<1x2x2x2xi8>)
// CHECK:   %[[F:.*]] = arith.sitofp %{{.*}} : i32 to f32
// CHECK:   %[[SCALED:.*]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK:   %[[SHIFTED:.*]] = arith.addf %[[SCALED]], %[[ZY]] : f32
// CHECK:   %[[ROUNDED:.*]] = math.roundeven %[[SHIFTED]] : f32
// CHECK:   %[[I:.*]] = arith.fptosi %[[ROUNDED]] : f32 to i32
// CHECK:   %[[MAX:.*]] = arith.maxsi %[[I]], %[[LO]] : i32
// CHECK:   %[[MIN:.*]] = arith.minsi %[[MAX]], %[[HI]] : i32
// CHECK:   arith.trunci %[[MIN]] : i32 to i8
// CHECK: quant.scast %[[Y]] : tensor<1x2x2x2xi8> to tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01:10>>
// CHECK-NOT: arith.divf
func.func @avg_pool_padded(%x: tensor<1x4x4x2x!qx>) -> tensor<1x2x2x2x!qy> {
  %xd = quant.dcast %x : tensor<1x4x4x2x!qx> to tensor<1x4x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %xp = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xp, %win : tensor<1x6x6x2xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %d = arith.constant dense<9.0> : tensor<1x2x2x2xf32>
  %y = arith.divf %sum, %d : tensor<1x2x2x2xf32>
  %yq = quant.qcast %y : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qy>
  return %yq : tensor<1x2x2x2x!qy>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>

// NCHW without padding: unsigned codes widen with extui; a divisor other
// than the window size is torch's divisor_override.
// CHECK-LABEL: func.func @avg_pool_nchw_divisor
// CHECK-DAG: %[[M:.*]] = arith.constant 2.000000e-01 : f32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.pooling_nchw_sum {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x4x4xi32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x1x2x2xi32>)
// CHECK: arith.mulf %{{.*}}, %[[M]] : f32
// CHECK-NOT: arith.divf
func.func @avg_pool_nchw_divisor(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!q> {
  %xd = quant.dcast %x : tensor<1x1x4x4x!q> to tensor<1x1x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x1x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %d = arith.constant dense<5.0> : tensor<1x1x2x2xf32>
  %y = arith.divf %sum, %d : tensor<1x1x2x2xf32>
  %yq = quant.qcast %y : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  return %yq : tensor<1x1x2x2x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>

// Padding with a value other than 0.0 is not an average of the input: left
// alone.
// CHECK-LABEL: func.func @negative_avg_pool_nonzero_padding
// CHECK: linalg.pooling_nhwc_sum {{.*}} -> tensor<1x2x2x1xf32>
// CHECK: arith.divf
// CHECK: quant.qcast
func.func @negative_avg_pool_nonzero_padding(%x: tensor<1x2x2x1x!q>) -> tensor<1x2x2x1x!q> {
  %xd = quant.dcast %x : tensor<1x2x2x1x!q> to tensor<1x2x2x1xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %xp = tensor.pad %xd low[0, 1, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %one : f32
  } : tensor<1x2x2x1xf32> to tensor<1x3x3x1xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %win : tensor<1x3x3x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %d = arith.constant dense<4.0> : tensor<1x2x2x1xf32>
  %y = arith.divf %sum, %d : tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q>
  return %yq : tensor<1x2x2x1x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>

// A non-zero initial value, a divisor that is not a positive whole count
// and a divisor that is not a constant are left alone.
// CHECK-LABEL: func.func @negative_avg_pool_init
// CHECK: linalg.pooling_nhwc_sum {{.*}} -> tensor<1x2x2x1xf32>
// CHECK: arith.divf
// CHECK-LABEL: func.func @negative_avg_pool_fractional_divisor
// CHECK: linalg.pooling_nhwc_sum {{.*}} -> tensor<1x2x2x1xf32>
// CHECK: arith.divf
// CHECK-LABEL: func.func @negative_avg_pool_dynamic_divisor
// CHECK: linalg.pooling_nhwc_sum {{.*}} -> tensor<1x2x2x1xf32>
// CHECK: arith.divf
func.func @negative_avg_pool_init(%x: tensor<1x4x4x1x!q>) -> tensor<1x2x2x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %one = arith.constant 1.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%one : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %d = arith.constant dense<4.0> : tensor<1x2x2x1xf32>
  %y = arith.divf %sum, %d : tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q>
  return %yq : tensor<1x2x2x1x!q>
}

func.func @negative_avg_pool_fractional_divisor(%x: tensor<1x4x4x1x!q>) -> tensor<1x2x2x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %d = arith.constant dense<2.5> : tensor<1x2x2x1xf32>
  %y = arith.divf %sum, %d : tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q>
  return %yq : tensor<1x2x2x1x!q>
}

func.func @negative_avg_pool_dynamic_divisor(%x: tensor<1x4x4x1x!q>, %d: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = arith.divf %sum, %d : tensor<1x2x2x1xf32>
  %yq = quant.qcast %y : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!q>
  return %yq : tensor<1x2x2x1x!q>
}

// -----

// Without strides and dilations (their defaults, 1) the integer pool takes
// the same defaults.
// CHECK-LABEL: func.func @avg_pool_default_window_attrs
// CHECK: linalg.pooling_nhwc_sum ins(%{{.*}}, %{{.*}} : tensor<1x4x4x1xi32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<1x3x3x1xi32>)
!q = !quant.uniform<u8:f32, 0.05:100>
func.func @avg_pool_default_window_attrs(%x: tensor<1x4x4x1x!q>) -> tensor<1x3x3x1x!q> {
  %xd = quant.dcast %x : tensor<1x4x4x1x!q> to tensor<1x4x4x1xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x3x3x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %sum = linalg.pooling_nhwc_sum ins(%xd, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%init : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %d = arith.constant dense<4.0> : tensor<1x3x3x1xf32>
  %y = arith.divf %sum, %d : tensor<1x3x3x1xf32>
  %yq = quant.qcast %y : tensor<1x3x3x1xf32> to tensor<1x3x3x1x!q>
  return %yq : tensor<1x3x3x1x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:100>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// The division as frontends emit it, in a linalg.generic by a scalar
// constant, is matched like arith.divf; a body that does more than divide
// is left alone.
// CHECK-LABEL: func.func @avg_pool_generic_division
// CHECK-DAG: %[[M:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: linalg.pooling_nchw_sum {{.*}} -> tensor<1x1x2x2xi32>
// CHECK: arith.mulf %{{.*}}, %[[M]] : f32
// CHECK-NOT: arith.divf
// CHECK-LABEL: func.func @negative_avg_pool_generic_not_a_division
// CHECK: linalg.pooling_nchw_sum {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: arith.divf
// CHECK: arith.mulf
func.func @avg_pool_generic_division(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!q> {
  %xd = quant.dcast %x : tensor<1x1x4x4x!q> to tensor<1x1x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x1x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %d = arith.constant 4.0 : f32
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<1x1x2x2xf32>) outs(%e : tensor<1x1x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %q = arith.divf %in, %d : f32
    linalg.yield %q : f32
  } -> tensor<1x1x2x2xf32>
  %yq = quant.qcast %y : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  return %yq : tensor<1x1x2x2x!q>
}

func.func @negative_avg_pool_generic_not_a_division(%x: tensor<1x1x4x4x!q>) -> tensor<1x1x2x2x!q> {
  %xd = quant.dcast %x : tensor<1x1x4x4x!q> to tensor<1x1x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x1x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%init : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %d = arith.constant 4.0 : f32
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<1x1x2x2xf32>) outs(%e : tensor<1x1x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %q = arith.divf %in, %d : f32
    %r = arith.mulf %q, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x1x2x2xf32>
  %yq = quant.qcast %y : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  return %yq : tensor<1x1x2x2x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:3>

// A global average pool as ONNX importers write it: the sum pool starts
// from a zero constant (not a fill), the division is arith.divf by a splat.
// CHECK-LABEL: func.func @global_avg_pool_zero_constant_init
// CHECK: %[[ACC:.*]] = linalg.pooling_nchw_sum {{.*}} outs(%{{.*}} : tensor<1x2x1x1xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]] : tensor<1x2x1x1xi32>) outs(%{{.*}} : tensor<1x2x1x1xi8>)
// CHECK-NOT: arith.divf
func.func @global_avg_pool_zero_constant_init(%x: tensor<1x2x3x3x!q>) -> tensor<1x2x1x1x!q> {
  %xd = quant.dcast %x : tensor<1x2x3x3x!q> to tensor<1x2x3x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x2x1x1xf32>
  %window = tensor.empty() : tensor<3x3xf32>
  %s = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %window : tensor<1x2x3x3xf32>, tensor<3x3xf32>) outs(%zeros : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %n = arith.constant dense<9.0> : tensor<1x2x1x1xf32>
  %m = arith.divf %s, %n : tensor<1x2x1x1xf32>
  %q = quant.qcast %m : tensor<1x2x1x1xf32> to tensor<1x2x1x1x!q>
  return %q : tensor<1x2x1x1x!q>
}
