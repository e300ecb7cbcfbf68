//===- Passes.h - Training passes --------------------------------*- C++ -*-===//

#ifndef ADJOINT_TRAINING_PASSES_H
#define ADJOINT_TRAINING_PASSES_H

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace adjoint::training {

#define GEN_PASS_DECL
#include "adjoint/Training/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Training/Passes.h.inc"

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_PASSES_H
