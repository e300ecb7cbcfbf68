//===- Header.h - The C header of a compiled network -------------*- C++ -*-===//
//
// `adjointc --emit=header`: declares the parameter struct and the functions
// of the library that `--emit=lib` / `--emit=obj` produce, from the ABI that
// adjoint-generate-c-interface recorded (see docs/codegen.md).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_EXECUTION_HEADER_H
#define ADJOINT_EXECUTION_HEADER_H

#include "adjoint/Conversion/CInterface/ABI.h"

#include <string>

namespace adjoint {

/// The text of the C header for `abi`.
std::string generateHeader(const abi::NetworkABI &abi);

} // namespace adjoint

#endif // ADJOINT_EXECUTION_HEADER_H
