//===- ElementwiseOps.cpp - Elementwise ops, softmax and dropout ----------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Frontend/Initializers.h"
#include "adjoint/Frontend/OpEmitters.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace adjoint::frontend;
namespace nn = adjoint::nn;

/// A 0-d f32 constant for a number operand.
static Value createScalar(OpContext &ctx, double value) {
  auto type = RankedTensorType::get({}, ctx.builder().getF32Type());
  float f = static_cast<float>(value);
  auto attr = DenseElementsAttr::get(type, llvm::ArrayRef<float>(f));
  return nn::ConstantOp::create(ctx.builder(), ctx.loc,
                                llvm::cast<ElementsAttr>(attr));
}

FailureOr<TensorValue> adjoint::frontend::emitBinaryOp(OpContext &ctx) {
  const Expr *exprs[] = {ctx.args.get(0), ctx.args.get(1)};
  bool isNumber[] = {exprs[0]->kind == Expr::Kind::Number,
                     exprs[1]->kind == Expr::Kind::Number};
  if (isNumber[0] && isNumber[1]) {
    ctx.error("at least one operand must be a tensor, got two numbers");
    return failure();
  }
  // Resolve both tensor operands before failing, to report both.
  std::optional<TensorValue> operands[2];
  bool ok = true;
  for (unsigned i = 0; i < 2; ++i) {
    if (isNumber[i])
      continue;
    FailureOr<TensorValue> value = ctx.getTensor(i);
    if (failed(value)) {
      ok = false;
      continue;
    }
    if (!value->isFloat()) {
      ctx.errorNotFloat(i, *value);
      ok = false;
      continue;
    }
    operands[i] = *value;
  }
  if (!ok)
    return failure();
  for (unsigned i = 0; i < 2; ++i)
    if (isNumber[i])
      operands[i] =
          TensorValue{createScalar(ctx, exprs[i]->floatValue), SymShape{}};

  std::optional<SymShape> shape =
      broadcastShapes(operands[0]->shape, operands[1]->shape);
  if (!shape) {
    ctx.error("cannot broadcast shapes " + formatShape(operands[0]->shape) +
              " and " + formatShape(operands[1]->shape));
    return failure();
  }
  Type type = ctx.getType(*shape, ctx.builder().getF32Type());
  Value lhs = operands[0]->value, rhs = operands[1]->value;
  OpBuilder &b = ctx.builder();
  llvm::StringRef name = ctx.getOpName();
  Value result;
  if (name == "add")
    result = nn::AddOp::create(b, ctx.loc, type, lhs, rhs);
  else if (name == "sub")
    result = nn::SubOp::create(b, ctx.loc, type, lhs, rhs);
  else if (name == "mul")
    result = nn::MulOp::create(b, ctx.loc, type, lhs, rhs);
  else
    result = nn::DivOp::create(b, ctx.loc, type, lhs, rhs);
  return ctx.make(result, *shape);
}

FailureOr<TensorValue> adjoint::frontend::emitUnaryOp(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  if (failed(x))
    return failure();
  OpBuilder &b = ctx.builder();
  Type type = x->value.getType();
  llvm::StringRef name = ctx.getOpName();
  Value result;
  if (name == "neg")
    result = nn::NegOp::create(b, ctx.loc, type, x->value);
  else if (name == "exp")
    result = nn::ExpOp::create(b, ctx.loc, type, x->value);
  else if (name == "log")
    result = nn::LogOp::create(b, ctx.loc, type, x->value);
  else if (name == "sqrt")
    result = nn::SqrtOp::create(b, ctx.loc, type, x->value);
  else if (name == "relu")
    result = nn::ReluOp::create(b, ctx.loc, type, x->value);
  else if (name == "sigmoid")
    result = nn::SigmoidOp::create(b, ctx.loc, type, x->value);
  else if (name == "tanh")
    result = nn::TanhOp::create(b, ctx.loc, type, x->value);
  else
    result = nn::GeluOp::create(b, ctx.loc, type, x->value);
  return ctx.make(result, x->shape);
}

FailureOr<TensorValue> adjoint::frontend::emitLeakyRelu(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<double> alpha = ctx.args.getNumber(1, 0.01);
  if (failed(x) || failed(alpha))
    return failure();
  Value result = nn::LeakyReluOp::create(
      ctx.builder(), ctx.loc, x->value.getType(), x->value,
      llvm::APFloat(static_cast<float>(*alpha)));
  return ctx.make(result, x->shape);
}

FailureOr<TensorValue> adjoint::frontend::emitSoftmax(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<int64_t> axisArg = ctx.args.getInteger(1, -1);
  if (failed(x) || failed(axisArg))
    return failure();
  if (x->shape.empty()) {
    ctx.error(0, "needs a tensor of rank >= 1, got the scalar " +
                     describeExpr(*ctx.args.get(0)));
    return failure();
  }
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisArg, 1, *x);
  if (failed(axis))
    return failure();
  Type type = x->value.getType();
  Value result =
      ctx.getOpName() == "softmax"
          ? nn::SoftmaxOp::create(ctx.builder(), ctx.loc, type, x->value, *axis)
                .getResult()
          : nn::LogSoftmaxOp::create(ctx.builder(), ctx.loc, type, x->value,
                                     *axis)
                .getResult();
  return ctx.make(result, x->shape);
}

FailureOr<TensorValue> adjoint::frontend::emitDropout(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<double> p = ctx.args.getNumber(1, 0);
  if (failed(x) || failed(p))
    return failure();
  if (*p < 0 || *p >= 1) {
    ctx.error(1,
              "the probability p must be in [0, 1), got " + formatNumber(*p));
    return failure();
  }
  Value seed = ctx.net.getSeed(ctx.args.getCall().loc);
  Value result = nn::DropoutOp::create(
      ctx.builder(), ctx.loc, x->value.getType(), x->value, seed,
      llvm::APFloat(*p), ctx.net.takeDropoutStream(), /*training=*/false);
  return ctx.make(result, x->shape);
}
