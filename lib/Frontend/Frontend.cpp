//===- Frontend.cpp - From a .nn file to the nn dialect -------------------===//

#include "adjoint/Frontend/Frontend.h"

#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/NetworkBuilder.h"
#include "adjoint/Frontend/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::frontend;

llvm::Error adjoint::addDimDefinition(llvm::StringRef text,
                                      FrontendOptions &options) {
  auto fail = [&](const llvm::Twine &what) {
    return llvm::createStringError("invalid -D '" + text + "': " + what);
  };
  auto [name, value] = text.split('=');
  name = name.trim();
  value = value.trim();
  if (!text.contains('='))
    return fail("expected NAME=SIZE, as in -D N=128");
  bool validName =
      !name.empty() && (llvm::isAlpha(name[0]) || name[0] == '_') &&
      llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
  if (!validName)
    return fail("'" + name + "' is not a symbolic dim name");
  int64_t size = 0;
  if (value.getAsInteger(10, size) || size <= 0)
    return fail("the size must be a positive integer, got '" + value + "'");
  if (!options.fixedDims.emplace(name.str(), size).second)
    return fail("'" + name + "' is already fixed by another -D");
  return llvm::Error::success();
}

/// More text than this from a pipe or a device is not a network file.
static constexpr size_t kMaxStreamBytes = size_t(256) << 20;

/// Reads stdin, a pipe or a character device, which may never end
/// (/dev/zero): in chunks, up to the first NUL byte (a binary file, which
/// importNetworkFile refuses at that byte) or kMaxStreamBytes.
static llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
readStream(llvm::StringRef path) {
  bool isStdin = path == "-";
  llvm::sys::fs::file_t file = llvm::sys::fs::getStdinHandle();
  if (!isStdin) {
    llvm::Expected<llvm::sys::fs::file_t> opened =
        llvm::sys::fs::openNativeFileForRead(path);
    if (!opened)
      return llvm::errorToErrorCode(opened.takeError());
    file = *opened;
  }
  std::string text;
  std::error_code error;
  constexpr size_t kChunk = size_t(1) << 16;
  while (text.size() <= kMaxStreamBytes) {
    size_t old = text.size();
    text.resize(old + kChunk);
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        file, llvm::MutableArrayRef<char>(&text[old], kChunk));
    if (!got) {
      error = llvm::errorToErrorCode(got.takeError());
      break;
    }
    text.resize(old + *got);
    size_t nul = llvm::StringRef(text).find('\0', old);
    if (nul != llvm::StringRef::npos) {
      text.resize(nul + 1);
      break;
    }
    if (*got == 0)
      break;
  }
  if (!isStdin)
    llvm::sys::fs::closeFile(file);
  if (error)
    return error;
  if (text.size() > kMaxStreamBytes)
    return std::make_error_code(std::errc::file_too_large);
  return llvm::MemoryBuffer::getMemBufferCopy(text, isStdin ? "<stdin>" : path);
}

llvm::Error adjoint::openNetworkFile(llvm::StringRef path,
                                     llvm::SourceMgr &sourceMgr) {
  llvm::sys::fs::file_status status;
  bool isStream = path == "-" ||
                  (!llvm::sys::fs::status(path, status) &&
                   status.type() != llvm::sys::fs::file_type::regular_file &&
                   status.type() != llvm::sys::fs::file_type::directory_file);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      isStream ? readStream(path)
               : llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError("cannot open '" + path +
                                   "': " + buffer.getError().message());
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return llvm::Error::success();
}

OwningOpRef<ModuleOp>
adjoint::importNetworkFile(llvm::SourceMgr &sourceMgr, MLIRContext &context,
                           const FrontendOptions &options) {
  unsigned bufferId = sourceMgr.getMainFileID();
  llvm::StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
  FrontendDiagnostics diags(sourceMgr, bufferId, context, options.errorLimit);

  // A NUL byte means a binary file: one error instead of one per line.
  size_t nul = text.find('\0');
  if (nul != llvm::StringRef::npos) {
    diags.error(llvm::SMLoc::getFromPointer(text.data() + nul),
                "this is not a text file (it has a NUL byte); expected a .nn "
                "network file");
    return nullptr;
  }

  // Each statement is built as soon as it is parsed, so that errors come in
  // the order of the lines.
  Parser parser(text, diags);
  NetworkBuilder builder(diags, options);
  builder.begin();
  while (std::optional<Statement> stmt = parser.parseNextStatement())
    builder.buildStatement(*stmt);
  OwningOpRef<ModuleOp> module = builder.finish();
  if (diags.hadError())
    return nullptr;
  return module;
}
