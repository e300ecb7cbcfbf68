//===- Diagnostics.cpp - Error reporting of the .nn frontend --------------===//

#include "adjoint/Frontend/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::frontend;

//===----------------------------------------------------------------------===//
// NetworkDiagnosticHandler
//===----------------------------------------------------------------------===//

NetworkDiagnosticHandler::NetworkDiagnosticHandler(llvm::SourceMgr &mgr,
                                                   MLIRContext *context,
                                                   llvm::raw_ostream &os)
    : SourceMgrDiagnosticHandler(mgr, context, os) {
  setHandler([this](Diagnostic &diag) {
    handle(diag);
    return success();
  });
}

static llvm::raw_ostream &startMessage(llvm::raw_ostream &os,
                                       DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return llvm::WithColor::error(os);
  case DiagnosticSeverity::Warning:
    return llvm::WithColor::warning(os);
  case DiagnosticSeverity::Note:
    return llvm::WithColor::note(os);
  case DiagnosticSeverity::Remark:
    return llvm::WithColor::remark(os);
  }
  llvm_unreachable("unknown severity");
}

/// Blank lines, long lines and lines with control bytes (a binary file) are
/// not echoed.
bool NetworkDiagnosticHandler::isPrintableLine(Location loc) {
  auto fileLoc = llvm::dyn_cast<FileLineColLoc>(loc);
  if (!fileLoc)
    return true;
  // A file that is not loaded yet is opened to echo its line only when it is
  // a regular file: a pipe or a device (a model named /dev/zero) may never
  // end, and stdin was read already.
  llvm::StringRef filename = fileLoc.getFilename().getValue();
  bool loaded = false;
  for (unsigned id = 1, e = mgr.getNumBuffers(); id <= e && !loaded; ++id)
    loaded = mgr.getMemoryBuffer(id)->getBufferIdentifier() == filename;
  llvm::sys::fs::file_status status;
  if (!loaded && (llvm::sys::fs::status(filename, status) ||
                  status.type() != llvm::sys::fs::file_type::regular_file))
    return false;
  const llvm::MemoryBuffer *buffer = getBufferForFile(fileLoc.getFilename());
  if (!buffer || fileLoc.getLine() == 0)
    return true;
  unsigned bufferId = mgr.FindBufferContainingLoc(
      llvm::SMLoc::getFromPointer(buffer->getBufferStart()));
  if (bufferId == 0)
    return true;
  llvm::SMLoc lineStart =
      mgr.FindLocForLineAndColumn(bufferId, fileLoc.getLine(), 1);
  if (!lineStart.isValid())
    return true;
  llvm::StringRef rest(lineStart.getPointer(),
                       buffer->getBufferEnd() - lineStart.getPointer());
  llvm::StringRef line = rest.take_until([](char c) { return c == '\n'; });
  constexpr size_t kMaxEchoedLine = 1000;
  if (line.size() > kMaxEchoedLine || line.trim().empty())
    return false;
  return llvm::all_of(line, [](char c) {
    return c == '\t' || c == '\r' || static_cast<unsigned char>(c) >= 0x20;
  });
}

void NetworkDiagnosticHandler::handle(Diagnostic &diag) {
  Location loc = diag.getLocation();
  if (llvm::isa<UnknownLoc>(loc)) {
    startMessage(os, diag.getSeverity()) << diag.str() << "\n";
    for (Diagnostic &note : diag.getNotes())
      startMessage(os, note.getSeverity()) << note.str() << "\n";
    os.flush();
    return;
  }
  if (isPrintableLine(loc) &&
      llvm::all_of(diag.getNotes(), [&](Diagnostic &note) {
        return isPrintableLine(note.getLocation());
      })) {
    emitDiagnostic(diag);
    return;
  }
  emitDiagnostic(loc, diag.str(), diag.getSeverity(), isPrintableLine(loc));
  for (Diagnostic &note : diag.getNotes())
    emitDiagnostic(note.getLocation(), note.str(), note.getSeverity(),
                   isPrintableLine(note.getLocation()));
}

//===----------------------------------------------------------------------===//
// FrontendDiagnostics
//===----------------------------------------------------------------------===//

FrontendDiagnostics::FrontendDiagnostics(llvm::SourceMgr &sourceMgr,
                                         unsigned bufferId,
                                         MLIRContext &context,
                                         unsigned errorLimit)
    : sourceMgr(sourceMgr), context(context),
      filename(sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier()),
      startLoc(llvm::SMLoc::getFromPointer(
          sourceMgr.getMemoryBuffer(bufferId)->getBufferStart())),
      errorLimit(errorLimit) {}

Location FrontendDiagnostics::getLoc(llvm::SMLoc loc) const {
  auto [line, column] = sourceMgr.getLineAndColumn(loc);
  return FileLineColLoc::get(&context, filename, line, column);
}

bool FrontendDiagnostics::count() {
  if (stopped)
    return false;
  if (errorLimit != 0 && numErrors >= errorLimit) {
    stopped = true;
    emitError(UnknownLoc::get(&context))
        << "too many errors emitted (" << numErrors << "), stopping now";
    return false;
  }
  ++numErrors;
  return true;
}

void FrontendDiagnostics::error(llvm::SMLoc loc, const llvm::Twine &message) {
  if (count())
    emitError(getLoc(loc)) << message;
}

void FrontendDiagnostics::error(llvm::SMLoc loc, const llvm::Twine &message,
                                llvm::SMLoc noteLoc, const llvm::Twine &note) {
  if (!count())
    return;
  InFlightDiagnostic diag = emitError(getLoc(loc)) << message;
  diag.attachNote(getLoc(noteLoc)) << note;
}

void FrontendDiagnostics::errorWithoutLoc(const llvm::Twine &message) {
  if (count())
    emitError(UnknownLoc::get(&context)) << message;
}
