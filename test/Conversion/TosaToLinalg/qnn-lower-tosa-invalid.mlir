// RUN: quant-opt %s --qnn-lower-tosa -split-input-file -verify-diagnostics

// Upstream's conversion reports the TOSA it cannot lower.
func.func @custom(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{failed to legalize operation 'tosa.custom'}}
  %0 = tosa.custom %x {domain_name = "vendor", implementation_attrs = "", operator_name = "frobnicate"} : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// TOSA outside any function (a stateful variable) is left by upstream's
// function-level passes: the pass names it.
module {
  // expected-error @+1 {{'tosa.variable' op is not lowered by the TOSA to linalg conversion}}
  tosa.variable @state = dense<0> : tensor<4xi8>
}

// -----

// Upstream's lowering does not take quantized element types (it crashes on
// this one): they must be storage types first.
func.func @quant_typed(%a: tensor<1x4x8x!quant.uniform<i8:f32, 0.1:-3>>, %b: tensor<1x8x5x!quant.uniform<i8:f32, 0.05>>) -> tensor<1x4x5xi32> {
  %azp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{'tosa.matmul' op has quantized element types, which the TOSA lowering does not take: run --convert-quant-to-linalg first}}
  %0 = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x4x8x!quant.uniform<i8:f32, 0.1:-3>>, tensor<1x8x5x!quant.uniform<i8:f32, 0.05>>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x5xi32>
  return %0 : tensor<1x4x5xi32>
}

// -----

// A ui8 value used by something that is not TOSA keeps a sign cast the
// compiler cannot bufferize: it says so instead of failing later.
func.func @sign_cast_inside(%x: tensor<1x6x6x4xui8>) -> (tensor<1x4x4x4xui8>, ui8) {
  // expected-error @+1 {{is a change of integer signedness the TOSA lowering left inside the function}}
  %0 = tosa.max_pool2d %x {pad = array<i64: 0, 0, 0, 0>, kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8>
  %c = arith.constant 0 : index
  %e = tensor.extract %0[%c, %c, %c, %c] : tensor<1x4x4x4xui8>
  return %0, %e : tensor<1x4x4x4xui8>, ui8
}

// -----

// A ui8 function that another function calls keeps its type, which the
// call uses; its sign cast is reported.
func.func @pool_ui8(%x: tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8> {
  // expected-error @+1 {{is a change of integer signedness the TOSA lowering left inside the function}}
  %0 = tosa.max_pool2d %x {pad = array<i64: 0, 0, 0, 0>, kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8>
  return %0 : tensor<1x4x4x4xui8>
}

func.func @caller(%x: tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8> {
  %0 = call @pool_ui8(%x) : (tensor<1x6x6x4xui8>) -> tensor<1x4x4x4xui8>
  return %0 : tensor<1x4x4x4xui8>
}
