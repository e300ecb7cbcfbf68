//===- InputFile.h - Reading the tools' text inputs --------------*- C++ -*-===//
//
// Every tool reads its model (a `.nn` network, or `nn` IR as `.mlir`) from a
// path, "-" for stdin. A regular file is mapped; stdin, a pipe or a character
// device may never end (`/dev/zero`), so those are read in chunks with a bound.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_SUPPORT_INPUTFILE_H
#define ADJOINT_SUPPORT_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace adjoint {

/// The most bytes read from stdin, a pipe or a device as one text input.
constexpr size_t kMaxStreamInputBytes = size_t(256) << 20;

/// Reads the text file `path` ("-" for stdin). A stream is read up to its end,
/// up to the first NUL byte (kept as the last byte of the buffer: text never
/// has one, so the reader refuses the input there) or, if it is longer than
/// kMaxStreamInputBytes, fails. Fails with "cannot open 'PATH': REASON".
/// With `refuseBinary`, a NUL byte anywhere fails too ("'PATH' is not a text
/// file: it has a NUL byte at offset N"): for readers such as MLIR's, which
/// skip NUL bytes instead of refusing them.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
openTextInput(llvm::StringRef path, bool refuseBinary = false);

} // namespace adjoint

#endif // ADJOINT_SUPPORT_INPUTFILE_H
