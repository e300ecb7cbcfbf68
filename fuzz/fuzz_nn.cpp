//===- fuzz_nn.cpp - libFuzzer harness of the .nn frontend ----------------===//
//
// Feeds the bytes to adjoint::importNetworkFile (lexer, parser, the builder
// of nn IR and the verifier of the module it builds), with the diagnostics
// printed the way adjointc prints them (line and caret) to a null stream.
// When a module comes out, it is printed too. Any crash, sanitizer report
// or failed assertion is a finding; errors are the expected outcome.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context for every input, so that a crash reproduces from its
  // input alone.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.nn"),
      llvm::SMLoc());
  adjoint::NetworkDiagnosticHandler handler(sourceMgr, &context,
                                            llvm::nulls());
  adjoint::FrontendOptions options;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      adjoint::importNetworkFile(sourceMgr, context, options);
  if (module) {
    // importNetworkFile promises a verified module.
    if (mlir::failed(mlir::verify(*module)))
      abort();
    module->print(llvm::nulls());
  }
  return 0;
}
