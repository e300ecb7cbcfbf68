//===- NNOps.h - Ops of the nn dialect ---------------------------*- C++ -*-===//

#ifndef ADJOINT_DIALECT_NN_IR_NNOPS_H
#define ADJOINT_DIALECT_NN_IR_NNOPS_H

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "adjoint/Dialect/NN/IR/NNOps.h.inc"

#endif // ADJOINT_DIALECT_NN_IR_NNOPS_H
