// RUN: quant-opt %s --split-input-file --qnn-cpu-vectorize-bitpack | FileCheck %s

// The lowering of qnn.bitpack, on buffers, packs each word with one vector
// compare whose mask is the word.

// CHECK-LABEL: func.func @bitpack
// CHECK-SAME: (%[[X:.*]]: memref<?x2x32xf32>, %[[OUT:.*]]: memref<?x2xi32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<32xf32>
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[ROWS:.*]] = memref.dim %[[OUT]], %[[C0]]
// CHECK: scf.for %[[I:.*]] = %[[C0]] to %[[ROWS]] step %[[C1]]
// CHECK: scf.for %[[J:.*]] = %[[C0]] to %[[C2]] step %[[C1]]
// CHECK: %[[V:.*]] = vector.load %[[X]][%[[I]], %[[J]], %[[C0]]] : memref<?x2x32xf32>, vector<32xf32>
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[V]], %[[ZERO]] : vector<32xf32>
// CHECK: %[[BITS:.*]] = vector.bitcast %[[NEG]] : vector<32xi1> to vector<1xi32>
// CHECK: %[[WORD:.*]] = vector.extract %[[BITS]][0] : i32 from vector<1xi32>
// CHECK: %[[OLD:.*]] = memref.load %[[OUT]][%[[I]], %[[J]]]
// CHECK: %[[NEW:.*]] = arith.ori %[[OLD]], %[[WORD]] : i32
// CHECK: memref.store %[[NEW]], %[[OUT]][%[[I]], %[[J]]]
// CHECK-NOT: linalg.generic
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#word = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @bitpack(%x: memref<?x2x32xf32>, %out: memref<?x2xi32>) {
  linalg.generic {indexing_maps = [#id, #word], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<?x2x32xf32>) outs(%out : memref<?x2xi32>) {
  ^bb0(%in: f32, %acc: i32):
    %b = linalg.index 2 : index
    %s = arith.index_cast %b : index to i32
    %one = arith.constant 1 : i32
    %zero = arith.constant 0 : i32
    %fzero = arith.constant 0.000000e+00 : f32
    %neg = arith.cmpf olt, %in, %fzero : f32
    %bit = arith.shli %one, %s : i32
    %sel = arith.select %neg, %bit, %zero : i32
    %or = arith.ori %acc, %sel : i32
    linalg.yield %or : i32
  }
  return
}

// -----

// A compare other than x < 0.0 is not a bit packing.
// CHECK-LABEL: func.func @negative_greater
// CHECK: linalg.generic
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#word = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @negative_greater(%x: memref<4x2x32xf32>, %out: memref<4x2xi32>) {
  linalg.generic {indexing_maps = [#id, #word], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<4x2x32xf32>) outs(%out : memref<4x2xi32>) {
  ^bb0(%in: f32, %acc: i32):
    %b = linalg.index 2 : index
    %s = arith.index_cast %b : index to i32
    %one = arith.constant 1 : i32
    %zero = arith.constant 0 : i32
    %fzero = arith.constant 0.000000e+00 : f32
    %neg = arith.cmpf ogt, %in, %fzero : f32
    %bit = arith.shli %one, %s : i32
    %sel = arith.select %neg, %bit, %zero : i32
    %or = arith.ori %acc, %sel : i32
    linalg.yield %or : i32
  }
  return
}

// -----

// Bits placed by another index than the word's are not a bit packing.
// CHECK-LABEL: func.func @negative_other_index
// CHECK: linalg.generic
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#word = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @negative_other_index(%x: memref<4x2x32xf32>, %out: memref<4x2xi32>) {
  linalg.generic {indexing_maps = [#id, #word], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<4x2x32xf32>) outs(%out : memref<4x2xi32>) {
  ^bb0(%in: f32, %acc: i32):
    %b = linalg.index 0 : index
    %s = arith.index_cast %b : index to i32
    %one = arith.constant 1 : i32
    %zero = arith.constant 0 : i32
    %fzero = arith.constant 0.000000e+00 : f32
    %neg = arith.cmpf olt, %in, %fzero : f32
    %bit = arith.shli %one, %s : i32
    %sel = arith.select %neg, %bit, %zero : i32
    %or = arith.ori %acc, %sel : i32
    linalg.yield %or : i32
  }
  return
}
