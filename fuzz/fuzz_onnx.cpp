//===- fuzz_onnx.cpp - libFuzzer harness of the ONNX importer -------------===//
//
// Feeds the bytes to adjoint::importOnnxBuffer: the protobuf parse (Debian's
// libprotobuf, not instrumented), then every check and converter of the
// importer, which is. The model is named as if it sat in a directory that
// does not exist, so that tensors "stored as external data" cannot reach
// real files. An imported module must verify; it is printed too.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Frontend/ONNX/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  // Swallow the diagnostics, but render them, as a tool would.
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    llvm::nulls() << diag.str();
    return mlir::success();
  });
  adjoint::OnnxImportOptions options;
  // The first byte picks the loss to add, so that those paths run too.
  if (size > 0)
    options.addLoss = static_cast<adjoint::OnnxLossKind>(data[0] % 3);
  adjoint::OnnxInitialValues initialValues;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module = adjoint::importOnnxBuffer(
      bytes, "/nonexistent-adjoint-fuzz/model.onnx", context, options,
      &initialValues);
  if (module) {
    if (mlir::failed(mlir::verify(*module)))
      abort();
    module->print(llvm::nulls());
  }
  return 0;
}
