//===- NNFunctions.cpp - Reading the nn attributes of functions -----------===//

#include "adjoint/Dialect/NN/IR/NNFunctions.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

using namespace mlir;

/// Whether result `index` of `func` has the `nn.kind` `kind`.
static bool isResultOfKind(func::FuncOp func, unsigned index,
                           llvm::StringRef kind) {
  auto attr = func.getResultAttrOfType<StringAttr>(
      index, adjoint::nn::NNDialect::kKindAttr);
  return attr && attr.getValue() == kind;
}

bool adjoint::nn::hasResultOfKind(func::FuncOp func, llvm::StringRef kind) {
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
    if (isResultOfKind(func, i, kind))
      return true;
  return false;
}

Operation *adjoint::nn::getLossOp(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return nullptr;
  Block &body = func.getBody().front();
  auto ret = llvm::dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret)
    return nullptr;
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    if (!isResultOfKind(func, i, "loss"))
      continue;
    Operation *def = ret.getOperand(i).getDefiningOp();
    return def ? body.findAncestorOpInBlock(*def) : nullptr;
  }
  return nullptr;
}
