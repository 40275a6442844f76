//===- Npy.h - Batches of calibration inputs from .npy files ----*- C++ -*-===//
//
// Part of the quant-mlir project, under the Apache License v2.0 with LLVM
// Exceptions. See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reads NumPy's .npy format (versions 1 to 3, C order, little endian) into
// dense constants, and turns a directory of .npy files into batch
// functions that quant-calibrate runs like those of an MLIR file.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_NPY_H
#define QNN_CALIBRATION_NPY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::qnn {

/// Reads the .npy file `path` as a tensor constant of `type`. The array's
/// shape must be `type`'s and its dtype the element type's (f32 '<f4', f64
/// '<f8', i8 '|i1', i16 '<i2', i32 '<i4', i64 '<i8', u8 '|u1' for i8);
/// otherwise reports an error at `path` and returns null.
DenseElementsAttr readNpy(MLIRContext *context, StringRef path,
                          RankedTensorType type);

/// Builds a module of batch functions from the .npy files of `directory`:
/// sorted by name and taken `types.size()` at a time, each group is one
/// batch whose results are those files, in order. Reports an error and
/// returns null if a file does not read as its argument's type, if the
/// directory holds no .npy file or if their count is not a multiple of the
/// argument count.
OwningOpRef<ModuleOp> readNpyBatches(MLIRContext *context, StringRef directory,
                                     TypeRange types);

/// The batches at `path` for `entry` of `model`: a directory of `.npy`
/// files (readNpyBatches) or an MLIR file of batch functions, parsed with
/// `sourceMgr`. Null after reporting an error.
OwningOpRef<ModuleOp> loadBatches(MLIRContext *context, StringRef path,
                                  ModuleOp model, StringRef entry,
                                  llvm::SourceMgr &sourceMgr);

} // namespace mlir::qnn

#endif // QNN_CALIBRATION_NPY_H
