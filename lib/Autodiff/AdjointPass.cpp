//===- AdjointPass.cpp - The nn-adjoint pass ------------------------------===//

#include "adjoint/Autodiff/Adjoint.h"
#include "adjoint/Autodiff/Passes.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace adjoint {
#define GEN_PASS_DEF_NNADJOINT
#include "adjoint/Autodiff/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

struct NNAdjointPass : adjoint::impl::NNAdjointBase<NNAdjointPass> {
  using NNAdjointBase::NNAdjointBase;

  void runOnOperation() override {
    adjoint::autodiff::GradientOptions options;
    options.functionName = functionName;
    options.gradientName = gradientName;
    options.includeInputs = includeInputs;
    if (failed(adjoint::autodiff::buildGradientFunction(getOperation(),
                                                        options)))
      signalPassFailure();
  }
};

} // namespace
