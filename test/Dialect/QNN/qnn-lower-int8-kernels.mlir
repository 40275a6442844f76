// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=x86-avx512-vnni | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=x86-64-v3 | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=aarch64-dotprod | FileCheck %s --check-prefix=SDOT
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=aarch64-i8mm | FileCheck %s --check-prefix=SMMLA
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=aarch64 | FileCheck %s --check-prefix=NEON
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=generic | FileCheck %s --check-prefix=GENERIC

#map = affine_map<(m, n, k) -> (m, k)>
#map1 = affine_map<(m, n, k) -> (k, n)>
#map2 = affine_map<(m, n, k) -> (m, n)>
memref.global "private" constant @w : memref<8x20xi8> = dense<[[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16, 17, -18, 19, -20], [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]>

// u8 activations with zero point 3, i8 weights.
func.func @matmul(%x: memref<7x8xi8>, %acc: memref<7x20xi32>) {
  %w = memref.get_global @w : memref<8x20xi8>
  %zx = arith.constant 3 : i32
  linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<7x8xi8>, memref<8x20xi8>) outs(%acc : memref<7x20xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.subi %0, %zx : i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// The weights are packed [N/16][K/4][16][4]; the corrections are
// -(0 + 3) * column sums: column 0 sums to 130, column 1 to -130.
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<256xi8> = dense<"0x01020000FE00000003000000
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<32xi32> = dense<[-390, 390, -9, 12,
// The unpacked weights are gone.
// VNNI-NOT: @w :
// VNNI-LABEL: func.func @matmul
// VNNI-NOT: linalg.generic
// One 6-row tile of 16 + 4 columns (the last 12 lanes masked), then the
// last row.
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %c6{{.*}} step %c6
// VNNI-COUNT-6: vector.maskedload %{{.*}} : memref<7x20xi32>, vector<16xi1>, vector<16xi32> into vector<16xi32>
// VNNI: scf.for {{.*}} iter_args
// VNNI: vector.load %{{.*}} : memref<256xi8>, vector<64xi8>
// VNNI: vector.load %{{.*}} : memref<7x8xi8>, vector<4xi8>
// VNNI-NEXT: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// VNNI: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.maskedstore
// VNNI: scf.for %{{.*}} = %c6{{.*}} to %c7{{.*}} step %c1
// VNNI-NOT: linalg.generic
// VNNI: return

// AVX2-DAG: memref.global "private" constant @__qnn_packed_weights : memref<192xi16>
// AVX2-LABEL: func.func @matmul
// AVX2: arith.extui %{{.*}} : vector<2xi8> to vector<2xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NOT: linalg.generic
// AVX2: return

// u8 activations read as s8 (x - 128): corrections -(-128 + 3) * sums.
// SDOT-DAG: memref.global "private" constant @__qnn_corrections : memref<20xi32> = dense<[16250, -16250,
// SDOT-LABEL: func.func @matmul
// SDOT: arith.xori %{{.*}}, %c-2139062144{{.*}} : i32
// SDOT: arm_neon.intr.sdot %{{.*}} : vector<16xi8>, vector<16xi8> to vector<4xi32>
// SDOT-NOT: linalg.generic
// SDOT: return

// SMMLA-LABEL: func.func @matmul
// SMMLA: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi8>, vector<8xi8>
// SMMLA: arith.xori %{{.*}} : vector<16xi8>
// SMMLA: arm_neon.intr.smmla %{{.*}} : vector<16xi8> to vector<4xi32>
// The odd last row: stored once, from the first half of the 2x2 tiles.
// SMMLA: scf.for %{{.*}} = %c6{{.*}} to %c7{{.*}} step %c2
// SMMLA-NOT: linalg.generic
// SMMLA: return

// NEON-LABEL: func.func @matmul
// NEON: arith.extsi %{{.*}} : vector<4xi8> to vector<4xi32>
// NEON: arith.muli %{{.*}} : vector<4xi32>
// NEON-NOT: linalg.generic
// NEON: return

// GENERIC-LABEL: func.func @matmul
// GENERIC: linalg.generic
// GENERIC-NOT: vector.
// GENERIC: return

// -----

// Convolutions read their input in place: one row per output pixel.
memref.global "private" constant @f : memref<3x3x8x16xi8> = dense<1>
func.func @conv(%x: memref<2x9x9x8xi8>, %acc: memref<2x4x4x16xi32>) {
  %f = memref.get_global @f : memref<3x3x8x16xi8>
  linalg.generic {indexing_maps = [affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh * 2 + kh, ow * 2 + kw, c)>, affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>, affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %f : memref<2x9x9x8xi8>, memref<3x3x8x16xi8>) outs(%acc : memref<2x4x4x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// i8 activations flipped to u8 (x + 128): corrections -128 * 72.
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<-9216>
// VNNI-LABEL: func.func @conv
// VNNI: arith.divui %{{.*}}, %c16{{.*}} : index
// VNNI: arith.remui %{{.*}}, %c16{{.*}} : index
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args
// VNNI: vector.load %{{.*}} : memref<2x9x9x8xi8>, vector<4xi8>
// VNNI: arith.xori %{{.*}}, %c-2139062144{{.*}} : i32
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}} : memref<2x4x4x16xi32>, vector<16xi32>
// VNNI-NOT: linalg.generic

// -----

// Not handled, left to the portable loops: a dynamic shape, weights that
// are not constant, and a body that is not a widened multiply-accumulate.
memref.global "private" constant @w2 : memref<8x16xi8> = dense<1>
func.func @dynamic(%x: memref<?x8xi8>, %acc: memref<?x16xi32>) {
  %w = memref.get_global @w2 : memref<8x16xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<?x8xi8>, memref<8x16xi8>) outs(%acc : memref<?x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

func.func @runtime_weights(%x: memref<4x8xi8>, %w: memref<8x16xi8>, %acc: memref<4x16xi32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x8xi8>, memref<8x16xi8>) outs(%acc : memref<4x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

func.func @not_a_dot(%x: memref<4x8xi8>, %acc: memref<4x16xi32>) {
  %w = memref.get_global @w2 : memref<8x16xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x8xi8>, memref<8x16xi8>) outs(%acc : memref<4x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.addi %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// VNNI-LABEL: func.func @dynamic
// VNNI: linalg.generic
// VNNI-LABEL: func.func @runtime_weights
// VNNI: linalg.generic
// VNNI-LABEL: func.func @not_a_dot
// VNNI: linalg.generic
// VNNI-NOT: vpdpbusd

// -----

// A constant initial value set right before the contraction joins the
// corrections: the fill disappears and the kernel never reads the
// accumulators before writing them.
memref.global "private" constant @w3 : memref<4x16xi8> = dense<1>
func.func @initial_value(%x: memref<2x4xi8>) -> memref<2x16xi32> {
  %w = memref.get_global @w3 : memref<4x16xi8>
  %c5 = arith.constant 5 : i32
  %acc = memref.alloc() : memref<2x16xi32>
  linalg.fill ins(%c5 : i32) outs(%acc : memref<2x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x4xi8>, memref<4x16xi8>) outs(%acc : memref<2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return %acc : memref<2x16xi32>
}

// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<5>
// VNNI-LABEL: func.func @initial_value
// VNNI-NOT: linalg.fill
// VNNI-NOT: vector.load %{{.*}} : memref<2x16xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}} : memref<2x16xi32>, vector<16xi32>

// -----

// The requantization that follows joins the kernel's stores: per-channel
// multipliers, a scalar captured from above, rounding and narrowing run on
// each accumulator vector, and the i32 outputs are never stored.
memref.global "private" constant @w4 : memref<8x16xi8> = dense<2>
memref.global "private" constant @m4 : memref<16xf32> = dense<0.5>
func.func @epilogue(%x: memref<3x8xi8>) -> memref<3x16xi8> {
  %zp = arith.constant 7.0 : f32
  %w = memref.get_global @w4 : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<3x8xi8>, memref<8x16xi8>) outs(%acc : memref<3x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  %m = memref.get_global @m4 : memref<16xf32>
  %out = memref.alloc() : memref<3x16xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %m : memref<3x16xi32>, memref<16xf32>) outs(%out : memref<3x16xi8>) {
  ^bb0(%a: i32, %s: f32, %o: i8):
    %0 = arith.sitofp %a : i32 to f32
    %1 = arith.mulf %0, %s : f32
    %2 = math.roundeven %1 : f32
    %3 = arith.addf %2, %zp : f32
    %4 = arith.fptoui %3 : f32 to i8
    linalg.yield %4 : i8
  }
  memref.dealloc %acc : memref<3x16xi32>
  return %out : memref<3x16xi8>
}

// VNNI-LABEL: func.func @epilogue
// VNNI-DAG: %[[ZP:.*]] = arith.constant 7.000000e+00 : f32
// VNNI-DAG: %[[M:.*]] = memref.get_global @m4 : memref<16xf32>
// VNNI-DAG: %[[OUT:.*]] = memref.alloc() : memref<3x16xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: %[[SCALE:.*]] = vector.load %[[M]][%{{.*}}] : memref<16xf32>, vector<16xf32>
// VNNI: %[[F:.*]] = arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// VNNI: %[[P:.*]] = arith.mulf %[[F]], %[[SCALE]] : vector<16xf32>
// VNNI: %[[R:.*]] = math.roundeven %[[P]] : vector<16xf32>
// VNNI: %[[Z:.*]] = vector.broadcast %[[ZP]] : f32 to vector<16xf32>
// VNNI: %[[S:.*]] = arith.addf %[[R]], %[[Z]] : vector<16xf32>
// VNNI: %[[Q:.*]] = arith.fptoui %[[S]] : vector<16xf32> to vector<16xi8>
// VNNI: vector.store %[[Q]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<3x16xi8>, vector<16xi8>
// VNNI-NOT: memref<3x16xi32>, vector<16xi32>
// VNNI-NOT: linalg.generic
// VNNI: memref.dealloc
// VNNI: return %[[OUT]]

// -----

// Accumulators read twice: no fusion, the i32 outputs are stored.
memref.global "private" constant @w5 : memref<8x16xi8> = dense<2>
func.func @two_readers(%x: memref<3x8xi8>, %o1: memref<3x16xf32>, %o2: memref<3x16xf32>) {
  %w = memref.get_global @w5 : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<3x8xi8>, memref<8x16xi8>) outs(%acc : memref<3x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<3x16xi32>) outs(%o1 : memref<3x16xf32>) {
  ^bb0(%a: i32, %o: f32):
    %0 = arith.sitofp %a : i32 to f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<3x16xi32>) outs(%o2 : memref<3x16xf32>) {
  ^bb0(%a: i32, %o: f32):
    %0 = arith.uitofp %a : i32 to f32
    linalg.yield %0 : f32
  }
  memref.dealloc %acc : memref<3x16xi32>
  return
}

// VNNI-LABEL: func.func @two_readers
// VNNI: vector.store %{{.*}} : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.generic
// VNNI: linalg.generic

// -----

// f32 contractions with constant weights (here a named linalg.matmul) run
// on the same tiles with a vector multiply and a separate add, so that
// every output rounds like the portable loops; the bias broadcast joins
// the corrections.
memref.global "private" constant @wf : memref<4x16xf32> = dense<0.5>
memref.global "private" constant @bf : memref<16xf32> = dense<1.0>
func.func @f32_matmul(%x: memref<2x4xf32>) -> memref<2x16xf32> {
  %w = memref.get_global @wf : memref<4x16xf32>
  %b = memref.get_global @bf : memref<16xf32>
  %acc = memref.alloc() : memref<2x16xf32>
  linalg.broadcast ins(%b : memref<16xf32>) outs(%acc : memref<2x16xf32>) dimensions = [0]
  linalg.matmul ins(%x, %w : memref<2x4xf32>, memref<4x16xf32>) outs(%acc : memref<2x16xf32>)
  return %acc : memref<2x16xf32>
}

// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xf32> = dense<1.000000e+00>
// VNNI-LABEL: func.func @f32_matmul
// VNNI-NOT: linalg.
// VNNI: vector.load %{{.*}} : memref<2x4xf32>, vector<1xf32>
// VNNI: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// VNNI: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// VNNI-NEXT: arith.addf %{{.*}}, %[[P]] : vector<16xf32>
// VNNI-NOT: linalg.
// VNNI: return
// AVX2-LABEL: func.func @f32_matmul
// AVX2: arith.mulf %{{.*}} : vector<8xf32>
// SDOT-LABEL: func.func @f32_matmul
// SDOT: arith.mulf %{{.*}} : vector<4xf32>
// GENERIC-LABEL: func.func @f32_matmul
// GENERIC: linalg.matmul

// -----

// A zero point computed at run time (dynamic quantization): the weights'
// column sums are packed, and each tile starts from -zx * sum_k w.
memref.global "private" constant @w6 : memref<4x16xi8> = dense<3>
func.func @dynamic_zero(%x: memref<2x4xi8>, %zx: i32, %acc: memref<2x16xi32>) {
  %w = memref.get_global @w6 : memref<4x16xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x4xi8>, memref<4x16xi8>) outs(%acc : memref<2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.subi %0, %zx : i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// VNNI-DAG: memref.global "private" constant @__qnn_column_sums : memref<16xi32> = dense<12>
// VNNI-LABEL: func.func @dynamic_zero
// VNNI-SAME: %[[ZX:[a-z0-9]+]]: i32
// VNNI: %[[SPLAT:.*]] = vector.broadcast %[[ZX]] : i32 to vector<16xi32>
// VNNI: %[[SUMS:.*]] = vector.load %{{.*}} : memref<16xi32>, vector<16xi32>
// VNNI: %[[TERM:.*]] = arith.muli %[[SPLAT]], %[[SUMS]] : vector<16xi32>
// VNNI: arith.subi %{{.*}}, %[[TERM]] : vector<16xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI-NOT: linalg.generic
// VNNI: return

// -----

// An empty reduction stays on the portable loops: its outputs are the
// initial value, which no tile would write.
memref.global "private" constant @w0 : memref<0x16xi8> = dense<>
func.func @empty_reduction(%x: memref<2x0xi8>) -> memref<2x16xi32> {
  %w = memref.get_global @w0 : memref<0x16xi8>
  %c5 = arith.constant 5 : i32
  %acc = memref.alloc() : memref<2x16xi32>
  linalg.fill ins(%c5 : i32) outs(%acc : memref<2x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<2x0xi8>, memref<0x16xi8>) outs(%acc : memref<2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  return %acc : memref<2x16xi32>
}

// VNNI-LABEL: func.func @empty_reduction
// VNNI: linalg.fill
// VNNI: linalg.generic
// VNNI-NOT: vpdpbusd
// VNNI: return

// -----

// A consumer writing a buffer that is not a fresh allocation (it could be
// the kernel's own input) is not fused: the i32 outputs are stored.
memref.global "private" constant @w7 : memref<16x16xi8> = dense<2>
func.func @epilogue_into_argument(%x: memref<3x16xi8>) {
  %w = memref.get_global @w7 : memref<16x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<3x16xi8>, memref<16x16xi8>) outs(%acc : memref<3x16xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extui %a : i8 to i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %o, %3 : i32
    linalg.yield %4 : i32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<3x16xi32>) outs(%x : memref<3x16xi8>) {
  ^bb0(%a: i32, %o: i8):
    %0 = arith.trunci %a : i32 to i8
    linalg.yield %0 : i8
  }
  memref.dealloc %acc : memref<3x16xi32>
  return
}

// VNNI-LABEL: func.func @epilogue_into_argument
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}} : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.generic
// VNNI-SAME: outs(%{{.*}} : memref<3x16xi8>)
