//===- ConvolutionLoopOrder.cpp - Vectorizable loop order for windows -----===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace adjoint {
#define GEN_PASS_DEF_CONVOLUTIONLOOPORDER
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// The interchange that moves the loop indexing the output's innermost dim
/// to the innermost position, or an empty vector when there is none to do.
SmallVector<unsigned> getInterchange(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() == 0)
    return {};
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return {};
  auto last = llvm::dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return {};
  unsigned loop = last.getPosition();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned numLoops = iterators.size();
  if (iterators[loop] != utils::IteratorType::parallel ||
      loop == numLoops - 1)
    return {};
  SmallVector<unsigned> order;
  for (unsigned i = 0; i < numLoops; ++i)
    if (i != loop)
      order.push_back(i);
  order.push_back(loop);
  return order;
}

struct ConvolutionLoopOrderPass
    : adjoint::impl::ConvolutionLoopOrderBase<ConvolutionLoopOrderPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (linalg::isaConvolutionOpInterface(op) && !getInterchange(op).empty())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<unsigned> order = getInterchange(op);
      rewriter.setInsertionPoint(op);
      auto generic = llvm::dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      (void)linalg::interchangeGenericOp(rewriter, generic, order);
    }
  }
};

} // namespace
