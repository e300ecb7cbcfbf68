//===- Passes.h - Dialect-independent passes of Adjoint ----------*- C++ -*-===//

#ifndef ADJOINT_TRANSFORMS_PASSES_H
#define ADJOINT_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace adjoint {

#define GEN_PASS_DECL
#include "adjoint/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Transforms/Passes.h.inc"

} // namespace adjoint

#endif // ADJOINT_TRANSFORMS_PASSES_H
