//===- ParallelElementwise.cpp - Elementwise ops over OpenMP threads ------===//
//
// The adjoint-parallel-elementwise pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "Buffers.h"
#include "Threads.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace adjoint {
#define GEN_PASS_DEF_PARALLELELEMENTWISE
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Whether `op` may write `buffer`: it has a write effect on it or on a
/// view of it, or effects it does not state (a call).
bool mayWrite(Operation *op, Value buffer) {
  std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
      getEffectsRecursively(op);
  if (!effects)
    return true;
  return llvm::any_of(*effects, [&](const MemoryEffects::EffectInstance &e) {
    if (!isa<MemoryEffects::Write>(e.getEffect()))
      return false;
    Value written = e.getValue();
    return !written || adjoint::getRootBuffer(written) == buffer;
  });
}

/// Whether an input of `op` was last written, in its block, by an op with
/// no `scf.parallel` inside, which runs on the calling thread only (a
/// serial loop nest such as a direct convolution or a pooling, a kernel
/// call): split over the threads, `op` would make the other threads read
/// their chunks from the calling thread's cache (on a machine where a line
/// written by one core costs the other about a memory read; LeNet-5's
/// bias and relu after its first convolution, docs/performance.md).
bool readsSerialResult(linalg::GenericOp op) {
  for (Value input : op.getDpsInputs()) {
    if (!isa<MemRefType>(input.getType()))
      continue;
    Value buffer = adjoint::getRootBuffer(input);
    for (Operation *prev = op->getPrevNode(); prev;
         prev = prev->getPrevNode()) {
      if (!mayWrite(prev, buffer))
        continue;
      WalkResult parallel =
          prev->walk([](scf::ParallelOp) { return WalkResult::interrupt(); });
      if (!parallel.wasInterrupted())
        return true;
      break;
    }
  }
  return false;
}

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
    // In program order, so that an op after one split here sees its input
    // written in parallel.
    for (linalg::GenericOp op : ops) {
      if (readsSerialResult(op))
        continue;
      if (failed(split(op)))
        return signalPassFailure();
    }
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
