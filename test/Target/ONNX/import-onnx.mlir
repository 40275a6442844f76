// Models written by test/golden/generate_onnx_models.py with ONNX's own
// helpers, imported by quant-translate --import-onnx.

// A QDQ convolution as ONNX Runtime's quantizer writes it: per-channel int8
// weights and an int32 bias behind DequantizeLinear, Relu, QuantizeLinear.
// RUN: quant-translate --import-onnx %S/Inputs/qdq_conv.onnx | FileCheck %s --check-prefix=QDQ
// QDQ:       module attributes {qnn.divide_by_scale}
// QDQ-LABEL: func.func @qdq_conv(
// QDQ-SAME:      %[[X:.+]]: tensor<1x3x8x8xf32>) -> tensor<1x4x4x4xi8> attributes {llvm.emit_c_interface}
// QDQ-DAG:     %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<4x3x3x3xi8>
// QDQ-DAG:     %[[B:.+]] = arith.constant dense<[10, -20, 30, -40]> : tensor<4xi32>
// QDQ:         %[[XQ:.+]] = quant.qcast %[[X]] : tensor<1x3x8x8xf32> to tensor<1x3x8x8x!quant.uniform<u8:f32, 0.05{{[0-9]*}}:128>>
// QDQ:         %[[XD:.+]] = quant.dcast %[[XQ]]
// QDQ:         %[[WQ:.+]] = quant.scast %[[W]] : tensor<4x3x3x3xi8> to tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.0099{{[0-9]*}},0.0199{{[0-9]*}},0.0299{{[0-9]*}},0.0399{{[0-9]*}}}>>
// QDQ:         %[[WD:.+]] = quant.dcast %[[WQ]]
// QDQ:         %[[BQ:.+]] = quant.scast %[[B]] : tensor<4xi32> to tensor<4x!quant.uniform<i32:f32:0, {{.+}}>>
// QDQ:         %[[BD:.+]] = quant.dcast %[[BQ]]
// QDQ:         %[[PAD:.+]] = tensor.pad %[[XD]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// QDQ:         %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WD]] :
// QDQ:         %[[BB:.+]] = linalg.broadcast ins(%[[BD]] : tensor<4xf32>) {{.+}} dimensions = [0, 2, 3]
// QDQ:         %[[SUM:.+]] = linalg.add ins(%[[CONV]], %[[BB]] :
// QDQ:         %[[RELU:.+]] = linalg.generic {{.+}} ins(%[[SUM]] :
// QDQ:           arith.maximumf
// QDQ:         %[[YQ:.+]] = quant.qcast %[[RELU]] : tensor<1x4x4x4xf32> to tensor<1x4x4x4x!quant.uniform<u8:f32, 0.1{{[0-9]*}}>>
// QDQ:         %[[Y:.+]] = quant.scast %[[YQ]] : {{.+}} to tensor<1x4x4x4xi8>
// QDQ:         return %[[Y]]

// The layer reaches the integer kernels (compiled, not run, for AVX2).
// RUN: quant-translate --import-onnx %S/Inputs/qdq_conv.onnx | quant-opt --qnn-quantize --qnn-compile="target=x86-64-v3 summary=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: contractions: 1 on integer kernels, 0 integer on portable loops, 0 float on f32 kernels, 0 float on portable loops

// The float operators.
// RUN: quant-translate --import-onnx %S/Inputs/float_ops.onnx | FileCheck %s --check-prefix=FLOAT
// FLOAT-DAG:   #[[$LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// FLOAT-DAG:   #[[$RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// FLOAT-DAG:   #[[$OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// FLOAT-LABEL: func.func @float_ops(
// FLOAT:         %[[MAX:.+]] = linalg.pooling_nchw_max {{.+}} strides = dense<2>
// FLOAT:         tensor.pad %[[MAX]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// FLOAT:         %[[SUM:.+]] = linalg.pooling_nchw_sum
// AveragePool without count_include_pad divides by the elements each window
// reads: 4 in the corners, 6 on the edges, 9 inside.
// FLOAT:         %[[COUNTS:.+]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00
// FLOAT:         linalg.generic {{.+}} ins(%[[SUM]], %[[COUNTS]] :
// FLOAT:           arith.divf
// FLOAT:         math.exp
// FLOAT:         %[[CAT0:.+]] = tensor.insert_slice %{{.+}}[0, 0, 0, 0] [1, 2, 4, 4]
// FLOAT:         tensor.insert_slice %[[MAX]] into %[[CAT0]][0, 2, 0, 0] [1, 2, 4, 4]
// FLOAT:         linalg.pooling_nchw_sum {{.+}} outs(%{{.+}} : tensor<1x4x1x1xf32>)
// FLOAT:         tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2, 3]] : tensor<1x4x1x1xf32> into tensor<1x4xf32>
// Gemm with transB reads the weights N x K through its indexing maps.
// FLOAT:         linalg.matmul indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]]
// FLOAT:         arith.mulf
// FLOAT:         linalg.broadcast
// FLOAT:         linalg.add
// FLOAT:         arith.maximumf
// FLOAT:         arith.minimumf
// FLOAT:         tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2]] output_shape [1, 2, 3] : tensor<1x6xf32> into tensor<1x2x3xf32>
// FLOAT:         linalg.transpose {{.+}} permutation = [0, 2, 1]
// FLOAT:         arith.mulf
// Softmax along axis 1: max, exp of the difference, sum, division.
// FLOAT:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "parallel"]
// FLOAT:           arith.maximumf
// FLOAT:         math.exp
// FLOAT:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "parallel"]
// FLOAT:           arith.addf
// FLOAT:         arith.divf
// RUN: quant-translate --import-onnx %S/Inputs/float_ops.onnx | quant-opt --qnn-compile -o /dev/null

// Blocked int4 weights (ONNX 1.16): two codes per byte, block size 2.
// RUN: quant-translate --import-onnx %S/Inputs/blocked_int4.onnx | FileCheck %s --check-prefix=INT4
// INT4:      %[[C:.+]] = arith.constant dense<{{\[\[}}1, -2, 3, -4], [7, -8, 0, 5]]> : tensor<2x4xi4>
// INT4:      quant.scast %[[C]] : tensor<2x4xi4> to tensor<2x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{\{\{}}5.000000e-01, 2.500000e-01}, {1.000000e+00, 2.000000e+00}}>>
// RUN: quant-translate --import-onnx %S/Inputs/blocked_int4.onnx | quant-opt --qnn-compile -o /dev/null

// Function names.
// RUN: quant-translate --import-onnx --onnx-function-name=net %S/Inputs/qdq_conv.onnx | FileCheck %s --check-prefix=NAME
// NAME: func.func @net(

// Q K^T with K transposed by a node of its own reads K through the
// indexing maps of the batch matmul; LayerNormalization normalizes the rows.
// RUN: quant-translate --import-onnx %S/Inputs/attention_ops.onnx | FileCheck %s --check-prefix=ATTN
// ATTN-DAG:   #[[$A:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// ATTN-DAG:   #[[$B:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// ATTN-DAG:   #[[$C:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// ATTN-LABEL: func.func @attention(
// ATTN-SAME:      %[[Q:[^:]+]]: tensor<2x6x4xf32>, %[[K:[^:]+]]: tensor<2x6x4xf32>)
// ATTN:         %[[S:.+]] = linalg.batch_matmul indexing_maps = [#[[$A]], #[[$B]], #[[$C]]] ins(%[[Q]], %[[K]] :
// ATTN:         %[[ROWS:.+]] = tensor.collapse_shape %[[S]] {{\[\[}}0, 1], [2]] : tensor<2x6x6xf32> into tensor<12x6xf32>
// ATTN:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[ROWS]] :
// ATTN:         math.sqrt
// ATTN:         tensor.expand_shape %{{.+}} : tensor<12x6xf32> into tensor<2x6x6xf32>
// RUN: quant-translate --import-onnx %S/Inputs/attention_ops.onnx | quant-opt --qnn-compile -o /dev/null

// Reshapes to and from rank 0: one expand, one collapse, no reassociation.
// RUN: quant-translate --import-onnx %S/Inputs/scalar_reshape.onnx | FileCheck %s --check-prefix=SCALAR
// SCALAR-LABEL: func.func @scalar_reshape(
// SCALAR-SAME:      %[[X:.+]]: tensor<f32>) -> tensor<f32>
// SCALAR:         %[[M:.+]] = tensor.expand_shape %[[X]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// SCALAR:         %[[Y:.+]] = tensor.collapse_shape %[[M]] [] : tensor<1x1xf32> into tensor<f32>
// SCALAR:         return %[[Y]]
