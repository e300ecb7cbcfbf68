//===- NNToLinalg.cpp - The convert-nn-to-linalg pass ---------------------===//

#include "adjoint/Conversion/NNToLinalg/NNToLinalg.h"

#include "Utils.h"

#include "adjoint/Conversion/Passes.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace adjoint {
#define GEN_PASS_DEF_CONVERTNNTOLINALG
#include "adjoint/Conversion/Passes.h.inc"
} // namespace adjoint

using namespace mlir;
using namespace adjoint;

void adjoint::populateNNToLinalgConversionPatterns(RewritePatternSet &patterns,
                                                   bool im2col,
                                                   bool directConv) {
  nn_to_linalg::populateElementwisePatterns(patterns);
  nn_to_linalg::populateMatmulPatterns(patterns);
  nn_to_linalg::populateLayoutPatterns(patterns);
  nn_to_linalg::populateReductionPatterns(patterns);
  nn_to_linalg::populateNormalizationPatterns(patterns);
  nn_to_linalg::populateConvPoolPatterns(patterns, im2col, directConv);
  nn_to_linalg::populateLookupPatterns(patterns);
  nn_to_linalg::populateLossPatterns(patterns);
  nn_to_linalg::populateDropoutPatterns(patterns);
}

namespace {

struct ConvertNNToLinalgPass
    : adjoint::impl::ConvertNNToLinalgBase<ConvertNNToLinalgPass> {
  using ConvertNNToLinalgBase::ConvertNNToLinalgBase;
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<nn::NNDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    populateNNToLinalgConversionPatterns(patterns, im2col, directConv);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
