//===- FuseElementwise.cpp - Elementwise fusion that keeps contractions ---===//
//
// The adjoint-fuse-elementwise pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace adjoint {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Whether the value is produced by an op with one use.
bool hasSingleUseProducer(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  return producer && producer->hasOneUse();
}

/// Whether `op` is a linalg op with parallel loops alone.
bool isAllParallel(Operation *op) {
  auto linalgOp = llvm::dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumParallelLoops() == linalgOp.getNumLoops();
}

/// A reshape is folded into the linalg op on the other side of `operand` (its
/// owner, or its producer when the owner is the reshape) only when that op
/// has parallel loops alone.
bool canFoldReshape(OpOperand *operand) {
  if (!hasSingleUseProducer(operand))
    return false;
  Operation *owner = operand->getOwner();
  if (llvm::isa<linalg::LinalgOp>(owner))
    return isAllParallel(owner);
  return isAllParallel(operand->get().getDefiningOp());
}

struct FuseElementwisePass
    : adjoint::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 hasSingleUseProducer);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      canFoldReshape);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns,
                                                 hasSingleUseProducer);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
