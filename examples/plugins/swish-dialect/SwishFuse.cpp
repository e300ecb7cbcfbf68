//===- SwishFuse.cpp - Rewrite x * sigmoid(x) into swish.swish ------------===//

#include "Swish.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace swish {
#define GEN_PASS_DEF_SWISHFUSE
#include "SwishPasses.h.inc"
} // namespace swish

using namespace mlir;
using namespace adjoint;

namespace {

/// nn.mul(x, nn.sigmoid(x)) or nn.mul(nn.sigmoid(x), x), of one type,
/// -> swish.swish(x).
struct FuseSwish : OpRewritePattern<nn::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      Value x = mul->getOperand(i);
      auto sigmoid = mul->getOperand(1 - i).getDefiningOp<nn::SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != mul.getType())
        continue;
      rewriter.replaceOpWithNewOp<swish::SwishOp>(mul, x);
      return success();
    }
    return failure();
  }
};

struct SwishFusePass : swish::impl::SwishFuseBase<SwishFusePass> {
  /// The dialect comes with its gradient rule, so that loading this pass
  /// plugin alone (adjointc --load-pass-plugin) is enough.
  void getDependentDialects(DialectRegistry &registry) const override {
    swish::registerSwishDialect(registry);
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseSwish>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
