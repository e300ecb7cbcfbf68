//===- DecomposableOpInterface.cpp - ops that expand ----------------------===//

#include "adjoint/Interfaces/DecomposableOpInterface.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

#include "adjoint/Interfaces/DecomposableOpInterface.cpp.inc"

LogicalResult adjoint::decomposeOp(DecomposableOpInterface op) {
  OpBuilder builder(op);
  FailureOr<SmallVector<Value>> values = op.decompose(builder);
  if (failed(values))
    return failure();
  if (values->size() != op->getNumResults())
    return op->emitOpError("decomposed into ")
           << values->size() << " values, expected " << op->getNumResults();
  for (auto [i, value, result] : llvm::enumerate(*values, op->getResults())) {
    if (!value)
      return op->emitOpError("decomposed result #") << i << " into no value";
    if (value.getType() != result.getType())
      return op->emitOpError("decomposed result #")
             << i << " into a value of type " << value.getType()
             << ", expected " << result.getType();
  }
  op->replaceAllUsesWith(*values);
  op->erase();
  return success();
}

LogicalResult adjoint::decomposeNestedOps(Operation *root, unsigned maxRounds) {
  for (unsigned round = 0;; ++round) {
    SmallVector<DecomposableOpInterface> ops;
    root->walk([&](DecomposableOpInterface op) {
      if (op != root)
        ops.push_back(op);
    });
    if (ops.empty())
      return success();
    if (round == maxRounds)
      return ops.front()->emitOpError("still decomposable after ")
             << maxRounds << " rounds of decomposition; does its "
             << "decomposition produce the op itself?";
    for (DecomposableOpInterface op : ops)
      if (failed(decomposeOp(op)))
        return failure();
  }
}
