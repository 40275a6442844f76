// RUN: quant-opt %s --qnn-cpu-plan-buffers -split-input-file | FileCheck %s

func.func private @produce(memref<1024xi8>)
func.func private @consume(memref<1024xi8>, memref<256xf32>)
func.func private @finish(memref<256xf32>, memref<1000xi8>)

// %a lives until %b is read, %c after %a is dead: %c takes %a's place.
// Largest first (ties in program order): %a at 0, %b at 1024, %c at 0;
// the accumulator nothing reads disappears, the returned buffer stays.
// CHECK-LABEL: func.func @three_buffers
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2048xi8>
// CHECK: %[[OA:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[OA]]][] : memref<2048xi8> to memref<1024xi8>
// CHECK: call @produce(%[[A]])
// CHECK-NOT: memref.alloc() : memref<64x64xi32>
// CHECK: %[[OB:.*]] = arith.constant 1024 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[OB]]][] : memref<2048xi8> to memref<256xf32>
// CHECK: call @consume(%[[A]], %[[B]])
// CHECK: scf.if
// CHECK-NEXT: }
// CHECK: %[[OC:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[OC]]][] : memref<2048xi8> to memref<1000xi8>
// CHECK: call @finish(%[[B]], %[[C]])
// CHECK: %[[R:.*]] = memref.alloc() : memref<1024xi8>
// CHECK: call @produce(%[[R]])
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK-NOT: memref.dealloc %[[B]]
// CHECK: memref.dealloc %[[ARENA]] : memref<2048xi8>
// CHECK-NEXT: return %[[R]]
func.func @three_buffers() -> memref<1024xi8> {
  %a = memref.alloc() : memref<1024xi8>
  call @produce(%a) : (memref<1024xi8>) -> ()
  %acc = memref.alloc() : memref<64x64xi32>
  %b = memref.alloc() : memref<256xf32>
  call @consume(%a, %b) : (memref<1024xi8>, memref<256xf32>) -> ()
  memref.dealloc %acc : memref<64x64xi32>
  %true = arith.constant true
  scf.if %true {
    memref.dealloc %a : memref<1024xi8>
  }
  %c = memref.alloc() : memref<1000xi8>
  call @finish(%b, %c) : (memref<256xf32>, memref<1000xi8>) -> ()
  memref.dealloc %b : memref<256xf32>
  memref.dealloc %c : memref<1000xi8>
  %r = memref.alloc() : memref<1024xi8>
  call @produce(%r) : (memref<1024xi8>) -> ()
  return %r : memref<1024xi8>
}

// -----

func.func private @use(memref<8x8xi8, strided<[8, 1], offset: 9>>)
func.func private @read(memref<10x10xi8>)
func.func private @fill(memref<100xi8>)

// A buffer read through a subview lives until the subview's last use: the
// second buffer cannot share its bytes and goes to the next multiple of
// 64.
// CHECK-LABEL: func.func @view_extends_lifetime
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<228xi8>
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<228xi8> to memref<10x10xi8>
// CHECK: memref.subview %[[A]]
// CHECK: %[[OB:.*]] = arith.constant 128 : index
// CHECK: memref.view %[[ARENA]][%[[OB]]][] : memref<228xi8> to memref<100xi8>
func.func @view_extends_lifetime() {
  %a = memref.alloc() : memref<10x10xi8>
  %v = memref.subview %a[1, 1] [8, 8] [1, 1] : memref<10x10xi8> to memref<8x8xi8, strided<[10, 1], offset: 11>>
  %b = memref.alloc() : memref<100xi8>
  call @fill(%b) : (memref<100xi8>) -> ()
  call @read(%a) : (memref<10x10xi8>) -> ()
  memref.dealloc %a : memref<10x10xi8>
  memref.dealloc %b : memref<100xi8>
  return
}

// -----

func.func private @fill(memref<?xi8>)
func.func private @fill_static(memref<16xi8>)

// Dynamic shapes and buffers that leave through a region's yield are left
// alone; with fewer than two buffers to place there is no arena.
// CHECK-LABEL: func.func @negative_dynamic_and_yielded
// CHECK-NOT: memref.view
// CHECK: %[[D:.*]] = memref.alloc(%{{.*}}) : memref<?xi8>
// CHECK: memref.dealloc %[[D]]
// CHECK: memref.alloc() : memref<16xi8>
// CHECK: scf.yield
func.func @negative_dynamic_and_yielded(%n: index, %c: i1) -> memref<16xi8> {
  %d = memref.alloc(%n) : memref<?xi8>
  call @fill(%d) : (memref<?xi8>) -> ()
  memref.dealloc %d : memref<?xi8>
  %s = memref.alloc() : memref<16xi8>
  call @fill_static(%s) : (memref<16xi8>) -> ()
  %r = scf.if %c -> memref<16xi8> {
    scf.yield %s : memref<16xi8>
  } else {
    %t = memref.alloc() : memref<16xi8>
    scf.yield %t : memref<16xi8>
  }
  return %r : memref<16xi8>
}

// -----

func.func private @fill(memref<4x8xf32>)
func.func private @read(memref<8x4xf32, strided<[1, 8]>>)
func.func private @other(memref<32xf32>)

// memref.transpose is no view-like op, but its result aliases the buffer:
// %a lives until the transpose is read, so %b cannot take its bytes.
// CHECK-LABEL: func.func @transpose_extends_lifetime
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
// CHECK-DAG: arith.constant 0 : index
// CHECK-DAG: arith.constant 128 : index
func.func @transpose_extends_lifetime() {
  %a = memref.alloc() : memref<4x8xf32>
  call @fill(%a) : (memref<4x8xf32>) -> ()
  %t = memref.transpose %a (i, j) -> (j, i) : memref<4x8xf32> to memref<8x4xf32, strided<[1, 8]>>
  %b = memref.alloc() : memref<32xf32>
  call @other(%b) : (memref<32xf32>) -> ()
  call @read(%t) : (memref<8x4xf32, strided<[1, 8]>>) -> ()
  memref.dealloc %a : memref<4x8xf32>
  memref.dealloc %b : memref<32xf32>
  return
}

// -----

func.func private @use(memref<100xi8>, memref<16xf32>)

// A buffer that asks for 128-byte alignment gets it: the arena is aligned
// as its most demanding buffer, and offsets are multiples of it.
// CHECK-LABEL: func.func @alignment
// CHECK: memref.alloc() {alignment = 128 : i64} : memref<192xi8>
// CHECK-DAG: arith.constant 0 : index
// CHECK-DAG: arith.constant 128 : index
func.func @alignment() {
  %a = memref.alloc() {alignment = 128 : i64} : memref<16xf32>
  %b = memref.alloc() : memref<100xi8>
  call @use(%b, %a) : (memref<100xi8>, memref<16xf32>) -> ()
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<100xi8>
  return
}
