//===- Swish.h - The swish dialect of the example plugin --------*- C++ -*-===//

#ifndef SWISH_SWISH_H
#define SWISH_SWISH_H

#include "adjoint/Interfaces/DecomposableOpInterface.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"

#include "SwishDialect.h.inc"

#define GET_OP_CLASSES
#include "SwishOps.h.inc"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace swish {

/// Adds the swish dialect and the gradient rule of swish.swish (an external
/// model of adjoint::LinearizeOpInterface) to `registry`.
void registerSwishDialect(mlir::DialectRegistry &registry);

/// Attaches the gradient rule of swish.swish (SwishRules.cpp).
void attachSwishRules(mlir::MLIRContext *context);

#define GEN_PASS_DECL
#include "SwishPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "SwishPasses.h.inc"

} // namespace swish

#endif // SWISH_SWISH_H
