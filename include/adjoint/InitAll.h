//===- InitAll.h - Register everything Adjoint provides ----------*- C++ -*-===//
//
// One place that registers the dialects, the external interface models and
// the passes and pipelines of Adjoint, shared by every tool.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_INITALL_H
#define ADJOINT_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace adjoint {

/// Adds the nn dialect, the upstream dialects the pipeline uses, and the
/// external models (gradient rules, bufferization, ...) to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers the project's passes and named pipelines, and the upstream
/// passes that the pipelines and the lit tests use.
void registerAllPasses();

} // namespace adjoint

#endif // ADJOINT_INITALL_H
