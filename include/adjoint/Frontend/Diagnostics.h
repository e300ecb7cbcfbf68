//===- Diagnostics.h - Error reporting of the .nn frontend ------*- C++ -*-===//
//
// The frontend reports every error as an MLIR diagnostic at the
// FileLineColLoc of the offending character, so that one handler prints the
// frontend's errors and the later passes' errors alike:
//
//   digits.nn:7:5: error: unknown op 'dense2'
//   h = dense2(x, 128)
//       ^
//
// FrontendDiagnostics counts the errors and stops the frontend after a limit,
// like a C compiler. NetworkDiagnosticHandler is the handler that the tools
// install: MLIR's SourceMgrDiagnosticHandler, which prints the line and a
// caret, plus plain `error: MESSAGE` for diagnostics without a location and
// no echo of lines that are not printable text (binary files).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_DIAGNOSTICS_H
#define ADJOINT_FRONTEND_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace adjoint {

/// Prints diagnostics with the SourceMgr that holds the network file.
class NetworkDiagnosticHandler : public mlir::SourceMgrDiagnosticHandler {
public:
  NetworkDiagnosticHandler(llvm::SourceMgr &mgr, mlir::MLIRContext *context,
                           llvm::raw_ostream &os = llvm::errs());

private:
  void handle(mlir::Diagnostic &diag);
  bool isPrintableLine(mlir::Location loc);
};

namespace frontend {

/// Emits the frontend's errors at positions in one buffer of a SourceMgr.
class FrontendDiagnostics {
public:
  FrontendDiagnostics(llvm::SourceMgr &sourceMgr, unsigned bufferId,
                      mlir::MLIRContext &context, unsigned errorLimit);

  /// The location of a character of the buffer.
  mlir::Location getLoc(llvm::SMLoc loc) const;

  /// Reports an error at `loc`, optionally with a note at `noteLoc`.
  void error(llvm::SMLoc loc, const llvm::Twine &message);
  void error(llvm::SMLoc loc, const llvm::Twine &message, llvm::SMLoc noteLoc,
             const llvm::Twine &note);
  /// Reports an error that has no place in the file (e.g. a bad -D).
  void errorWithoutLoc(const llvm::Twine &message);

  unsigned getNumErrors() const { return numErrors; }
  bool hadError() const { return numErrors != 0; }
  /// True once the error limit is reached; the frontend then stops.
  bool shouldStop() const { return stopped; }

  mlir::MLIRContext &getContext() const { return context; }
  llvm::StringRef getFilename() const { return filename; }
  /// The first character of the buffer.
  llvm::SMLoc getStartLoc() const { return startLoc; }

private:
  /// Counts an error; false when the limit was reached before it.
  bool count();

  llvm::SourceMgr &sourceMgr;
  mlir::MLIRContext &context;
  llvm::StringRef filename;
  llvm::SMLoc startLoc;
  unsigned errorLimit;
  unsigned numErrors = 0;
  bool stopped = false;
};

} // namespace frontend
} // namespace adjoint

#endif // ADJOINT_FRONTEND_DIAGNOSTICS_H
