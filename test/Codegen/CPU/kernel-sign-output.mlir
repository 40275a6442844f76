// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-64-v3 --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=aarch64-dotprod --qnn-cpu-lower-contractions 2>/dev/null | FileCheck %s --check-prefix=NEON
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=generic --qnn-cpu-lower-contractions | FileCheck %s --check-prefix=GENERIC
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions --verify-diagnostics -o /dev/null
// RUN: quant-opt %s --split-input-file --qnn-cpu-attach-target=target=x86-avx512-vnni --qnn-cpu-lower-contractions=pack-signs=false 2>&1 | FileCheck %s --check-prefix=SEPARATE

// A layer whose output only feeds the next binary layer: the lowering of
// qnn.bitpack reads the epilogue's f32 output through a split of its
// channels into 32-bit words. The kernel applies the epilogue, takes
// `y < 0` of each accumulator vector as a mask, and ors the mask into the
// word of its channels at bit (channel mod 32), in words zeroed before the
// kernel. Neither the f32 output nor the packing loop remains.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#ch = affine_map<(m, n) -> (n)>
#bits = affine_map<(m, w, b) -> (m, w, b)>
#words = affine_map<(m, w, b) -> (m, w)>
memref.global "private" constant @w : memref<64x2xi32> = dense<3>
memref.global "private" constant @m : memref<64xf32> = dense<0.5>
memref.global "private" constant @t : memref<64xf32> = dense<-20.0>

// VNNI-LABEL: func.func @binary_to_bits
// VNNI-SAME: (%{{.*}}: memref<5x2xi32>, %[[OUT:.*]]: memref<5x2xi32>)
// VNNI-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// VNNI: %[[WORDS:.*]] = memref.alloc() : memref<5x2xi32>
// VNNI-NEXT: linalg.fill ins(%[[ZERO]] : i32) outs(%[[WORDS]] : memref<5x2xi32>)
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: %[[D:.*]] = arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// VNNI: %[[S:.*]] = arith.mulf %[[D]], %{{.*}} : vector<16xf32>
// VNNI: %[[Y:.*]] = arith.addf %[[S]], %{{.*}} : vector<16xf32>
// VNNI: %[[NEG:.*]] = arith.cmpf olt, %[[Y]], %{{.*}} : vector<16xf32>
// VNNI: %[[MASK:.*]] = vector.bitcast %[[NEG]] : vector<16xi1> to vector<1xi16>
// VNNI: %[[BITS:.*]] = vector.extract %[[MASK]][0] : i16 from vector<1xi16>
// VNNI: %[[WIDE:.*]] = arith.extui %[[BITS]] : i16 to i32
// VNNI: %[[AT:.*]] = arith.remui %[[COL:.*]], %{{.*}} : index
// VNNI: %[[SHIFT:.*]] = arith.index_cast %[[AT]] : index to i32
// VNNI: %[[PLACED:.*]] = arith.shli %[[WIDE]], %[[SHIFT]] : i32
// VNNI: %[[WORD:.*]] = arith.divui %[[COL]], %{{.*}} : index
// VNNI: %[[OLD:.*]] = memref.load %[[WORDS]][%[[ROW:.*]], %[[WORD]]] : memref<5x2xi32>
// VNNI: %[[NEW:.*]] = arith.ori %[[OLD]], %[[PLACED]] : i32
// VNNI: memref.store %[[NEW]], %[[WORDS]][%[[ROW]], %[[WORD]]] : memref<5x2xi32>
// VNNI-NOT: linalg.generic
// VNNI-NOT: memref<5x64xf32>
// VNNI: memref.copy %[[WORDS]], %[[OUT]]

// AVX2-LABEL: func.func @binary_to_bits
// AVX2: %[[NEG:.*]] = arith.cmpf olt, %{{.*}} : vector<8xf32>
// AVX2: %[[MASK:.*]] = vector.bitcast %[[NEG]] : vector<8xi1> to vector<1xi8>
// AVX2: %[[BITS:.*]] = vector.extract %[[MASK]][0] : i8 from vector<1xi8>
// AVX2: arith.extui %[[BITS]] : i8 to i32
// AVX2-NOT: linalg.generic

// NEON-LABEL: func.func @binary_to_bits
// NEON: arm_neon.intr.sdot
// NEON: %[[NEG:.*]] = arith.cmpf olt, %{{.*}} : vector<4xf32>
// NEON: %[[MASK:.*]] = vector.bitcast %[[NEG]] : vector<4xi1> to vector<1xi4>
// NEON: %[[BITS:.*]] = vector.extract %[[MASK]][0] : i4 from vector<1xi4>
// NEON: arith.extui %[[BITS]] : i4 to i32
// NEON-NOT: linalg.generic

// With pack-signs=false the kernel writes the f32 output and the packing
// stays a loop of its own, without a remark.
// SEPARATE-NOT: remark
// SEPARATE-LABEL: func.func @binary_to_bits
// SEPARATE: %[[Y:.*]] = memref.alloc() : memref<5x64xf32>
// SEPARATE: vector.store %{{.*}}, %[[Y]]
// SEPARATE: %[[SPLIT:.*]] = memref.expand_shape %[[Y]]
// SEPARATE: linalg.generic {{.*}} ins(%[[SPLIT]] : memref<5x2x32xf32>)

// The portable loops keep the packing.
// GENERIC-LABEL: func.func @binary_to_bits
// GENERIC-COUNT-3: linalg.generic
// GENERIC: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
func.func @binary_to_bits(%x: memref<5x2xi32>, %out: memref<5x2xi32>) {
  // expected-remark @+10 {{the kernel writes the signs of its output packed, for the next binary layer}}
  %w = memref.get_global @w : memref<64x2xi32>
  %m = memref.get_global @m : memref<64xf32>
  %t = memref.get_global @t : memref<64xf32>
  %k = arith.constant 64 : i32
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<5x64xi32>
  linalg.fill ins(%k : i32) outs(%acc : memref<5x64xi32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<5x2xi32>, memref<64x2xi32>) outs(%acc : memref<5x64xi32>) {
  ^bb0(%in: i32, %in_0: i32, %o: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %2 = arith.shli %1, %c1_i32 : i32
    %3 = arith.subi %o, %2 : i32
    linalg.yield %3 : i32
  }
  %y = memref.alloc() : memref<5x64xf32>
  linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%acc, %m, %t : memref<5x64xi32>, memref<64xf32>, memref<64xf32>) outs(%y : memref<5x64xf32>) {
  ^bb0(%in: i32, %s: f32, %b: f32, %o: f32):
    %0 = arith.sitofp %in : i32 to f32
    %1 = arith.mulf %0, %s : f32
    %2 = arith.addf %1, %b : f32
    linalg.yield %2 : f32
  }
  %split = memref.expand_shape %y [[0], [1, 2]] output_shape [5, 2, 32] : memref<5x64xf32> into memref<5x2x32xf32>
  %words = memref.alloc() : memref<5x2xi32>
  linalg.fill ins(%c0_i32 : i32) outs(%words : memref<5x2xi32>)
  linalg.generic {indexing_maps = [#bits, #words], iterator_types = ["parallel", "parallel", "reduction"]} ins(%split : memref<5x2x32xf32>) outs(%words : memref<5x2xi32>) {
  ^bb0(%in: f32, %o: i32):
    %0 = linalg.index 2 : index
    %1 = arith.index_cast %0 : index to i32
    %2 = arith.cmpf olt, %in, %zero : f32
    %3 = arith.shli %c1_i32, %1 : i32
    %4 = arith.select %2, %3, %c0_i32 : i32
    %5 = arith.ori %o, %4 : i32
    linalg.yield %5 : i32
  }
  memref.copy %words, %out : memref<5x2xi32> to memref<5x2xi32>
  memref.dealloc %acc : memref<5x64xi32>
  memref.dealloc %y : memref<5x64xf32>
  memref.dealloc %words : memref<5x2xi32>
  return
}

// -----

// The f32 output is also returned: it stays, and the packing runs after
// the kernel.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#bits = affine_map<(m, w, b) -> (m, w, b)>
#words = affine_map<(m, w, b) -> (m, w)>
memref.global "private" constant @w : memref<32x1xi32> = dense<3>

// AVX2-LABEL: func.func @negative_float_output_read
// NEON-LABEL: func.func @negative_float_output_read
// VNNI-LABEL: func.func @negative_float_output_read
// VNNI-SAME: %[[FLOATS:[a-z0-9]*]]: memref<4x32xf32>
// VNNI: %[[Y:.*]] = memref.alloc() : memref<4x32xf32>
// VNNI: vector.store %{{.*}}, %[[Y]]
// VNNI: %[[SPLIT:.*]] = memref.expand_shape %[[Y]]
// VNNI: linalg.generic {{.*}} ins(%[[SPLIT]] : memref<4x1x32xf32>)
// VNNI: memref.copy %[[Y]], %[[FLOATS]]
func.func @negative_float_output_read(%x: memref<4x1xi32>, %out: memref<4x1xi32>, %floats: memref<4x32xf32>) {
  %w = memref.get_global @w : memref<32x1xi32>
  %k = arith.constant 32 : i32
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<4x32xi32>
  linalg.fill ins(%k : i32) outs(%acc : memref<4x32xi32>)
  // expected-remark @+1 {{signs packed after the kernel: the float output has another reader}}
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x1xi32>, memref<32x1xi32>) outs(%acc : memref<4x32xi32>) {
  ^bb0(%in: i32, %in_0: i32, %o: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %2 = arith.shli %1, %c1_i32 : i32
    %3 = arith.subi %o, %2 : i32
    linalg.yield %3 : i32
  }
  %y = memref.alloc() : memref<4x32xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<4x32xi32>) outs(%y : memref<4x32xf32>) {
  ^bb0(%in: i32, %o: f32):
    %0 = arith.sitofp %in : i32 to f32
    linalg.yield %0 : f32
  }
  %split = memref.expand_shape %y [[0], [1, 2]] output_shape [4, 1, 32] : memref<4x32xf32> into memref<4x1x32xf32>
  %words = memref.alloc() : memref<4x1xi32>
  linalg.fill ins(%c0_i32 : i32) outs(%words : memref<4x1xi32>)
  linalg.generic {indexing_maps = [#bits, #words], iterator_types = ["parallel", "parallel", "reduction"]} ins(%split : memref<4x1x32xf32>) outs(%words : memref<4x1xi32>) {
  ^bb0(%in: f32, %o: i32):
    %0 = linalg.index 2 : index
    %1 = arith.index_cast %0 : index to i32
    %2 = arith.cmpf olt, %in, %zero : f32
    %3 = arith.shli %c1_i32, %1 : i32
    %4 = arith.select %2, %3, %c0_i32 : i32
    %5 = arith.ori %o, %4 : i32
    linalg.yield %5 : i32
  }
  memref.copy %words, %out : memref<4x1xi32> to memref<4x1xi32>
  memref.copy %y, %floats : memref<4x32xf32> to memref<4x32xf32>
  memref.dealloc %acc : memref<4x32xi32>
  memref.dealloc %y : memref<4x32xf32>
  memref.dealloc %words : memref<4x1xi32>
  return
}

// -----

// The words are the caller's buffer, not zeroed here: the kernel cannot
// or its bits into them.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#bits = affine_map<(m, w, b) -> (m, w, b)>
#words = affine_map<(m, w, b) -> (m, w)>
memref.global "private" constant @w : memref<32x1xi32> = dense<3>

// VNNI-LABEL: func.func @negative_words_not_zeroed
// VNNI-SAME: (%{{.*}}: memref<4x1xi32>, %[[OUT:.*]]: memref<4x1xi32>)
// VNNI: %[[Y:.*]] = memref.alloc() : memref<4x32xf32>
// VNNI: vector.store %{{.*}}, %[[Y]]
// VNNI: %[[SPLIT:.*]] = memref.expand_shape %[[Y]]
// VNNI: linalg.generic {{.*}} ins(%[[SPLIT]] : memref<4x1x32xf32>) outs(%[[OUT]] : memref<4x1xi32>)
func.func @negative_words_not_zeroed(%x: memref<4x1xi32>, %out: memref<4x1xi32>) {
  %w = memref.get_global @w : memref<32x1xi32>
  %k = arith.constant 32 : i32
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<4x32xi32>
  linalg.fill ins(%k : i32) outs(%acc : memref<4x32xi32>)
  // expected-remark @+1 {{signs packed after the kernel: the words are not a fresh, zero-filled allocation}}
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x1xi32>, memref<32x1xi32>) outs(%acc : memref<4x32xi32>) {
  ^bb0(%in: i32, %in_0: i32, %o: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %2 = arith.shli %1, %c1_i32 : i32
    %3 = arith.subi %o, %2 : i32
    linalg.yield %3 : i32
  }
  %y = memref.alloc() : memref<4x32xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%acc : memref<4x32xi32>) outs(%y : memref<4x32xf32>) {
  ^bb0(%in: i32, %o: f32):
    %0 = arith.sitofp %in : i32 to f32
    linalg.yield %0 : f32
  }
  %split = memref.expand_shape %y [[0], [1, 2]] output_shape [4, 1, 32] : memref<4x32xf32> into memref<4x1x32xf32>
  linalg.generic {indexing_maps = [#bits, #words], iterator_types = ["parallel", "parallel", "reduction"]} ins(%split : memref<4x1x32xf32>) outs(%out : memref<4x1xi32>) {
  ^bb0(%in: f32, %o: i32):
    %0 = linalg.index 2 : index
    %1 = arith.index_cast %0 : index to i32
    %2 = arith.cmpf olt, %in, %zero : f32
    %3 = arith.shli %c1_i32, %1 : i32
    %4 = arith.select %2, %3, %c0_i32 : i32
    %5 = arith.ori %o, %4 : i32
    linalg.yield %5 : i32
  }
  memref.dealloc %acc : memref<4x32xi32>
  memref.dealloc %y : memref<4x32xf32>
  return
}

// -----

// A binary convolution: the patch matmul's rows are the output pixels, its
// epilogue reads them through an expand_shape to NHWC and adds the
// zero-padding correction of each position before scaling. The kernel
// finds the pixel of each row (row = (n * 3 + oh) * 3 + ow), applies the
// epilogue with the position's correction and writes the signs into the
// NHWC words.

#a = affine_map<(m, n, w) -> (m, w)>
#b = affine_map<(m, n, w) -> (n, w)>
#c = affine_map<(m, n, w) -> (m, n)>
#px = affine_map<(n, h, w, f) -> (n, h, w, f)>
#pos = affine_map<(n, h, w, f) -> (h, w, f)>
#ch = affine_map<(n, h, w, f) -> (f)>
#bits = affine_map<(n, h, w, g, b) -> (n, h, w, g, b)>
#words = affine_map<(n, h, w, g, b) -> (n, h, w, g)>
memref.global "private" constant @w : memref<32x3xi32> = dense<5>
memref.global "private" constant @corr : memref<3x3x32xi32> = dense<-4>
memref.global "private" constant @m : memref<32xf32> = dense<0.5>

// VNNI-LABEL: func.func @binary_conv_to_bits
// VNNI-SAME: (%{{.*}}: memref<9x3xi32>, %[[OUT:.*]]: memref<1x3x3x1xi32>)
// VNNI-DAG: %[[CORR:.*]] = memref.get_global @corr : memref<3x3x32xi32>
// VNNI-DAG: %[[WORDS:.*]] = memref.alloc() : memref<1x3x3x1xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: %[[OW:.*]] = arith.remui %[[ROW:.*]], %[[THREE:.*]] : index
// VNNI: %[[R1:.*]] = arith.divui %[[ROW]], %[[THREE]] : index
// VNNI: %[[OH:.*]] = arith.remui %[[R1]], %[[THREE2:.*]] : index
// VNNI: %[[N:.*]] = arith.divui %[[R1]], %[[THREE2]] : index
// VNNI: %[[CV:.*]] = vector.load %[[CORR]][%[[OH]], %[[OW]], %[[COL:.*]]] : memref<3x3x32xi32>, vector<16xi32>
// VNNI: %[[SUM:.*]] = arith.addi %{{.*}}, %[[CV]] : vector<16xi32>
// VNNI: %[[NEG:.*]] = arith.cmpf olt, %{{.*}} : vector<16xf32>
// VNNI: vector.bitcast %[[NEG]] : vector<16xi1> to vector<1xi16>
// VNNI: %[[WORD:.*]] = arith.divui %[[COL]], %{{.*}} : index
// VNNI: %[[OLD:.*]] = memref.load %[[WORDS]][%[[N]], %[[OH]], %[[OW]], %[[WORD]]] : memref<1x3x3x1xi32>
// VNNI: memref.store %{{.*}}, %[[WORDS]][%[[N]], %[[OH]], %[[OW]], %[[WORD]]] : memref<1x3x3x1xi32>
// VNNI-NOT: linalg.generic
// VNNI-NOT: memref.expand_shape
// VNNI: memref.copy %[[WORDS]], %[[OUT]]
func.func @binary_conv_to_bits(%x: memref<9x3xi32>, %out: memref<1x3x3x1xi32>) {
  %w = memref.get_global @w : memref<32x3xi32>
  %corr = memref.get_global @corr : memref<3x3x32xi32>
  %m = memref.get_global @m : memref<32xf32>
  %k = arith.constant 72 : i32
  %c0_i32 = arith.constant 0 : i32
  %c1_i32 = arith.constant 1 : i32
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<9x32xi32>
  linalg.fill ins(%k : i32) outs(%acc : memref<9x32xi32>)
  // expected-remark @+1 {{the kernel writes the signs of its output packed, for the next binary layer}}
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<9x3xi32>, memref<32x3xi32>) outs(%acc : memref<9x32xi32>) {
  ^bb0(%in: i32, %in_0: i32, %o: i32):
    %0 = arith.xori %in, %in_0 : i32
    %1 = math.ctpop %0 : i32
    %2 = arith.shli %1, %c1_i32 : i32
    %3 = arith.subi %o, %2 : i32
    linalg.yield %3 : i32
  }
  %pixels = memref.expand_shape %acc [[0, 1, 2], [3]] output_shape [1, 3, 3, 32] : memref<9x32xi32> into memref<1x3x3x32xi32>
  %y = memref.alloc() : memref<1x3x3x32xf32>
  linalg.generic {indexing_maps = [#px, #pos, #ch, #px], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%pixels, %corr, %m : memref<1x3x3x32xi32>, memref<3x3x32xi32>, memref<32xf32>) outs(%y : memref<1x3x3x32xf32>) {
  ^bb0(%in: i32, %cr: i32, %s: f32, %o: f32):
    %0 = arith.addi %in, %cr : i32
    %1 = arith.sitofp %0 : i32 to f32
    %2 = arith.mulf %1, %s : f32
    linalg.yield %2 : f32
  }
  %split = memref.expand_shape %y [[0], [1], [2], [3, 4]] output_shape [1, 3, 3, 1, 32] : memref<1x3x3x32xf32> into memref<1x3x3x1x32xf32>
  %words = memref.alloc() : memref<1x3x3x1xi32>
  linalg.fill ins(%c0_i32 : i32) outs(%words : memref<1x3x3x1xi32>)
  linalg.generic {indexing_maps = [#bits, #words], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%split : memref<1x3x3x1x32xf32>) outs(%words : memref<1x3x3x1xi32>) {
  ^bb0(%in: f32, %o: i32):
    %0 = linalg.index 4 : index
    %1 = arith.index_cast %0 : index to i32
    %2 = arith.cmpf olt, %in, %zero : f32
    %3 = arith.shli %c1_i32, %1 : i32
    %4 = arith.select %2, %3, %c0_i32 : i32
    %5 = arith.ori %o, %4 : i32
    linalg.yield %5 : i32
  }
  memref.copy %words, %out : memref<1x3x3x1xi32> to memref<1x3x3x1xi32>
  memref.dealloc %acc : memref<9x32xi32>
  memref.dealloc %y : memref<1x3x3x32xf32>
  memref.dealloc %words : memref<1x3x3x1xi32>
  return
}
