// RUN: quant-opt %s --qnn-free-known-buffers -split-input-file | FileCheck %s

// Ownership-based deallocation's dealloc at a function's end: the
// allocations no retained value comes from are freed once each (the view
// and the base of one allocation included), the argument with a false
// condition is dropped, and the returned allocation stays for upstream's
// simplification.
// CHECK-LABEL: func.func @known_allocations
// CHECK-SAME: (%[[ARG:.*]]: memref<4xf32>)
// CHECK: %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[R:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[RBASE:.*]], %{{.*}}, %{{.*}}, %{{.*}} = memref.extract_strided_metadata %[[R]]
// CHECK: memref.dealloc %[[A]] : memref<4xf32>
// CHECK-NEXT: memref.dealloc %[[B]] : memref<8xf32>
// CHECK-NEXT: %[[OWN:.*]] = bufferization.dealloc (%[[RBASE]] : memref<f32>) if (%{{.*}}) retain (%[[R]] : memref<4xf32>)
// CHECK-NEXT: return %[[R]], %[[OWN]]
func.func @known_allocations(%arg: memref<4xf32>) -> (memref<4xf32>, i1) {
  %true = arith.constant true
  %false = arith.constant false
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<8xf32>
  %view = memref.subview %b[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  %r = memref.alloc() : memref<4xf32>
  %abase, %o0, %s0, %t0 = memref.extract_strided_metadata %a : memref<4xf32> -> memref<f32>, index, index, index
  %bbase, %o1, %s1, %t1 = memref.extract_strided_metadata %b : memref<8xf32> -> memref<f32>, index, index, index
  %vbase, %o2, %s2, %t2 = memref.extract_strided_metadata %view : memref<4xf32, strided<[1], offset: 2>> -> memref<f32>, index, index, index
  %rbase, %o3, %s3, %t3 = memref.extract_strided_metadata %r : memref<4xf32> -> memref<f32>, index, index, index
  %argbase, %o4, %s4, %t4 = memref.extract_strided_metadata %arg : memref<4xf32> -> memref<f32>, index, index, index
  %own = bufferization.dealloc (%argbase, %abase, %bbase, %vbase, %rbase : memref<f32>, memref<f32>, memref<f32>, memref<f32>, memref<f32>) if (%false, %true, %true, %true, %true) retain (%r : memref<4xf32>)
  return %r, %own : memref<4xf32>, i1
}

// -----

// Every entry settled: the dealloc goes, and no retained value is owned
// here. An allocation whose entries are all false is not freed.
// CHECK-LABEL: func.func @all_settled
// CHECK-SAME: (%[[ARG:.*]]: memref<4xf32>)
// CHECK: %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK: %[[N:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc %[[A]] : memref<4xf32>
// CHECK-NOT: memref.dealloc %[[N]]
// CHECK-NOT: bufferization.dealloc
// CHECK: %[[NO:.*]] = arith.constant false
// CHECK: return %[[ARG]], %[[NO]]
func.func @all_settled(%arg: memref<4xf32>) -> (memref<4xf32>, i1) {
  %true = arith.constant true
  %false = arith.constant false
  %a = memref.alloc() : memref<4xf32>
  %n = memref.alloc() : memref<4xf32>
  %own = bufferization.dealloc (%a, %n : memref<4xf32>, memref<4xf32>) if (%true, %false) retain (%arg : memref<4xf32>)
  return %arg, %own : memref<4xf32>, i1
}

// -----

// A retained value from a call may alias any buffer: nothing is settled.
// CHECK-LABEL: func.func @negative_unknown_retained
// CHECK-NOT: memref.dealloc
// CHECK: bufferization.dealloc (%{{.*}} : memref<4xf32>) if (%{{.*}}) retain (%{{.*}} : memref<4xf32>)
func.func private @produce(memref<4xf32>) -> memref<4xf32>
func.func @negative_unknown_retained() -> (memref<4xf32>, i1) {
  %true = arith.constant true
  %a = memref.alloc() : memref<4xf32>
  %r = call @produce(%a) : (memref<4xf32>) -> memref<4xf32>
  %own = bufferization.dealloc (%a : memref<4xf32>) if (%true) retain (%r : memref<4xf32>)
  return %r, %own : memref<4xf32>, i1
}

// -----

// An allocation with an entry under a run-time condition stays whole in
// the dealloc (freeing it here too would free it twice); an entry from a
// select may alias anything.
// CHECK-LABEL: func.func @negative_runtime_condition
// CHECK-SAME: (%[[C:.*]]: i1)
// CHECK: %[[A:.*]] = memref.alloc()
// CHECK: %[[B:.*]] = memref.alloc()
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK: memref.dealloc %[[B]]
// CHECK: bufferization.dealloc (%[[A]], %[[A]] : memref<4xf32>, memref<4xf32>) if (%[[C]], %{{.*}})
// CHECK-LABEL: func.func @negative_select
// CHECK-NOT: memref.dealloc
// CHECK: bufferization.dealloc (%{{.*}}, %{{.*}} : memref<4xf32>, memref<4xf32>) if
func.func @negative_runtime_condition(%c: i1) {
  %true = arith.constant true
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  bufferization.dealloc (%a, %a, %b : memref<4xf32>, memref<4xf32>, memref<4xf32>) if (%c, %true, %true)
  return
}
func.func @negative_select(%c: i1) {
  %true = arith.constant true
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %s = arith.select %c, %a, %b : memref<4xf32>
  bufferization.dealloc (%s, %a : memref<4xf32>, memref<4xf32>) if (%true, %true)
  return
}
