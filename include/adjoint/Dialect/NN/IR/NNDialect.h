//===- NNDialect.h - The nn dialect ------------------------------*- C++ -*-===//

#ifndef ADJOINT_DIALECT_NN_IR_NNDIALECT_H
#define ADJOINT_DIALECT_NN_IR_NNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "adjoint/Dialect/NN/IR/NNOpsDialect.h.inc"

#endif // ADJOINT_DIALECT_NN_IR_NNDIALECT_H
