//===- Npy.cpp - Batches of calibration inputs from .npy files ------------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Npy.h"
#include "qnn/Calibration/CalibrationRun.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <optional>

using namespace mlir;

/// The location diagnostics about `path` point to (the whole file).
static Location fileLoc(MLIRContext *context, StringRef path) {
  return FileLineColLoc::get(context, path, 0, 0);
}

/// The .npy dtype of a tensor element type, if supported.
static std::optional<StringRef> getDescr(Type type) {
  if (type.isF32())
    return StringRef("<f4");
  if (type.isF64())
    return StringRef("<f8");
  if (type.isSignlessInteger(8))
    return StringRef("|i1");
  if (type.isSignlessInteger(16))
    return StringRef("<i2");
  if (type.isSignlessInteger(32))
    return StringRef("<i4");
  if (type.isSignlessInteger(64))
    return StringRef("<i8");
  return std::nullopt;
}

/// The text after `'key':` in the header dictionary, with leading blanks
/// removed, or an empty string when the key is missing.
static StringRef getValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "':").str();
  size_t at = header.find(quoted);
  if (at == StringRef::npos)
    return {};
  return header.drop_front(at + quoted.size()).ltrim();
}

/// Parses the shape tuple at the start of `text`: "(2, 3)", "(4,)", "()".
static std::optional<SmallVector<int64_t>> parseShape(StringRef text) {
  if (!text.consume_front("("))
    return std::nullopt;
  StringRef tuple = text.take_until([](char c) { return c == ')'; });
  if (tuple.size() == text.size())
    return std::nullopt;
  SmallVector<int64_t> shape;
  SmallVector<StringRef> parts;
  tuple.split(parts, ',');
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return std::nullopt;
    shape.push_back(dim);
  }
  return shape;
}

DenseElementsAttr qnn::readNpy(MLIRContext *context, StringRef path,
                               RankedTensorType type) {
  Location loc = fileLoc(context, path);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file) {
    emitError(loc) << "cannot read: " << file.getError().message();
    return {};
  }
  StringRef bytes = (*file)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10) {
    emitError(loc) << "not a .npy file";
    return {};
  }
  auto major = static_cast<uint8_t>(bytes[6]);
  size_t headerStart = major == 1 ? 10 : 12;
  if (major < 1 || major > 3 || bytes.size() < headerStart) {
    emitError(loc) << "unsupported .npy version " << unsigned(major);
    return {};
  }
  size_t headerSize = major == 1
                          ? llvm::support::endian::read16le(bytes.data() + 8)
                          : llvm::support::endian::read32le(bytes.data() + 8);
  if (bytes.size() < headerStart + headerSize) {
    emitError(loc) << "truncated .npy header";
    return {};
  }
  StringRef header = bytes.substr(headerStart, headerSize);
  StringRef data = bytes.drop_front(headerStart + headerSize);

  StringRef descrText = getValue(header, "descr");
  StringRef descr;
  if (descrText.consume_front("'"))
    descr = descrText.take_until([](char c) { return c == '\''; });
  std::optional<StringRef> expected = getDescr(type.getElementType());
  if (!expected) {
    emitError(loc) << "no .npy dtype for the element type "
                   << type.getElementType();
    return {};
  }
  if (descr != *expected) {
    emitError(loc) << "dtype '" << descr << "' does not match "
                   << type.getElementType() << " (expected '" << *expected
                   << "')";
    return {};
  }
  if (!getValue(header, "fortran_order").starts_with("False")) {
    emitError(loc) << "Fortran-ordered arrays are not supported; save a "
                      "C-ordered array";
    return {};
  }
  std::optional<SmallVector<int64_t>> shape =
      parseShape(getValue(header, "shape"));
  if (!shape) {
    emitError(loc) << "malformed shape in the .npy header";
    return {};
  }
  if (ArrayRef<int64_t>(*shape) != type.getShape()) {
    auto diag = emitError(loc) << "shape (";
    llvm::interleaveComma(*shape, diag);
    diag << (shape->size() == 1 ? ",) " : ") ") << "does not match " << type;
    return {};
  }
  size_t size = static_cast<size_t>(type.getNumElements()) *
                (type.getElementTypeBitWidth() / 8);
  if (data.size() != size) {
    emitError(loc) << "holds " << data.size() << " bytes of data, expected "
                   << size;
    return {};
  }
  if (llvm::endianness::native != llvm::endianness::little) {
    emitError(loc) << ".npy data is little endian; this host is not";
    return {};
  }
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(data.data(), data.size()));
}

OwningOpRef<ModuleOp> qnn::readNpyBatches(MLIRContext *context,
                                          StringRef directory,
                                          TypeRange types) {
  Location dirLoc = fileLoc(context, directory);
  SmallVector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".npy")
      files.push_back(it->path());
  if (ec) {
    emitError(dirLoc) << "cannot list the directory: " << ec.message();
    return {};
  }
  llvm::sort(files);
  SmallVector<RankedTensorType> tensorTypes;
  for (auto [i, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape()) {
      emitError(dirLoc) << ".npy batches need statically shaped tensor "
                           "arguments; argument #"
                        << i << " is " << type;
      return {};
    }
    tensorTypes.push_back(tensor);
  }
  if (files.empty() || tensorTypes.empty() ||
      files.size() % tensorTypes.size() != 0) {
    emitError(dirLoc) << "holds " << files.size()
                      << " .npy files; expected a positive multiple of "
                      << tensorTypes.size()
                      << " (one file per argument, batches in name order)";
    return {};
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(dirLoc);
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  for (size_t first = 0; first < files.size(); first += tensorTypes.size()) {
    auto batch = func::FuncOp::create(
        builder, fileLoc(context, files[first]),
        ("npy_batch_" + Twine(first / tensorTypes.size())).str(),
        builder.getFunctionType({}, types));
    OpBuilder body = OpBuilder::atBlockEnd(batch.addEntryBlock());
    SmallVector<Value> results;
    for (auto [file, type] : llvm::zip(
             ArrayRef(files).slice(first, tensorTypes.size()), tensorTypes)) {
      DenseElementsAttr value = readNpy(context, file, type);
      if (!value)
        return {};
      results.push_back(
          arith::ConstantOp::create(body, fileLoc(context, file), type, value));
    }
    func::ReturnOp::create(body, batch.getLoc(), results);
  }
  return module;
}

OwningOpRef<ModuleOp> qnn::loadBatches(MLIRContext *context, StringRef path,
                                       ModuleOp model, StringRef entry,
                                       llvm::SourceMgr &sourceMgr) {
  if (!llvm::sys::fs::is_directory(path))
    return parseSourceFile<ModuleOp>(path, sourceMgr, context);
  func::FuncOp function = lookupCalibrationEntry(model, entry);
  if (!function)
    return {};
  return readNpyBatches(context, path, function.getArgumentTypes());
}
