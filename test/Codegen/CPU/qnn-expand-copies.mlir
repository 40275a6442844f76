// RUN: quant-opt %s --split-input-file --qnn-expand-copies | FileCheck %s

// Contiguous rows: one memcpy-able copy per row.
// CHECK-LABEL: func.func @into_view
// CHECK: %[[VIEW:.*]] = memref.subview
// CHECK: scf.for %[[I:.*]] = %c0 to %c2 step %c1 {
// CHECK:   %[[SRC:.*]] = memref.subview %{{.*}}[%[[I]], 0] [1, 3] [1, 1] : memref<2x3xf32> to memref<3xf32, strided<[1], offset: ?>>
// CHECK:   %[[DST:.*]] = memref.subview %[[VIEW]][%[[I]], 0] [1, 3] [1, 1] : memref<2x3xf32, strided<[5, 1], offset: 6>> to memref<3xf32, strided<[1], offset: ?>>
// CHECK:   memref.copy %[[SRC]], %[[DST]]
// CHECK-NOT: linalg.copy
func.func @into_view(%src: memref<2x3xf32>, %dst: memref<4x5xf32>) {
  %view = memref.subview %dst[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  return
}

// -----

// Strided rows: element by element.
// CHECK-LABEL: func.func @strided_rows
// CHECK: linalg.copy ins(%{{.*}} : memref<2x3xf32, strided<[10, 2]>>) outs(%{{.*}} : memref<2x3xf32>)
// CHECK-NOT: memref.copy
func.func @strided_rows(%src: memref<2x3xf32, strided<[10, 2]>>, %dst: memref<2x3xf32>) {
  memref.copy %src, %dst : memref<2x3xf32, strided<[10, 2]>> to memref<2x3xf32>
  return
}

// -----

// Contiguous copies stay (they lower to memcpy).
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<2x3xf32> to memref<2x3xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<2x3xf32>, %dst: memref<2x3xf32>) {
  memref.copy %src, %dst : memref<2x3xf32> to memref<2x3xf32>
  return
}
