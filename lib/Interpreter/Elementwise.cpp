//===- Elementwise.cpp - Constants, unary and binary nn ops ---------------===//
//
// Every formula is evaluated in double and rounded once to the result's
// element type.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

llvm::Expected<HostTensor> interp::evalConstant(ElementsAttr value,
                                                const OpEnv &env) {
  llvm::Expected<DType> dtype = env.getDType(value.getElementType());
  if (!dtype)
    return dtype.takeError();
  llvm::Expected<HostTensor> result =
      env.allocate(*dtype, value.getShapedType().getShape());
  if (!result)
    return result.takeError();
  if (isFloatDType(*dtype)) {
    auto values = value.tryGetValues<llvm::APFloat>();
    if (!values)
      return env.error("cannot read the float values of the constant");
    dispatchFloat(*dtype, [&](auto tag) {
      using T = decltype(tag);
      llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
      int64_t i = 0;
      for (const llvm::APFloat &v : *values)
        out[i++] = static_cast<T>(v.convertToDouble());
    });
    return result;
  }
  auto values = value.tryGetValues<llvm::APInt>();
  if (!values)
    return env.error("cannot read the integer values of the constant");
  dispatchInt(*dtype, [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    int64_t i = 0;
    for (const llvm::APInt &v : *values)
      out[i++] = static_cast<T>(v.getSExtValue());
  });
  return result;
}

/// The standard normal density and distribution function.
static double normalPdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
static double normalCdf(double x) {
  return 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
}

/// The scalar function of a unary nn op.
static std::function<double(double)> getUnaryFunction(Operation *op) {
  using Fn = std::function<double(double)>;
  return llvm::TypeSwitch<Operation *, Fn>(op)
      .Case([](nn::NegOp) { return Fn([](double x) { return -x; }); })
      .Case([](nn::ExpOp) { return Fn([](double x) { return std::exp(x); }); })
      .Case([](nn::LogOp) { return Fn([](double x) { return std::log(x); }); })
      .Case(
          [](nn::SqrtOp) { return Fn([](double x) { return std::sqrt(x); }); })
      .Case([](nn::ReluOp) {
        // NaN propagates, as in PyTorch.
        return Fn([](double x) { return std::isnan(x) || x > 0 ? x : 0.0; });
      })
      .Case([](nn::LeakyReluOp op) {
        double alpha = op.getAlpha().convertToDouble();
        return Fn([alpha](double x) { return x > 0 ? x : alpha * x; });
      })
      .Case([](nn::SigmoidOp) {
        return Fn([](double x) { return 1.0 / (1.0 + std::exp(-x)); });
      })
      .Case(
          [](nn::TanhOp) { return Fn([](double x) { return std::tanh(x); }); })
      .Case([](nn::GeluOp) {
        return Fn([](double x) { return x * normalCdf(x); });
      })
      .Case([](nn::ReluMaskOp op) {
        double alpha = op.getAlpha().convertToDouble();
        return Fn([alpha](double x) { return x > 0 ? 1.0 : alpha; });
      })
      .Case([](nn::GeluDerivOp) {
        return Fn([](double x) { return normalCdf(x) + x * normalPdf(x); });
      })
      .Default([](Operation *) { return Fn(); });
}

llvm::Expected<HostTensor> interp::evalUnary(const OpEnv &env) {
  std::function<double(double)> fn = getUnaryFunction(env.getOp());
  if (!fn)
    return env.error("not a unary op");
  const HostTensor &input = env.operand(0);
  llvm::Expected<HostTensor> result =
      env.allocate(input.getDType(), input.getShape());
  if (!result)
    return result.takeError();
  dispatchFloat(input.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::ArrayRef<T> in = input.getValues<T>();
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (size_t i = 0; i < in.size(); ++i)
      out[i] = static_cast<T>(fn(static_cast<double>(in[i])));
  });
  return result;
}

static std::function<double(double, double)> getBinaryFunction(Operation *op) {
  using Fn = std::function<double(double, double)>;
  return llvm::TypeSwitch<Operation *, Fn>(op)
      .Case([](nn::AddOp) { return Fn([](double a, double b) { return a + b; }); })
      .Case([](nn::SubOp) { return Fn([](double a, double b) { return a - b; }); })
      .Case([](nn::MulOp) { return Fn([](double a, double b) { return a * b; }); })
      .Case([](nn::DivOp) { return Fn([](double a, double b) { return a / b; }); })
      .Default([](Operation *) { return Fn(); });
}

llvm::Expected<HostTensor> interp::evalBinary(const OpEnv &env) {
  std::function<double(double, double)> fn = getBinaryFunction(env.getOp());
  if (!fn)
    return env.error("not a binary op");
  const HostTensor &lhs = env.operand(0), &rhs = env.operand(1);
  auto lhsType = llvm::cast<RankedTensorType>(env.getOp()->getOperand(0).getType());
  auto rhsType = llvm::cast<RankedTensorType>(env.getOp()->getOperand(1).getType());
  llvm::Expected<Shape> shape =
      broadcastRuntimeShapes(env, lhs.getShape(), lhsType.getShape(),
                             rhs.getShape(), rhsType.getShape());
  if (!shape)
    return shape.takeError();
  llvm::Expected<HostTensor> result = env.allocate(lhs.getDType(), *shape);
  if (!result)
    return result.takeError();
  BroadcastIndexer lhsIndex(lhs.getShape(), *shape);
  BroadcastIndexer rhsIndex(rhs.getShape(), *shape);
  dispatchFloat(lhs.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::ArrayRef<T> a = lhs.getValues<T>(), b = rhs.getValues<T>();
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (int64_t i = 0; i < result->getNumElements(); ++i)
      out[i] = static_cast<T>(fn(static_cast<double>(a[lhsIndex(i)]),
                                 static_cast<double>(b[rhsIndex(i)])));
  });
  return result;
}
