//===- fuzz_ir.cpp - libFuzzer harness of nn IR text ----------------------===//
//
// Parses the bytes as MLIR text with the dialects of adjoint-opt's nn
// pipeline front (nn, func, tensor, arith) registered, then verifies and
// prints the module: the nn dialect's custom parsers, type inference,
// verifiers and printers are instrumented (MLIR's own parser, in libMLIR, is
// not). A printed module must parse again.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

static const mlir::DialectRegistry &getRegistry() {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    r->insert<adjoint::nn::NNDialect, mlir::arith::ArithDialect,
              mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(getRegistry(),
                            mlir::MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    llvm::nulls() << diag.str();
    return mlir::success();
  });
  // MLIR's lexer needs a NUL byte after the text (the tools' buffers, read
  // with llvm::MemoryBuffer, have one); libFuzzer's bytes do not, so they are
  // copied into a std::string, which does.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context, "fuzz.mlir");
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  os.flush();
  // What the printer writes, the parser reads back.
  mlir::OwningOpRef<mlir::ModuleOp> again =
      mlir::parseSourceString<mlir::ModuleOp>(printed, &context, "again.mlir");
  if (!again)
    abort();
  return 0;
}
