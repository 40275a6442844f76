// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-64-v3 --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64-dotprod --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=SDOT
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64-i8mm --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=SMMLA
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64 --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=NEON
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=generic --qnn-cpu-lower-contractions | FileCheck %s --check-prefix=GENERIC
// The earlier name of the two passes gives the same kernels.
// RUN: quant-opt %s --split-input-file --qnn-lower-int8-kernels=target=x86-avx512-vnni 2>/dev/null | FileCheck %s --check-prefix=VNNI
//
// Remarks for the contractions left to the portable loops are checked in
// qnn-cpu-lower-contractions-remarks.mlir.

// The contractions are the named ops of the contract (docs/Codegen.md) on
// buffers, as bufferization leaves them.

#id = affine_map<(d0, d1) -> (d0, d1)>
memref.global "private" constant @w : memref<8x20xi8> = dense<[[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16, 17, -18, 19, -20], [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]>

// u8 activations with zero point 3 reach the signed quantized_matmul
// through the sign flip (zero point 3 - 128); the kernel reads the u8
// codes themselves and drops the flip.
func.func @matmul(%x: memref<7x8xi8>, %acc: memref<7x20xi32>) {
  %w = memref.get_global @w : memref<8x20xi8>
  %zx = arith.constant -125 : i32
  %zw = arith.constant 0 : i32
  %sign = arith.constant -128 : i8
  %xs = memref.alloc() : memref<7x8xi8>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : memref<7x8xi8>) outs(%xs : memref<7x8xi8>) {
  ^bb0(%a: i8, %o: i8):
    %f = arith.xori %a, %sign : i8
    linalg.yield %f : i8
  }
  linalg.quantized_matmul ins(%xs, %w, %zx, %zw : memref<7x8xi8>, memref<8x20xi8>, i32, i32) outs(%acc : memref<7x20xi32>)
  memref.dealloc %xs : memref<7x8xi8>
  return
}

// The weights are packed [N/16][K/4][16][4]; the corrections are
// -(0 + 3) * column sums: column 0 sums to 130, column 1 to -130.
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<256xi8> = dense<"0x01020000FE00000003000000
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<32xi32> = dense<[-390, 390, -9, 12,
// The unpacked weights are gone.
// VNNI-NOT: @w :
// VNNI-LABEL: func.func @matmul
// VNNI-SAME: (%[[X:.*]]: memref<7x8xi8>, %[[ACC:.*]]: memref<7x20xi32>)
// VNNI-NOT: linalg.generic
// VNNI-NOT: memref.alloc
// VNNI-DAG: %[[PACKED:.*]] = memref.get_global @__qnn_packed_weights
// VNNI-DAG: %[[CORR:.*]] = memref.get_global @__qnn_corrections
// One 6-row tile of 16 + 4 columns (the last 12 lanes masked), then the
// last row; each accumulator starts from the outputs plus the corrections.
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %c6{{.*}} step %c6
// VNNI: %[[C0:.*]] = vector.load %[[CORR]][%{{.*}}] : memref<32xi32>, vector<16xi32>
// VNNI: %[[OUT0:.*]] = vector.load %[[ACC]][%{{.*}}, %{{.*}}] : memref<7x20xi32>, vector<16xi32>
// VNNI: %[[START:.*]] = arith.addi %[[OUT0]], %[[C0]] : vector<16xi32>
// VNNI: vector.maskedload %[[ACC]]{{.*}} : memref<7x20xi32>, vector<16xi1>, vector<16xi32> into vector<16xi32>
// VNNI: scf.for {{.*}} iter_args(%[[A0:.*]] = %[[START]],
// The weights of the group, and four u8 activation bytes broadcast as one
// word, unflipped: vpdpbusd reads unsigned bytes.
// VNNI: %[[WV:.*]] = vector.load %[[PACKED]][%{{.*}}] : memref<256xi8>, vector<64xi8>
// VNNI: %[[XB:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<4xi8>
// VNNI-NEXT: %[[XW:.*]] = vector.bitcast %[[XB]] : vector<4xi8> to vector<1xi32>
// VNNI-NEXT: %[[XS:.*]] = vector.extract %[[XW]][0] : i32 from vector<1xi32>
// VNNI-NEXT: %[[SPLAT:.*]] = vector.broadcast %[[XS]] : i32 to vector<16xi32>
// VNNI-NEXT: %[[XV:.*]] = vector.bitcast %[[SPLAT]] : vector<16xi32> to vector<64xi8>
// VNNI-NEXT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[A0]], %[[XV]], %[[WV]])
// VNNI: vector.maskedstore %[[ACC]]
// VNNI: scf.for %{{.*}} = %c6{{.*}} to %c7{{.*}} step %c1
// VNNI-NOT: linalg.generic
// VNNI: return

// Two u8 bytes widened to i16, against 16-bit weights.
// AVX2-DAG: memref.global "private" constant @__qnn_packed_weights : memref<192xi16>
// AVX2-LABEL: func.func @matmul
// AVX2-SAME: (%[[X:.*]]: memref<7x8xi8>,
// AVX2: %[[WV:.*]] = vector.load %{{.*}} : memref<192xi16>, vector<16xi16>
// AVX2: %[[XB:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<2xi8>
// AVX2-NEXT: %[[XH:.*]] = arith.extui %[[XB]] : vector<2xi8> to vector<2xi16>
// AVX2-NEXT: %[[XW:.*]] = vector.bitcast %[[XH]] : vector<2xi16> to vector<1xi32>
// AVX2-NEXT: %[[XS:.*]] = vector.extract %[[XW]][0] : i32 from vector<1xi32>
// AVX2-NEXT: %[[SPLAT:.*]] = vector.broadcast %[[XS]] : i32 to vector<8xi32>
// AVX2-NEXT: %[[XV:.*]] = vector.bitcast %[[SPLAT]] : vector<8xi32> to vector<16xi16>
// AVX2-NEXT: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[XV]], %[[WV]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NOT: linalg.generic
// AVX2: return

// u8 activations read as s8 (x - 128): corrections -(-128 + 3) * sums.
// SDOT-DAG: memref.global "private" constant @__qnn_corrections : memref<20xi32> = dense<[16250, -16250,
// SDOT-LABEL: func.func @matmul
// SDOT-SAME: (%[[X:.*]]: memref<7x8xi8>,
// SDOT: %[[XB:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<4xi8>
// SDOT-NEXT: %[[XW:.*]] = vector.bitcast %[[XB]] : vector<4xi8> to vector<1xi32>
// SDOT-NEXT: %[[XS:.*]] = vector.extract %[[XW]][0] : i32 from vector<1xi32>
// SDOT-NEXT: %[[SIGN:.*]] = arith.constant -2139062144 : i32
// SDOT-NEXT: %[[FLIP:.*]] = arith.xori %[[XS]], %[[SIGN]] : i32
// SDOT-NEXT: %[[SPLAT:.*]] = vector.broadcast %[[FLIP]] : i32 to vector<4xi32>
// SDOT-NEXT: %[[XV:.*]] = vector.bitcast %[[SPLAT]] : vector<4xi32> to vector<16xi8>
// SDOT-NEXT: arm_neon.intr.sdot %{{.*}}, %[[XV]], %{{.*}} : vector<16xi8>, vector<16xi8> to vector<4xi32>
// SDOT-NOT: linalg.generic
// SDOT: return

// SMMLA-LABEL: func.func @matmul
// SMMLA-SAME: (%[[X:.*]]: memref<7x8xi8>,
// SMMLA: %[[R0:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<8xi8>
// SMMLA-NEXT: %[[R1:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<8xi8>
// SMMLA-NEXT: %[[PAIR:.*]] = vector.shuffle %[[R0]], %[[R1]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi8>, vector<8xi8>
// SMMLA-NEXT: %[[SIGN:.*]] = arith.constant dense<-128> : vector<16xi8>
// SMMLA-NEXT: %[[XV:.*]] = arith.xori %[[PAIR]], %[[SIGN]] : vector<16xi8>
// SMMLA-NEXT: arm_neon.intr.smmla %{{.*}}, %[[XV]], %{{.*}} : vector<16xi8> to vector<4xi32>
// The odd last row: stored once, from the first half of the 2x2 tiles.
// SMMLA: scf.for %{{.*}} = %c6{{.*}} to %c7{{.*}} step %c2
// SMMLA-NOT: linalg.generic
// SMMLA: return

// NEON-LABEL: func.func @matmul
// NEON-SAME: (%[[X:.*]]: memref<7x8xi8>,
// NEON: %[[WB:.*]] = vector.load %{{.*}} : memref<160xi8>, vector<4xi8>
// NEON: %[[XB:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<7x8xi8>, vector<1xi8>
// NEON-NEXT: %[[XS:.*]] = vector.extract %[[XB]][0] : i8 from vector<1xi8>
// NEON-NEXT: %[[XI:.*]] = arith.extui %[[XS]] : i8 to i32
// NEON-NEXT: %[[XV:.*]] = vector.broadcast %[[XI]] : i32 to vector<4xi32>
// NEON-NEXT: %[[WV:.*]] = arith.extsi %[[WB]] : vector<4xi8> to vector<4xi32>
// NEON-NEXT: arith.muli %[[XV]], %[[WV]] : vector<4xi32>
// NEON-NOT: linalg.generic
// NEON: return

// The portable target keeps the contraction and its flip.
// GENERIC-LABEL: func.func @matmul
// GENERIC: linalg.generic
// GENERIC: linalg.quantized_matmul
// GENERIC-NOT: vector.
// GENERIC: return

// -----

// Convolutions read their input in place: one row per output pixel, the
// window coordinates divided out of the row index.
memref.global "private" constant @f : memref<3x3x8x16xi8> = dense<1>
func.func @conv(%x: memref<2x9x9x8xi8>, %acc: memref<2x4x4x16xi32>) {
  %f = memref.get_global @f : memref<3x3x8x16xi8>
  %zero = arith.constant 0 : i32
  linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %f, %zero, %zero : memref<2x9x9x8xi8>, memref<3x3x8x16xi8>, i32, i32) outs(%acc : memref<2x4x4x16xi32>)
  return
}

// i8 activations flipped to u8 (x + 128): corrections -128 * 72.
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<-9216>
// VNNI-LABEL: func.func @conv
// VNNI-SAME: (%[[X:.*]]: memref<2x9x9x8xi8>, %[[ACC:.*]]: memref<2x4x4x16xi32>)
// VNNI: %[[N:.*]] = arith.divui %{{.*}}, %c16{{.*}} : index
// VNNI: %[[PIXEL:.*]] = arith.remui %{{.*}}, %c16{{.*}} : index
// VNNI: %[[OH:.*]] = arith.divui %[[PIXEL]], %c4{{.*}} : index
// VNNI: %[[OW:.*]] = arith.remui %[[PIXEL]], %c4{{.*}} : index
// VNNI: %[[TOP:.*]] = arith.muli %[[OH]], %c2{{.*}} : index
// VNNI: %[[LEFT:.*]] = arith.muli %[[OW]], %c2{{.*}} : index
// VNNI: scf.for %[[KH:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: scf.for %[[KW:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: scf.for %[[CG:.*]] = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args
// VNNI: %[[DY:.*]] = arith.muli %[[KH]], %c1{{.*}} : index
// VNNI: %[[DX:.*]] = arith.muli %[[KW]], %c1{{.*}} : index
// VNNI: %[[CH:.*]] = arith.muli %[[CG]], %c4{{.*}} : index
// VNNI: %[[Y:.*]] = arith.addi %[[TOP]], %[[DY]] : index
// VNNI-NEXT: %[[XX:.*]] = arith.addi %[[LEFT]], %[[DX]] : index
// VNNI-NEXT: %[[XB:.*]] = vector.load %[[X]][%[[N]], %[[Y]], %[[XX]], %[[CH]]] : memref<2x9x9x8xi8>, vector<4xi8>
// VNNI-NEXT: %[[XW:.*]] = vector.bitcast %[[XB]] : vector<4xi8> to vector<1xi32>
// VNNI-NEXT: %[[XS:.*]] = vector.extract %[[XW]][0] : i32 from vector<1xi32>
// VNNI-NEXT: %[[SIGN:.*]] = arith.constant -2139062144 : i32
// VNNI-NEXT: %[[FLIP:.*]] = arith.xori %[[XS]], %[[SIGN]] : i32
// VNNI-NEXT: %[[SPLAT:.*]] = vector.broadcast %[[FLIP]] : i32 to vector<16xi32>
// VNNI-NEXT: %[[XV:.*]] = vector.bitcast %[[SPLAT]] : vector<16xi32> to vector<64xi8>
// VNNI-NEXT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[XV]], %{{.*}})
// VNNI: vector.store %{{.*}}, %[[ACC]][%[[N]], %[[OH]], %[[OW]], %{{.*}}] : memref<2x4x4x16xi32>, vector<16xi32>
// VNNI-NOT: linalg.conv
// VNNI: return

// -----

// Input channels not a multiple of the four steps (an RGB stem): the
// packed reduction pads the channels of each window position to a whole
// group, and the activations of that group are read with a mask.
memref.global "private" constant @frgb : memref<1x1x3x16xi8> = dense<[[[[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]]]]>
func.func @conv_rgb(%x: memref<1x4x4x3xi8>, %acc: memref<1x4x4x16xi32>) {
  %f = memref.get_global @frgb : memref<1x1x3x16xi8>
  %zero = arith.constant 0 : i32
  linalg.conv_2d_nhwc_hwcf_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zero : memref<1x4x4x3xi8>, memref<1x1x3x16xi8>, i32, i32) outs(%acc : memref<1x4x4x16xi32>)
  return
}

// Channel 0's group is (1, 2, 3, 0): three weights and one zero pad.
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<64xi8> = dense<[1, 2, 3, 0, 1, 2, 3, 0,
// VNNI-LABEL: func.func @conv_rgb
// VNNI-SAME: (%[[X:.*]]: memref<1x4x4x3xi8>, %[[ACC:.*]]: memref<1x4x4x16xi32>)
// VNNI: %[[MASK:.*]] = arith.constant dense<[true, true, true, false]> : vector<4xi1>
// VNNI: %[[XB:.*]] = vector.maskedload %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %[[MASK]], %{{.*}} : memref<1x4x4x3xi8>, vector<4xi1>, vector<4xi8> into vector<4xi8>
// VNNI: %[[XW:.*]] = vector.bitcast %[[XB]] : vector<4xi8> to vector<1xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI-NOT: linalg.conv
// VNNI: return

// -----

// A batched matmul loops over the batch outermost; each batch reads its own
// panel of packed weights (16 x 8 = 128 bytes after the previous one) and
// its own corrections.
memref.global "private" constant @wb : memref<3x8x16xi8> = dense<1>
func.func @batch_matmul(%x: memref<3x5x8xi8>, %acc: memref<3x5x16xi32>) {
  %w = memref.get_global @wb : memref<3x8x16xi8>
  %zx = arith.constant 2 : i32
  %zero = arith.constant 0 : i32
  linalg.quantized_batch_matmul ins(%x, %w, %zx, %zero : memref<3x5x8xi8>, memref<3x8x16xi8>, i32, i32) outs(%acc : memref<3x5x16xi32>)
  return
}

// Corrections -(128 + 2) * 8 per channel, for each of the three batches.
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<48xi32> = dense<-1040>
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<384xi8> = dense<1>
// VNNI-LABEL: func.func @batch_matmul
// VNNI-SAME: (%[[X:.*]]: memref<3x5x8xi8>, %[[ACC:.*]]: memref<3x5x16xi32>)
// VNNI: scf.for %[[B:.*]] = %c0{{.*}} to %c3{{.*}} step %c1
// VNNI: %[[CSTART:.*]] = arith.muli %[[B]], %c16{{.*}} : index
// VNNI: %[[CPOS:.*]] = arith.addi %[[CSTART]], %{{.*}} : index
// VNNI: vector.load %{{.*}}[%[[CPOS]]] : memref<48xi32>, vector<16xi32>
// VNNI: %[[WSTART:.*]] = arith.muli %[[B]], %c128{{.*}} : index
// VNNI: %[[WPOS:.*]] = arith.addi %[[WSTART]], %{{.*}} : index
// VNNI: vector.load %{{.*}}[%[[WPOS]]] : memref<384xi8>, vector<64xi8>
// VNNI: vector.load %[[X]][%[[B]], %{{.*}}, %{{.*}}] : memref<3x5x8xi8>, vector<4xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}}, %[[ACC]][%[[B]], %{{.*}}, %{{.*}}] : memref<3x5x16xi32>, vector<16xi32>
// VNNI-NOT: linalg.quantized_batch_matmul
// VNNI: return

// -----

// A batch known only at run time: the row regions are computed from it
// (main tiles of 6 rows, then single rows).
memref.global "private" constant @wd : memref<8x16xi8> = dense<1>
func.func @dynamic_batch(%x: memref<?x8xi8>, %acc: memref<?x16xi32>) {
  %w = memref.get_global @wd : memref<8x16xi8>
  %zero = arith.constant 0 : i32
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<?x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<?x16xi32>)
  return
}

// VNNI-LABEL: func.func @dynamic_batch
// VNNI-SAME: (%[[X:.*]]: memref<?x8xi8>, %[[ACC:.*]]: memref<?x16xi32>)
// VNNI: %[[BATCH:.*]] = memref.dim %[[ACC]], %c0{{.*}} : memref<?x16xi32>
// VNNI: %[[ROWS:.*]] = arith.muli %[[BATCH]], %c1{{.*}} : index
// VNNI: %[[TILES:.*]] = arith.divui %[[ROWS]], %c6{{.*}} : index
// VNNI: %[[MAIN_END:.*]] = arith.muli %[[TILES]], %c6{{.*}} : index
// VNNI: %[[WHOLE:.*]] = arith.divui %[[ROWS]], %c1{{.*}} : index
// VNNI: %[[WHOLE_END:.*]] = arith.muli %[[WHOLE]], %c1{{.*}} : index
// VNNI: scf.for %{{.*}} = %c0{{.*}} to %[[MAIN_END]] step %c6
// VNNI: scf.for %{{.*}} = %[[MAIN_END]] to %[[WHOLE_END]] step %c1
// VNNI-NOT: linalg.quantized_matmul
// VNNI: return

// -----

// A depthwise convolution runs its channels across the lanes: per tap, one
// vector of widened weights (w - zw) is shared by four output pixels,
// whose input vectors are sign-extended and multiplied in.
memref.global "private" constant @fdw : memref<3x3x16xi8> = dense<2>
func.func @depthwise(%x: memref<1x6x6x16xi8>, %acc: memref<1x4x4x16xi32>) {
  %f = memref.get_global @fdw : memref<3x3x16xi8>
  %zx = arith.constant 3 : i32
  %zw = arith.constant 1 : i32
  linalg.depthwise_conv_2d_nhwc_hwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zx, %zw : memref<1x6x6x16xi8>, memref<3x3x16xi8>, i32, i32) outs(%acc : memref<1x4x4x16xi32>)
  return
}

// Weights 2 - 1 = 1 per tap; corrections -3 * 9 per channel.
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<144xi32> = dense<1>
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<-27>
// VNNI-LABEL: func.func @depthwise
// VNNI-SAME: (%[[X:.*]]: memref<1x6x6x16xi8>, %[[ACC:.*]]: memref<1x4x4x16xi32>)
// VNNI: %[[W:.*]] = memref.get_global @__qnn_packed_weights : memref<144xi32>
// VNNI: scf.for %[[ROW:.*]] = %c0{{.*}} to %{{.*}} step %c4
// VNNI: scf.for %[[COL:.*]] = %c0{{.*}} to %c16{{.*}} step %c16
// VNNI: %[[OUT:.*]] = vector.load %[[ACC]][%{{.*}}, %{{.*}}, %{{.*}}, %[[COL]]] : memref<1x4x4x16xi32>, vector<16xi32>
// VNNI: scf.for %[[KH:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: scf.for %[[KW:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// VNNI: %[[WV:.*]] = vector.load %[[W]][%{{.*}}] : memref<144xi32>, vector<16xi32>
// VNNI: %[[XV:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %[[COL]]] : memref<1x6x6x16xi8>, vector<16xi8>
// VNNI-NEXT: %[[XW:.*]] = arith.extsi %[[XV]] : vector<16xi8> to vector<16xi32>
// VNNI-NEXT: %[[P:.*]] = arith.muli %[[XW]], %[[WV]] : vector<16xi32>
// VNNI-NEXT: arith.addi %{{.*}}, %[[P]] : vector<16xi32>
// VNNI-COUNT-3: arith.muli %{{.*}}, %[[WV]] : vector<16xi32>
// VNNI: vector.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}, %{{.*}}, %[[COL]]] : memref<1x4x4x16xi32>, vector<16xi32>
// VNNI-NOT: linalg.depthwise
// VNNI: return
// SDOT-LABEL: func.func @depthwise
// SDOT: arith.muli %{{.*}} : vector<4xi32>
// SDOT-NOT: linalg.depthwise
// SDOT: return

// -----

// Weights known only at run time (both operands activations) are packed by
// the kernel into a buffer it allocates, with their column sums and the
// corrections they make; a weight zero point (3) is applied per row, as
// -3 * sum_k (x + 128), so that the packed bytes are the codes themselves.
func.func @runtime_weights(%x: memref<4x8xi8>, %w: memref<8x16xi8>, %acc: memref<4x16xi32>) {
  %zx = arith.constant 1 : i32
  %zw = arith.constant 3 : i32
  linalg.quantized_matmul ins(%x, %w, %zx, %zw : memref<4x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<4x16xi32>)
  return
}

// VNNI-LABEL: func.func @runtime_weights
// VNNI-SAME: (%[[X:.*]]: memref<4x8xi8>, %[[W:.*]]: memref<8x16xi8>, %[[ACC:.*]]: memref<4x16xi32>)
// VNNI: %[[PACKED:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// VNNI: %[[SUMS:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi32>
// VNNI: %[[CORR:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi32>
// VNNI: %[[CODE:.*]] = memref.load %[[W]][%{{.*}}, %{{.*}}] : memref<8x16xi8>
// VNNI: %[[BYTE:.*]] = arith.trunci %{{.*}} : i32 to i8
// VNNI: memref.store %[[BYTE]], %[[PACKED]][%{{.*}}] : memref<?xi8>
// VNNI: memref.store %{{.*}}, %[[SUMS]][%{{.*}}] : memref<?xi32>
// VNNI: memref.store %{{.*}}, %[[CORR]][%{{.*}}] : memref<?xi32>
// VNNI: %[[ROWS:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi32>
// VNNI: %[[XR:.*]] = memref.load %[[X]][%{{.*}}, %{{.*}}] : memref<4x8xi8>
// VNNI: %[[RZ:.*]] = arith.constant -3 : i32
// VNNI: memref.store %{{.*}}, %[[ROWS]][%{{.*}}] : memref<?xi32>
// VNNI: %[[RC:.*]] = memref.load %[[ROWS]][%{{.*}}] : memref<?xi32>
// VNNI: vector.broadcast %[[RC]] : i32 to vector<16xi32>
// VNNI: vector.load %[[PACKED]][%{{.*}}] : memref<?xi8>, vector<64xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: memref.dealloc %[[PACKED]] : memref<?xi8>
// VNNI-NOT: linalg.quantized_matmul
// VNNI: return

// -----

// Convolution weights known only at run time (TOSA's FHWC) are packed the
// same way, reading w[f][row][column][channel] for reduction step
// (row * 3 + column) * 8 + channel.
func.func @runtime_weights_conv(%x: memref<1x4x4x8xi8>, %w: memref<16x3x3x8xi8>, %acc: memref<1x2x2x16xi32>) {
  %zx = arith.constant 1 : i32
  %zw = arith.constant 0 : i32
  linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %zx, %zw : memref<1x4x4x8xi8>, memref<16x3x3x8xi8>, i32, i32) outs(%acc : memref<1x2x2x16xi32>)
  return
}

// VNNI-LABEL: func.func @runtime_weights_conv
// VNNI-SAME: (%[[X:.*]]: memref<1x4x4x8xi8>, %[[W:.*]]: memref<16x3x3x8xi8>, %{{.*}}: memref<1x2x2x16xi32>)
// VNNI: %[[PACKED:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// VNNI: %[[CHANNEL:.*]] = arith.remui %[[K:.*]], %{{.*}} : index
// VNNI: %[[WINDOW:.*]] = arith.divui %[[K]], %{{.*}} : index
// VNNI: %[[ROW:.*]] = arith.divui %[[WINDOW]], %{{.*}} : index
// VNNI: %[[COLUMN:.*]] = arith.remui %[[WINDOW]], %{{.*}} : index
// VNNI: memref.load %[[W]][%{{.*}}, %[[ROW]], %[[COLUMN]], %[[CHANNEL]]] : memref<16x3x3x8xi8>
// VNNI: memref.store %{{.*}}, %[[PACKED]][%{{.*}}] : memref<?xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI-NOT: linalg.conv_2d_nhwc_fhwc_q
// VNNI: return

// -----

// NCHW x FCHW: each group of four channels of one pixel is gathered from
// four planes, and the outputs are scattered one plane apart.
memref.global "private" constant @fn : memref<16x8x3x3xi8> = dense<1>
func.func @conv_nchw(%x: memref<1x8x6x6xi8>, %acc: memref<1x16x4x4xi32>) {
  %f = memref.get_global @fn : memref<16x8x3x3xi8>
  %zx = arith.constant 3 : i32
  %zw = arith.constant 0 : i32
  linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zx, %zw : memref<1x8x6x6xi8>, memref<16x8x3x3xi8>, i32, i32) outs(%acc : memref<1x16x4x4xi32>)
  return
}

// Corrections -(128 + 3) * 72.
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<-9432>
// VNNI-LABEL: func.func @conv_nchw
// VNNI-SAME: (%[[X:.*]]: memref<1x8x6x6xi8>, %[[ACC:.*]]: memref<1x16x4x4xi32>)
// VNNI: %[[B0:.*]] = memref.load %[[X]][%{{.*}}, %{{.*}}, %[[Y:.*]], %[[XX:.*]]] : memref<1x8x6x6xi8>
// VNNI-NEXT: %[[G0:.*]] = vector.insert %[[B0]], %{{.*}} [0] : i8 into vector<4xi8>
// VNNI: %[[B1:.*]] = memref.load %[[X]][%{{.*}}, %{{.*}}, %[[Y]], %[[XX]]] : memref<1x8x6x6xi8>
// VNNI-NEXT: %[[G1:.*]] = vector.insert %[[B1]], %[[G0]] [1] : i8 into vector<4xi8>
// VNNI: %[[B2:.*]] = memref.load %[[X]][%{{.*}}, %{{.*}}, %[[Y]], %[[XX]]] : memref<1x8x6x6xi8>
// VNNI-NEXT: %[[G2:.*]] = vector.insert %[[B2]], %[[G1]] [2] : i8 into vector<4xi8>
// VNNI: %[[B3:.*]] = memref.load %[[X]][%{{.*}}, %{{.*}}, %[[Y]], %[[XX]]] : memref<1x8x6x6xi8>
// VNNI-NEXT: %[[G3:.*]] = vector.insert %[[B3]], %[[G2]] [3] : i8 into vector<4xi8>
// VNNI-NEXT: %[[XW:.*]] = vector.bitcast %[[G3]] : vector<4xi8> to vector<1xi32>
// VNNI: %[[XV:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// VNNI-NEXT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[XV]], %{{.*}})
// VNNI: %[[LANE:.*]] = vector.extract %{{.*}}[0] : i32 from vector<16xi32>
// VNNI-NEXT: memref.store %[[LANE]], %[[ACC]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<1x16x4x4xi32>
// VNNI-NOT: linalg.conv
// VNNI: return
// SDOT-LABEL: func.func @conv_nchw
// SDOT: arm_neon.intr.sdot
// SDOT-NOT: linalg.conv
// SDOT: return

// -----

// Filters stored F x KH x KW x C (TOSA's layout) are packed like HWCF ones.
memref.global "private" constant @ff : memref<4x1x1x8xi8> = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8]]], [[[9, 10, 11, 12, 13, 14, 15, 16]]], [[[17, 18, 19, 20, 21, 22, 23, 24]]], [[[25, 26, 27, 28, 29, 30, 31, 32]]]]>
func.func @conv_fhwc(%x: memref<1x2x2x8xi8>, %acc: memref<1x2x2x4xi32>) {
  %f = memref.get_global @ff : memref<4x1x1x8xi8>
  %zero = arith.constant 0 : i32
  linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f, %zero, %zero : memref<1x2x2x8xi8>, memref<4x1x1x8xi8>, i32, i32) outs(%acc : memref<1x2x2x4xi32>)
  return
}

// [N/16][K/4][16][4]: group 0 holds channel 0's k = 0..3 (1, 2, 3, 4), then
// channel 1's (9, 10, 11, 12).
// VNNI-DAG: memref.global "private" constant @__qnn_packed_weights : memref<128xi8> = dense<"0x01020304090A0B0C1112131419
// VNNI-LABEL: func.func @conv_fhwc
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI-NOT: linalg.conv
// VNNI: return

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
memref.global "private" constant @w1 : memref<8x16xi8> = dense<1>

// A flip whose result is also read elsewhere stays: the kernel reads the
// flipped (signed) codes.
func.func @negative_flip_read_twice(%x: memref<4x8xi8>, %acc: memref<4x16xi32>) -> memref<4x8xi8> {
  %w = memref.get_global @w1 : memref<8x16xi8>
  %zx = arith.constant -128 : i32
  %zw = arith.constant 0 : i32
  %sign = arith.constant -128 : i8
  %xs = memref.alloc() : memref<4x8xi8>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : memref<4x8xi8>) outs(%xs : memref<4x8xi8>) {
  ^bb0(%a: i8, %o: i8):
    %f = arith.xori %a, %sign : i8
    linalg.yield %f : i8
  }
  linalg.quantized_matmul ins(%xs, %w, %zx, %zw : memref<4x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<4x16xi32>)
  return %xs : memref<4x8xi8>
}

// VNNI-LABEL: func.func @negative_flip_read_twice
// VNNI: %[[XS:.*]] = memref.alloc() : memref<4x8xi8>
// VNNI: linalg.generic {{.*}} outs(%[[XS]] : memref<4x8xi8>)
// VNNI: vector.load %[[XS]]
// VNNI: arith.xori %{{.*}}, %c-2139062144{{.*}} : i32
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: return %[[XS]]

// -----

// Not handled, left to the portable loops: a dynamic dimension other than
// the batch, and a weight zero point known only at run time.
memref.global "private" constant @w2 : memref<8x16xi8> = dense<1>
func.func @negative_dynamic_shape(%x: memref<4x8xi8>, %acc: memref<4x?xi32>) {
  %w = memref.get_global @w2 : memref<8x16xi8>
  %zero = arith.constant 0 : i32
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<4x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<4x?xi32>)
  return
}

func.func @negative_runtime_weight_zero(%x: memref<4x8xi8>, %zw: i32, %acc: memref<4x16xi32>) {
  %w = memref.get_global @w2 : memref<8x16xi8>
  %zero = arith.constant 0 : i32
  linalg.quantized_matmul ins(%x, %w, %zero, %zw : memref<4x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<4x16xi32>)
  return
}

// VNNI-LABEL: func.func @negative_dynamic_shape
// VNNI: linalg.quantized_matmul
// VNNI-LABEL: func.func @negative_runtime_weight_zero
// VNNI: linalg.quantized_matmul
// VNNI-NOT: vpdpbusd

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A constant initial value set right before the contraction joins the
// corrections: the fill disappears and the kernel never reads the
// accumulators before writing them.
memref.global "private" constant @w3 : memref<4x16xi8> = dense<1>
func.func @initial_value(%x: memref<2x4xi8>) -> memref<2x16xi32> {
  %w = memref.get_global @w3 : memref<4x16xi8>
  %c5 = arith.constant 5 : i32
  %zx = arith.constant -128 : i32
  %zw = arith.constant 0 : i32
  %acc = memref.alloc() : memref<2x16xi32>
  linalg.fill ins(%c5 : i32) outs(%acc : memref<2x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %zx, %zw : memref<2x4xi8>, memref<4x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
  return %acc : memref<2x16xi32>
}

// Signed codes with zero point -128 are u8 codes with zero point 0 flipped
// by the kernel itself: the correction is the initial value alone.
// VNNI-DAG: memref.global "private" constant @__qnn_corrections : memref<16xi32> = dense<5>
// VNNI-LABEL: func.func @initial_value
// VNNI-NOT: linalg.fill
// VNNI-NOT: vector.load %{{.*}} : memref<2x16xi32>
// VNNI: %[[START:.*]] = vector.load %{{.*}} : memref<16xi32>, vector<16xi32>
// VNNI: scf.for {{.*}} iter_args(%{{.*}} = %[[START]]
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}} : memref<2x16xi32>, vector<16xi32>

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

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
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
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
// VNNI: %[[ACC:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
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

// Epilogue inputs other than per-channel vectors: a tensor of the output's
// shape (a residual) read as vectors of channels, and a value per row
// broadcast across the channels.
memref.global "private" constant @w4r : memref<8x16xi8> = dense<2>
func.func @epilogue_residual(%x: memref<3x8xi8>, %res: memref<3x16xf32>, %rows: memref<3xf32>) -> memref<3x16xf32> {
  %w = memref.get_global @w4r : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
  %out = memref.alloc() : memref<3x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %res, %rows : memref<3x16xi32>, memref<3x16xf32>, memref<3xf32>) outs(%out : memref<3x16xf32>) {
  ^bb0(%a: i32, %r: f32, %s: f32, %o: f32):
    %0 = arith.sitofp %a : i32 to f32
    %1 = arith.mulf %0, %s : f32
    %2 = arith.addf %1, %r : f32
    linalg.yield %2 : f32
  }
  memref.dealloc %acc : memref<3x16xi32>
  return %out : memref<3x16xf32>
}

// VNNI-LABEL: func.func @epilogue_residual
// VNNI-SAME: (%{{.*}}: memref<3x8xi8>, %[[RES:.*]]: memref<3x16xf32>, %[[ROWS:.*]]: memref<3xf32>)
// VNNI: %[[OUT:.*]] = memref.alloc() : memref<3x16xf32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: %[[RV:.*]] = vector.load %[[RES]][%[[ROW:.*]], %[[COL:.*]]] : memref<3x16xf32>, vector<16xf32>
// VNNI: %[[S:.*]] = memref.load %[[ROWS]][%[[ROW]]] : memref<3xf32>
// VNNI: %[[SV:.*]] = vector.broadcast %[[S]] : f32 to vector<16xf32>
// VNNI: %[[F:.*]] = arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// VNNI: %[[P:.*]] = arith.mulf %[[F]], %[[SV]] : vector<16xf32>
// VNNI: %[[Y:.*]] = arith.addf %[[P]], %[[RV]] : vector<16xf32>
// VNNI: vector.store %[[Y]], %[[OUT]][%[[ROW]], %[[COL]]] : memref<3x16xf32>, vector<16xf32>
// VNNI-NOT: linalg.generic
// VNNI: return %[[OUT]]

// -----

// An epilogue input written after the contraction (here a fill) is not
// ready when the kernel would apply the epilogue: no fusion.
memref.global "private" constant @w4w : memref<8x16xi8> = dense<2>
func.func @negative_epilogue_input_written_after(%x: memref<3x8xi8>) -> memref<3x16xf32> {
  %w = memref.get_global @w4w : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %half = arith.constant 0.5 : f32
  %m = memref.alloc() : memref<16xf32>
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
  linalg.fill ins(%half : f32) outs(%m : memref<16xf32>)
  %out = memref.alloc() : memref<3x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %m : memref<3x16xi32>, memref<16xf32>) outs(%out : memref<3x16xf32>) {
  ^bb0(%a: i32, %s: f32, %o: f32):
    %0 = arith.sitofp %a : i32 to f32
    %1 = arith.mulf %0, %s : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %acc : memref<3x16xi32>
  memref.dealloc %m : memref<16xf32>
  return %out : memref<3x16xf32>
}

// VNNI-LABEL: func.func @negative_epilogue_input_written_after
// VNNI: %[[M:.*]] = memref.alloc() : memref<16xf32>
// VNNI: %[[ACC:.*]] = memref.alloc() : memref<3x16xi32>
// VNNI: vector.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.fill ins(%{{.*}} : f32) outs(%[[M]] : memref<16xf32>)
// VNNI: linalg.generic {{.*}} ins(%[[ACC]], %[[M]] : memref<3x16xi32>, memref<16xf32>)

// -----

// An epilogue that reads the accumulators a second time, through a view
// made before the contraction: the kernel never stores them, so it cannot
// take the epilogue.
memref.global "private" constant @w4t : memref<8x16xi8> = dense<2>
func.func @negative_epilogue_reads_accumulators_twice(%x: memref<3x8xi8>) -> memref<3x16xf32> {
  %w = memref.get_global @w4t : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  %view = memref.subview %acc[0, 0] [3, 16] [1, 1] : memref<3x16xi32> to memref<3x16xi32, strided<[16, 1]>>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
  %out = memref.alloc() : memref<3x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %view : memref<3x16xi32>, memref<3x16xi32, strided<[16, 1]>>) outs(%out : memref<3x16xf32>) {
  ^bb0(%a: i32, %b: i32, %o: f32):
    %0 = arith.addi %a, %b : i32
    %1 = arith.sitofp %0 : i32 to f32
    linalg.yield %1 : f32
  }
  memref.dealloc %acc : memref<3x16xi32>
  return %out : memref<3x16xf32>
}

// VNNI-LABEL: func.func @negative_epilogue_reads_accumulators_twice
// VNNI: %[[ACC:.*]] = memref.alloc() : memref<3x16xi32>
// VNNI: %[[VIEW:.*]] = memref.subview %[[ACC]]
// VNNI: vector.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.generic {{.*}} ins(%[[ACC]], %[[VIEW]] : memref<3x16xi32>, memref<3x16xi32, strided<[16, 1]>>)

// -----

// Accumulators read twice: no fusion, the i32 outputs are stored.
memref.global "private" constant @w5 : memref<8x16xi8> = dense<2>
func.func @negative_epilogue_two_readers(%x: memref<3x8xi8>, %o1: memref<3x16xf32>, %o2: memref<3x16xf32>) {
  %w = memref.get_global @w5 : memref<8x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x8xi8>, memref<8x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
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

// VNNI-LABEL: func.func @negative_epilogue_two_readers
// VNNI-SAME: %[[O1:[a-z0-9]+]]: memref<3x16xf32>, %[[O2:[a-z0-9]+]]: memref<3x16xf32>
// VNNI: %[[ACC:.*]] = memref.alloc() : memref<3x16xi32>
// VNNI: vector.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.generic {{.*}} ins(%[[ACC]] : memref<3x16xi32>) outs(%[[O1]] : memref<3x16xf32>)
// VNNI: linalg.generic {{.*}} ins(%[[ACC]] : memref<3x16xi32>) outs(%[[O2]] : memref<3x16xf32>)

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
// VNNI-SAME: (%[[X:.*]]: memref<2x4xf32>)
// VNNI-NOT: linalg.
// VNNI: %[[WV:.*]] = vector.load %{{.*}} : memref<64xf32>, vector<16xf32>
// VNNI: %[[XB:.*]] = vector.load %[[X]][%{{.*}}, %{{.*}}] : memref<2x4xf32>, vector<1xf32>
// VNNI-NEXT: %[[XS:.*]] = vector.extract %[[XB]][0] : f32 from vector<1xf32>
// VNNI-NEXT: %[[XV:.*]] = vector.broadcast %[[XS]] : f32 to vector<16xf32>
// VNNI-NEXT: %[[P:.*]] = arith.mulf %[[XV]], %[[WV]] : vector<16xf32>
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
  %zw = arith.constant 0 : i32
  linalg.quantized_matmul ins(%x, %w, %zx, %zw : memref<2x4xi8>, memref<4x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
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
// VNNI-NOT: linalg.quantized_matmul
// VNNI: return

// -----

// An empty reduction stays on the portable loops: its outputs are the
// initial value, which no tile would write.
memref.global "private" constant @w0 : memref<0x16xi8> = dense<>
func.func @negative_empty_reduction(%x: memref<2x0xi8>) -> memref<2x16xi32> {
  %w = memref.get_global @w0 : memref<0x16xi8>
  %c5 = arith.constant 5 : i32
  %zero = arith.constant 0 : i32
  %acc = memref.alloc() : memref<2x16xi32>
  linalg.fill ins(%c5 : i32) outs(%acc : memref<2x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %zero, %zero : memref<2x0xi8>, memref<0x16xi8>, i32, i32) outs(%acc : memref<2x16xi32>)
  return %acc : memref<2x16xi32>
}

// VNNI-LABEL: func.func @negative_empty_reduction
// VNNI: linalg.fill
// VNNI: linalg.quantized_matmul
// VNNI-NOT: vpdpbusd
// VNNI: return

// -----

// A consumer writing a buffer that is not a fresh allocation (it could be
// the kernel's own input) is not fused: the i32 outputs are stored.
memref.global "private" constant @w7 : memref<16x16xi8> = dense<2>
func.func @negative_epilogue_into_argument(%x: memref<3x16xi8>) {
  %w = memref.get_global @w7 : memref<16x16xi8>
  %c0 = arith.constant 0 : i32
  %acc = memref.alloc() : memref<3x16xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<3x16xi32>)
  linalg.quantized_matmul ins(%x, %w, %c0, %c0 : memref<3x16xi8>, memref<16x16xi8>, i32, i32) outs(%acc : memref<3x16xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<3x16xi32>) outs(%x : memref<3x16xi8>) {
  ^bb0(%a: i32, %o: i8):
    %0 = arith.trunci %a : i32 to i8
    linalg.yield %0 : i8
  }
  memref.dealloc %acc : memref<3x16xi32>
  return
}

// VNNI-LABEL: func.func @negative_epilogue_into_argument
// VNNI-SAME: (%[[X:.*]]: memref<3x16xi8>)
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.store %{{.*}} : memref<3x16xi32>, vector<16xi32>
// VNNI: linalg.generic
// VNNI-SAME: outs(%[[X]] : memref<3x16xi8>)
