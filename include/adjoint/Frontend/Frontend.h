//===- Frontend.h - From a .nn file to the nn dialect -----------*- C++ -*-===//
//
// The entry points of the `.nn` frontend, shared by adjointc and adjoint-run:
//
//   llvm::SourceMgr sourceMgr;
//   if (llvm::Error err = adjoint::openNetworkFile(path, sourceMgr)) ...
//   adjoint::NetworkDiagnosticHandler handler(sourceMgr, &context);
//   adjoint::FrontendOptions options;
//   ... adjoint::addDimDefinition("N=128", options) ...
//   mlir::OwningOpRef<mlir::ModuleOp> module =
//       adjoint::importNetworkFile(sourceMgr, context, options);
//   if (!module) return failure(); // the errors were printed
//
// The module follows docs/ir-conventions.md: `module @NAME` with one
// `func.func @forward` whose arguments are the inputs, then the parameters
// and buffers, then (when the network has a dropout) a seed, and whose
// results are the outputs and then the loss. docs/frontend.md describes how
// each statement and op maps to IR.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_FRONTEND_H
#define ADJOINT_FRONTEND_FRONTEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace adjoint {

struct FrontendOptions {
  /// Symbolic dims fixed to a size (`-D N=128`).
  std::map<std::string, int64_t, std::less<>> fixedDims;
  /// Stop after this many errors (0: never).
  unsigned errorLimit = 20;
};

/// Parses a `-D` value, `NAME=VALUE` with a positive integer VALUE, into
/// `options.fixedDims`; a name may be given once. The error message quotes the
/// text and says what is wrong.
llvm::Error addDimDefinition(llvm::StringRef text, FrontendOptions &options);

/// Reads `path` ("-" for stdin) into a new buffer of `sourceMgr`, the one
/// importNetworkFile reads. Fails with "cannot open 'PATH': REASON".
llvm::Error openNetworkFile(llvm::StringRef path, llvm::SourceMgr &sourceMgr);

/// Parses the main buffer of `sourceMgr` as a `.nn` file and builds the `nn`
/// module. Every op carries the FileLineColLoc of the statement it comes from
/// (the column of its op call). Errors are emitted as MLIR diagnostics at
/// their position in the file, through the context's diagnostic handler
/// (install a NetworkDiagnosticHandler from adjoint/Frontend/Diagnostics.h
/// to print them with the line and a caret); independent errors are all
/// reported, up to `options.errorLimit`. Returns null when there was any
/// error. The module has been verified; a verifier failure is reported as an
/// internal error. Loads the dialects it builds into `context`.
mlir::OwningOpRef<mlir::ModuleOp>
importNetworkFile(llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context,
                  const FrontendOptions &options);

} // namespace adjoint

#endif // ADJOINT_FRONTEND_FRONTEND_H
