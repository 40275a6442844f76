// What the ONNX importer cannot import is a located error naming the node,
// its operator and what is missing.

// RUN: not quant-translate --import-onnx %S/Inputs/unsupported_op.onnx 2>&1 | FileCheck %s --check-prefix=OP
// OP: unsupported_op.onnx:0:0: error: node 'erf0' (Erf): operator 'Erf' is not supported

// RUN: not quant-translate --import-onnx %S/Inputs/unsupported_attribute.onnx 2>&1 | FileCheck %s --check-prefix=ATTR
// ATTR: error: node 'sm' (Softmax): attribute 'mode' is not supported

// RUN: not quant-translate --import-onnx %S/Inputs/dynamic_shape.onnx 2>&1 | FileCheck %s --check-prefix=DYN
// DYN: error: graph value 'x' has the dynamic dimension 'N'; the importer needs static shapes

// RUN: not quant-translate --import-onnx %S/Inputs/runtime_reshape.onnx 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: node 'reshape0' (Reshape): input 1 ('shape') must be a constant (an initializer)

// Sizes that would overflow or divide by zero are errors (the first was
// found by quant-onnx-fuzz).
// RUN: not quant-translate --import-onnx %S/Inputs/huge_reshape.onnx 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: error: node 'reshape1' (Reshape): the shape holds more than 2^48 elements
// RUN: not quant-translate --import-onnx %S/Inputs/zero_stride_pool.onnx 2>&1 | FileCheck %s --check-prefix=STRIDE
// STRIDE: error: node 'pool0' (MaxPool): kernel sizes, strides and dilations must be positive

// Quantization parameters quant's types cannot hold.
// RUN: not quant-translate --import-onnx %S/Inputs/zero_scale.onnx 2>&1 | FileCheck %s --check-prefix=SCALE
// SCALE: error: node 'quant0' (QuantizeLinear): scales must be positive and finite, got 0.000000e+00
// RUN: not quant-translate --import-onnx %S/Inputs/short_block.onnx 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: error: node 'dq0' (DequantizeLinear): block_size 2 does not divide dimension 1 (5); a shorter last block is not supported

// This file is not an ONNX model.
// RUN: not quant-translate --import-onnx %s 2>&1 | FileCheck %s --check-prefix=NOT
// NOT: error: not a serialized ONNX model
