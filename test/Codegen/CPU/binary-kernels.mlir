// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-64-v3 --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64-dotprod --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=SDOT
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64 --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=NEON
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=generic --qnn-cpu-lower-contractions | FileCheck %s --check-prefix=GENERIC
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions --verify-diagnostics -o /dev/null

// The binary contraction qnn.binary_matmul lowers to (k - 2 * popcount of
// the xor, per 32-bit word) on the binary kernel family: packed weights in
// [N/cols][words][cols] order, k as the correction a tile starts from, the
// row's word broadcast and xored with a vector of channels, and the
// per-channel epilogue applied before the store.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#ch = affine_map<(m, n) -> (n)>
memref.global "private" constant @w : memref<20x3xi32> = dense<[[1, -1, 7], [0, 0, 0], [5, 6, 7], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [2, 2, 2]]>
memref.global "private" constant @m : memref<20xf32> = dense<0.5>

// VNNI-DAG: memref.global "private" constant @[[$CORR:__qnn_corrections[_0-9]*]] : memref<32xi32> = dense<[90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-DAG: memref.global "private" constant @[[$PACKED:__qnn_packed_weights[_0-9]*]] : memref<96xi32> = dense<[1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-LABEL: func.func @binary
// VNNI-SAME: (%[[X:.*]]: memref<5x3xi32>, %[[Y:.*]]: memref<5x20xf32>)
// VNNI-NOT: linalg.fill
// VNNI-DAG: %[[W:.*]] = memref.get_global @[[$PACKED]] : memref<96xi32>
// VNNI-DAG: %[[C:.*]] = memref.get_global @[[$CORR]] : memref<32xi32>
// VNNI: %[[START:.*]] = vector.load %[[C]][%{{.*}}] : memref<32xi32>, vector<16xi32>
// VNNI: scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[START]]
// VNNI: %[[WV:.*]] = vector.load %[[W]][%{{.*}}] : memref<96xi32>, vector<16xi32>
// VNNI: %[[XV:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<5x3xi32>, vector<1xi32>
// VNNI: %[[XW:.*]] = vector.extract %{{.*}}[0] : i32 from vector<1xi32>
// VNNI: %[[XB:.*]] = vector.broadcast %[[XW]] : i32 to vector<16xi32>
// VNNI: %[[DIFF:.*]] = arith.xori %{{.*}}, %[[WV]] : vector<16xi32>
// VNNI: %[[BYTES:.*]] = vector.bitcast %[[DIFF]] : vector<16xi32> to vector<64xi8>
// VNNI: %[[COUNT:.*]] = math.ctpop %[[BYTES]] : vector<64xi8>
// VNNI: %[[M2:.*]] = arith.constant dense<-2> : vector<64xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[COUNT]], %[[M2]])
// VNNI: %[[F:.*]] = arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// VNNI: %[[S:.*]] = arith.mulf %[[F]], %{{.*}} : vector<16xf32>
// VNNI: vector.store %[[S]]
// VNNI-NOT: linalg.generic

// AVX2-LABEL: func.func @binary
// AVX2: %[[DIFF:.*]] = arith.xori %{{.*}} : vector<8xi32>
// AVX2: %[[COUNT:.*]] = math.ctpop %[[DIFF]] : vector<8xi32>
// AVX2: %[[TWICE:.*]] = arith.shli %[[COUNT]], %{{.*}} : vector<8xi32>
// AVX2: arith.subi %{{.*}}, %[[TWICE]] : vector<8xi32>
// AVX2-NOT: linalg.generic

// SDOT-LABEL: func.func @binary
// SDOT: %[[DIFF:.*]] = arith.xori %{{.*}} : vector<4xi32>
// SDOT: %[[BYTES:.*]] = vector.bitcast %[[DIFF]] : vector<4xi32> to vector<16xi8>
// SDOT: %[[COUNT:.*]] = math.ctpop %[[BYTES]] : vector<16xi8>
// SDOT: arm_neon.intr.sdot %{{.*}}, %[[COUNT]], %{{.*}} : vector<16xi8>, vector<16xi8> to vector<4xi32>
// SDOT-NOT: linalg.generic

// NEON-LABEL: func.func @binary
// NEON: %[[COUNT:.*]] = math.ctpop %{{.*}} : vector<4xi32>
// NEON: arith.shli %[[COUNT]], %{{.*}} : vector<4xi32>
// NEON-NOT: linalg.generic

// Portable loops on the generic target.
// GENERIC-LABEL: func.func @binary
// GENERIC: linalg.fill
// GENERIC: linalg.generic
// GENERIC: math.ctpop %{{.*}} : i32
func.func @binary(%x: memref<5x3xi32>, %y: memref<5x20xf32>) {
  %w = memref.get_global @w : memref<20x3xi32>
  %m = memref.get_global @m : memref<20xf32>
  %k = arith.constant 90 : i32
  %acc = memref.alloc() : memref<5x20xi32>
  linalg.fill ins(%k : i32) outs(%acc : memref<5x20xi32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<5x3xi32>, memref<20x3xi32>) outs(%acc : memref<5x20xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %c1 = arith.constant 1 : i32
    %2 = arith.shli %1, %c1 : i32
    %3 = arith.subi %out, %2 : i32
    linalg.yield %3 : i32
  }
  %out = memref.alloc() : memref<5x20xf32>
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %m : memref<5x20xi32>, memref<20xf32>) outs(%out : memref<5x20xf32>) {
  ^bb0(%d: i32, %s: f32, %o: f32):
    %f = arith.sitofp %d : i32 to f32
    %r = arith.mulf %f, %s : f32
    linalg.yield %r : f32
  }
  memref.copy %out, %y : memref<5x20xf32> to memref<5x20xf32>
  return
}

// -----

// Words of 64 bits run on the portable loops, and say so.
#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
memref.global "private" constant @w64 : memref<4x2xi64> = dense<1>
// VNNI-LABEL: func.func @negative_words_i64
// AVX2-LABEL: func.func @negative_words_i64
// SDOT-LABEL: func.func @negative_words_i64
// NEON-LABEL: func.func @negative_words_i64
// VNNI: linalg.generic
func.func @negative_words_i64(%x: memref<5x2xi64>, %acc: memref<5x4xi32>) {
  %w = memref.get_global @w64 : memref<4x2xi64>
  // expected-remark @+1 {{left to portable loops: the binary kernels take words of 32 bits}}
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<5x2xi64>, memref<4x2xi64>) outs(%acc : memref<5x4xi32>) {
  ^bb0(%in: i64, %in_0: i64, %out: i32):
    %0 = arith.xori %in, %in_0 : i64
    %1 = math.ctpop %0 : i64
    %2 = arith.trunci %1 : i64 to i32
    %c2 = arith.constant 2 : i32
    %3 = arith.muli %2, %c2 : i32
    %4 = arith.subi %out, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// -----

// Weights known only at run time are not packed.
#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
// VNNI-LABEL: func.func @negative_runtime_weights
// VNNI: linalg.generic
func.func @negative_runtime_weights(%x: memref<5x2xi32>, %w: memref<4x2xi32>, %acc: memref<5x4xi32>) {
  // expected-remark @+1 {{left to portable loops: the packed weights are not a compile-time constant}}
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<5x2xi32>, memref<4x2xi32>) outs(%acc : memref<5x4xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.xori %in_0, %in : i32
    %1 = math.ctpop %0 : i32
    %c1 = arith.constant 1 : i32
    %2 = arith.shli %1, %c1 : i32
    %3 = arith.subi %out, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// -----

// A body that is not k - 2 * popcount is not a binary contraction.
#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
memref.global "private" constant @w : memref<4x2xi32> = dense<1>
// VNNI-LABEL: func.func @negative_popcount_added
// VNNI: linalg.generic
func.func @negative_popcount_added(%x: memref<5x2xi32>, %acc: memref<5x4xi32>) {
  %w = memref.get_global @w : memref<4x2xi32>
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<5x2xi32>, memref<4x2xi32>) outs(%acc : memref<5x4xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %2 = arith.addi %out, %1 : i32
    linalg.yield %2 : i32
  }
  return
}

// -----

// Ternary: the sign and mask planes of 16 channels in one vector of 16
// 64-bit lanes (signs low, masks high), the nonzero weights per channel as
// the correction, and (x xor signs) and mask counted.
#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
memref.global "private" constant @s : memref<2x1xi32> = dense<[[5], [-1]]>
memref.global "private" constant @z : memref<2x1xi32> = dense<[[7], [3]]>
memref.global "private" constant @nnz : memref<2xi32> = dense<[3, 2]>
// VNNI-DAG: memref.global "private" constant @[[$TCORR:__qnn_corrections[_0-9]*]] : memref<16xi32> = dense<[3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-DAG: memref.global "private" constant @[[$TPACKED:__qnn_packed_weights[_0-9]*]] : memref<16xi64> = dense<[-4294967291, 0, 0, 0, 0, 0, 0, 0, 12884901895, 0, 0, 0, 0, 0, 0, 0]>
// VNNI-LABEL: func.func @ternary
// VNNI-SAME: (%[[X:.*]]: memref<5x1xi32>,
// VNNI-DAG: %[[W:.*]] = memref.get_global @[[$TPACKED]] : memref<16xi64>
// VNNI: %[[WV:.*]] = vector.load %[[W]][%{{.*}}] : memref<16xi64>, vector<16xi64>
// VNNI: %[[XB:.*]] = vector.broadcast %{{.*}} : i32 to vector<16xi32>
// VNNI: %[[PLANES:.*]] = vector.bitcast %[[WV]] : vector<16xi64> to vector<32xi32>
// VNNI: %[[SIGNS:.*]] = vector.shuffle %[[PLANES]], %[[PLANES]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
// VNNI: %[[MASK:.*]] = vector.shuffle %[[PLANES]], %[[PLANES]] [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]
// VNNI: %[[DIFF:.*]] = arith.xori %{{.*}}, %[[SIGNS]] : vector<16xi32>
// VNNI: %[[KEPT:.*]] = arith.andi %[[DIFF]], %[[MASK]] : vector<16xi32>
// VNNI: %[[BYTES:.*]] = vector.bitcast %[[KEPT]] : vector<16xi32> to vector<64xi8>
// VNNI: %[[COUNT:.*]] = math.ctpop %[[BYTES]] : vector<64xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[COUNT]], %{{.*}})
// VNNI-NOT: linalg.generic
// SDOT-LABEL: func.func @ternary
// SDOT: arith.andi %{{.*}} : vector<4xi32>
// SDOT: arm_neon.intr.sdot
func.func @ternary(%x: memref<5x1xi32>, %acc: memref<5x2xi32>) {
  %s = memref.get_global @s : memref<2x1xi32>
  %z = memref.get_global @z : memref<2x1xi32>
  %nnz = memref.get_global @nnz : memref<2xi32>
  linalg.broadcast ins(%nnz : memref<2xi32>) outs(%acc : memref<5x2xi32>) dimensions = [0]
  linalg.generic {indexing_maps = [#a, #b, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %s, %z : memref<5x1xi32>, memref<2x1xi32>, memref<2x1xi32>) outs(%acc : memref<5x2xi32>) {
  ^bb0(%in: i32, %sign: i32, %mask: i32, %out: i32):
    %0 = arith.xori %in, %sign : i32
    %1 = arith.andi %0, %mask : i32
    %2 = math.ctpop %1 : i32
    %c1 = arith.constant 1 : i32
    %3 = arith.shli %2, %c1 : i32
    %4 = arith.subi %out, %3 : i32
    linalg.yield %4 : i32
  }
  return
}
