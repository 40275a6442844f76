// RUN: quant-opt %s -split-input-file --qnn-rewrite-binary 2>/dev/null | FileCheck %s
// RUN: quant-opt %s -split-input-file --qnn-rewrite-binary --verify-diagnostics -o /dev/null
// RUN: quant-opt %s -split-input-file --qnn-rewrite-binary=ternary-kernel=int8 2>/dev/null | FileCheck %s --check-prefix=INT8

// Matmuls of binarized activations and binary weights become binary matmuls
// on packed bits with a per-channel epilogue; the weights may be spelled as
// a float constant (K x N or N x K) or as stored codes.

// K x N float weights, +-0.5 in channel 0 and +-2 in channel 1; the signs
// packed per channel: channel 0 has -1 at k = 1 (bit 1: 2), channel 1 at
// k = 0 and 2 (5).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @float_weights_kn
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-DAG: %[[M:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[2], [5]]> : tensor<2x1xi32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]] : tensor<4x3xf32> -> tensor<4x1xi32>
// CHECK: %[[D:.*]] = qnn.binary_matmul %[[P]], %[[W]] k = 3 : tensor<4x1xi32>, tensor<2x1xi32> -> tensor<4x2xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[D]], %[[M]] : tensor<4x2xi32>, tensor<2xf32>) outs(%[[E]] : tensor<4x2xf32>)
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[SCALE:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[F:.*]] = arith.sitofp %[[DOT]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[SCALE]] : f32
// CHECK: linalg.yield %[[MUL]] : f32
// CHECK-NOT: linalg.matmul
// CHECK: return %[[Y]]
func.func @float_weights_kn(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[0.5, -2.0], [-0.5, 2.0], [0.5, -2.0]]> : tensor<3x2xf32>
  %xb = qnn.binarize %x : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%xb, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// N x K stored codes with per-channel scales (what --qnn-store-weights
// makes of qnn.binarize scale<mean_abs> axis = 0), a dynamic batch and a
// bias broadcast along the rows, added after the scaling.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @stored_codes_nk_bias
// CHECK-SAME: (%[[X:.*]]: tensor<?x40xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[M:.*]] = arith.constant dense<[2.500000e-01, 5.000000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[0, 0], [-1, 255], [1, 0]]> : tensor<3x2xi32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]] : tensor<?x40xf32> -> tensor<?x2xi32>
// CHECK: %[[D:.*]] = qnn.binary_matmul %[[P]], %[[W]] k = 40 : tensor<?x2xi32>, tensor<3x2xi32> -> tensor<?x3xi32>
// CHECK: %[[ROWS:.*]] = tensor.dim %[[D]], %{{.*}}
// CHECK: %[[E:.*]] = tensor.empty(%[[ROWS]]) : tensor<?x3xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[D]], %[[M]], %[[B]] : tensor<?x3xi32>, tensor<3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<?x3xf32>)
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[SCALE:.*]]: f32, %[[BIAS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[F:.*]] = arith.sitofp %[[DOT]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[SCALE]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[BIAS]], %[[MUL]] : f32
// CHECK: linalg.yield %[[ADD]] : f32
// CHECK: return %[[Y]]
func.func @stored_codes_nk_bias(%x: tensor<?x40xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  // Channel 1: -1 at k = 0..31 and k = 32..39; channel 2: -1 at k = 0.
  %codes = arith.constant dense<[
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
    [-1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]> : tensor<3x40xi8>
  %q = quant.scast %codes : tensor<3x40xi8> to tensor<3x40x!quant.uniform<i8<-1:1>:f32:0, {0.25, 0.5, 1.0}>>
  %w = quant.dcast %q : tensor<3x40x!quant.uniform<i8<-1:1>:f32:0, {0.25, 0.5, 1.0}>> to tensor<3x40xf32>
  %xb = qnn.binarize %x : tensor<?x40xf32>
  %c0 = arith.constant 0 : index
  %rows = tensor.dim %x, %c0 : tensor<?x40xf32>
  %e = tensor.empty(%rows) : tensor<?x3xf32>
  %init = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<?x3xf32>) dimensions = [0]
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%xb, %w : tensor<?x40xf32>, tensor<3x40xf32>) outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// Activations binarized with mean_abs: their scale is the largest
// magnitude of the binarized tensor (all are +-alpha), multiplied into the
// channels' scales at run time; a scalar initial value is added.
// CHECK-LABEL: func.func @mean_abs_activations
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[XB:.*]] = qnn.binarize %[[X]] scale<mean_abs> : tensor<2x8xf32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]]
// CHECK: %[[D:.*]] = qnn.binary_matmul %[[P]], %{{.*}} k = 8
// CHECK: %[[LARGEST:.*]] = linalg.generic {{.*}} ins(%[[XB]] : tensor<2x8xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[MAX:.*]]: f32):
// CHECK: %[[ABS:.*]] = math.absf %[[V]] : f32
// CHECK: %[[NEW:.*]] = arith.maximumf %[[ABS]], %[[MAX]] : f32
// CHECK: linalg.yield %[[NEW]]
// CHECK: %[[ALPHA:.*]] = tensor.extract %[[LARGEST]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[SCALE:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.mulf %[[ALPHA]], %[[SCALE]] : f32
// CHECK: %[[F:.*]] = arith.sitofp %[[DOT]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %{{.*}}, %[[MUL]] : f32
// CHECK: linalg.yield %[[ADD]]
func.func @mean_abs_activations(%x: tensor<2x8xf32>) -> tensor<2x1xf32> {
  %w = arith.constant dense<1.5> : tensor<8x1xf32>
  %xb = qnn.binarize %x scale<mean_abs> : tensor<2x8xf32>
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x1xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<2x1xf32>) -> tensor<2x1xf32>
  %y = linalg.matmul ins(%xb, %w : tensor<2x8xf32>, tensor<8x1xf32>) outs(%f : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// Weights that are not binary: the matmul stays in float, and says why.
// CHECK-LABEL: func.func @negative_not_binary
// CHECK-NOT: qnn.binary_matmul
// CHECK: linalg.matmul
func.func @negative_not_binary(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 0.5], [-1.0, 0.25]]> : tensor<2x2xf32>
  %xb = qnn.binarize %x : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @+1 {{binarized matmul stays in float: output channel 1 of the weights is neither binary nor ternary (values +a, -a and 0 with a > 0)}}
  %y = linalg.matmul ins(%xb, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Ternary weights (+-0.5 and 0 in channel 0, +-2 and 0 in channel 1):
// their signs and nonzero mask as two bit planes, or with
// ternary-kernel=int8, an i8 matmul of the activations' signs and the
// weights' codes.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @ternary_weights
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-DAG: %[[M:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<{{\[}}[2], [4]]> : tensor<2x1xi32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<{{\[}}[3], [6]]> : tensor<2x1xi32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]] : tensor<4x3xf32> -> tensor<4x1xi32>
// CHECK: %[[D:.*]] = qnn.ternary_matmul %[[P]], %[[S]], %[[Z]] k = 3 : tensor<4x1xi32>, tensor<2x1xi32>, tensor<2x1xi32> -> tensor<4x2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[D]], %[[M]] : tensor<4x2xi32>, tensor<2xf32>)
// CHECK: arith.sitofp
// INT8-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// INT8-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// INT8-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// INT8-LABEL: func.func @ternary_weights
// INT8-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// INT8: %[[W:.*]] = arith.constant dense<{{\[}}[1, -1, 0], [0, 1, -1]]> : tensor<2x3xi8>
// INT8: %[[CODES:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<4x3xi8>)
// INT8: ^bb0(%[[V:.*]]: f32, %{{.*}}: i8):
// INT8: %[[NEG:.*]] = arith.cmpf olt, %[[V]], %{{.*}} : f32
// INT8: %[[SIGN:.*]] = arith.select %[[NEG]], %{{.*}}, %{{.*}} : i8
// INT8: linalg.yield %[[SIGN]] : i8
// INT8: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<4x2xi32>)
// INT8: %[[D:.*]] = linalg.matmul indexing_maps = [#[[$A]], #[[$B]], #[[$C]]] ins(%[[CODES]], %[[W]] : tensor<4x3xi8>, tensor<2x3xi8>) outs(%[[INIT]] : tensor<4x2xi32>)
// INT8: linalg.generic {{.*}} ins(%[[D]], %{{.*}} : tensor<4x2xi32>, tensor<2xf32>)
func.func @ternary_weights(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[0.5, 0.0], [-0.5, 2.0], [0.0, -2.0]]> : tensor<3x2xf32>
  %xb = qnn.binarize %x : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%xb, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @negative_runtime_weights
// CHECK-NOT: qnn.binary_matmul
func.func @negative_runtime_weights(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %xb = qnn.binarize %x : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  // expected-remark @+1 {{binarized matmul stays in float: the weights are not a constant}}
  %y = linalg.matmul ins(%xb, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @negative_activation_axis
// CHECK-NOT: qnn.binary_matmul
func.func @negative_activation_axis(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1xf32>
  %xb = qnn.binarize %x scale<mean_abs> axis = 0 : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  // expected-remark @+1 {{binarized matmul stays in float: the activations are binarized with one scale per index of an axis, which a binary matmul cannot factor out}}
  %y = linalg.matmul ins(%xb, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%f : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// CHECK-LABEL: func.func @negative_f16
// CHECK-NOT: qnn.binary_matmul
func.func @negative_f16(%x: tensor<4x2xf16>) -> tensor<4x1xf16> {
  %w = arith.constant dense<1.0> : tensor<2x1xf16>
  %xb = qnn.binarize %x : tensor<4x2xf16>
  %z = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<4x1xf16>
  %f = linalg.fill ins(%z : f16) outs(%e : tensor<4x1xf16>) -> tensor<4x1xf16>
  // expected-remark @+1 {{binarized matmul stays in float: the matmul is not on f32}}
  %y = linalg.matmul ins(%xb, %w : tensor<4x2xf16>, tensor<2x1xf16>) outs(%f : tensor<4x1xf16>) -> tensor<4x1xf16>
  return %y : tensor<4x1xf16>
}

// -----

// Float activations (not binarized) are not this pass's: no remark.
// CHECK-LABEL: func.func @negative_float_activations
// CHECK-NOT: qnn.binary_matmul
func.func @negative_float_activations(%x: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x1xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%f : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// Real activations times stored sign codes (a network's first layer): the
// weights become a float constant again, +-fl32(scale) or 0, which the f32
// kernels pack at compile time.
// CHECK-LABEL: func.func @sign_codes_real_activations
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[2.500000e-01, -5.000000e-01], [0.000000e+00, 5.000000e-01], [-2.500000e-01, 0.000000e+00]]> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>)
func.func @sign_codes_real_activations(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %codes = arith.constant dense<[[1, -1], [0, 1], [-1, 0]]> : tensor<3x2xi8>
  %q = quant.scast %codes : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8<-1:1>:f32:1, {0.25, 0.5}>>
  %w = quant.dcast %q : tensor<3x2x!quant.uniform<i8<-1:1>:f32:1, {0.25, 0.5}>> to tensor<3x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Codes two steps from the zero point are int8 weights, not signs: left to
// the int8 rewrite.
// CHECK-LABEL: func.func @negative_int8_codes
// CHECK: quant.dcast
// CHECK: linalg.matmul
func.func @negative_int8_codes(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %codes = arith.constant dense<[[2, -1], [0, 1], [-1, 0]]> : tensor<3x2xi8>
  %q = quant.scast %codes : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32, 0.25>>
  %w = quant.dcast %q : tensor<3x2x!quant.uniform<i8:f32, 0.25>> to tensor<3x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// A zero-padded convolution of binarized activations: the activations are
// packed along the channels, padded with zero words (+1), read as
// patches of whole words per window position, and the padded taps'
// contribution (here the weights, all +1, under 5 taps at the corners and
// 3 at the edges) is subtracted.
// CHECK-DAG: #[[$READ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-DAG: #[[$ID6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[$PIX:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$POS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-LABEL: func.func @conv_padded
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x3x1xf32>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<0> : tensor<1x9xi32>
// CHECK-DAG: %[[CORR:.*]] = arith.constant dense<{{\[}}{{\[}}[-5], [-3], [-5]], {{\[}}[-3], [0], [-3]], {{\[}}[-5], [-3], [-5]]]> : tensor<3x3x1xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]] : tensor<1x3x3x1xf32> -> tensor<1x3x3x1xi32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[P]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: } : tensor<1x3x3x1xi32> to tensor<1x5x5x1xi32>
// CHECK: %[[PATCHES:.*]] = linalg.generic {indexing_maps = [#[[$READ]], #[[$ID6]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PAD]] : tensor<1x5x5x1xi32>) outs(%{{.*}} : tensor<1x3x3x3x3x1xi32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[PATCHES]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<1x3x3x3x3x1xi32> into tensor<9x9xi32>
// CHECK: %[[D:.*]] = qnn.binary_matmul %[[ROWS]], %[[W]] k = 9 : tensor<9x9xi32>, tensor<1x9xi32> -> tensor<9x1xi32>
// CHECK: %[[PIXELS:.*]] = tensor.expand_shape %[[D]] {{\[}}[0, 1, 2], [3]] output_shape [1, 3, 3, 1] : tensor<9x1xi32> into tensor<1x3x3x1xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$PIX]], #[[$CH]], #[[$POS]], #[[$PIX]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[PIXELS]], %[[M]], %[[CORR]] : tensor<1x3x3x1xi32>, tensor<1xf32>, tensor<3x3x1xi32>)
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[SCALE:.*]]: f32, %[[C:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[FIXED:.*]] = arith.addi %[[DOT]], %[[C]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[FIXED]] : i32 to f32
// CHECK: %[[Y:.*]] = arith.mulf %[[F]], %[[SCALE]] : f32
// CHECK: linalg.yield %[[Y]]
// CHECK-NOT: linalg.conv_2d
func.func @conv_padded(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %xb = qnn.binarize %x : tensor<1x3x3x1xf32>
  %xp = tensor.pad %xb low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x3x1xf32> to tensor<1x5x5x1xf32>
  %e = tensor.empty() : tensor<1x3x3x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w : tensor<1x5x5x1xf32>, tensor<3x3x1x1xf32>) outs(%f : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  return %y : tensor<1x3x3x1xf32>
}

// -----

// Padding with a value other than zero is not the float model's zero
// padding: the convolution stays in float, and says why.
// CHECK-LABEL: func.func @negative_conv_padded_with_one
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @negative_conv_padded_with_one(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %xb = qnn.binarize %x : tensor<1x3x3x1xf32>
  %xp = tensor.pad %xb low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x3x3x1xf32> to tensor<1x5x5x1xf32>
  %e = tensor.empty() : tensor<1x3x3x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  // expected-remark @+1 {{binarized convolution stays in float: the activations are padded with something other than zeros on the image}}
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %w : tensor<1x5x5x1xf32>, tensor<3x3x1x1xf32>) outs(%f : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  return %y : tensor<1x3x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @negative_conv_weights_not_binary
// CHECK: linalg.conv_2d_nchw_fchw
func.func @negative_conv_weights_not_binary(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<[[[[0.5, 0.25, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]]]> : tensor<1x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %xb = qnn.binarize %x : tensor<1x1x3x3xf32>
  %e = tensor.empty() : tensor<1x1x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  // expected-remark @+1 {{binarized convolution stays in float: output channel 0 of the weights is neither binary nor ternary (values +a, -a and 0 with a > 0)}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xb, %w : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) outs(%f : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

// A flatten between the binarization and the classifier (PyTorch's
// torch.flatten after the sign): the activations are flattened the same
// way and packed.
// CHECK-LABEL: func.func @flatten_then_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x2x2xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<2x4x2x2xf32> into tensor<2x16xf32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[FLAT]] : tensor<2x16xf32> -> tensor<2x1xi32>
// CHECK: qnn.binary_matmul %[[P]], %{{.*}} k = 16
func.func @flatten_then_matmul(%x: tensor<2x4x2x2xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<-1.0> : tensor<3x16xf32>
  %xb = qnn.binarize %x : tensor<2x4x2x2xf32>
  %flat = tensor.collapse_shape %xb [[0], [1, 2, 3]] : tensor<2x4x2x2xf32> into tensor<2x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%flat, %w : tensor<2x16xf32>, tensor<3x16xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// An inference batch norm after a binary layer joins its epilogue: one
// body, the same operations on the same values, which the CPU kernels
// apply before storing.
// CHECK-LABEL: func.func @batch_norm_joins_epilogue
// CHECK: %[[D:.*]] = qnn.binary_matmul
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[D]], %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[DOT:.*]]: i32, %[[M:.*]]: f32, %[[S:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[F:.*]] = arith.sitofp %[[DOT]] : i32 to f32
// CHECK: %[[V:.*]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK: %[[P:.*]] = arith.mulf %[[V]], %[[S]] : f32
// CHECK: %[[Q:.*]] = arith.addf %[[P]], %[[C]] : f32
// CHECK: linalg.yield %[[Q]] : f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @batch_norm_joins_epilogue(%x: tensor<4x3xf32>, %s: tensor<2xf32>, %c: tensor<2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[0.5, -2.0], [-0.5, 2.0], [0.5, -2.0]]> : tensor<3x2xf32>
  %xb = qnn.binarize %x : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%xb, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %be = tensor.empty() : tensor<4x2xf32>
  %bn = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %s, %c : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%be : tensor<4x2xf32>) {
  ^bb0(%v: f32, %sv: f32, %cv: f32, %o: f32):
    %p = arith.mulf %v, %sv : f32
    %q = arith.addf %p, %cv : f32
    linalg.yield %q : f32
  } -> tensor<4x2xf32>
  return %bn : tensor<4x2xf32>
}

// -----

// torch-mlir's Linear: a matmul of the transposed N x K weights. The
// transpose is read through: channel 1 has -1 at k = 0 (bit 0).
// CHECK-LABEL: func.func @torch_mlir_transposed_weights
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[0], [1]]> : tensor<2x1xi32>
// CHECK: %[[P:.*]] = qnn.bitpack %[[X]]
// CHECK: qnn.binary_matmul %[[P]], %[[W]] k = 3 : tensor<4x1xi32>, tensor<2x1xi32> -> tensor<4x2xi32>
// CHECK-NOT: linalg.matmul
func.func @torch_mlir_transposed_weights(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[0.5, 0.5, 0.5], [-0.5, 0.5, 0.5]]> : tensor<2x3xf32>
  %te = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%te : tensor<3x2xf32>) permutation = [1, 0]
  %xb = qnn.binarize %x : tensor<4x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%xb, %wt : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// qnn.bitpack packs a static number of elements: a dynamic reduction or
// dynamic channels stay in float, and say why.
// CHECK-LABEL: func.func @negative_dynamic_reduction
// CHECK: linalg.matmul
func.func @negative_dynamic_reduction(%x: tensor<4x?xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<0.5> : tensor<40x3xf32>
  %xb = qnn.binarize %x : tensor<4x?xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  // expected-remark @+1 {{binarized matmul stays in float: the reduction is dynamic}}
  %y = linalg.matmul ins(%xb, %w : tensor<4x?xf32>, tensor<40x3xf32>) outs(%f : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @negative_conv_dynamic_channels
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @negative_conv_dynamic_channels(%x: tensor<1x3x3x?xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x2x1xf32>
  %zero = arith.constant 0.0 : f32
  %xb = qnn.binarize %x : tensor<1x3x3x?xf32>
  %e = tensor.empty() : tensor<1x1x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  // expected-remark @+1 {{binarized convolution stays in float: a shape other than the batch is dynamic}}
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xb, %w : tensor<1x3x3x?xf32>, tensor<3x3x2x1xf32>) outs(%f : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
