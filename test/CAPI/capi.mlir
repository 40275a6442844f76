// The C API from a C program: registration, --qnn-quantize, --qnn-compile
// (checked to leave the LLVM dialect), an object file, and errors.
// RUN: qnn-capi-test %t.o | FileCheck %s
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=SYMBOLS

// CHECK:      qnn dialect loaded: 1
// CHECK-NEXT: quantize: 1
// CHECK-NEXT: compile: 1
// CHECK-NEXT: llvm.func: 1, linalg ops left: 0
// CHECK-NEXT: object: 1
// CHECK-NEXT: diagnostic: unknown target 'z80'; expected one of
// CHECK-NEXT: unknown target: 1
// CHECK-NEXT: diagnostic: invalid pipeline options 'colour=red'
// CHECK-NEXT: invalid options: 1
// CHECK-NEXT: diagnostic: not a serialized ONNX model
// CHECK-NEXT: not an ONNX model: 1

// SYMBOLS: T layer
