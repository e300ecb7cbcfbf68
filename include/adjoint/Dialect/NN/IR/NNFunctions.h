//===- NNFunctions.h - Reading the nn attributes of functions ----*- C++ -*-===//
//
// The functions of an nn module say what their arguments and results are with
// `nn.kind` (input, param, buffer, loss, grad, ...) and `nn.name`; these read
// them.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_DIALECT_NN_IR_NNFUNCTIONS_H
#define ADJOINT_DIALECT_NN_IR_NNFUNCTIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace adjoint::nn {

/// Whether some result of `func` has the `nn.kind` `kind`.
bool hasResultOfKind(mlir::func::FuncOp func, llvm::StringRef kind);

/// The op in the body of `func` (a single block) that computes its first
/// result of kind `loss`, or null when it returns no loss (or the loss is a
/// block argument).
mlir::Operation *getLossOp(mlir::func::FuncOp func);

} // namespace adjoint::nn

#endif // ADJOINT_DIALECT_NN_IR_NNFUNCTIONS_H
