//===- SwishRules.cpp - The gradient rule of swish.swish ------------------===//
//
// An external model of adjoint::LinearizeOpInterface, as the nn ops' own
// rules are (lib/Autodiff/Rules): the tangent of y = x sigmoid(x) is
//
//   dy = dx * (s + y (1 - s)),   s = sigmoid(x),
//
// a Hadamard product (nn.mul, linear in dx and transposed by the nn rules)
// with a coefficient computed from the primal values only. swish.swish is not
// linear, so it needs no TransposeOpInterface.
//
//===----------------------------------------------------------------------===//

#include "Swish.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Interfaces/AutodiffInterfaces.h"

using namespace mlir;
using namespace adjoint;

namespace {

struct SwishLinearize
    : LinearizeOpInterface::ExternalModel<SwishLinearize, swish::SwishOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange tangents) const {
    auto swishOp = llvm::cast<swish::SwishOp>(op);
    if (!tangents[0])
      return SmallVector<Value>{Value()};
    Location loc = op->getLoc();
    Value x = swishOp.getInput();
    Value y = swishOp.getResult();
    Type elementType =
        llvm::cast<RankedTensorType>(x.getType()).getElementType();
    Value s = nn::SigmoidOp::create(b, loc, x);
    Value one = autodiff::createScalar(b, loc, elementType, 1.0);
    Value oneMinusS = nn::SubOp::create(b, loc, one, s);
    Value derivative =
        nn::AddOp::create(b, loc, s, nn::MulOp::create(b, loc, y, oneMinusS));
    return SmallVector<Value>{
        nn::MulOp::create(b, loc, tangents[0], derivative)};
  }
};

} // namespace

void swish::attachSwishRules(MLIRContext *context) {
  SwishOp::attachInterface<SwishLinearize>(*context);
}
