//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// The `.npy` file format (NumPy format versions 1.0, 2.0 and 3.0) for
// HostTensor. Only little-endian, C-order arrays of the dtypes HostTensor
// holds are accepted: '<f4', '<i8', '<i4', and '<f8' when the caller asks for
// it (NpyReadOptions::allowF64); everything else is refused.
//
// Errors are llvm::StringError values whose message starts with the file's
// name and says what is wrong, for example
//   data/x.npy: unsupported dtype '>f4' (big-endian float32); ...
// so that a tool can print "error: " + toString(std::move(err)) as is.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_RUNTIME_NPY_H
#define ADJOINT_RUNTIME_NPY_H

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace adjoint {

struct NpyReadOptions {
  /// Accept '<f8' (float64) arrays, read as DType::F64. Off by default because
  /// the tools' file contract is '<f4', '<i8' and '<i4' only; internal users
  /// (reference data for tests) turn it on.
  bool allowF64 = false;
};

/// Reads the .npy file at `path`. Refuses, with a message that starts with
/// `path`: a missing or unreadable file, a bad magic string, a format version
/// other than 1.0/2.0/3.0, a malformed header, Fortran order, an unsupported
/// dtype, a shape whose element count overflows int64 or whose data would
/// exceed HostTensor::kMaxBytes (checked before allocating), truncated data
/// and trailing bytes after the data.
llvm::Expected<HostTensor> readNpyFile(llvm::StringRef path,
                                       const NpyReadOptions &options = {});

/// Like readNpyFile, on the bytes of a .npy file held in memory; `name` is
/// what error messages call it.
llvm::Expected<HostTensor> readNpyBuffer(llvm::StringRef bytes,
                                         llvm::StringRef name,
                                         const NpyReadOptions &options = {});

/// The NumPy descr of a dtype: "<f4", "<f8", "<i8", "<i4".
llvm::StringRef getNpyDescr(DType dtype);

/// Writes `tensor` in .npy format to `os`: version 1.0 (2.0 only when the
/// header would not fit in 64 KiB), C order, little-endian, with the header
/// laid out and padded exactly as numpy.save does (the bytes are identical).
void writeNpy(llvm::raw_ostream &os, const HostTensor &tensor);

struct NpyWriteOptions {
  /// Create the missing parent directories of the output path.
  bool createParentDirectories = false;
};

/// Writes `tensor` to the file `path` atomically: the bytes go to a temporary
/// file in the same directory, which is renamed to `path` once complete, so
/// that `path` is never left partially written and a failure leaves nothing
/// behind. An existing file at `path` is replaced.
llvm::Error writeNpyFile(llvm::StringRef path, const HostTensor &tensor,
                         const NpyWriteOptions &options = {});

} // namespace adjoint

#endif // ADJOINT_RUNTIME_NPY_H
