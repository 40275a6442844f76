// RUN: quant-opt %s --qnn-cpu-polynomial-exp | FileCheck %s

// f32 exponentials become arithmetic (no libm call left to block
// vectorization); other math functions and f64 are left alone.
// CHECK-LABEL: func.func @softmax_exp
// CHECK-NOT: math.exp {{.*}} : f32
// CHECK: arith.mulf
// CHECK: math.log %{{.*}} : f32
// CHECK: math.exp %{{.*}} : f64
func.func @softmax_exp(%x: f32, %d: f64) -> (f32, f32, f64) {
  %e = math.exp %x : f32
  %l = math.log %x : f32
  %e64 = math.exp %d : f64
  return %e, %l, %e64 : f32, f32, f64
}
