// RUN: quant-opt %s --qnn-rewrite-int8 -split-input-file | FileCheck %s

// Activations between quantizations of their own, and residual adds, in
// the spellings producers write them. With one scale on both sides, an
// activation becomes a clamp of the codes: the output zero point minus
// the input one is added, and the bounds are quantized to the output grid.

!qu = !quant.uniform<u8:f32, 0.05:120>
!qi = !quant.uniform<i8:f32, 0.05:-8>
#id = affine_map<(d0, d1) -> (d0, d1)>

// ReLU6 as linalg.max/min with filled constants (u8 in, i8 out: the sign
// flip of the next layer folded into the qcast). 0.0 -> -8, 6.0 -> 112.
// CHECK-LABEL: func.func @relu6_linalg_fill
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x!quant.uniform<u8:f32, 5.000000e-02:120>>)
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant -128 : i32
// CHECK-DAG: %[[LO:.*]] = arith.constant -8 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 112 : i32
// CHECK: %[[CODES:.*]] = quant.scast %[[X]] : {{.*}} to tensor<2x4xi8>
// CHECK: %[[CLAMP:.*]] = linalg.generic {{.*}} ins(%[[CODES]] : tensor<2x4xi8>)
// CHECK: ^bb0(%[[C:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[WIDE:.*]] = arith.extui %[[C]] : i8 to i32
// CHECK: %[[MOVED:.*]] = arith.addi %[[WIDE]], %[[SHIFT]] : i32
// CHECK: %[[MAX:.*]] = arith.maxsi %[[MOVED]], %[[LO]] : i32
// CHECK: %[[MIN:.*]] = arith.minsi %[[MAX]], %[[HI]] : i32
// CHECK: arith.trunci %[[MIN]] : i32 to i8
// CHECK: %[[Y:.*]] = quant.scast %[[CLAMP]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32, 5.000000e-02:-8>>
// CHECK: return %[[Y]]
// CHECK-NOT: f32>
func.func @relu6_linalg_fill(%x: tensor<2x4x!qu>) -> tensor<2x4x!qi> {
  %d = quant.dcast %x : tensor<2x4x!qu> to tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = linalg.fill ins(%six : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %lo = linalg.max ins(%d, %z : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %hi = linalg.min ins(%lo, %s : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = quant.qcast %hi : tensor<2x4xf32> to tensor<2x4x!qi>
  return %q : tensor<2x4x!qi>
}

// -----

!q = !quant.uniform<i8:f32, 0.1:3>
#id = affine_map<(d0, d1) -> (d0, d1)>

// hardtanh in a generic as cmpf + select; one type on both sides, so no
// shift. -1.0 -> -7, 1.0 -> 13.
// CHECK-LABEL: func.func @hardtanh_generic_select
// CHECK-DAG: %[[LO:.*]] = arith.constant -7 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 13 : i32
// CHECK: linalg.generic
// CHECK: %[[WIDE:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK-NOT: arith.addi
// CHECK: %[[MAX:.*]] = arith.maxsi %[[WIDE]], %[[LO]] : i32
// CHECK: arith.minsi %[[MAX]], %[[HI]] : i32
// CHECK-NOT: arith.cmpf
func.func @hardtanh_generic_select(%x: tensor<2x4x!q>) -> tensor<2x4x!q> {
  %d = quant.dcast %x : tensor<2x4x!q> to tensor<2x4xf32>
  %m1 = arith.constant -1.0 : f32
  %p1 = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%d : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %lt = arith.cmpf olt, %in, %m1 : f32
    %a = arith.select %lt, %m1, %in : f32
    %gt = arith.cmpf ogt, %a, %p1 : f32
    %b = arith.select %gt, %p1, %a : f32
    linalg.yield %b : f32
  } -> tensor<2x4xf32>
  %q = quant.qcast %r : tensor<2x4xf32> to tensor<2x4x!q>
  return %q : tensor<2x4x!q>
}

// -----

!q = !quant.uniform<u8:f32, 0.1:10>

// ReLU as arith.maximumf on tensors, the dequantized value also read by
// another user (a residual branch): the clamp reads the codes, the dcast
// stays for the other user.
// CHECK-LABEL: func.func @relu_tensor_shared_input
// CHECK-DAG: %[[TOP:.*]] = arith.constant 255 : i32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 10 : i32
// CHECK: %[[D:.*]] = quant.dcast
// CHECK: %[[CLAMP:.*]] = linalg.generic
// CHECK: %[[MAX:.*]] = arith.maxsi %{{.*}}, %[[ZERO]] : i32
// CHECK: arith.minsi %[[MAX]], %[[TOP]] : i32
// CHECK: %[[Y:.*]] = quant.scast %[[CLAMP]]
// CHECK: return %[[Y]], %[[D]]
func.func @relu_tensor_shared_input(%x: tensor<8x!q>) -> (tensor<8x!q>, tensor<8xf32>) {
  %d = quant.dcast %x : tensor<8x!q> to tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %r = arith.maximumf %d, %zero : tensor<8xf32>
  %q = quant.qcast %r : tensor<8xf32> to tensor<8x!q>
  return %q, %d : tensor<8x!q>, tensor<8xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1:3>
!qb = !quant.uniform<i8:f32, 0.2:3>

// A requantizing activation (the scales differ) stays in float.
// CHECK-LABEL: func.func @negative_relu_scales_differ
// CHECK: quant.dcast
// CHECK: arith.maximumf
// CHECK: quant.qcast
func.func @negative_relu_scales_differ(%x: tensor<8x!qa>) -> tensor<8x!qb> {
  %d = quant.dcast %x : tensor<8x!qa> to tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %r = arith.maximumf %d, %zero : tensor<8xf32>
  %q = quant.qcast %r : tensor<8xf32> to tensor<8x!qb>
  return %q : tensor<8x!qb>
}

// -----

!q = !quant.uniform<i8:f32, 0.1:3>

// A bias is not an activation: dcast + constant stays in float.
// CHECK-LABEL: func.func @negative_add_constant
// CHECK: arith.addf
// CHECK: quant.qcast
func.func @negative_add_constant(%x: tensor<8x!q>) -> tensor<8x!q> {
  %d = quant.dcast %x : tensor<8x!q> to tensor<8xf32>
  %c = arith.constant dense<0.5> : tensor<8xf32>
  %r = arith.addf %d, %c : tensor<8xf32>
  %q = quant.qcast %r : tensor<8xf32> to tensor<8x!q>
  return %q : tensor<8x!q>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:118>
!qb = !quant.uniform<u8:f32, 0.1:127>
!qy = !quant.uniform<u8:f32, 0.12:121>
!qs = !quant.uniform<i8:f32, 0.12:-7>

// A residual add as linalg.add (u8, QNNPACK's fixed-point add).
// CHECK-LABEL: func.func @add_linalg
// CHECK: %[[A:.*]] = quant.scast %{{.*}} to tensor<4x8xi8>
// CHECK: %[[B:.*]] = quant.scast %{{.*}} to tensor<4x8xi8>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4x8xi8>, tensor<4x8xi8>)
// CHECK: arith.shrsi
// CHECK-NOT: arith.xori
// CHECK: quant.scast %[[SUM]] : tensor<4x8xi8> to tensor<4x8x!quant.uniform<u8:f32, 1.200000e-01:121>>
// CHECK-NOT: linalg.add
func.func @add_linalg(%a: tensor<4x8x!qa>, %b: tensor<4x8x!qb>) -> tensor<4x8x!qy> {
  %da = quant.dcast %a : tensor<4x8x!qa> to tensor<4x8xf32>
  %db = quant.dcast %b : tensor<4x8x!qb> to tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.add ins(%da, %db : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %q = quant.qcast %s : tensor<4x8xf32> to tensor<4x8x!qy>
  return %q : tensor<4x8x!qy>
}

// An add as a generic, quantized to i8 by a qcast into which the next
// layer's sign flip was folded: computed on the u8 side, then moved over
// by xor 0x80. The ReLU after it becomes the clamp.
// CHECK-LABEL: func.func @add_generic_flipped_output
// CHECK-DAG: %[[LO:.*]] = arith.constant 121 : i32
// CHECK-DAG: %[[BIT:.*]] = arith.constant -128 : i8
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: arith.maxsi %{{.*}}, %[[LO]] : i32
// CHECK: %[[CODE:.*]] = arith.trunci
// CHECK: arith.xori %[[CODE]], %[[BIT]] : i8
// CHECK: quant.scast %[[SUM]] : tensor<4x8xi8> to tensor<4x8x!quant.uniform<i8:f32, 1.200000e-01:-7>>
func.func @add_generic_flipped_output(%a: tensor<4x8x!qa>, %b: tensor<4x8x!qb>) -> tensor<4x8x!qs> {
  %da = quant.dcast %a : tensor<4x8x!qa> to tensor<4x8xf32>
  %db = quant.dcast %b : tensor<4x8x!qb> to tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%da, %db : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %t = arith.addf %y, %x : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %zero = arith.constant dense<0.0> : tensor<4x8xf32>
  %r = arith.maximumf %s, %zero : tensor<4x8xf32>
  %q = quant.qcast %r : tensor<4x8xf32> to tensor<4x8x!qs>
  return %q : tensor<4x8x!qs>
}

// A generic that is not a plain add (a broadcast operand) stays in float.
// CHECK-LABEL: func.func @negative_add_broadcast
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: quant.qcast
func.func @negative_add_broadcast(%a: tensor<4x8x!qa>, %b: tensor<8x!qb>) -> tensor<4x8x!qy> {
  %da = quant.dcast %a : tensor<4x8x!qa> to tensor<4x8xf32>
  %db = quant.dcast %b : tensor<8x!qb> to tensor<8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%da, %db : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %t = arith.addf %x, %y : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %q = quant.qcast %s : tensor<4x8xf32> to tensor<4x8x!qy>
  return %q : tensor<4x8x!qy>
}

// -----

!qu = !quant.uniform<u8:f32, 0.05:120>
!qi = !quant.uniform<i8:f32, 0.05:-8>

// An activation whose input only a requantization produces folds into
// it: the output type becomes the activation's, and the clamp the
// intersection of the ReLU6 bounds [-8, 112] with the requantization's
// own [100, 255] moved by -128.
// CHECK-LABEL: func.func @relu6_into_requantize
// CHECK-SAME: (%[[ACC:.*]]: tensor<4xi32>)
// CHECK: %[[Y:.*]] = qnn.requantize %[[ACC]] scales = [1.000000e-03] to !quant.uniform<i8:f32, 5.000000e-02:-8> clamp_min = -8 clamp_max = 112 : tensor<4xi32> -> tensor<4xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[Y]] : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 5.000000e-02:-8>>
// CHECK: return %[[Q]]
// CHECK-NOT: linalg.generic
func.func @relu6_into_requantize(%acc: tensor<4xi32>) -> tensor<4x!qi> {
  %r = qnn.requantize %acc scales = [1.0e-03] to !qu clamp_min = 100 : tensor<4xi32> -> tensor<4xi8>
  %q = quant.scast %r : tensor<4xi8> to tensor<4x!qu>
  %d = quant.dcast %q : tensor<4x!qu> to tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %six = arith.constant dense<6.0> : tensor<4xf32>
  %a = arith.maximumf %d, %zero : tensor<4xf32>
  %b = arith.minimumf %a, %six : tensor<4xf32>
  %y = quant.qcast %b : tensor<4xf32> to tensor<4x!qi>
  return %y : tensor<4x!qi>
}

// The pre-activation codes are also returned: the requantization stays,
// the clamp reads its codes.
// CHECK-LABEL: func.func @negative_requantize_shared
// CHECK: %[[R:.*]] = qnn.requantize {{.*}} to !quant.uniform<u8:f32, 5.000000e-02:120> :
// CHECK: %[[Q:.*]] = quant.scast %[[R]]
// CHECK: linalg.generic
// CHECK: return %{{.*}}, %[[Q]]
func.func @negative_requantize_shared(%acc: tensor<4xi32>) -> (tensor<4x!qi>, tensor<4x!qu>) {
  %r = qnn.requantize %acc scales = [1.0e-03] to !qu : tensor<4xi32> -> tensor<4xi8>
  %q = quant.scast %r : tensor<4xi8> to tensor<4x!qu>
  %d = quant.dcast %q : tensor<4x!qu> to tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %a = arith.maximumf %d, %zero : tensor<4xf32>
  %y = quant.qcast %a : tensor<4xf32> to tensor<4x!qi>
  return %y, %q : tensor<4x!qi>, tensor<4x!qu>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:118>
!qb = !quant.uniform<u8:f32, 0.1:127>
!qy = !quant.uniform<u8:f32, 0.12:121>

// torch's add_relu as a hand-written NHWC model spells it: linalg.add,
// then linalg.max with a filled zero. The ReLU is the add's clamp.
// CHECK-LABEL: func.func @add_relu_linalg_max_fill
// CHECK-DAG: %[[LO:.*]] = arith.constant 121 : i32
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: arith.shrsi
// CHECK: arith.maxsi %{{.*}}, %[[LO]] : i32
// CHECK: quant.scast %[[SUM]] : tensor<4x8xi8> to tensor<4x8x!quant.uniform<u8:f32, 1.200000e-01:121>>
// CHECK-NOT: linalg.max
func.func @add_relu_linalg_max_fill(%a: tensor<4x8x!qa>, %b: tensor<4x8x!qb>) -> tensor<4x8x!qy> {
  %da = quant.dcast %a : tensor<4x8x!qa> to tensor<4x8xf32>
  %db = quant.dcast %b : tensor<4x8x!qb> to tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.add ins(%da, %db : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = linalg.max ins(%s, %z : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %q = quant.qcast %r : tensor<4x8xf32> to tensor<4x8x!qy>
  return %q : tensor<4x8x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:118>
!qb = !quant.uniform<u8:f32, 0.1:127>
!qn = !quant.uniform<i8<-127:127>:f32, 0.12:-7>

// A narrow i8 output ([-127, 127]) flipped to the u8 side keeps its range:
// the codes are clamped to [1, 255] before the top bit flips, so -128
// never appears.
// CHECK-LABEL: func.func @add_flipped_narrow_range
// CHECK-DAG: %[[LO:.*]] = arith.constant 1 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 255 : i32
// CHECK: linalg.generic
// CHECK: %[[MAX:.*]] = arith.maxsi %{{.*}}, %[[LO]] : i32
// CHECK: arith.minsi %[[MAX]], %[[HI]] : i32
// CHECK: arith.xori
func.func @add_flipped_narrow_range(%a: tensor<4x8x!qa>, %b: tensor<4x8x!qb>) -> tensor<4x8x!qn> {
  %da = quant.dcast %a : tensor<4x8x!qa> to tensor<4x8xf32>
  %db = quant.dcast %b : tensor<4x8x!qb> to tensor<4x8xf32>
  %s = arith.addf %da, %db : tensor<4x8xf32>
  %q = quant.qcast %s : tensor<4x8xf32> to tensor<4x8x!qn>
  return %q : tensor<4x8x!qn>
}
