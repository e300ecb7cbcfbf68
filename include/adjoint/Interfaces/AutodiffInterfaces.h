//===- AutodiffInterfaces.h - linearize and transpose -----------*- C++ -*-===//

#ifndef ADJOINT_INTERFACES_AUTODIFFINTERFACES_H
#define ADJOINT_INTERFACES_AUTODIFFINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include "adjoint/Interfaces/AutodiffInterfaces.h.inc"

#endif // ADJOINT_INTERFACES_AUTODIFFINTERFACES_H
