// RUN: quant-compile %s --target=generic --emit=llvm -o /dev/null --header=%t.h
// RUN: FileCheck %s < %t.h

// CHECK: #ifndef QUANT_COMPILE_HEADER_MLIR_TMP_H
// CHECK: #include <stdint.h>
// CHECK: struct qnn_memref_int8_2d {
// CHECK-NEXT:   int8_t *allocated;
// CHECK-NEXT:   int8_t *aligned;
// CHECK-NEXT:   int64_t offset;
// CHECK-NEXT:   int64_t sizes[2];
// CHECK-NEXT:   int64_t strides[2];
// CHECK-NEXT: };
// CHECK: struct qnn_memref_float_0d {
// CHECK-NEXT:   float *allocated;
// CHECK-NEXT:   float *aligned;
// CHECK-NEXT:   int64_t offset;
// CHECK-NEXT: };
// CHECK: void _mlir_ciface_codes(struct qnn_memref_int8_2d *result, struct qnn_memref_int8_2d *arg0, int64_t arg1);
// CHECK: float _mlir_ciface_scalar(struct qnn_memref_float_0d *arg0, int32_t arg1);
// CHECK: void _mlir_ciface_nothing(void);
// CHECK-NOT: helper
// CHECK: #endif

func.func @codes(%x: tensor<2x3xi8>, %i: index) -> tensor<2x3xi8> {
  %c = call @helper(%x) : (tensor<2x3xi8>) -> tensor<2x3xi8>
  return %c : tensor<2x3xi8>
}

func.func @scalar(%x: tensor<f32>, %n: i32) -> f32 {
  %v = tensor.extract %x[] : tensor<f32>
  return %v : f32
}

func.func @nothing() {
  return
}

func.func private @helper(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
  return %x : tensor<2x3xi8>
}
