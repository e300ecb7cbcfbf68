//===- InputFile.cpp - Reading the tools' text inputs ---------------------===//

#include "adjoint/Support/InputFile.h"

#include "llvm/Support/FileSystem.h"

using namespace adjoint;

/// Whether `path` names stdin ("-"), a pipe, a socket or a device: a file
/// whose size is not known before it is read.
static bool isStreamInput(llvm::StringRef path) {
  if (path == "-")
    return true;
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status))
    return false; // Missing: the open fails with the reason.
  return status.type() != llvm::sys::fs::file_type::regular_file &&
         status.type() != llvm::sys::fs::file_type::directory_file;
}

/// Reads stdin, a pipe or a device in chunks, up to its end, the first NUL
/// byte or kMaxStreamInputBytes.
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
  while (text.size() <= kMaxStreamInputBytes) {
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
  if (text.size() > kMaxStreamInputBytes)
    return std::make_error_code(std::errc::file_too_large);
  return llvm::MemoryBuffer::getMemBufferCopy(text, isStdin ? "<stdin>" : path);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
adjoint::openTextInput(llvm::StringRef path, bool refuseBinary) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      isStreamInput(path)
          ? readStream(path)
          : llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError("cannot open '" + path +
                                   "': " + buffer.getError().message());
  size_t nul = (*buffer)->getBuffer().find('\0');
  if (refuseBinary && nul != llvm::StringRef::npos)
    return llvm::createStringError("'" + (*buffer)->getBufferIdentifier() +
                                   "' is not a text file: it has a NUL byte "
                                   "at offset " +
                                   llvm::Twine(nul));
  return std::move(*buffer);
}
