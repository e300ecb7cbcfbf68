//===- LossOps.cpp - Losses -----------------------------------------------===//
//
// The losses return an f32 scalar, the mean over the batch, as PyTorch's
// functional losses do. Predictions and targets are f32; class labels are
// integers.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Frontend/OpEmitters.h"

using namespace mlir;
using namespace adjoint::frontend;
namespace nn = adjoint::nn;

/// Reads the two f32 operands of mse and bce, which have the same shape.
static FailureOr<std::pair<TensorValue, TensorValue>>
getSameShapeOperands(OpContext &ctx) {
  FailureOr<TensorValue> a = ctx.getFloatTensor(0);
  FailureOr<TensorValue> b = ctx.getFloatTensor(1);
  if (failed(a) || failed(b))
    return failure();
  if (!shapesAgree(a->shape, b->shape)) {
    ctx.error("'" + ctx.args.getParamName(0) + "' " + formatShape(a->shape) +
              " and '" + ctx.args.getParamName(1) + "' " +
              formatShape(b->shape) + " must have the same shape");
    return failure();
  }
  return std::make_pair(*a, *b);
}

static RankedTensorType getScalarType(OpContext &ctx) {
  return RankedTensorType::get({}, ctx.net.getF32Type());
}

FailureOr<TensorValue> adjoint::frontend::emitMse(OpContext &ctx) {
  auto operands = getSameShapeOperands(ctx);
  if (failed(operands))
    return failure();
  Value result =
      nn::MseOp::create(ctx.builder(), ctx.loc, getScalarType(ctx),
                        operands->first.value, operands->second.value);
  return ctx.make(result, {});
}

FailureOr<TensorValue> adjoint::frontend::emitBceWithLogits(OpContext &ctx) {
  auto operands = getSameShapeOperands(ctx);
  if (failed(operands))
    return failure();
  Value result = nn::BceWithLogitsOp::create(
      ctx.builder(), ctx.loc, getScalarType(ctx), operands->first.value,
      operands->second.value);
  return ctx.make(result, {});
}

FailureOr<TensorValue>
adjoint::frontend::emitSoftmaxCrossEntropy(OpContext &ctx) {
  FailureOr<TensorValue> logits = ctx.getFloatTensor(0);
  FailureOr<TensorValue> labels = ctx.getTensor(1);
  if (failed(logits) || failed(labels))
    return failure();
  if (labels->isFloat()) {
    ctx.error(1, "'labels' must be integer class indices (i64 or i32), got " +
                     describeExpr(*ctx.args.get(1)) + " of type " +
                     labels->describeType());
    return failure();
  }
  llvm::ArrayRef<SymDim> ls = logits->shape, ys = labels->shape;
  if (ls.size() != 2 || ys.size() != 1 || !dimsAgree(ls[0], ys[0])) {
    ctx.error("expects logits [N, C] and labels [N], got " + formatShape(ls) +
              " and " + formatShape(ys));
    return failure();
  }
  Value result = nn::SoftmaxCrossEntropyOp::create(
      ctx.builder(), ctx.loc, getScalarType(ctx), logits->value, labels->value);
  return ctx.make(result, {});
}
