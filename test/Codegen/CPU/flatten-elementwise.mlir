// RUN: quant-opt %s --qnn-cpu-flatten-elementwise -split-input-file | FileCheck %s

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d3)>

// A quantization of a whole activation becomes one loop of 16384.
// CHECK-LABEL: func.func @quantize_whole
// CHECK-SAME: (%[[X:.*]]: memref<1x32x32x16xf32>, %[[Y:.*]]: memref<1x32x32x16xi8>)
// CHECK-DAG: %[[XF:.*]] = memref.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]] : memref<1x32x32x16xf32> into memref<16384xf32>
// CHECK-DAG: %[[YF:.*]] = memref.collapse_shape %[[Y]] {{\[}}[0, 1, 2, 3]] : memref<1x32x32x16xi8> into memref<16384xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[XF]] : memref<16384xf32>) outs(%[[YF]] : memref<16384xi8>)
// CHECK: arith.fptosi
func.func @quantize_whole(%x: memref<1x32x32x16xf32>, %y: memref<1x32x32x16xi8>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<1x32x32x16xf32>) outs(%y : memref<1x32x32x16xi8>) {
  ^bb0(%a: f32, %b: i8):
    %c = arith.fptosi %a : f32 to i8
    linalg.yield %c : i8
  }
  return
}

// A per-channel operand keeps the channel loop; the others become one.
// CHECK-LABEL: func.func @per_channel
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<1x8x8x64xf32> into memref<64x64xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : memref<64x64xf32>, memref<64xf32>)
func.func @per_channel(%x: memref<1x8x8x64xf32>, %s: memref<64xf32>, %y: memref<1x8x8x64xf32>) {
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %s : memref<1x8x8x64xf32>, memref<64xf32>) outs(%y : memref<1x8x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#unit = affine_map<(d0, d1, d2) -> (d0, d1, 0)>

// A strided view, a broadcast of a unit dimension, a reduction and an
// index read are left alone.
// CHECK-LABEL: func.func @negative_cases
// CHECK-NOT: memref.collapse_shape
func.func @negative_cases(%x: memref<2x6x6xf32>, %u: memref<2x6x1xf32>, %v: memref<2x6x6xf32, strided<[72, 12, 1]>>, %r: memref<2x6xf32>) {
  linalg.generic {indexing_maps = [#id, #unit, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %u : memref<2x6x6xf32>, memref<2x6x1xf32>) outs(%x : memref<2x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v : memref<2x6x6xf32, strided<[72, 12, 1]>>) outs(%x : memref<2x6x6xf32>) {
  ^bb0(%a: f32, %c: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<2x6x6xf32>) outs(%r : memref<2x6xf32>) {
  ^bb0(%a: f32, %c: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel"]} outs(%x : memref<2x6x6xf32>) {
  ^bb0(%c: f32):
    %i = linalg.index 2 : index
    %n = arith.index_cast %i : index to i32
    %f = arith.sitofp %n : i32 to f32
    linalg.yield %f : f32
  }
  return
}
