//===- NpyHeader.h - The Python-dict header of a .npy file ------*- C++ -*-===//
//
// Internal to lib/Runtime. The header of a .npy file is the repr() of a Python
// dict such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
// This parses the subset of Python literal syntax that such a dict uses
// (strings, integers, True/False/None, tuples, lists, nested dicts), in any
// key order and with any spacing, and checks that it has exactly the three
// keys with values of the right kind.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_RUNTIME_NPYHEADER_H
#define ADJOINT_LIB_RUNTIME_NPYHEADER_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace adjoint {
namespace detail {

struct NpyHeaderDict {
  /// The 'descr' value when it is a string (a simple dtype).
  std::string descr;
  /// True when 'descr' is a list: a structured dtype.
  bool isStructured = false;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t, 4> shape;
};

/// Parses the header text (after the length field, including the trailing
/// padding and newline). Error messages describe the problem without naming
/// the file; the caller prefixes them.
llvm::Expected<NpyHeaderDict> parseNpyHeaderDict(llvm::StringRef text);

} // namespace detail
} // namespace adjoint

#endif // ADJOINT_LIB_RUNTIME_NPYHEADER_H
