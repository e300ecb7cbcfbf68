//===- Buffers.cpp - Where a memref's memory comes from -------------------===//

#include "Buffers.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value adjoint::getRootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = llvm::dyn_cast<ViewLikeOpInterface>(def)) {
      value = view.getViewSource();
      continue;
    }
    if (auto cast = llvm::dyn_cast<memref::CastOp>(def)) {
      value = cast.getSource();
      continue;
    }
    break;
  }
  return value;
}
