//===- GraphImporter.cpp - Import of one ONNX graph -----------------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::onnx_import;

std::string onnx_import::getElementTypeName(int32_t type) {
  switch (type) {
  case kFloat:
    return "float";
  case kUInt8:
    return "uint8";
  case kInt8:
    return "int8";
  case kUInt16:
    return "uint16";
  case kInt16:
    return "int16";
  case kInt32:
    return "int32";
  case kInt64:
    return "int64";
  case kBool:
    return "bool";
  case kUInt4:
    return "uint4";
  case kInt4:
    return "int4";
  default:
    return "element type " + std::to_string(type);
  }
}

bool onnx_import::isQuantizedStorageType(int32_t type) {
  return llvm::is_contained({kUInt8, kInt8, kUInt16, kInt16, kUInt4, kInt4},
                            type);
}

bool onnx_import::isUnsignedType(int32_t type) {
  return llvm::is_contained({kUInt8, kUInt16, kUInt4, kBool}, type);
}

unsigned onnx_import::getBitWidth(int32_t type) {
  switch (type) {
  case kUInt4:
  case kInt4:
    return 4;
  case kUInt8:
  case kInt8:
    return 8;
  case kUInt16:
  case kInt16:
    return 16;
  case kInt32:
    return 32;
  case kInt64:
    return 64;
  case kBool:
    return 1;
  default:
    return 0;
  }
}

GraphImporter::GraphImporter(OpBuilder &builder, StringRef fileName)
    : b(builder), loc(builder.getUnknownLoc()), fileName(fileName) {
  addQuantizeImporters(importers);
  addIntegerImporters(importers);
  addContractionImporters(importers);
  addElementwiseImporters(importers);
  addNormalizationImporters(importers);
  addShapeImporters(importers);
  addPoolingImporters(importers);
}

Type GraphImporter::convertElementType(int32_t type) {
  if (type == kFloat)
    return b.getF32Type();
  if (unsigned width = getBitWidth(type))
    return b.getIntegerType(width);
  return {};
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// Reads element `i` of little-endian `raw` data of `width` bits.
static APInt readRawInteger(StringRef raw, int64_t i, unsigned width,
                            bool isSigned) {
  if (width == 4) {
    unsigned byte = static_cast<uint8_t>(raw[i / 2]);
    uint64_t nibble = (i % 2 == 0 ? byte : byte >> 4) & 0xF;
    return APInt(4, nibble);
  }
  if (width == 1)
    return APInt(1, raw[i] != 0);
  uint64_t bits = 0;
  unsigned bytes = width / 8;
  for (unsigned k = 0; k < bytes; ++k)
    bits |= static_cast<uint64_t>(static_cast<uint8_t>(raw[i * bytes + k]))
            << (8 * k);
  (void)isSigned;
  return APInt(width, bits);
}

FailureOr<DenseElementsAttr>
GraphImporter::convertTensorProto(const onnx::TensorProto &t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return emitError(loc) << "tensor '" << t.name()
                          << "' keeps its data in an external file, which "
                             "the importer does not read";
  Type elementType = convertElementType(t.data_type());
  if (!elementType)
    return emitError(loc) << "tensor '" << t.name() << "' has unsupported "
                          << getElementTypeName(t.data_type());
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return emitError(loc) << "tensor '" << t.name()
                          << "' has a negative dimension";
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > (int64_t(1) << 40) / d)
      return emitError(loc)
             << "tensor '" << t.name() << "' has more than 2^40 elements";
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elementType);
  bool hasRaw = t.has_raw_data();
  const std::string &raw = t.raw_data();

  auto sizeError = [&]() {
    return emitError(loc) << "tensor '" << t.name() << "' holds the wrong "
                          << "number of elements for its shape";
  };

  if (t.data_type() == kFloat) {
    SmallVector<float> values;
    if (hasRaw) {
      if (static_cast<int64_t>(raw.size()) != 4 * count)
        return sizeError();
      for (int64_t i = 0; i < count; ++i)
        values.push_back(
            llvm::support::endian::read<float, llvm::endianness::little>(
                raw.data() + 4 * i));
    } else {
      if (t.float_data_size() != count)
        return sizeError();
      values.assign(t.float_data().begin(), t.float_data().end());
    }
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }

  unsigned width = getBitWidth(t.data_type());
  bool isSigned = !isUnsignedType(t.data_type());
  SmallVector<APInt> values;
  values.reserve(count);
  if (hasRaw) {
    int64_t expected = width == 4 ? (count + 1) / 2 : count * (width / 8);
    if (width == 1)
      expected = count;
    if (static_cast<int64_t>(raw.size()) != expected)
      return sizeError();
    for (int64_t i = 0; i < count; ++i)
      values.push_back(readRawInteger(raw, i, width, isSigned));
  } else if (width == 64) {
    if (t.int64_data_size() != count)
      return sizeError();
    for (int64_t v : t.int64_data())
      values.push_back(APInt(64, v, /*isSigned=*/true));
  } else if (width == 4) {
    // Two 4-bit elements per int32 entry, the first in the low nibble.
    if (t.int32_data_size() != (count + 1) / 2)
      return sizeError();
    for (int64_t i = 0; i < count; ++i) {
      uint32_t pair = static_cast<uint32_t>(t.int32_data(i / 2));
      values.push_back(APInt(4, (i % 2 == 0 ? pair : pair >> 4) & 0xF));
    }
  } else {
    if (t.int32_data_size() != count)
      return sizeError();
    for (int32_t v : t.int32_data())
      values.push_back(APInt(width,
                             static_cast<uint64_t>(static_cast<int64_t>(v)),
                             /*isSigned=*/true, /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, values);
}

Tensor GraphImporter::createConstant(DenseElementsAttr elements, int32_t type) {
  Tensor t;
  t.value = arith::ConstantOp::create(b, loc, elements);
  t.type = type;
  t.constant = elements;
  return t;
}

//===----------------------------------------------------------------------===//
// The node being imported
//===----------------------------------------------------------------------===//

InFlightDiagnostic GraphImporter::emitNodeError() {
  InFlightDiagnostic diag = emitError(loc);
  diag << "node '" << node->name() << "' (" << node->op_type() << "): ";
  return diag;
}

bool GraphImporter::hasInput(unsigned index) const {
  return index < static_cast<unsigned>(node->input_size()) &&
         !node->input(index).empty();
}

FailureOr<Tensor> GraphImporter::getInput(unsigned index, StringRef what) {
  if (!hasInput(index))
    return emitNodeError() << "input " << index << " ('" << what
                           << "') is missing";
  auto it = values.find(node->input(index));
  if (it == values.end())
    return emitNodeError() << "input '" << node->input(index)
                           << "' is not defined before the node";
  return it->second;
}

FailureOr<Tensor> GraphImporter::getFloatInput(unsigned index, StringRef what) {
  FailureOr<Tensor> t = getInput(index, what);
  if (failed(t))
    return failure();
  if (t->type != kFloat)
    return emitNodeError() << "only float inputs are supported, got "
                           << getElementTypeName(t->type);
  return t;
}

FailureOr<Tensor> GraphImporter::getConstantInput(unsigned index,
                                                  StringRef what) {
  FailureOr<Tensor> t = getInput(index, what);
  if (failed(t))
    return failure();
  if (!t->constant)
    return emitNodeError() << "input " << index << " ('" << what
                           << "') must be a constant (an initializer)";
  return t;
}

void GraphImporter::setOutput(unsigned index, Tensor tensor) {
  if (index >= static_cast<unsigned>(node->output_size()) ||
      node->output(index).empty())
    return;
  values[node->output(index)] = tensor;
}

const onnx::AttributeProto *GraphImporter::findAttribute(StringRef name) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

LogicalResult GraphImporter::checkAttributes(ArrayRef<StringRef> known) {
  for (const onnx::AttributeProto &a : node->attribute())
    if (!llvm::is_contained(known, a.name()))
      return emitNodeError()
             << "attribute '" << a.name() << "' is not supported";
  return success();
}

int64_t GraphImporter::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a = findAttribute(name);
  return a ? a->i() : defaultValue;
}

float GraphImporter::getFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *a = findAttribute(name);
  return a ? a->f() : defaultValue;
}

std::string GraphImporter::getString(StringRef name,
                                     StringRef defaultValue) const {
  const onnx::AttributeProto *a = findAttribute(name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> GraphImporter::getInts(StringRef name) const {
  const onnx::AttributeProto *a = findAttribute(name);
  if (!a)
    return {};
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

FailureOr<RankedTensorType>
GraphImporter::convertValueInfo(const onnx::ValueInfoProto &v) {
  if (!v.type().has_tensor_type())
    return emitError(loc) << "graph value '" << v.name() << "' is not a tensor";
  const onnx::TypeProto::Tensor &t = v.type().tensor_type();
  Type elementType = convertElementType(t.elem_type());
  if (!elementType)
    return emitError(loc) << "graph value '" << v.name() << "' has unsupported "
                          << getElementTypeName(t.elem_type());
  if (!t.has_shape())
    return emitError(loc) << "graph value '" << v.name()
                          << "' has no shape; the importer needs static "
                             "shapes";
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (const onnx::TensorShapeProto::Dimension &d : t.shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() < 0)
      return emitError(loc)
             << "graph value '" << v.name() << "' has the dynamic dimension '"
             << d.dim_param()
             << "'; the importer needs static shapes (export the model "
                "with fixed input sizes)";
    int64_t size = d.dim_value();
    if (size != 0 && count > kMaxElements / size)
      return emitError(loc)
             << "graph value '" << v.name() << "' has more than 2^48 elements";
    count *= size;
    shape.push_back(size);
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult
GraphImporter::addGraphInputs(const onnx::GraphProto &graph,
                              SmallVectorImpl<Type> &argTypes,
                              SmallVectorImpl<std::string> &argNames,
                              SmallVectorImpl<int32_t> &argElementTypes) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  for (const onnx::ValueInfoProto &v : graph.input()) {
    // Older models list their initializers among the inputs too.
    if (initializers.contains(v.name()))
      continue;
    FailureOr<RankedTensorType> type = convertValueInfo(v);
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    argNames.push_back(v.name());
    argElementTypes.push_back(v.type().tensor_type().elem_type());
  }
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &n) {
  node = &n;
  std::string label = n.name().empty() ? n.op_type() : n.name();
  loc = NameLoc::get(b.getStringAttr(label),
                     FileLineColLoc::get(b.getStringAttr(fileName), 0, 0));
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return emitNodeError() << "operators of domain '" << n.domain()
                           << "' are not supported";
  auto it = importers.find(n.op_type());
  if (it == importers.end())
    return emitNodeError() << "operator '" << n.op_type()
                           << "' is not supported (docs/Importers.md lists "
                              "the operators the importer reads)";
  return it->second(*this);
}

LogicalResult GraphImporter::importModel(const onnx::ModelProto &model,
                                         ModuleOp module, StringRef name) {
  loc = FileLineColLoc::get(b.getStringAttr(fileName), 0, 0);
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      opsetVersion = opset.version();
  if (opsetVersion == 0)
    return emitError(loc) << "the model imports no opset of the default "
                             "ONNX domain";
  const onnx::GraphProto &graph = model.graph();

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  SmallVector<int32_t> argElementTypes;
  if (failed(addGraphInputs(graph, argTypes, argNames, argElementTypes)))
    return failure();
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &v : graph.output()) {
    FailureOr<RankedTensorType> type = convertValueInfo(v);
    if (failed(type))
      return failure();
    resultTypes.push_back(*type);
  }

  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, loc, name,
                                   b.getFunctionType(argTypes, resultTypes));
  func->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  for (auto [arg, argName, type] :
       llvm::zip_equal(body->getArguments(), argNames, argElementTypes)) {
    Tensor t;
    t.value = arg;
    t.type = type;
    values[argName] = t;
  }
  for (const onnx::TensorProto &init : graph.initializer()) {
    FailureOr<DenseElementsAttr> elements = convertTensorProto(init);
    if (failed(elements))
      return failure();
    values[init.name()] = createConstant(*elements, init.data_type());
  }

  for (const onnx::NodeProto &n : graph.node())
    if (failed(importNode(n)))
      return failure();

  loc = FileLineColLoc::get(b.getStringAttr(fileName), 0, 0);
  SmallVector<Value> results;
  for (auto [v, type] : llvm::zip_equal(graph.output(), resultTypes)) {
    auto it = values.find(v.name());
    if (it == values.end())
      return emitError(loc)
             << "graph output '" << v.name() << "' is not computed by any node";
    if (it->second.value.getType() != type)
      return emitError(loc)
             << "graph output '" << v.name() << "' is declared " << type
             << " but computed as " << it->second.value.getType();
    results.push_back(it->second.value);
  }
  func::ReturnOp::create(b, loc, results);
  return success();
}
