//===- Passes.h - Adjoint synthesis passes -----------------------*- C++ -*-===//

#ifndef ADJOINT_AUTODIFF_PASSES_H
#define ADJOINT_AUTODIFF_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace adjoint {

#define GEN_PASS_DECL
#include "adjoint/Autodiff/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Autodiff/Passes.h.inc"

} // namespace adjoint

#endif // ADJOINT_AUTODIFF_PASSES_H
