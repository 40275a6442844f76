// RUN: quant-opt %s --qnn-cpu-detach-elementwise-outputs -split-input-file | FileCheck %s

// convert-elementwise-to-linalg's addition writes into its first operand;
// it gets a tensor.empty of its own, dynamic sizes included.
// CHECK-LABEL: func.func @add_into_operand
// CHECK-SAME: (%[[A:.*]]: tensor<?x16xf32>, %[[B:.*]]: tensor<?x16xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[A]], %[[C0]] : tensor<?x16xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[D0]]) : tensor<?x16xf32>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<?x16xf32>, tensor<?x16xf32>) outs(%[[E]] : tensor<?x16xf32>)
// CHECK: return %[[R]]
func.func @add_into_operand(%a: tensor<?x16xf32>, %b: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<?x16xf32>, tensor<?x16xf32>) outs(%a : tensor<?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// A body that reads its output (an accumulation), a reduction and an op
// already writing a tensor.empty keep their outputs.
// CHECK-LABEL: func.func @negative_reads_output
// CHECK: linalg.generic {{.*}} outs(%arg1 : tensor<16xf32>)
// CHECK: linalg.generic {{.*}} outs(%arg2 : tensor<f32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK-NOT: tensor.empty
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @negative_reads_output(%a: tensor<16xf32>, %acc: tensor<16xf32>, %sum: tensor<f32>) -> (tensor<16xf32>, tensor<f32>, tensor<16xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<16xf32>) outs(%acc : tensor<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%a : tensor<16xf32>) outs(%sum : tensor<f32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<f32>
  %e = tensor.empty() : tensor<16xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<16xf32>
  return %0, %1, %2 : tensor<16xf32>, tensor<f32>, tensor<16xf32>
}

// -----

// On buffers nothing changes.
// CHECK-LABEL: func.func @negative_buffers
// CHECK: linalg.generic {{.*}} outs(%arg0 : memref<16xf32>)
func.func @negative_buffers(%a: memref<16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  return
}
