// RUN: quant-opt %s --qnn-constants-to-globals -split-input-file | FileCheck %s

// Tensor constants get their globals in the order they appear, named after
// their types; equal values share one global; scalars stay constants.
// CHECK: memref.global "private" constant @__constant_2xi8 : memref<2xi8> = dense<[1, 2]> {alignment = 64 : i64}
// CHECK-NEXT: memref.global "private" constant @__constant_2xi8_0 : memref<2xi8> = dense<[3, 4]> {alignment = 64 : i64}
// CHECK-NEXT: memref.global "private" constant @__constant_4xf32 : memref<4xf32> = dense<0.000000e+00> {alignment = 64 : i64}
// CHECK-LABEL: func.func @first
// CHECK: %[[A:.*]] = memref.get_global @__constant_2xi8 : memref<2xi8>
// CHECK: %[[TA:.*]] = bufferization.to_tensor %[[A]] restrict : memref<2xi8> to tensor<2xi8>
// CHECK: %[[B:.*]] = memref.get_global @__constant_2xi8_0 : memref<2xi8>
// CHECK: %[[TB:.*]] = bufferization.to_tensor %[[B]] restrict : memref<2xi8> to tensor<2xi8>
// CHECK: %[[S:.*]] = arith.constant 7 : i8
// CHECK: return %[[TA]], %[[TB]], %[[S]]
// CHECK-LABEL: func.func @second
// CHECK: %[[A2:.*]] = memref.get_global @__constant_2xi8 : memref<2xi8>
// CHECK: bufferization.to_tensor %[[A2]] restrict : memref<2xi8> to tensor<2xi8>
// CHECK: memref.get_global @__constant_4xf32
// CHECK-NOT: arith.constant dense
func.func @first() -> (tensor<2xi8>, tensor<2xi8>, i8) {
  %a = arith.constant dense<[1, 2]> : tensor<2xi8>
  %b = arith.constant dense<[3, 4]> : tensor<2xi8>
  %s = arith.constant 7 : i8
  return %a, %b, %s : tensor<2xi8>, tensor<2xi8>, i8
}
func.func @second() -> (tensor<2xi8>, tensor<4xf32>) {
  %a = arith.constant dense<[1, 2]> : tensor<2xi8>
  %z = arith.constant dense<0.0> : tensor<4xf32>
  return %a, %z : tensor<2xi8>, tensor<4xf32>
}

// -----

// Vectors are not tensors: left alone.
// CHECK-LABEL: func.func @negative_vector
// CHECK: arith.constant dense<1> : vector<4xi32>
// CHECK-NOT: memref.global
func.func @negative_vector() -> vector<4xi32> {
  %v = arith.constant dense<1> : vector<4xi32>
  return %v : vector<4xi32>
}
