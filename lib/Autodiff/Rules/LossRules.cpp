//===- LossRules.cpp - Rules of the losses --------------------------------===//
//
//   mse(p, t)                       dL = mean(2 (p - t) * (dp - dt))
//   softmax_cross_entropy(x, l)     dL = sum((softmax(x) - one_hot(l)) * dx) / N
//   bce_with_logits(x, t)           dL = mean((sigmoid(x) - t) * dx - x * dt)
//
// N is the batch size, nn.size of dim 0 of the logits. Integer labels have
// no tangent.
//
//===----------------------------------------------------------------------===//

#include "Rules.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::autodiff;

namespace {

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

/// The mean of `value` over all its elements, as a 0-d tensor.
Value meanOfAll(OpBuilder &b, Location loc, Value value) {
  auto axes = llvm::to_vector(llvm::seq<int64_t>(0, tensorType(value).getRank()));
  return nn::MeanOp::create(b, loc, value, axes, false);
}

struct MseLinearize
    : LinearizeOpInterface::ExternalModel<MseLinearize, nn::MseOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    Location loc = op->getLoc();
    Value difference = subOrNull(b, loc, t[0], t[1]);
    if (!difference)
      return SmallVector<Value>{Value()};
    auto mse = llvm::cast<nn::MseOp>(op);
    Value residual = nn::SubOp::create(b, loc, mse.getPred(), mse.getTarget());
    Value two = createScalar(b, loc, tensorType(residual).getElementType(), 2);
    Value slope = nn::MulOp::create(b, loc, residual, two);
    Value product = nn::MulOp::create(b, loc, difference, slope);
    return SmallVector<Value>{meanOfAll(b, loc, product)};
  }
};

struct SoftmaxCrossEntropyLinearize
    : LinearizeOpInterface::ExternalModel<SoftmaxCrossEntropyLinearize,
                                          nn::SoftmaxCrossEntropyOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0])
      return SmallVector<Value>{Value()};
    auto ce = llvm::cast<nn::SoftmaxCrossEntropyOp>(op);
    Location loc = op->getLoc();
    Value logits = ce.getLogits();
    Value probabilities = nn::SoftmaxOp::create(b, loc, logits, 1);
    Value targets =
        nn::OneHotOp::create(b, loc, logits.getType(), ce.getLabels());
    Value slope = nn::SubOp::create(b, loc, probabilities, targets);
    Value product = nn::MulOp::create(b, loc, t[0], slope);
    Value total =
        nn::SumOp::create(b, loc, product, ArrayRef<int64_t>{0, 1}, false);
    Value batch = nn::SizeOp::create(b, loc, logits, ArrayRef<int64_t>{0});
    return SmallVector<Value>{
        nn::DivOp::create(b, loc, total, batch).getResult()};
  }
};

struct BceWithLogitsLinearize
    : LinearizeOpInterface::ExternalModel<BceWithLogitsLinearize,
                                          nn::BceWithLogitsOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0] && !t[1])
      return SmallVector<Value>{Value()};
    auto bce = llvm::cast<nn::BceWithLogitsOp>(op);
    Location loc = op->getLoc();
    Value fromLogits, fromTargets;
    if (t[0]) {
      Value probabilities = nn::SigmoidOp::create(b, loc, bce.getLogits());
      Value slope =
          nn::SubOp::create(b, loc, probabilities, bce.getTargets());
      fromLogits = nn::MulOp::create(b, loc, t[0], slope);
    }
    if (t[1])
      fromTargets = nn::MulOp::create(b, loc, t[1], bce.getLogits());
    Value tangent = subOrNull(b, loc, fromLogits, fromTargets);
    return SmallVector<Value>{meanOfAll(b, loc, tangent)};
  }
};

} // namespace

void adjoint::autodiff::attachLossRules(MLIRContext *context) {
  nn::MseOp::attachInterface<MseLinearize>(*context);
  nn::SoftmaxCrossEntropyOp::attachInterface<SoftmaxCrossEntropyLinearize>(
      *context);
  nn::BceWithLogitsOp::attachInterface<BceWithLogitsLinearize>(*context);
}
