//===- OpenMPSerialIf.cpp - One-iteration parallel regions stay serial ----===//
//
// The adjoint-openmp-serial-if pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/IR/Builders.h"

namespace adjoint {
#define GEN_PASS_DEF_OPENMPSERIALIF
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

struct OpenMPSerialIfPass
    : adjoint::impl::OpenMPSerialIfBase<OpenMPSerialIfPass> {
  void runOnOperation() override {
    getOperation()->walk([](omp::ParallelOp parallel) {
      if (parallel.getIfExpr())
        return;
      SmallVector<omp::LoopNestOp> nests;
      parallel.getRegion().walk(
          [&](omp::LoopNestOp nest) { nests.push_back(nest); });
      if (nests.size() != 1)
        return;
      omp::LoopNestOp nest = nests.front();
      if (nest.getLoopLowerBounds().size() != 1 || nest.getLoopInclusive())
        return;
      Value lower = nest.getLoopLowerBounds()[0];
      Value upper = nest.getLoopUpperBounds()[0];
      Value step = nest.getLoopSteps()[0];
      auto definedOutside = [&](Value value) {
        return !parallel->isAncestor(value.getParentRegion()->getParentOp());
      };
      if (!definedOutside(lower) || !definedOutside(upper) ||
          !definedOutside(step))
        return;
      OpBuilder b(parallel);
      Location loc = parallel.getLoc();
      Value trips = arith::SubIOp::create(b, loc, upper, lower);
      Value several = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sgt, trips, step);
      parallel.getIfExprMutable().assign(several);
    });
  }
};

} // namespace
