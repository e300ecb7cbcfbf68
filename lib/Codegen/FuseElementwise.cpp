//===- FuseElementwise.cpp - Elementwise fusion that keeps contractions ---===//
//
// The adjoint-fuse-elementwise pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
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

/// Whether the producer of `operand` fuses into its owner: it has one use,
/// and it is not recomputed many times over, as it would be for each
/// iteration of the loops that the owner's map for it drops (a broadcast:
/// max pooling's argmax read by a loop over each window's elements) unless
/// its body is a couple of ops.
bool shouldFuseProducer(OpOperand *operand) {
  if (!hasSingleUseProducer(operand))
    return false;
  auto consumer = llvm::dyn_cast<linalg::LinalgOp>(operand->getOwner());
  auto producer =
      llvm::dyn_cast<linalg::LinalgOp>(operand->get().getDefiningOp());
  if (!consumer || !producer ||
      consumer.getMatchingIndexingMap(operand).isPermutation())
    return true;
  constexpr int64_t kMaxRecomputedOps = 2;
  Block *body = producer.getBlock();
  return body->getOperations().size() <= kMaxRecomputedOps + 1;
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

/// Fuses a producer whose result has other uses, all after the consumer in
/// its block, into a consumer that reads it with the identity map: the
/// fused op also yields the producer's result, for those uses (upstream's
/// pattern recomputes such a producer in the consumer and keeps it, so both
/// loops remain). Both have parallel loops alone. The optimizer's velocity,
/// which the weight update reads and the step returns; a layer's biased
/// product, which the activation reads and the backward pass's mask.
struct FuseProducerWithLaterUses : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    if (!consumer.hasPureTensorSemantics() || !isAllParallel(consumer))
      return failure();
    for (OpOperand *operand : consumer.getDpsInputOperands()) {
      auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
      if (!producer || producer->hasOneUse() || !isAllParallel(producer) ||
          producer->getBlock() != consumer->getBlock() ||
          !consumer.getMatchingIndexingMap(operand).isIdentity() ||
          !linalg::areElementwiseOpsFusable(operand))
        continue;
      // The consumer reads the producer through this operand alone (the
      // fused op would read the producer's result otherwise).
      bool usesAfter = llvm::all_of(producer->getUses(), [&](OpOperand &use) {
        Operation *user = use.getOwner();
        if (user == consumer.getOperation())
          return &use == operand;
        Operation *ancestor = consumer->getBlock()->findAncestorOpInBlock(*user);
        return ancestor && consumer->isBeforeInBlock(ancestor);
      });
      if (!usesAfter)
        continue;
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, operand);
      if (failed(fused))
        continue;
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
      rewriter.eraseOp(consumer);
      rewriter.eraseOp(producer);
      return success();
    }
    return failure();
  }
};

struct FuseElementwisePass
    : adjoint::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuseProducer);
    patterns.add<FuseProducerWithLaterUses>(context);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      canFoldReshape);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    // Sizes read off fused or reshaped results resolve to the sizes they
    // were made from, so that the dims do not keep a reshape alive between
    // two ops that would fuse.
    memref::populateResolveShapedTypeResultDimsPatterns(patterns);
    tensor::DimOp::getCanonicalizationPatterns(patterns, context);
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
