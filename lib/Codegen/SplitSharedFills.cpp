//===- SplitSharedFills.cpp - One fill per destination-passing user -------===//
//
// The adjoint-split-shared-fills pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace adjoint {
#define GEN_PASS_DEF_SPLITSHAREDFILLS
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Whether `use` is the init ("outs") operand of a destination-style op.
bool isInitUse(OpOperand &use) {
  auto dps = llvm::dyn_cast<DestinationStyleOpInterface>(use.getOwner());
  return dps && dps.isDpsInit(&use);
}

/// The use among `uses` whose owner comes first in `block`, or null when
/// none is in it.
OpOperand *getFirstInBlock(ArrayRef<OpOperand *> uses, Block *block) {
  OpOperand *first = nullptr;
  for (OpOperand *use : uses) {
    Operation *owner = use->getOwner();
    if (owner->getBlock() == block &&
        (!first || owner->isBeforeInBlock(first->getOwner())))
      first = use;
  }
  return first;
}

/// A copy of `fill` (and of its tensor.empty init) right before `user`.
Value cloneBefore(linalg::FillOp fill, Operation *user) {
  OpBuilder b(user);
  IRMapping mapping;
  Value init = fill.getDpsInits()[0];
  if (auto empty = init.getDefiningOp<tensor::EmptyOp>())
    mapping.map(init, b.clone(*empty)->getResult(0));
  return b.clone(*fill, mapping)->getResult(0);
}

void splitFill(linalg::FillOp fill) {
  Value result = fill.getResult(0);
  SmallVector<OpOperand *> inits;
  unsigned uses = 0;
  for (OpOperand &use : result.getUses()) {
    ++uses;
    if (isInitUse(use))
      inits.push_back(&use);
  }
  if (uses < 2 || inits.empty())
    return;
  // When every use is an init, one user keeps the original: the earliest in
  // the fill's block, if any.
  OpOperand *keep = nullptr;
  if (inits.size() == uses) {
    keep = getFirstInBlock(inits, fill->getBlock());
    if (!keep)
      keep = inits.front();
  }
  for (OpOperand *use : inits)
    if (use != keep)
      use->set(cloneBefore(fill, use->getOwner()));
  // The kept user is now the only one: the fill moves right before it, so
  // that the two stay adjacent after bufferization
  // (adjoint-matmul-microkernels folds a zero fill right before a matmul).
  if (keep && keep->getOwner()->getBlock() == fill->getBlock())
    fill->moveBefore(keep->getOwner());
}

/// Every init use of `empty` but the first in its block gets a clone of it,
/// right before the user.
void splitEmpty(tensor::EmptyOp empty) {
  SmallVector<OpOperand *> inits;
  for (OpOperand &use : empty.getResult().getUses())
    if (isInitUse(use))
      inits.push_back(&use);
  if (inits.size() < 2)
    return;
  OpOperand *keep = getFirstInBlock(inits, empty->getBlock());
  for (OpOperand *use : inits) {
    if (use == keep)
      continue;
    OpBuilder b(use->getOwner());
    use->set(b.clone(*empty)->getResult(0));
  }
}

struct SplitSharedFillsPass
    : adjoint::impl::SplitSharedFillsBase<SplitSharedFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation()->walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics())
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : fills)
      splitFill(fill);
    SmallVector<tensor::EmptyOp> empties;
    getOperation()->walk(
        [&](tensor::EmptyOp empty) { empties.push_back(empty); });
    for (tensor::EmptyOp empty : empties)
      splitEmpty(empty);
  }
};

} // namespace
