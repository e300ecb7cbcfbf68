//===- ParallelElementwise.cpp - Elementwise ops over OpenMP threads ------===//
//
// The adjoint-parallel-elementwise pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "Threads.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace adjoint {
#define GEN_PASS_DEF_PARALLELELEMENTWISE
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Whether `op` is an elementwise generic on buffers outside parallel loops.
bool isCandidate(linalg::GenericOp op) {
  return op.hasPureBufferSemantics() && op.getNumLoops() > 0 &&
         op->getParentOfType<func::FuncOp>() &&
         op.getNumLoops() == op.getNumParallelLoops() &&
         !op->getParentOfType<scf::ParallelOp>();
}

struct ParallelElementwisePass
    : adjoint::impl::ParallelElementwiseBase<ParallelElementwisePass> {
  using ParallelElementwiseBase::ParallelElementwiseBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isCandidate(op))
        ops.push_back(op);
    });
    for (linalg::GenericOp op : ops)
      if (failed(split(op)))
        return signalPassFailure();
    threadCounts.clear();
  }

  /// The thread count, asked once at the start of the function that holds
  /// `op` (a call costs as much as a small elementwise op).
  Value getThreadCount(Operation *op) {
    auto func = op->getParentOfType<func::FuncOp>();
    Value &threads = threadCounts[func];
    if (!threads) {
      ImplicitLocOpBuilder b(func.getLoc(), func.getContext());
      b.setInsertionPointToStart(&func.getBody().front());
      threads = adjoint::buildThreadCount(b, getOperation());
    }
    return threads;
  }
  DenseMap<Operation *, Value> threadCounts;

  LogicalResult split(linalg::GenericOp op) {
    ImplicitLocOpBuilder b(op.getLoc(), op);
    SmallVector<Range, 4> ranges =
        llvm::cast<linalg::LinalgOp>(op.getOperation())
            .createLoopRanges(b, op.getLoc());
    // The iteration count, and whether it is worth the threads.
    Value elements = arith::ConstantIndexOp::create(b, 1);
    for (Range &range : ranges)
      elements = arith::MulIOp::create(
          b, elements, getValueOrCreateConstantIndexOp(b, op.getLoc(),
                                                        range.size));
    Value threads = getThreadCount(op);
    Value one = arith::ConstantIndexOp::create(b, 1);
    Value useThreads = arith::AndIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::sgt, threads, one),
        arith::CmpIOp::create(b, arith::CmpIPredicate::sge, elements,
                              arith::ConstantIndexOp::create(b, minElements)));
    auto ifOp = scf::IfOp::create(b, useThreads, /*withElseRegion=*/true);

    // else: the op as it was.
    op->moveBefore(ifOp.elseBlock(), ifOp.elseBlock()->begin());

    // then: a copy tiled by ceil(d0 / threads) along its outermost loop.
    IRRewriter rewriter(b.getContext());
    rewriter.setInsertionPointToStart(ifOp.thenBlock());
    Value outer = getValueOrCreateConstantIndexOp(rewriter, op.getLoc(),
                                                  ranges.front().size);
    Value chunk = arith::CeilDivSIOp::create(rewriter, op.getLoc(), outer,
                                             threads);
    auto copy = llvm::cast<linalg::GenericOp>(rewriter.clone(*op));
    linalg::LinalgTilingOptions tiling;
    tiling.setTileSizes(SmallVector<Value, 4>{chunk})
        .setLoopType(linalg::LinalgTilingLoopType::ParallelLoops);
    FailureOr<linalg::TiledLinalgOp> tiled =
        linalg::tileLinalgOp(rewriter, copy, tiling);
    if (failed(tiled))
      return op.emitError("adjoint-parallel-elementwise: cannot tile");
    rewriter.eraseOp(copy);
    return success();
  }
};

} // namespace
