// RUN: quant-report %s --entry=model --inputs=%S/Inputs/batches.mlir --target=x86-64-v3 --json=%t.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON --input-file=%t.json
// RUN: quant-report %s --entry=model --target=generic | FileCheck %s --check-prefix=GENERIC

// Two layers: a fake-quantized matmul whose weights are half zeros, which
// runs on integer kernels, and a matmul by run-time weights, which stays in
// float and says why. The first layer computes on 8-bit codes: its output
// differs from float by the quantization error (a finite SQNR); the
// second is float throughout but reads the first: its error is the first
// layer's, carried on.

// CHECK:      # layer{{.*}}bits sparsity f32 stored GBOPs SQNR dB kernel
// CHECK-NEXT: 0   matmul @{{[0-9]+}}:8 8/8       50.0%       32 B        8 B     0.0000 {{[0-9]+\.[0-9]}}  integer kernels (x86-64-v3)
// CHECK-NEXT: 1   matmul @{{[0-9]+}}:8 32/32      0.0%        0 B        0 B     0.0000 {{[0-9]+\.[0-9]}}  stays in float: {{.+}}
// CHECK-NEXT: total: 2 layers, weights 32 B -> 8 B (4.00x smaller), 0.0000 GBOPs

// GENERIC: 0   matmul {{.*}} integer, portable loops (generic target)
// GENERIC: 1   matmul {{.*}} stays in float:

// JSON:      "layers": [
// JSON:          "op": "linalg.matmul",
// JSON-NEXT:     "location": "{{.*}}report.mlir:{{[0-9]+}}:8",
// JSON-NEXT:     "macs": 16,
// JSON-NEXT:     "activation_bits": 8,
// JSON-NEXT:     "weight_bits": 8,
// JSON-NEXT:     "sparsity": 0.5,
// JSON-NEXT:     "bytes_before": 32,
// JSON-NEXT:     "bytes_after": 8,
// JSON-NEXT:     "bops": 1024,
// JSON-NEXT:     "kernel": "integer kernels (x86-64-v3)",
// JSON-NEXT:     "sqnr_db": {{[0-9.]+}},
// JSON-NEXT:     "relative_rms_error": {{[0-9.e-]+}}
// JSON:      "total": {
// JSON-NEXT:   "layers": 2,
// JSON-NEXT:   "bytes_before": 32,
// JSON-NEXT:   "bytes_after": 8,
func.func @model(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %xq = qnn.calibrate %x min_max to ui8 min = [-2.0] max = [2.0] : tensor<2x4xf32>
  %w = arith.constant dense<[[0.5, 0.0], [0.0, -0.25], [0.75, 0.0], [0.0, 1.0]]> : tensor<4x2xf32>
  %wq = qnn.calibrate %w min_max to i8 symmetric min = [-0.25] max = [1.0] : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%xq, %wq : tensor<2x4xf32>, tensor<4x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %yq = qnn.calibrate %y min_max to ui8 min = [-3.0] max = [3.0] : tensor<2x2xf32>
  %z = linalg.matmul ins(%yq, %yq : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %z : tensor<2x2xf32>
}

// A grouped convolution, which the quantize stage splits into one integer
// convolution per group, is still one layer of the report.
// RUN: quant-report %S/../../Integration/TorchExport/resnext_onednn.mlir --entry=prepared --target=x86-64-v3 | FileCheck %s --check-prefix=GROUPED
// GROUPED: 0   conv_2d_ngchw_gfchw @{{[0-9]+}}:{{[0-9]+}} 8/8 {{.*}} 432 B 108 B {{.*}} integer kernels (x86-64-v3)
// GROUPED: total: 6 layers, weights 6.8 KiB -> 1.7 KiB (4.00x smaller)
