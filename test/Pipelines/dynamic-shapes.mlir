// RUN: quant-opt %s --qnn-fold-batch-norm --qnn-calibration-to-fake-quant --qnn-store-weights --qnn-eliminate-sparsity --qnn-rewrite-int8 | FileCheck %s --check-prefix=QUANTIZED
// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=x86-avx512-vnni 2>&1 | FileCheck %s
// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=aarch64-i8mm 2>&1 | FileCheck %s

// Every dimension dynamic, through every pass of both halves: the
// operations whose folding needs static shapes stay computed at run time,
// the matmul becomes integer (its weights quantized at run time) and says
// why it is not on a kernel, and the result is the LLVM dialect.
// QUANTIZED-LABEL: func.func @dynamic
// QUANTIZED: linalg.quantized_matmul {{.*}} tensor<?x?xi8>, tensor<?x?xi8>, i32, i32) outs(%{{.*}} : tensor<?x?xi32>)
// QUANTIZED: qnn.prune_mask
// CHECK: remark: left to portable loops
// CHECK-LABEL: llvm.func @dynamic
// CHECK-NOT: quant.
// CHECK-NOT: qnn.
!qa = !quant.uniform<i8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.02>
func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %n = tensor.dim %w, %c1 : tensor<?x?xf32>
  %xq = quant.qcast %x : tensor<?x?xf32> to tensor<?x?x!qa>
  %xd = quant.dcast %xq : tensor<?x?x!qa> to tensor<?x?xf32>
  %wq = qnn.fake_quant %w to !qw : tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %y = linalg.matmul ins(%xd, %wq : tensor<?x?xf32>, tensor<?x?xf32>) outs(%z : tensor<?x?xf32>) -> tensor<?x?xf32>
  %cal = qnn.calibrate %y min_max to i8 min = [-1.0] max = [1.0] : tensor<?x?xf32>
  %bin = qnn.binarize %cal scale<mean_abs> : tensor<?x?xf32>
  %t = qnn.ternarize %bin : tensor<?x?xf32>
  %mask = qnn.prune_mask %t magnitude threshold = 0.5 : tensor<?x?xf32>
  %p = qnn.apply_mask %t, %mask : tensor<?x?xf32>, tensor<?x?xi1>
  return %p : tensor<?x?xf32>
}
