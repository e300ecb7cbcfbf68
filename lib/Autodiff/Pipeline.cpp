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
}

namespace {
struct PipelineOptions : PassPipelineOptions<PipelineOptions> {
  Option<bool> includeInputs{
      *this, "include-inputs",
      llvm::cl::desc("Also compute the gradients of the f32 inputs"),
      llvm::cl::init(true)};
};
} // namespace

void adjoint::registerAutodiffPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "adjoint-autodiff",
      "Adjoint synthesis (nn-adjoint), then canonicalize and cse",
      [](OpPassManager &pm, const PipelineOptions &options) {
        AutodiffPipelineOptions pipeline;
        pipeline.includeInputs = options.includeInputs;
        buildAutodiffPipeline(pm, pipeline);
      });
}
