// RUN: quant-opt %s --qnn-compile | FileCheck %s
// RUN: quant-opt %s --qnn-compile="target=generic" | FileCheck %s
// RUN: quant-opt %s --qnn-compile | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: not quant-opt %s --qnn-compile="target=tpu" 2>&1 | FileCheck %s --check-prefix=BAD-TARGET

// The pipeline takes func/arith/tensor/linalg/qnn/quant to the LLVM dialect
// only; upstream fake quantization (qcast + dcast) survives as arithmetic.

// CHECK-LABEL: llvm.func @kernel
// CHECK: llvm.intr.roundeven
// CHECK: llvm.fptosi
// CHECK: llvm.sitofp
// CHECK-LABEL: llvm.func @_mlir_ciface_kernel
// CHECK-NOT: qnn.
// CHECK-NOT: quant.
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.

// LLVMIR: define void @_mlir_ciface_kernel(

// BAD-TARGET: for the --target option: unknown target 'tpu'; expected one of host, generic, x86-64-v3, x86-avx512-vnni, aarch64, aarch64-dotprod, aarch64-i8mm, x86-avx512-bitalg

func.func @kernel(%x: tensor<8xf32>, %w: tensor<8xf32>) -> tensor<8xf32> attributes {llvm.emit_c_interface} {
  %q = quant.qcast %x : tensor<8xf32> to tensor<8x!quant.uniform<i8:f32, 0.1:3>>
  %xq = quant.dcast %q : tensor<8x!quant.uniform<i8:f32, 0.1:3>> to tensor<8xf32>
  %wq = qnn.fake_quant %w to !quant.uniform<i8<-127:127>:f32, 0.05> : tensor<8xf32>
  %m = qnn.prune_mask %wq n_m n = 2 m = 4 : tensor<8xf32>
  %wp = qnn.apply_mask %wq, %m : tensor<8xf32>, tensor<8xi1>
  %y = arith.mulf %xq, %wp : tensor<8xf32>
  return %y : tensor<8xf32>
}
