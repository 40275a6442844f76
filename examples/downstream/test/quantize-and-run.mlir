// The downstream driver runs quant-mlir's pipelines: a fake-quantized
// matmul is quantized to an integer kernel, compiled and run.
// RUN: my-opt %s --qnn-quantize --qnn-compile="target=generic" | mlir-runner -e main -entry-point-result=void %mlir_runner_libs | FileCheck %s

// (x codes 10, 20 at scale 0.1) . (weights 1, 2 at scale 0.05) = 5 * 0.005
// = 0.25 -> code 25 at scale 0.01.
// CHECK: [25]
func.func @layer(%x: tensor<1x2xf32>) -> tensor<1x1xi8> {
  %q = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.1>>
  %xd = quant.dcast %q : tensor<1x2x!quant.uniform<i8:f32, 0.1>> to tensor<1x2xf32>
  %c = arith.constant dense<[[1], [2]]> : tensor<2x1xi8>
  %wq = quant.scast %c : tensor<2x1xi8> to tensor<2x1x!quant.uniform<i8:f32, 0.05>>
  %w = quant.dcast %wq : tensor<2x1x!quant.uniform<i8:f32, 0.05>> to tensor<2x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  %y = linalg.matmul ins(%xd, %w : tensor<1x2xf32>, tensor<2x1xf32>) outs(%init : tensor<1x1xf32>) -> tensor<1x1xf32>
  %yq = quant.qcast %y : tensor<1x1xf32> to tensor<1x1x!quant.uniform<i8:f32, 0.01>>
  %codes = quant.scast %yq : tensor<1x1x!quant.uniform<i8:f32, 0.01>> to tensor<1x1xi8>
  return %codes : tensor<1x1xi8>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %y = call @layer(%x) : (tensor<1x2xf32>) -> tensor<1x1xi8>
  %c0 = arith.constant 0 : index
  %v = tensor.extract %y[%c0, %c0] : tensor<1x1xi8>
  %w = arith.extsi %v : i8 to i32
  %t = tensor.from_elements %w : tensor<1xi32>
  %m = bufferization.to_buffer %t : tensor<1xi32> to memref<1xi32>
  %u = memref.cast %m : memref<1xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}
func.func private @printMemrefI32(memref<*xi32>)
