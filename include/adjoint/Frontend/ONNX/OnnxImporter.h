//===- OnnxImporter.h - ONNX models to the nn dialect ------------*- C++ -*-===//
//
// Imports an ONNX model (opsets 13 to 17, the operators that PyTorch's
// exporter emits for the spec's op set) into a module of the nn dialect that
// follows docs/ir-conventions.md: `func.func @forward` with the graph inputs,
// then the parameters and buffers (the initializers, named as in the graph),
// returning the graph outputs and the loss. docs/onnx.md describes the mapping.
//
// Errors are reported through the context's diagnostic engine, at
// `FILE.onnx:<node index>:0` locations wrapped in a NameLoc with the node's
// name; the import then returns null.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_ONNX_ONNXIMPORTER_H
#define ADJOINT_FRONTEND_ONNX_ONNXIMPORTER_H

#include "adjoint/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <optional>
#include <string>

namespace adjoint {

/// The loss that the importer appends to a model whose graph has none.
enum class OnnxLossKind {
  /// No loss is added.
  None,
  /// `nn.mse(output, target)` with a new f32 input `target` shaped like the
  /// output.
  Mse,
  /// `nn.softmax_cross_entropy(output, label)` with a new i64 input `label`
  /// of shape `[N]` (the output is `[N, C]` logits).
  SoftmaxCrossEntropy,
};

/// Parses the `--loss=` spelling: "none", "mse", "softmax_cross_entropy".
std::optional<OnnxLossKind> parseOnnxLossKind(llvm::StringRef text);

struct OnnxImportOptions {
  /// The loss to add when the graph has none (see OnnxLossKind). Asking for
  /// one when the graph already ends in a loss is an error.
  OnnxLossKind addLoss = OnnxLossKind::None;

  /// Values of symbolic dims (`-D N=128`): a graph input dim whose
  /// `dim_param` is a key here becomes that static size.
  llvm::StringMap<int64_t> dimValues;
};

/// The initial values of the parameters and buffers of an imported model
/// (the ONNX initializers), keyed by their `nn.name`. adjoint-run uses them
/// when no `--params` directory is given.
using OnnxInitialValues = std::map<std::string, HostTensor>;

/// Imports the ONNX model in the file at `path`. Loads the dialects it needs
/// into `context`. On success fills `initialValues` (when not null) with the
/// value of every parameter and buffer. On failure (unreadable, empty,
/// truncated or malformed file, unsupported opset or operators, shape errors)
/// reports the errors through `context`'s diagnostics and returns null.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(llvm::StringRef path, mlir::MLIRContext &context,
               const OnnxImportOptions &options = {},
               OnnxInitialValues *initialValues = nullptr);

/// Like importOnnxFile, on the bytes of an ONNX file held in memory.
/// `fileName` names the model in locations and messages; tensors stored as
/// external data are looked up relative to its directory.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxBuffer(llvm::StringRef bytes, llvm::StringRef fileName,
                 mlir::MLIRContext &context,
                 const OnnxImportOptions &options = {},
                 OnnxInitialValues *initialValues = nullptr);

/// True when `path` names an ONNX model by its extension (`.onnx`, any case).
bool isOnnxFile(llvm::StringRef path);

} // namespace adjoint

#endif // ADJOINT_FRONTEND_ONNX_ONNXIMPORTER_H
