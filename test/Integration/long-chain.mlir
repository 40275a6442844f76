// RUN: %python %S/Inputs/long_chain.py 3000 > %t.mlir
// RUN: quant-opt %t.mlir --qnn-compile --mlir-print-ir-after=qnn-free-known-buffers -o %t.llvm.mlir 2> %t.buffers.mlir
// RUN: FileCheck %s --check-prefix=BUFFERS --input-file=%t.buffers.mlir
// RUN: mlir-runner %t.llvm.mlir -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// A function of 6,000 quantization ops (the size at which compile time
// used to grow with the square of the ops, docs/benchmark-compile.md)
// compiles, frees its intermediate buffers without upstream's pairwise
// dealloc simplification, and computes what one fake quantization does.
// BUFFERS-LABEL: func.func @chain
// BUFFERS-COUNT-5999: memref.dealloc
// BUFFERS-NOT: bufferization.dealloc (%{{.*}}, %
// BUFFERS: return
// CHECK: data =
// CHECK-NEXT: [[VALUES:\[.*\]]]
// CHECK: data =
// CHECK-NEXT: [[VALUES]]
