//===- GraphImporter.h - State of the import of one ONNX graph --*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The values of an ONNX graph being imported, the node being imported, and
// the helpers the operator importers share: inputs, outputs, attributes,
// located errors.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_TARGET_ONNX_GRAPHIMPORTER_H
#define QNN_LIB_TARGET_ONNX_GRAPHIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

namespace mlir::qnn::onnx_import {

/// ONNX element types (`onnx.TensorProto.DataType`), including the 4-bit
/// ones of ONNX 1.16 that the 1.12 schema does not name.
enum ElementType : int32_t {
  kFloat = 1,
  kUInt8 = 2,
  kInt8 = 3,
  kUInt16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kBool = 9,
  kUInt4 = 21,
  kInt4 = 22,
};

/// The most elements a tensor of the importer may have (2^48, the limit of
/// quant-mlir's buffers, docs/Limits.md); beyond, shapes are errors.
constexpr int64_t kMaxElements = int64_t(1) << 48;

/// The most a dimension, pad, stride, dilation or kernel size may be.
constexpr int64_t kMaxExtent = int64_t(1) << 31;

/// The name of ONNX element type `type`, for messages.
std::string getElementTypeName(int32_t type);

/// Whether `type` is an integer type ONNX quantizes to.
bool isQuantizedStorageType(int32_t type);

/// Whether `type` is an unsigned integer type.
bool isUnsignedType(int32_t type);

/// The bit width of integer element type `type`.
unsigned getBitWidth(int32_t type);

/// An ONNX tensor in the IR: a ranked, static tensor of f32 or of signless
/// integers (the ONNX type says whether they are unsigned).
struct Tensor {
  Value value;
  int32_t type = kFloat;
  /// The elements, when the tensor is an initializer or a `Constant`.
  DenseElementsAttr constant;
  /// For codes written by a QuantizeLinear: the same codes as a tensor of
  /// `!quant.uniform`, which a DequantizeLinear of the same parameters
  /// reads directly.
  Value quantized;
  /// For the result of a Transpose that swaps the last two dimensions: its
  /// input, which a MatMul reads through its indexing maps instead.
  Value lastDimsTransposed;

  /// A computed tensor of ONNX element type `type`.
  static Tensor get(Value value, int32_t type) {
    Tensor t;
    t.value = value;
    t.type = type;
    return t;
  }

  RankedTensorType getType() const {
    return cast<RankedTensorType>(value.getType());
  }
  ArrayRef<int64_t> getShape() const { return getType().getShape(); }
  int64_t getRank() const { return getType().getRank(); }
};

/// Imports the nodes of one graph, in order, into the body of a function.
class GraphImporter {
public:
  using OpImporter = LogicalResult (*)(GraphImporter &);

  GraphImporter(OpBuilder &builder, StringRef fileName);

  /// Imports the graph of `model` as the function `name` of `module`.
  LogicalResult importModel(const onnx::ModelProto &model, ModuleOp module,
                            StringRef name);

  //===--------------------------------------------------------------------===//
  // The node being imported.
  //===--------------------------------------------------------------------===//

  OpBuilder &b;
  /// Location of the node being imported: its name and operator in the file.
  Location loc;

  const onnx::NodeProto &getNode() const { return *node; }
  /// The opset version of the default domain the model imports.
  int64_t getOpsetVersion() const { return opsetVersion; }

  /// Starts an error naming the node and its operator.
  InFlightDiagnostic emitNodeError();

  /// Whether the node has input `index` (a present, non-empty name).
  bool hasInput(unsigned index) const;
  /// Input `index`, or an error if it is missing.
  FailureOr<Tensor> getInput(unsigned index, StringRef what);
  /// Input `index` if it is a float tensor, or an error.
  FailureOr<Tensor> getFloatInput(unsigned index, StringRef what);
  /// Input `index` if it is a constant, or an error naming `what`.
  FailureOr<Tensor> getConstantInput(unsigned index, StringRef what);
  /// Sets output `index` of the node (ignored if the node leaves it unnamed).
  void setOutput(unsigned index, Tensor tensor);

  /// Reports attributes of the node outside `known`.
  LogicalResult checkAttributes(ArrayRef<StringRef> known);
  const onnx::AttributeProto *findAttribute(StringRef name) const;
  int64_t getInt(StringRef name, int64_t defaultValue) const;
  float getFloat(StringRef name, float defaultValue) const;
  std::string getString(StringRef name, StringRef defaultValue) const;
  SmallVector<int64_t> getInts(StringRef name) const;

  /// Converts an ONNX tensor (an initializer or a `Constant`) to elements of
  /// the IR type of its element type, or reports why it cannot.
  FailureOr<DenseElementsAttr> convertTensorProto(const onnx::TensorProto &t);

  /// The IR element type of ONNX element type `type` (null if unsupported).
  Type convertElementType(int32_t type);

  /// Builds a constant tensor and records it as a Tensor of `type`.
  Tensor createConstant(DenseElementsAttr elements, int32_t type);

private:
  LogicalResult importNode(const onnx::NodeProto &node);
  LogicalResult addGraphInputs(const onnx::GraphProto &graph,
                               SmallVectorImpl<Type> &argTypes,
                               SmallVectorImpl<std::string> &argNames,
                               SmallVectorImpl<int32_t> &argElementTypes);
  FailureOr<RankedTensorType> convertValueInfo(const onnx::ValueInfoProto &v);

  std::string fileName;
  int64_t opsetVersion = 0;
  const onnx::NodeProto *node = nullptr;
  llvm::StringMap<Tensor> values;
  llvm::StringMap<OpImporter> importers;
};

/// Each file of operator importers adds its operators to `table`.
void addQuantizeImporters(llvm::StringMap<GraphImporter::OpImporter> &table);
void addIntegerImporters(llvm::StringMap<GraphImporter::OpImporter> &table);
void addContractionImporters(llvm::StringMap<GraphImporter::OpImporter> &table);
void addElementwiseImporters(llvm::StringMap<GraphImporter::OpImporter> &table);
void addNormalizationImporters(
    llvm::StringMap<GraphImporter::OpImporter> &table);
void addShapeImporters(llvm::StringMap<GraphImporter::OpImporter> &table);
void addPoolingImporters(llvm::StringMap<GraphImporter::OpImporter> &table);

} // namespace mlir::qnn::onnx_import

#endif // QNN_LIB_TARGET_ONNX_GRAPHIMPORTER_H
