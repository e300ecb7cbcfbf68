//===- Threads.h - The thread count in generated code -----------*- C++ -*-===//
//
// Shared by the passes that split work over OpenMP threads.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CODEGEN_THREADS_H
#define ADJOINT_LIB_CODEGEN_THREADS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace adjoint {

/// Marks the call that buildThreadCount makes: it only reads libomp's
/// settings, so adjoint-temporaries-arena may move it up like an op without
/// side effects (the matmul workspaces' sizes depend on it).
constexpr llvm::StringLiteral kThreadCountAttr = "adjoint.thread_count";

/// `omp_get_max_threads()` as an index, called at the builder's insertion
/// point; the function is declared in `module` on first use.
mlir::Value buildThreadCount(mlir::ImplicitLocOpBuilder &b,
                             mlir::ModuleOp module);

} // namespace adjoint

#endif // ADJOINT_LIB_CODEGEN_THREADS_H
