//===- Rules.h - Register the gradient rules of the nn ops -------*- C++ -*-===//
//
// The gradient rules of the nn dialect are external models of the
// LinearizeOpInterface and TransposeOpInterface (see
// adjoint/Interfaces/AutodiffInterfaces.td), attached when the nn dialect is
// loaded. A plugin adds rules for its own ops the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_AUTODIFF_RULES_H
#define ADJOINT_AUTODIFF_RULES_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace adjoint {

/// Adds the linearization and transpose rules of every nn op to `registry`.
void registerNNAutodiffModels(mlir::DialectRegistry &registry);

} // namespace adjoint

#endif // ADJOINT_AUTODIFF_RULES_H
