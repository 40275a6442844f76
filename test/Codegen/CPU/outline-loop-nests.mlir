// RUN: quant-opt %s --qnn-cpu-outline-loop-nests="min-loop-nests=1" -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-cpu-outline-loop-nests -split-input-file | FileCheck %s --check-prefix=SMALL

// Two loop nests in a function with more than min-loop-nests of them: each
// becomes a private, never-inlined function; the index constants they read
// (loop bounds) are cloned in, the buffers (constant globals included)
// become arguments. A buffer that aliases no other argument has its
// aligned pointer (position 1 of a descriptor) listed for llvm.noalias; two
// arguments of the caller, which its own caller may alias, are not.

memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

// CHECK-LABEL: func.func private @__qnn_loops_two_nests(
// CHECK-SAME: %[[T:[a-z0-9]+]]: memref<4xf32>, %[[A:[a-z0-9]+]]: memref<4xf32>
// CHECK-SAME: attributes {passthrough = ["noinline"], qnn_cpu.noalias_pointers = array<i64: 1, 6>}
// CHECK-DAG: %[[UB:.*]] = arith.constant 4 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[UB]]
// CHECK: memref.load %[[T]]
// CHECK: memref.store {{.*}}, %[[A]]
// CHECK: return

// CHECK-LABEL: func.func private @__qnn_loops_two_nests_0(
// CHECK-SAME: %[[IN:[a-z0-9]+]]: memref<4xf32>, %[[OUT:[a-z0-9]+]]: memref<4xf32>
// CHECK-SAME: attributes {passthrough = ["noinline"]} {
// CHECK: linalg.generic {{.*}} ins(%[[IN]] : memref<4xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK: return

// CHECK-LABEL: func.func @two_nests(
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<4xf32>, %[[Y:[a-z0-9]+]]: memref<4xf32>
// CHECK-NEXT: %[[TABLE:.*]] = memref.get_global @table : memref<4xf32>
// CHECK-NEXT: call @__qnn_loops_two_nests(%[[TABLE]], %[[X]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: call @__qnn_loops_two_nests_0(%[[X]], %[[Y]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: return

// SMALL-LABEL: func.func @two_nests(
// SMALL-NOT: call
// SMALL: scf.for
// SMALL: linalg.generic
func.func @two_nests(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.get_global @table : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %t[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A loop with results (not bufferized) stays where it is; a function with
// one nest is left alone at the threshold of one.
// CHECK-LABEL: func.func @negative_loop_with_result
// CHECK-NOT: call
// CHECK: scf.for
// CHECK: scf.for
func.func @negative_loop_with_result(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %v = memref.load %x[%i] : memref<4xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %sum, %x[%i] : memref<4xf32>
  }
  return %sum : f32
}

// -----

// A conditional deallocation (what --lower-deallocations leaves) holds no
// loop: it stays in the caller. The two nests are the same: they share one
// function, which takes the float constant they store as an argument.
// CHECK-LABEL: func.func private @__qnn_loops_dealloc_stays(
// CHECK-SAME: %{{.*}}: f32, %{{.*}}: memref<4xf32>
// CHECK: scf.for
// CHECK-NOT: func.func private
// CHECK-LABEL: func.func @dealloc_stays
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: call @__qnn_loops_dealloc_stays(%[[ZERO]], %[[A]])
// CHECK: call @__qnn_loops_dealloc_stays(%[[ZERO]], %[[A]])
// CHECK: scf.if %{{.*}} {
// CHECK-NEXT: memref.dealloc %[[A]]
func.func @dealloc_stays(%c: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %a[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %a[%i] : memref<4xf32>
  }
  scf.if %c {
    memref.dealloc %a : memref<4xf32>
  }
  return
}

// -----

// Two allocations are distinct (descriptors of rank 2: 7 positions each);
// two views of one allocation are not. Strided views are passed with a
// dynamic offset.
// CHECK-LABEL: func.func private @__qnn_loops_views(
// CHECK-SAME: qnn_cpu.noalias_pointers = array<i64: 1, 8>
// CHECK-LABEL: func.func private @__qnn_loops_views_0(
// CHECK-SAME: memref<2x4xf32, strided<[4, 1], offset: ?>>, %{{.*}}: memref<2x4xf32, strided<[4, 1], offset: ?>>, %{{.*}}: index)
// CHECK-SAME: attributes {passthrough = ["noinline"]} {
func.func @views(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4x4xf32>
  %b = memref.alloc() : memref<4x4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %a[%i, %i] : memref<4x4xf32>
    memref.store %v, %b[%i, %i] : memref<4x4xf32>
  }
  %top = memref.subview %a[0, 0] [2, 4] [1, 1] : memref<4x4xf32> to memref<2x4xf32, strided<[4, 1]>>
  %bottom = memref.subview %a[2, 0] [2, 4] [1, 1] : memref<4x4xf32> to memref<2x4xf32, strided<[4, 1], offset: 8>>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %top[%c0, %i] : memref<2x4xf32, strided<[4, 1]>>
    memref.store %v, %bottom[%c0, %i] : memref<2x4xf32, strided<[4, 1], offset: 8>>
  }
  memref.dealloc %a : memref<4x4xf32>
  memref.dealloc %b : memref<4x4xf32>
  return
}

// -----

// A constant global is distinct from every other buffer: it and the one
// argument are listed. A writable global may be what the caller's caller
// passed as %x, so neither of the two is listed.
memref.global "private" constant @weights : memref<4xf32> = dense<1.0>
memref.global "private" @state : memref<4xf32> = dense<0.0>

// CHECK-LABEL: func.func private @__qnn_loops_globals(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) attributes {passthrough = ["noinline"], qnn_cpu.noalias_pointers = array<i64: 1, 6>}
// CHECK-LABEL: func.func private @__qnn_loops_globals_0(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) attributes {passthrough = ["noinline"]} {
func.func @globals(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @weights : memref<4xf32>
  %s = memref.get_global @state : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %w[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %s[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  return
}

// -----

// A buffer a call returned may be any buffer, the allocation beside it
// included: no pointer of the nest is listed.
func.func private @pick(memref<4xf32>) -> memref<4xf32>

// CHECK-LABEL: func.func private @__qnn_loops_call_result(
// CHECK-SAME: attributes {passthrough = ["noinline"]} {
func.func @call_result() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %r = call @pick(%a) : (memref<4xf32>) -> memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %r[%i] : memref<4xf32>
    memref.store %v, %a[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %a[%i] : memref<4xf32>
    memref.store %v, %a[%i] : memref<4xf32>
  }
  memref.dealloc %a : memref<4xf32>
  return
}

// -----

// Layers with the same shapes share their nests' function: the weights,
// the scale and the views at different offsets of one buffer (the groups
// of a grouped convolution) are arguments. A nest that differs (its bound)
// keeps a function of its own.
memref.global "private" constant @w0 : memref<4xf32> = dense<1.0>
memref.global "private" constant @w1 : memref<4xf32> = dense<2.0>

// CHECK-LABEL: func.func private @__qnn_loops_shared(
// CHECK-SAME: %[[W:[a-z0-9]+]]: memref<4xf32>, %[[S:[a-z0-9]+]]: f32, %[[O:[a-z0-9]+]]: memref<4xf32, strided<[1], offset: ?>>)
// CHECK: memref.load %[[W]]
// CHECK: arith.mulf %{{.*}}, %[[S]] : f32
// CHECK: memref.store %{{.*}}, %[[O]]
// CHECK-LABEL: func.func private @__qnn_loops_shared_1(
// CHECK-NOT: func.func private
// CHECK-LABEL: func.func @shared(
// CHECK-DAG: %[[S0:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[S1:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-DAG: %[[W0:.*]] = memref.get_global @w0
// CHECK-DAG: %[[W1:.*]] = memref.get_global @w1
// CHECK: %[[V0:.*]] = memref.cast %{{.*}} : memref<4xf32, strided<[1]>> to memref<4xf32, strided<[1], offset: ?>>
// CHECK: call @__qnn_loops_shared(%[[W0]], %[[S0]], %[[V0]])
// CHECK: %[[V1:.*]] = memref.cast %{{.*}} : memref<4xf32, strided<[1], offset: 4>> to memref<4xf32, strided<[1], offset: ?>>
// CHECK: call @__qnn_loops_shared(%[[W1]], %[[S1]], %[[V1]])
// CHECK: call @__qnn_loops_shared_1(
func.func @shared(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %s0 = arith.constant 0.5 : f32
  %s1 = arith.constant 0.25 : f32
  %w0 = memref.get_global @w0 : memref<4xf32>
  %w1 = memref.get_global @w1 : memref<4xf32>
  %o0 = memref.subview %out[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %o1 = memref.subview %out[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %w0[%i] : memref<4xf32>
    %m = arith.mulf %v, %s0 : f32
    memref.store %m, %o0[%i] : memref<4xf32, strided<[1]>>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %w1[%i] : memref<4xf32>
    %m = arith.mulf %v, %s1 : f32
    memref.store %m, %o1[%i] : memref<4xf32, strided<[1], offset: 4>>
  }
  scf.for %i = %c0 to %c2 step %c1 {
    %v = memref.load %w1[%i] : memref<4xf32>
    %m = arith.mulf %v, %s1 : f32
    memref.store %m, %o1[%i] : memref<4xf32, strided<[1], offset: 4>>
  }
  return
}
