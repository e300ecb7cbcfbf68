//===- Arena.h - Where an arena of temporaries may be kept ------*- C++ -*-===//
//
// Shared by adjoint-temporaries-arena and adjoint-reuse-arena.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CODEGEN_ARENA_H
#define ADJOINT_LIB_CODEGEN_ARENA_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace adjoint {

/// The function whose body runs `block` at most once per call (its body, or
/// a branch of `scf.if`s in it, such as the C interface's checks), or null
/// (a loop body, an OpenMP region, ...). An arena of such a block can be kept
/// between calls.
inline mlir::func::FuncOp getFunctionRunningOnce(mlir::Block *block) {
  for (mlir::Operation *op = block->getParentOp(); op;
       op = op->getParentOp()) {
    if (auto func = llvm::dyn_cast<mlir::func::FuncOp>(op))
      return func;
    if (!llvm::isa<mlir::scf::IfOp>(op))
      return nullptr;
  }
  return nullptr;
}

} // namespace adjoint

#endif // ADJOINT_LIB_CODEGEN_ARENA_H
