//===- InitAll.cpp - Register everything Adjoint provides -----------------===//

#include "adjoint/InitAll.h"

#include "adjoint/Autodiff/Passes.h"
#include "adjoint/Autodiff/Rules.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Pipelines/Pipelines.h"
#include "adjoint/Training/Passes.h"
#include "adjoint/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void adjoint::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<nn::NNDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  registerNNAutodiffModels(registry);
  registerLoweringDialects(registry);
}

void adjoint::registerAllPasses() {
  // Upstream: canonicalize, cse, inline, symbol-dce, ...
  mlir::registerTransformsPasses();
  registerAutodiffPasses();
  registerAutodiffPipelines();
  registerLoweringPasses();
  training::registerTrainingPasses();
  registerAdjointTransformsPasses();
}
