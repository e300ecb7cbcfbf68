//===- Pipeline.cpp - The autodiff stage of the compiler ------------------===//

#include "adjoint/Autodiff/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void adjoint::buildAutodiffPipeline(OpPassManager &pm,
                                    const AutodiffPipelineOptions &options) {
  NNAdjointOptions adjoint;
  adjoint.includeInputs = options.includeInputs;
  pm.addPass(createNNAdjoint(adjoint));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // After CSE, which would merge the recomputed values back.
  if (options.rematerialize)
    pm.addNestedPass<func::FuncOp>(createNNRematerialize());
}

namespace {
struct PipelineOptions : PassPipelineOptions<PipelineOptions> {
  Option<bool> includeInputs{
      *this, "include-inputs",
      llvm::cl::desc("Also compute the gradients of the f32 inputs"),
      llvm::cl::init(true)};
  Option<bool> rematerialize{
      *this, "remat",
      llvm::cl::desc("Recompute cheap activations in the backward pass "
                     "instead of keeping them"),
      llvm::cl::init(false)};
};
} // namespace

void adjoint::registerAutodiffPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "adjoint-autodiff",
      "Adjoint synthesis (nn-adjoint), then canonicalize and cse",
      [](OpPassManager &pm, const PipelineOptions &options) {
        AutodiffPipelineOptions pipeline;
        pipeline.includeInputs = options.includeInputs;
        pipeline.rematerialize = options.rematerialize;
        buildAutodiffPipeline(pm, pipeline);
      });
}
