//===- CInterface.h - C-callable wrappers of network functions ---*- C++ -*-===//
//
// The analysis behind adjoint-generate-c-interface, usable on its own: the
// ABI that the wrappers of a module in linalg on tensors would get.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_CONVERSION_CINTERFACE_CINTERFACE_H
#define ADJOINT_CONVERSION_CINTERFACE_CINTERFACE_H

#include "adjoint/Conversion/CInterface/ABI.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace adjoint {

/// Computes the ABI of the public functions of `module` (nn functions lowered
/// to linalg on tensors, run-time checks as cf.assert). `prefix` is the C
/// symbol prefix (empty: the module's name, or "net"). Emits an error on the
/// module and fails when a function cannot be given a C signature (a dynamic
/// parameter, a result dim that no symbol gives, a name clash).
mlir::FailureOr<abi::NetworkABI> analyzeNetworkABI(mlir::ModuleOp module,
                                                   llvm::StringRef prefix);

} // namespace adjoint

#endif // ADJOINT_CONVERSION_CINTERFACE_CINTERFACE_H
