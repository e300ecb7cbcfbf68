//===- Losses.cpp - mse, softmax_cross_entropy, bce_with_logits -----------===//
//
// Each loss is a mean, accumulated in double, returned as a 0-d tensor.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

static llvm::Expected<HostTensor> makeScalar(const OpEnv &env, double value) {
  llvm::Expected<HostTensor> result = env.allocateResult({});
  if (!result)
    return result.takeError();
  dispatchFloat(result->getDType(), [&](auto tag) {
    using T = decltype(tag);
    result->getMutableValues<T>()[0] = static_cast<T>(value);
  });
  return result;
}

static llvm::Error checkSameShape(const OpEnv &env) {
  llvm::ArrayRef<int64_t> a = env.operand(0).getShape(),
                          b = env.operand(1).getShape();
  if (a == b)
    return llvm::Error::success();
  return env.error("operand shapes differ: " + formatShape(a) + " vs " +
                   formatShape(b));
}

llvm::Expected<HostTensor> interp::evalMse(const OpEnv &env) {
  if (llvm::Error err = checkSameShape(env))
    return std::move(err);
  const HostTensor &pred = env.operand(0), &target = env.operand(1);
  double sum = 0;
  for (int64_t i = 0; i < pred.getNumElements(); ++i) {
    double d = pred.getElementAsDouble(i) - target.getElementAsDouble(i);
    sum += d * d;
  }
  return makeScalar(env, sum / static_cast<double>(pred.getNumElements()));
}

llvm::Expected<HostTensor> interp::evalSoftmaxCrossEntropy(const OpEnv &env) {
  const HostTensor &logits = env.operand(0), &labels = env.operand(1);
  int64_t rows = logits.getShape()[0], classes = logits.getShape()[1];
  if (labels.getShape()[0] != rows)
    return env.error("logits " + formatShape(logits.getShape()) +
                     " and labels " + formatShape(labels.getShape()) +
                     " differ in the batch size");
  double sum = 0;
  for (int64_t n = 0; n < rows; ++n) {
    int64_t label = static_cast<int64_t>(labels.getElementAsDouble(n));
    if (label < 0 || label >= classes)
      return env.error("label " + Twine(label) + " at [" + Twine(n) +
                       "] is out of range [0, " + Twine(classes) + ")");
    double max = -std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < classes; ++c)
      max = std::max(max, logits.getElementAsDouble(n * classes + c));
    double total = 0;
    for (int64_t c = 0; c < classes; ++c)
      total += std::exp(logits.getElementAsDouble(n * classes + c) - max);
    sum += max + std::log(total) -
           logits.getElementAsDouble(n * classes + label);
  }
  return makeScalar(env, sum / static_cast<double>(rows));
}

llvm::Expected<HostTensor> interp::evalBceWithLogits(const OpEnv &env) {
  if (llvm::Error err = checkSameShape(env))
    return std::move(err);
  const HostTensor &logits = env.operand(0), &targets = env.operand(1);
  double sum = 0;
  for (int64_t i = 0; i < logits.getNumElements(); ++i) {
    double x = logits.getElementAsDouble(i), t = targets.getElementAsDouble(i);
    sum += std::max(x, 0.0) - x * t + std::log1p(std::exp(-std::abs(x)));
  }
  return makeScalar(env, sum / static_cast<double>(logits.getNumElements()));
}
