//===- Report.cpp - What quantization and compression did, per layer ------===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The report reads three copies of the model. The original gives the
// layers, their MACs and their float weights. The quantized copy
// (--qnn-quantize) gives the bit widths and stored weights, and, with the
// compiled copy (--qnn-compile), the remarks that say where each layer went.
// Layers keep their identity through both by a name location that tags the
// layer and the ops up to its quantization. With calibration data, the float
// copy (statistics and fake quantization removed) and the fake-quantized
// copy run side by side (ErrorRun.h).
//
//===----------------------------------------------------------------------===//

#include "qnn/Report/Report.h"

#include "qnn/Calibration/ErrorRun.h"
#include "qnn/Codegen/CPU/IR/TargetInfo.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;

/// Whether `op` is a matmul or a convolution on tensors.
static bool isLayer(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics())
    return false;
  if (op->getName().getStringRef().contains("pooling"))
    return false;
  return linalg::isaContractionOpInterface(linalgOp) ||
         isa<linalg::ConvolutionOpInterface>(op) ||
         isa<linalg::QuantizedMatmulOp, linalg::QuantizedBatchMatmulOp>(op);
}

/// `loc` as `file:line:col` (or the name of a name location).
static std::string formatLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return formatLocation(fused.getLocations().front());
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

/// The constant behind the weights `value`, seen through quantization,
/// storage casts, reshapes and transposes; `qtype` receives the quantized
/// type of stored codes on the way.
static DenseElementsAttr findWeights(Value value,
                                     quant::QuantizedType *qtype = nullptr) {
  for (int depth = 0; value && depth < 16; ++depth) {
    DenseElementsAttr elements;
    if (matchPattern(value, m_Constant(&elements)))
      return elements;
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumOperands() == 0)
      return {};
    if (auto scast = dyn_cast<quant::StorageCastOp>(def))
      if (auto q = dyn_cast<quant::QuantizedType>(
              getElementTypeOrSelf(scast.getType())))
        if (qtype)
          *qtype = q;
    if (!isa<CalibrateOp, FakeQuantOp, quant::DequantizeCastOp,
             quant::StorageCastOp, quant::QuantizeCastOp,
             tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             linalg::TransposeOp>(def))
      return {};
    value = def->getOperand(0);
  }
  return {};
}

/// Fraction of zero elements of `elements`.
static double getZeroFraction(DenseElementsAttr elements) {
  int64_t count = elements.getNumElements();
  if (count == 0)
    return 0;
  if (elements.isSplat()) {
    bool zero = isa<FloatType>(elements.getElementType())
                    ? elements.getSplatValue<APFloat>().isZero()
                    : elements.getSplatValue<APInt>().isZero();
    return zero ? 1.0 : 0.0;
  }
  int64_t zeros = 0;
  if (isa<FloatType>(elements.getElementType())) {
    for (const APFloat &v : elements.getValues<APFloat>())
      zeros += v.isZero();
  } else {
    for (const APInt &v : elements.getValues<APInt>())
      zeros += v.isZero();
  }
  return static_cast<double>(zeros) / count;
}

/// The bit width of the elements of `value`'s type.
static unsigned getElementBits(Value value) {
  Type element = getElementTypeOrSelf(value.getType());
  if (auto q = dyn_cast<quant::QuantizedType>(element))
    return q.getStorageTypeIntegralWidth();
  return element.getIntOrFloatBitWidth();
}

/// The name location that tags the ops of layer `index`.
static constexpr StringLiteral kLayerTag = "qnn_report_layer_";

/// The layer `loc` is tagged with, if any.
static std::optional<size_t> getLayerTag(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    StringRef text = name.getName().getValue();
    size_t index;
    if (text.consume_front(kLayerTag) && !text.getAsInteger(10, index))
      return index;
    return getLayerTag(name.getChildLoc());
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      if (std::optional<size_t> tag = getLayerTag(part))
        return tag;
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return getLayerTag(call.getCallee());
  return std::nullopt;
}

/// Tags every layer of `layers`, and the ops its result flows through up
/// to its quantization, with its index: the quantize stage rewrites a layer
/// with the location of either end, and splits grouped ones into several.
static void tagLayers(ArrayRef<Operation *> layers) {
  for (size_t index = 0; index < layers.size(); ++index) {
    Operation *layer = layers[index];
    MLIRContext *ctx = layer->getContext();
    auto tag = [&](Operation *op) {
      if (getLayerTag(op->getLoc()))
        return false;
      op->setLoc(NameLoc::get(StringAttr::get(ctx, kLayerTag + Twine(index)),
                              op->getLoc()));
      return true;
    };
    tag(layer);
    SmallVector<Operation *> worklist(layer->getUsers());
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (isLayer(op) || isa<func::ReturnOp>(op) || !tag(op))
        continue;
      if (isa<CalibrateOp, FakeQuantOp, quant::QuantizeCastOp>(op))
        continue;
      llvm::append_range(worklist, op->getUsers());
    }
  }
}

/// Collects the remarks that place a layer (the first for each), emitted
/// while `pm` runs on `module`, by layer tag.
static LogicalResult
runCollectingRemarks(PassManager &pm, ModuleOp module,
                     llvm::DenseMap<size_t, std::string> &remarks) {
  ScopedDiagnosticHandler handler(
      module.getContext(), [&](Diagnostic &diag) -> LogicalResult {
        if (diag.getSeverity() != DiagnosticSeverity::Remark)
          return failure(); // errors and warnings go on to the tool
        std::string message = diag.str();
        std::optional<size_t> layer = getLayerTag(diag.getLocation());
        bool placement = StringRef(message).starts_with("stays in float") ||
                         StringRef(message).starts_with("left to portable");
        if (layer && placement && !remarks.count(*layer))
          remarks[*layer] = message;
        return success();
      });
  return pm.run(module);
}

/// The layers of `entry` in `module`, in walk order.
static SmallVector<Operation *> collectLayers(ModuleOp module,
                                              StringRef entry) {
  SmallVector<Operation *> layers;
  if (auto func = module.lookupSymbol<func::FuncOp>(entry))
    func.walk([&](Operation *op) {
      if (isLayer(op))
        layers.push_back(op);
    });
  return layers;
}

/// Replaces every qnn.calibrate and qnn.fake_quant by its input: the float
/// model.
static void stripQuantization(ModuleOp module) {
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<CalibrateOp, FakeQuantOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    op->getResult(0).replaceAllUsesWith(op->getOperand(0));
    op->erase();
  }
}

/// Adds the errors of every layer against float on `batches`.
static LogicalResult addErrors(ModuleOp model, ModuleOp batches,
                               StringRef entry,
                               MutableArrayRef<LayerReport> layers) {
  bool simulated = false;
  auto func = model.lookupSymbol<func::FuncOp>(entry);
  func.walk(
      [&](Operation *op) { simulated |= isa<CalibrateOp, FakeQuantOp>(op); });
  if (!simulated)
    return func.emitError()
           << "the error against float needs a model with qnn.calibrate or "
              "qnn.fake_quant (the float model is the one without them)";
  OwningOpRef<ModuleOp> floatModel = cast<ModuleOp>(model->clone());
  stripQuantization(*floatModel);
  OwningOpRef<ModuleOp> quantized = cast<ModuleOp>(model->clone());
  PassManager pm(model.getContext());
  QNNFoldCalibrationOptions fold;
  fold.storeWeights = false;
  buildQNNFoldCalibrationPipeline(pm, fold);
  if (failed(pm.run(*quantized)))
    return failure();
  auto inEntry = [&](Operation *op) {
    auto func = op->getParentOfType<func::FuncOp>();
    return isLayer(op) && func && func.getSymName() == entry;
  };
  FailureOr<SmallVector<LayerError>> errors =
      measureLayerErrors(*floatModel, *quantized, batches, entry, inEntry);
  if (failed(errors))
    return failure();
  for (auto [layer, error] : llvm::zip(layers, *errors)) {
    layer.sqnr = error.getSQNR();
    layer.relativeRMS = error.getRelativeRMS();
  }
  return success();
}

FailureOr<SmallVector<LayerReport>>
qnn::buildCompressionReport(ModuleOp model, ModuleOp batches,
                            const ReportOptions &options) {
  auto entry = model.lookupSymbol<func::FuncOp>(options.entry);
  if (!entry || entry.isExternal())
    return model.emitError()
           << "no function '" << options.entry << "' with a body in the model";
  SmallVector<Operation *> original = collectLayers(model, options.entry);
  if (original.empty())
    return entry.emitError() << "has no matmul or convolution to report on";

  SmallVector<LayerReport> layers;
  for (Operation *op : original) {
    LayerReport layer;
    layer.op = op->getName().getStringRef().str();
    layer.location = formatLocation(op->getLoc());
    auto linalgOp = cast<linalg::LinalgOp>(op);
    int64_t macs = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges())
      macs = ShapedType::isDynamic(range) ? 0 : macs * range;
    layer.macs = macs;
    if (DenseElementsAttr weights =
            findWeights(linalgOp.getDpsInputOperand(1)->get())) {
      int64_t count = weights.getNumElements();
      layer.bytesBefore =
          count * weights.getElementType().getIntOrFloatBitWidth() / 8;
      layer.sparsity = getZeroFraction(weights);
    }
    layers.push_back(layer);
  }

  // Quantize and compile a copy, keeping the remarks that place each layer.
  llvm::DenseMap<size_t, std::string> remarks;
  OwningOpRef<ModuleOp> quantized = cast<ModuleOp>(model->clone());
  tagLayers(collectLayers(*quantized, options.entry));
  PassManager quantize(model.getContext());
  buildQNNQuantizePipeline(quantize, QNNQuantizeOptions());
  if (failed(runCollectingRemarks(quantize, *quantized, remarks)))
    return failure();
  SmallVector<SmallVector<Operation *>> rewritten(layers.size());
  for (Operation *op : collectLayers(*quantized, options.entry))
    if (std::optional<size_t> tag = getLayerTag(op->getLoc()))
      if (*tag < layers.size())
        rewritten[*tag].push_back(op);
  OwningOpRef<ModuleOp> compiled = cast<ModuleOp>(quantized->clone());
  PassManager compile(model.getContext());
  QNNCompileOptions compileOptions;
  compileOptions.target = options.target;
  buildQNNCompilePipeline(compile, compileOptions);
  if (failed(runCollectingRemarks(compile, *compiled, remarks)))
    return failure();
  // `host` is named by the machine it resolves to.
  StringRef targetName =
      cpu::stringifyTarget(cpu::resolveTarget(options.target));

  for (auto [index, layer] : llvm::enumerate(layers)) {
    ArrayRef<Operation *> ops = rewritten[index];
    bool integer = false;
    if (ops.empty())
      layer.kernel = "not found after --qnn-quantize";
    int64_t codeCount = 0, zeroCodes = 0;
    for (auto [part, op] : llvm::enumerate(ops)) {
      // A grouped layer may be one contraction per group: the first gives
      // the bit widths, all of them the weights.
      auto linalgOp = cast<linalg::LinalgOp>(op);
      Value input = linalgOp.getDpsInputOperand(0)->get();
      Value weightsValue = linalgOp.getDpsInputOperand(1)->get();
      bool partInteger =
          isa<IntegerType>(getElementTypeOrSelf(input.getType()));
      quant::QuantizedType qtype;
      DenseElementsAttr codes = findWeights(weightsValue, &qtype);
      if (part == 0) {
        integer = partInteger;
        layer.activationBits = getElementBits(input);
        // A float layer computes on f32 whatever its operands were.
        layer.weightBits = integer && qtype
                               ? qtype.getStorageTypeIntegralWidth()
                               : getElementBits(weightsValue);
      }
      if (codes) {
        codeCount += codes.getNumElements();
        zeroCodes += static_cast<int64_t>(
            std::llround(getZeroFraction(codes) * codes.getNumElements()));
      }
    }
    if (codeCount) {
      layer.sparsity = static_cast<double>(zeroCodes) / codeCount;
      layer.bytesAfter = (codeCount * layer.weightBits + 7) / 8;
    }
    layer.bops = static_cast<double>(layer.macs) * layer.activationBits *
                 layer.weightBits;
    auto remark = remarks.find(index);
    if (remark != remarks.end())
      layer.kernel = remark->second;
    else if (layer.kernel.empty() && options.target == cpu::Target::generic)
      layer.kernel = integer ? "integer, portable loops (generic target)"
                             : "f32, portable loops (generic target)";
    else if (layer.kernel.empty())
      layer.kernel = (Twine(integer ? "integer kernels (" : "f32 kernels (") +
                      targetName + ")")
                         .str();
  }

  if (batches && failed(addErrors(model, batches, options.entry, layers)))
    return failure();
  return layers;
}

/// `bytes` in B, KiB or MiB.
static std::string formatBytes(int64_t bytes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (bytes >= (1 << 20))
    os << llvm::format("%.1f MiB", bytes / 1048576.0);
  else if (bytes >= (1 << 10))
    os << llvm::format("%.1f KiB", bytes / 1024.0);
  else
    os << bytes << " B";
  return text;
}

void qnn::printReportTable(ArrayRef<LayerReport> layers,
                           llvm::raw_ostream &os) {
  os << llvm::format("%-3s %-34s %-6s %8s %10s %10s %10s %8s  %s\n", "#",
                     "layer", "bits", "sparsity", "f32", "stored", "GBOPs",
                     "SQNR dB", "kernel");
  int64_t before = 0, after = 0;
  double bops = 0;
  for (auto [index, layer] : llvm::enumerate(layers)) {
    // The operation and the line:column of the layer.
    StringRef location = layer.location;
    auto [rest, column] = location.rsplit(':');
    StringRef line = rest.rsplit(':').second;
    std::string name = StringRef(layer.op).drop_front(7).str();
    if (!line.empty() && !column.empty())
      name += (" @" + line + ":" + column).str();
    if (name.size() > 34)
      name = name.substr(0, 34);
    std::string bits =
        (Twine(layer.activationBits) + "/" + Twine(layer.weightBits)).str();
    std::string sqnr = "-";
    if (layer.sqnr)
      sqnr = std::isinf(*layer.sqnr)
                 ? "inf"
                 : llvm::formatv("{0:f1}", *layer.sqnr).str();
    os << llvm::format("%-3zu %-34s %-6s %7.1f%% %10s %10s %10.4f %8s  %s\n",
                       index, name.c_str(), bits.c_str(), layer.sparsity * 100,
                       formatBytes(layer.bytesBefore).c_str(),
                       formatBytes(layer.bytesAfter).c_str(), layer.bops / 1e9,
                       sqnr.c_str(), layer.kernel.c_str());
    before += layer.bytesBefore;
    after += layer.bytesAfter;
    bops += layer.bops;
  }
  os << llvm::format(
      "total: %zu layers, weights %s -> %s (%.2fx smaller), "
      "%.4f GBOPs\n",
      layers.size(), formatBytes(before).c_str(), formatBytes(after).c_str(),
      after ? static_cast<double>(before) / after : 0.0, bops / 1e9);
}

void qnn::printReportJSON(ArrayRef<LayerReport> layers, llvm::raw_ostream &os) {
  llvm::json::OStream json(os, 2);
  int64_t before = 0, after = 0;
  double bops = 0;
  json.object([&] {
    json.attributeArray("layers", [&] {
      for (const LayerReport &layer : layers) {
        json.object([&] {
          json.attribute("op", layer.op);
          json.attribute("location", layer.location);
          json.attribute("macs", layer.macs);
          json.attribute("activation_bits", layer.activationBits);
          json.attribute("weight_bits", layer.weightBits);
          json.attribute("sparsity", layer.sparsity);
          json.attribute("bytes_before", layer.bytesBefore);
          json.attribute("bytes_after", layer.bytesAfter);
          json.attribute("bops", layer.bops);
          json.attribute("kernel", layer.kernel);
          // JSON has no infinity: an exact layer has no SQNR, only zero
          // error.
          if (layer.sqnr && std::isfinite(*layer.sqnr))
            json.attribute("sqnr_db", *layer.sqnr);
          else if (layer.sqnr)
            json.attribute("sqnr_db", nullptr);
          if (layer.relativeRMS)
            json.attribute("relative_rms_error", *layer.relativeRMS);
        });
        before += layer.bytesBefore;
        after += layer.bytesAfter;
        bops += layer.bops;
      }
    });
    json.attributeObject("total", [&] {
      json.attribute("layers", static_cast<int64_t>(layers.size()));
      json.attribute("bytes_before", before);
      json.attribute("bytes_after", after);
      json.attribute("bops", bops);
    });
  });
  os << "\n";
}
