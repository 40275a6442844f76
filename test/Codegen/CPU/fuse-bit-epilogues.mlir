// RUN: quant-opt %s --split-input-file --qnn-cpu-fuse-bit-epilogues | FileCheck %s

// The element-wise chain after a binary contraction (its scaling epilogue,
// then the quantization of the output for an int8 layer) becomes one
// generic: the same operations in one body.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#ch = affine_map<(m, n) -> (n)>
// CHECK-LABEL: func.func @scale_then_quantize
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xi32>, %[[W:.*]]: tensor<8x2xi32>, %[[M:.*]]: tensor<8xf32>)
// CHECK: %[[D:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<4x2xi32>, tensor<8x2xi32>)
// CHECK: math.ctpop
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[D]], %[[M]] : tensor<4x8xi32>, tensor<8xf32>) outs(%{{.*}} : tensor<4x8xi8>)
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[SCALE:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[F:.*]] = arith.sitofp %[[DOT]] : i32 to f32
// CHECK: %[[Y:.*]] = arith.mulf %[[F]], %[[SCALE]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[Y]] : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[R]] : f32 to i8
// CHECK: linalg.yield %[[I]] : i8
// CHECK-NOT: linalg.generic
// CHECK: return %[[Q]]
func.func @scale_then_quantize(%x: tensor<4x2xi32>, %w: tensor<8x2xi32>, %m: tensor<8xf32>) -> tensor<4x8xi8> {
  %k = arith.constant 64 : i32
  %e = tensor.empty() : tensor<4x8xi32>
  %init = linalg.fill ins(%k : i32) outs(%e : tensor<4x8xi32>) -> tensor<4x8xi32>
  %d = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x2xi32>, tensor<8x2xi32>) outs(%init : tensor<4x8xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %c1 = arith.constant 1 : i32
    %2 = arith.shli %1, %c1 : i32
    %3 = arith.subi %out, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<4x8xi32>
  %fe = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%d, %m : tensor<4x8xi32>, tensor<8xf32>) outs(%fe : tensor<4x8xf32>) {
  ^bb0(%v: i32, %s: f32, %o: f32):
    %f = arith.sitofp %v : i32 to f32
    %r = arith.mulf %f, %s : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %qe = tensor.empty() : tensor<4x8xi8>
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<4x8xf32>) outs(%qe : tensor<4x8xi8>) {
  ^bb0(%v: f32, %o: i8):
    %r = math.roundeven %v : f32
    %i = arith.fptosi %r : f32 to i8
    linalg.yield %i : i8
  } -> tensor<4x8xi8>
  return %q : tensor<4x8xi8>
}

// -----

// An epilogue whose result is also returned is not fused with its
// consumer (the consumer would recompute it).
#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
// CHECK-LABEL: func.func @negative_epilogue_read_twice
// CHECK-COUNT-3: linalg.generic
func.func @negative_epilogue_read_twice(%x: tensor<4x2xi32>, %w: tensor<8x2xi32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %k = arith.constant 64 : i32
  %e = tensor.empty() : tensor<4x8xi32>
  %init = linalg.fill ins(%k : i32) outs(%e : tensor<4x8xi32>) -> tensor<4x8xi32>
  %d = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x2xi32>, tensor<8x2xi32>) outs(%init : tensor<4x8xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %c1 = arith.constant 1 : i32
    %2 = arith.shli %1, %c1 : i32
    %3 = arith.subi %out, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<4x8xi32>
  %fe = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%d : tensor<4x8xi32>) outs(%fe : tensor<4x8xf32>) {
  ^bb0(%v: i32, %o: f32):
    %f = arith.sitofp %v : i32 to f32
    linalg.yield %f : f32
  } -> tensor<4x8xf32>
  %ze = tensor.empty() : tensor<4x8xf32>
  %z = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<4x8xf32>) outs(%ze : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.roundeven %v : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y, %z : tensor<4x8xf32>, tensor<4x8xf32>
}
