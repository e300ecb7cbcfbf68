//===- RunFunction.h - Preparing the function that a run evaluates -*- C++ -*-===//
//
// adjoint-run evaluates a private copy of @forward (for a plain run) or the
// @gradient function that the nn-adjoint pass builds (for --grad). These
// helpers make that function: set the mode, return the updated batchnorm
// statistics, drop the loss when its inputs are missing.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TOOLS_ADJOINT_RUN_RUNFUNCTION_H
#define ADJOINT_TOOLS_ADJOINT_RUN_RUNFUNCTION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace adjoint::run {

/// True when `func` holds an op whose result depends on the mode
/// (nn.batchnorm, nn.dropout).
bool hasModeDependentOps(mlir::func::FuncOp func);

/// Sets (training) or clears (eval) the `training` flag of every nn.batchnorm
/// and nn.dropout of `func`.
void setTrainingMode(mlir::func::FuncOp func, bool training);

/// A private copy of `func` named `name`, inserted after it.
mlir::func::FuncOp cloneFunction(mlir::func::FuncOp func,
                                 llvm::StringRef name);

/// Appends, as results with nn.kind = "buffer" and the buffer's nn.name, the
/// updated running statistics of every nn.batchnorm whose running statistics
/// are arguments of kind "buffer".
void appendBufferUpdates(mlir::func::FuncOp func);

/// Removes the results whose nn.kind is `kind`, then the ops that nothing
/// uses any more.
void dropResults(mlir::func::FuncOp func, llvm::StringRef kind);

/// The module's @gradient: the existing one, or one that the nn-adjoint pass
/// (run through the pass registry, as the pipeline "nn-adjoint") builds.
/// Errors: the pass is not registered, or it fails (the message holds its
/// diagnostics).
llvm::Expected<mlir::func::FuncOp> getGradientFunction(mlir::ModuleOp module);

} // namespace adjoint::run

#endif // ADJOINT_TOOLS_ADJOINT_RUN_RUNFUNCTION_H
