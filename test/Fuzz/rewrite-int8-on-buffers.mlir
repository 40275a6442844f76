// RUN: quant-opt %s --qnn-rewrite-int8 --verify-diagnostics | FileCheck %s
// RUN: quant-opt %s --qnn-quantize --verify-diagnostics | FileCheck %s

// Found by quant-fuzz: a float contraction on buffers (no results) made
// the int8 rewrite's "stays in float" remark read its result out of
// bounds. On buffers a contraction is past the quantize stage: it is left
// as it is, without a remark.
// CHECK-LABEL: func.func @matmul_on_buffers
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x8xf32>, memref<8x4xf32>) outs(%{{.*}} : memref<4x4xf32>)
func.func @matmul_on_buffers(%q: memref<4x8xf32>, %k: memref<8x4xf32>, %acc: memref<4x4xf32>) {
  linalg.matmul ins(%q, %k : memref<4x8xf32>, memref<8x4xf32>) outs(%acc : memref<4x4xf32>)
  return
}

// CHECK-LABEL: func.func @generic_on_buffers
// CHECK: linalg.generic
func.func @generic_on_buffers(%x: memref<2x8xf32>, %w: memref<8x16xf32>, %acc: memref<2x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x8xf32>, memref<8x16xf32>) outs(%acc : memref<2x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
