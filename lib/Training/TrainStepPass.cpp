//===- TrainStepPass.cpp - The nn-train-step pass -------------------------===//

#include "adjoint/Training/Passes.h"
#include "adjoint/Training/TrainStep.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace adjoint::training {
#define GEN_PASS_DEF_TRAINSTEP
#include "adjoint/Training/Passes.h.inc"
} // namespace adjoint::training

using namespace mlir;
using namespace adjoint::training;

namespace {

struct TrainStepPass
    : adjoint::training::impl::TrainStepBase<TrainStepPass> {
  using TrainStepBase::TrainStepBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (optional && optimizer.empty() &&
        !module->hasAttr(adjoint::nn::NNDialect::kOptimizerAttr))
      return;
    llvm::Expected<OptimizerSpec> spec = getModuleOptimizer(module, optimizer);
    if (!spec) {
      module.emitError() << "nn-train-step: "
                         << llvm::toString(spec.takeError());
      return signalPassFailure();
    }
    if (failed(buildTrainStep(module, *spec)) ||
        failed(buildApplyUpdate(module, *spec)) || failed(buildEvalStep(module)))
      return signalPassFailure();
  }
};

} // namespace
