//===- QNNBase.td - QNN dialect definition -----------------*- tablegen -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The `qnn` dialect: neural-network quantization and compression operations
// that upstream `quant` does not express.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNBASE_TD
#define QNN_DIALECT_QNN_IR_QNNBASE_TD

include "mlir/IR/OpBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::mlir::qnn";
  let summary = "Quantization and compression of neural networks";
  let description = [{
    The `qnn` dialect holds what training frameworks express and compilers
    usually lose: fake quantization with PyTorch's exact rounding,
    power-of-two (logarithmic) quantization, binarization, ternarization,
    pruning masks and calibration statistics.

    Quantization parameters are upstream `!quant.uniform` types (per-tensor,
    per-axis and sub-channel); upstream `quant.qcast`, `quant.dcast` and
    `quant.scast` remain valid input. `qnn` adds operations only where
    upstream has no equivalent. The numerics of every operation are specified
    in `docs/QNN.md` with numbered constraints that the verifiers enforce.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantDialect"
  ];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute `--qnn-rewrite-int8` puts on a float
    /// matmul or convolution it leaves in float: a string, the reason.
    static constexpr ::llvm::StringLiteral getNotQuantizedAttrName() {
      return ::llvm::StringLiteral("qnn.not_quantized");
    }
    /// The unit attribute of a module whose `quant.qcast`s divide by the
    /// scale (ONNX's and ONNX Runtime's rounding) instead of multiplying by
    /// its f32 reciprocal (PyTorch's); the ONNX importer sets it.
    static constexpr ::llvm::StringLiteral getDivideByScaleAttrName() {
      return ::llvm::StringLiteral("qnn.divide_by_scale");
    }
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNBASE_TD
