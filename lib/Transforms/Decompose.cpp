//===- Decompose.cpp - The nn-decompose pass ------------------------------===//

#include "adjoint/Transforms/Passes.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Interfaces/DecomposableOpInterface.h"

namespace adjoint {
#define GEN_PASS_DEF_NNDECOMPOSE
#include "adjoint/Transforms/Passes.h.inc"
} // namespace adjoint

namespace {

struct NNDecomposePass : adjoint::impl::NNDecomposeBase<NNDecomposePass> {
  void runOnOperation() override {
    if (failed(adjoint::decomposeNestedOps(getOperation())))
      signalPassFailure();
  }
};

} // namespace
