// RUN: %python %S/Inputs/deep_nesting.py 6000 > %t-6000.mlir
// RUN: quant-opt %t-6000.mlir --qnn-cpu-check-shapes | FileCheck %s --check-prefix=PARSED
// RUN: %python %S/Inputs/deep_nesting.py 300 > %t-300.mlir
// RUN: quant-opt %t-300.mlir --qnn-compile | FileCheck %s

// Regions nested 6,000 deep overflowed the 8 MiB stack of the main thread
// in MLIR's recursive parser; the tools run on a thread with a larger
// stack (docs/Limits.md). 300 levels compile to the LLVM dialect (time
// grows with the square of the depth, in upstream bufferization).
// PARSED-LABEL: func.func @deep
// PARSED: quant.qcast
// CHECK-LABEL: llvm.func @deep
// CHECK-NOT: scf.if
// CHECK-NOT: quant.
