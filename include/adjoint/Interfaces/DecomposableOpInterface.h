//===- DecomposableOpInterface.h - ops that expand ---------------*- C++ -*-===//
//
// The interface by which an op that Adjoint does not know natively expands
// into ops it knows (see DecomposableOpInterface.td), and the helpers that
// apply it.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_H
#define ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include "adjoint/Interfaces/DecomposableOpInterface.h.inc"

namespace adjoint {

/// Expands `op` once: calls its decompose method before it, checks that it
/// returned one value of the right type per result, replaces the results and
/// erases the op. The ops it built may be decomposable themselves. On failure
/// the op is left in place and an error has been emitted.
llvm::LogicalResult decomposeOp(DecomposableOpInterface op);

/// Expands every decomposable op nested in `root` (not `root` itself),
/// repeatedly, until none is left. Fails, after emitting an error, when an
/// expansion fails or when expansions keep producing decomposable ops (more
/// than `maxRounds` rounds).
llvm::LogicalResult decomposeNestedOps(mlir::Operation *root,
                                       unsigned maxRounds = 16);

} // namespace adjoint

#endif // ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_H
