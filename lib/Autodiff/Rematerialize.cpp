//===- Rematerialize.cpp - Recompute cheap activations --------------------===//
//
// The nn-rematerialize pass (Passes.td): in a function that returns a loss
// and gradients, the values defined up to the loss and used after it are
// what the backward part keeps. Those that an elementwise unary op computes
// from one operand are grouped by that operand; a group is recomputed at its
// first backward use when it takes more bytes than its operand would.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Passes.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNFunctions.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

namespace adjoint {
#define GEN_PASS_DEF_NNREMATERIALIZE
#include "adjoint/Autodiff/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Bytes of a tensor, dynamic dims counted as 1 (they are the same batch
/// dim for the values compared).
int64_t getBytes(Value value) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isIntOrFloat())
    return 0;
  int64_t elements = 1;
  for (int64_t d : type.getShape())
    if (!ShapedType::isDynamic(d))
      elements *= d;
  return elements * std::max<int64_t>(
                        1, type.getElementType().getIntOrFloatBitWidth() / 8);
}

bool isRecomputable(Operation *op) {
  return op && op->getNumOperands() == 1 && op->getNumResults() == 1 &&
         op->hasTrait<OpTrait::Elementwise>() && isPure(op) &&
         llvm::isa<adjoint::nn::NNDialect>(op->getDialect());
}

struct RematerializePass
    : adjoint::impl::NNRematerializeBase<RematerializePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    auto ret = llvm::dyn_cast<func::ReturnOp>(body.getTerminator());
    if (!ret)
      return;
    Operation *lossOp = adjoint::nn::getLossOp(func);
    if (!lossOp || !adjoint::nn::hasResultOfKind(func, "grad"))
      return;

    llvm::DenseMap<Operation *, int64_t> index;
    int64_t n = 0;
    for (Operation &op : body)
      index[&op] = n++;
    int64_t lossIndex = index[lossOp];
    auto usedAfterLoss = [&](Value value) {
      return llvm::any_of(value.getUsers(), [&](Operation *user) {
        Operation *top = body.findAncestorOpInBlock(*user);
        return top && index[top] > lossIndex && top != ret;
      });
    };

    // Kept values computed by a recomputable op, grouped by its operand.
    llvm::MapVector<Value, SmallVector<Operation *>> groups;
    for (Operation &op : body) {
      if (index[&op] > lossIndex)
        break;
      if (isRecomputable(&op) && usedAfterLoss(op.getResult(0)))
        groups[op.getOperand(0)].push_back(&op);
    }

    for (auto &[operand, ops] : groups) {
      int64_t groupBytes = 0;
      for (Operation *op : ops)
        groupBytes += getBytes(op->getResult(0));
      // The operand costs nothing when the caller holds it or the backward
      // part keeps it anyway.
      bool free = llvm::isa<BlockArgument>(operand) || usedAfterLoss(operand);
      if (!free && groupBytes <= getBytes(operand))
        continue;
      for (Operation *op : ops) {
        // The first backward user of the value, in block order.
        Operation *first = nullptr;
        for (Operation *user : op->getResult(0).getUsers()) {
          Operation *top = body.findAncestorOpInBlock(*user);
          if (!top || index[top] <= lossIndex || top == ret)
            continue;
          if (!first || index[top] < index[first])
            first = top;
        }
        if (!first)
          continue;
        OpBuilder builder(first);
        Operation *clone = builder.clone(*op);
        op->getResult(0).replaceUsesWithIf(
            clone->getResult(0), [&](OpOperand &use) {
              Operation *top = body.findAncestorOpInBlock(*use.getOwner());
              return top && index.count(top) && index[top] > lossIndex &&
                     top != ret;
            });
      }
    }
    // Originals that only the backward part used are now dead.
    for (auto &[operand, ops] : groups)
      for (Operation *op : ops)
        if (op->use_empty())
          op->erase();
  }
};

} // namespace
