// RUN: quant-opt %s --qnn-cpu-outline-loop-nests="min-loop-nests=1" -split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-cpu-outline-loop-nests -split-input-file | FileCheck %s --check-prefix=SMALL

// Two loop nests in a function with more than min-loop-nests of them: each
// becomes a private, never-inlined function; the constants and globals
// they read are cloned in, the buffers become arguments. A buffer that
// aliases no other argument has its aligned pointer (position 1 of the
// descriptor) listed for llvm.noalias; two arguments of the caller, which
// its own caller may alias, are not.

memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

// CHECK-LABEL: func.func private @__qnn_loops_two_nests(
// CHECK-SAME: %[[A:[a-z0-9]+]]: memref<4xf32>
// CHECK-SAME: attributes {passthrough = ["noinline"], qnn_cpu.noalias_pointers = array<i64: 1>}
// CHECK-DAG: %[[T:.*]] = memref.get_global @table : memref<4xf32>
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
// CHECK-NEXT: call @__qnn_loops_two_nests(%[[X]]) : (memref<4xf32>) -> ()
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
// loop: it stays in the caller.
// CHECK-LABEL: func.func private @__qnn_loops_dealloc_stays(
// CHECK: scf.for
// CHECK-LABEL: func.func @dealloc_stays
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: call @__qnn_loops_dealloc_stays(%[[A]])
// CHECK: call @__qnn_loops_dealloc_stays_0(%[[A]])
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
// two views of one allocation are not.
// CHECK-LABEL: func.func private @__qnn_loops_views(
// CHECK-SAME: qnn_cpu.noalias_pointers = array<i64: 1, 8>
// CHECK-LABEL: func.func private @__qnn_loops_views_0(
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

// A constant global is cloned into the nest that reads it, which leaves
// the argument as the nest's only buffer. A writable global stays an
// argument, and it may be what the caller's caller passed as %x, so
// neither of the two is listed.
memref.global "private" constant @weights : memref<4xf32> = dense<1.0>
memref.global "private" @state : memref<4xf32> = dense<0.0>

// CHECK-LABEL: func.func private @__qnn_loops_globals(
// CHECK-SAME: %{{.*}}: memref<4xf32>) attributes {passthrough = ["noinline"], qnn_cpu.noalias_pointers = array<i64: 1>}
// CHECK: memref.get_global @weights
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
