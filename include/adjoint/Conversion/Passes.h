//===- Passes.h - Conversion passes of Adjoint -------------------*- C++ -*-===//
//
// The passes that lower nn IR towards native code: nn -> linalg on tensors,
// and the C-callable wrappers that the JIT and the AOT library share.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_CONVERSION_PASSES_H
#define ADJOINT_CONVERSION_PASSES_H

#include "adjoint/Conversion/CInterface/CInterface.h"
#include "adjoint/Conversion/NNToLinalg/NNToLinalg.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace adjoint {

#define GEN_PASS_DECL
#include "adjoint/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Conversion/Passes.h.inc"

} // namespace adjoint

#endif // ADJOINT_CONVERSION_PASSES_H
