//===- Registration.cpp - Attach the gradient rules of the nn ops ---------===//

#include "adjoint/Autodiff/Rules.h"

#include "Rules.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/IR/DialectRegistry.h"

void adjoint::registerNNAutodiffModels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *context, nn::NNDialect *) {
    autodiff::attachElementwiseRules(context);
    autodiff::attachLayoutRules(context);
    autodiff::attachReductionRules(context);
    autodiff::attachConvPoolRules(context);
    autodiff::attachNormalizationRules(context);
    autodiff::attachLossRules(context);
    autodiff::attachMiscRules(context);
  });
}
