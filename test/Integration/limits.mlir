// RUN: quant-opt %s --qnn-quantize --qnn-compile=target=generic | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s
// RUN: %if x86-64-v3 %{ quant-opt %s --qnn-quantize --qnn-compile=target=x86-64-v3 | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s %}
// RUN: %if x86-avx512-vnni %{ quant-opt %s --qnn-quantize --qnn-compile="target=x86-avx512-vnni summary=true" -o %t.mlir 2> %t.remarks %}
// RUN: %if x86-avx512-vnni %{ mlir-runner %t.mlir -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s %}
// RUN: %if x86-avx512-vnni %{ FileCheck %s --check-prefix=KERNELS --input-file=%t.remarks %}

// The defined results at the limits (docs/Limits.md), on every target.

// The i8 x i8 accumulators are i32 and wrap modulo 2^32, on the kernels
// as on the portable loops: (-128) * (-128) summed 131,071 times is
// 2,147,467,264 < 2^31; 131,073 times it is 2,147,500,032, which wraps to
// -2,147,467,264.
// CHECK: k=131071: 2147467264
// CHECK-NEXT: k=131073: -2147467264
// KERNELS: remark: contractions: 2 on integer kernels, 1 integer on portable loops
func.func @long_k_131071(%x: tensor<1x131071xi8>) -> tensor<1x16xi32> {
  %w = arith.constant dense<-128> : tensor<131071x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x16xi32>) -> tensor<1x16xi32>
  %y = linalg.quantized_matmul ins(%x, %w, %zero, %zero : tensor<1x131071xi8>, tensor<131071x16xi8>, i32, i32) outs(%init : tensor<1x16xi32>) -> tensor<1x16xi32>
  return %y : tensor<1x16xi32>
}

func.func @long_k_131073(%x: tensor<1x131073xi8>) -> tensor<1x16xi32> {
  %w = arith.constant dense<-128> : tensor<131073x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x16xi32>) -> tensor<1x16xi32>
  %y = linalg.quantized_matmul ins(%x, %w, %zero, %zero : tensor<1x131073xi8>, tensor<131073x16xi8>, i32, i32) outs(%init : tensor<1x16xi32>) -> tensor<1x16xi32>
  return %y : tensor<1x16xi32>
}

// An empty reduction (K = 0) leaves the initial value.
// CHECK-NEXT: k=0: 7
func.func @empty_k(%x: tensor<2x0xi8>) -> tensor<2x16xi32> {
  %w = arith.constant dense<1> : tensor<0x16xi8>
  %seven = arith.constant 7 : i32
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<2x16xi32>
  %init = linalg.fill ins(%seven : i32) outs(%e : tensor<2x16xi32>) -> tensor<2x16xi32>
  %y = linalg.quantized_matmul ins(%x, %w, %zero, %zero : tensor<2x0xi8>, tensor<0x16xi8>, i32, i32) outs(%init : tensor<2x16xi32>) -> tensor<2x16xi32>
  return %y : tensor<2x16xi32>
}

// NaN and -Inf quantize to qmin, +Inf and 1e30 saturate to qmax, -0.0 to
// the zero point (docs/QNN.md, quantization rule 5).
// CHECK: special values: Unranked Memref {{.*}} sizes = [5]
// CHECK-NEXT: [-128,  127,  -128,  127,  3]
func.func @special_values(%x: tensor<5xf32>) -> tensor<5xi8> {
  %q = quant.qcast %x : tensor<5xf32> to tensor<5x!quant.uniform<i8:f32, 0.1:3>>
  %s = quant.scast %q : tensor<5x!quant.uniform<i8:f32, 0.1:3>> to tensor<5xi8>
  return %s : tensor<5xi8>
}

// Calibration of a constant input: a range of zero (min = max = 0) or of a
// denormal gives scale = eps = 2^-23, as PyTorch's observers do; the
// constant quantizes and dequantizes to 0.
// CHECK: zero range: Unranked Memref {{.*}} sizes = [2]
// CHECK-NEXT: [0,  0]
// CHECK: denormal range: Unranked Memref {{.*}} sizes = [2]
// CHECK-NEXT: [0,  0]
func.func @zero_range(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = qnn.calibrate %x min_max to ui8 min = [0.0] max = [0.0] : tensor<2xf32>
  return %y : tensor<2xf32>
}
func.func @denormal_range(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = qnn.calibrate %x min_max to i8 min = [1.0e-42] max = [1.0e-42] : tensor<2xf32>
  return %y : tensor<2xf32>
}

func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m128 = arith.constant -128 : i8

  %e1 = tensor.empty() : tensor<1x131071xi8>
  %x1 = linalg.fill ins(%m128 : i8) outs(%e1 : tensor<1x131071xi8>) -> tensor<1x131071xi8>
  %y1 = call @long_k_131071(%x1) : (tensor<1x131071xi8>) -> tensor<1x16xi32>
  %v1 = tensor.extract %y1[%c0, %c0] : tensor<1x16xi32>
  vector.print str "k=131071: "
  vector.print %v1 : i32

  %e2 = tensor.empty() : tensor<1x131073xi8>
  %x2 = linalg.fill ins(%m128 : i8) outs(%e2 : tensor<1x131073xi8>) -> tensor<1x131073xi8>
  %y2 = call @long_k_131073(%x2) : (tensor<1x131073xi8>) -> tensor<1x16xi32>
  %v2 = tensor.extract %y2[%c0, %c0] : tensor<1x16xi32>
  vector.print str "k=131073: "
  vector.print %v2 : i32

  %e0 = tensor.empty() : tensor<2x0xi8>
  %y0 = call @empty_k(%e0) : (tensor<2x0xi8>) -> tensor<2x16xi32>
  %v0 = tensor.extract %y0[%c1, %c0] : tensor<2x16xi32>
  vector.print str "k=0: "
  vector.print %v0 : i32

  %special = arith.constant dense<[0x7FC00000, 0x7F800000, 0xFF800000, 1.0e30, -0.0]> : tensor<5xf32>
  %codes = call @special_values(%special) : (tensor<5xf32>) -> tensor<5xi8>
  %wide = arith.extsi %codes : tensor<5xi8> to tensor<5xi32>
  %cu = tensor.cast %wide : tensor<5xi32> to tensor<*xi32>
  vector.print str "special values: "
  call @printMemrefI32(%cu) : (tensor<*xi32>) -> ()

  %zeros = arith.constant dense<0.0> : tensor<2xf32>
  %zr = call @zero_range(%zeros) : (tensor<2xf32>) -> tensor<2xf32>
  %zu = tensor.cast %zr : tensor<2xf32> to tensor<*xf32>
  vector.print str "zero range: "
  call @printMemrefF32(%zu) : (tensor<*xf32>) -> ()
  %denormals = arith.constant dense<1.0e-42> : tensor<2xf32>
  %dr = call @denormal_range(%denormals) : (tensor<2xf32>) -> tensor<2xf32>
  %du = tensor.cast %dr : tensor<2xf32> to tensor<*xf32>
  vector.print str "denormal range: "
  call @printMemrefF32(%du) : (tensor<*xf32>) -> ()
  return
}
