// The same input compiles to the same output, byte for byte: twice each,
// files of the suite with many functions and constants (whose globals
// bufferization used to name in a varying order), with and without
// threading.
//
// RUN: quant-opt %S/../Integration/int8-kernels.mlir --qnn-compile=target=x86-avx512-vnni -o %t.kernels.1.mlir 2>/dev/null
// RUN: quant-opt %S/../Integration/int8-kernels.mlir --qnn-compile=target=x86-avx512-vnni -o %t.kernels.2.mlir 2>/dev/null
// RUN: diff %t.kernels.1.mlir %t.kernels.2.mlir
//
// RUN: quant-opt %S/../Integration/Golden/quantized_conv2d.mlir --qnn-quantize --qnn-compile=target=x86-avx512-vnni --mlir-disable-threading -o %t.conv.1.mlir 2>/dev/null
// RUN: quant-opt %S/../Integration/Golden/quantized_conv2d.mlir --qnn-quantize --qnn-compile=target=x86-avx512-vnni --mlir-disable-threading -o %t.conv.2.mlir 2>/dev/null
// RUN: diff %t.conv.1.mlir %t.conv.2.mlir
//
// RUN: quant-opt %S/../Integration/Zoo/resnext.mlir --qnn-quantize --qnn-compile=target=x86-64-v3 -o %t.resnext.1.mlir 2>/dev/null
// RUN: quant-opt %S/../Integration/Zoo/resnext.mlir --qnn-quantize --qnn-compile=target=x86-64-v3 -o %t.resnext.2.mlir 2>/dev/null
// RUN: diff %t.resnext.1.mlir %t.resnext.2.mlir
