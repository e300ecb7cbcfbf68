//===- Normalization.cpp - softmax, log_softmax, layernorm, batchnorm -----===//
//
// Statistics are computed in double and each result rounded once.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

/// Reads a float tensor into doubles.
static std::vector<double> toDoubles(const HostTensor &tensor) {
  std::vector<double> values(tensor.getNumElements());
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    values[i] = tensor.getElementAsDouble(i);
  return values;
}

/// Stores doubles into a float tensor of the same element count.
static void fromDoubles(llvm::ArrayRef<double> values, HostTensor &tensor) {
  dispatchFloat(tensor.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = tensor.getMutableValues<T>();
    for (size_t i = 0; i < values.size(); ++i)
      out[i] = static_cast<T>(values[i]);
  });
}

llvm::Expected<HostTensor> interp::evalSoftmax(const OpEnv &env) {
  Operation *op = env.getOp();
  bool isLog = llvm::isa<nn::LogSoftmaxOp>(op);
  int64_t axis = isLog ? llvm::cast<nn::LogSoftmaxOp>(op).getAxis()
                       : llvm::cast<nn::SoftmaxOp>(op).getAxis();
  const HostTensor &input = env.operand(0);
  llvm::ArrayRef<int64_t> shape = input.getShape();
  // View the input as [outer, len, inner] with `len` the softmax axis.
  int64_t outer = 1, inner = 1, len = shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  std::vector<double> x = toDoubles(input), y(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t j) { return (o * len + j) * inner + i; };
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < len; ++j)
        max = std::max(max, x[at(j)]);
      double sum = 0;
      for (int64_t j = 0; j < len; ++j)
        sum += std::exp(x[at(j)] - max);
      for (int64_t j = 0; j < len; ++j)
        y[at(j)] = isLog ? x[at(j)] - max - std::log(sum)
                         : std::exp(x[at(j)] - max) / sum;
    }
  }
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  fromDoubles(y, *result);
  return result;
}

/// Checks that a per-feature operand `what` has `size` elements at run time.
static llvm::Error checkFeatureOperand(const OpEnv &env, unsigned i,
                                       llvm::StringRef what, int64_t size) {
  llvm::ArrayRef<int64_t> shape = env.operand(i).getShape();
  if (shape.size() == 1 && shape[0] == size)
    return llvm::Error::success();
  return env.error(what + " has shape " + formatShape(shape) +
                   " but the input " + formatShape(env.operand(0).getShape()) +
                   " needs [" + Twine(size) + "]");
}

llvm::Expected<HostTensor> interp::evalLayerNorm(const OpEnv &env) {
  auto op = llvm::cast<nn::LayerNormOp>(env.getOp());
  double eps = op.getEps().convertToDouble();
  const HostTensor &input = env.operand(0);
  int64_t features = input.getShape().back();
  if (llvm::Error err = checkFeatureOperand(env, 1, "weight", features))
    return std::move(err);
  if (llvm::Error err = checkFeatureOperand(env, 2, "bias", features))
    return std::move(err);
  std::vector<double> x = toDoubles(input), y(x.size());
  std::vector<double> weight = toDoubles(env.operand(1));
  std::vector<double> bias = toDoubles(env.operand(2));
  int64_t rows = features == 0 ? 0 : input.getNumElements() / features;
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = x.data() + r * features;
    double mean = 0;
    for (int64_t j = 0; j < features; ++j)
      mean += row[j];
    mean /= static_cast<double>(features);
    double var = 0;
    for (int64_t j = 0; j < features; ++j)
      var += (row[j] - mean) * (row[j] - mean);
    var /= static_cast<double>(features);
    for (int64_t j = 0; j < features; ++j)
      y[r * features + j] =
          (row[j] - mean) / std::sqrt(var + eps) * weight[j] + bias[j];
  }
  llvm::Expected<HostTensor> result =
      env.allocate(input.getDType(), input.getShape());
  if (!result)
    return result.takeError();
  fromDoubles(y, *result);
  return result;
}

llvm::Expected<OpResults> interp::evalBatchNorm(const OpEnv &env) {
  auto op = llvm::cast<nn::BatchNormOp>(env.getOp());
  double eps = op.getEps().convertToDouble();
  double momentum = op.getMomentum().convertToDouble();
  const HostTensor &input = env.operand(0);
  llvm::ArrayRef<int64_t> shape = input.getShape();
  int64_t batch = shape[0], channels = shape[1];
  int64_t spatial = shape.size() == 4 ? shape[2] * shape[3] : 1;
  static const char *const names[] = {"weight", "bias", "running_mean",
                                      "running_var"};
  for (unsigned i = 1; i <= 4; ++i)
    if (llvm::Error err = checkFeatureOperand(env, i, names[i - 1], channels))
      return std::move(err);
  // Values per channel.
  int64_t count = batch * spatial;
  if (op.getTraining() && count < 2)
    return env.error("training needs more than 1 value per channel, got "
                     "input " +
                     formatShape(shape));

  std::vector<double> x = toDoubles(input), y(x.size());
  std::vector<double> weight = toDoubles(env.operand(1));
  std::vector<double> bias = toDoubles(env.operand(2));
  std::vector<double> runningMean = toDoubles(env.operand(3));
  std::vector<double> runningVar = toDoubles(env.operand(4));
  auto at = [&](int64_t n, int64_t c, int64_t s) {
    return (n * channels + c) * spatial + s;
  };
  for (int64_t c = 0; c < channels; ++c) {
    double mean = runningMean[c], var = runningVar[c];
    if (op.getTraining()) {
      mean = 0;
      for (int64_t n = 0; n < batch; ++n)
        for (int64_t s = 0; s < spatial; ++s)
          mean += x[at(n, c, s)];
      mean /= static_cast<double>(count);
      var = 0;
      for (int64_t n = 0; n < batch; ++n)
        for (int64_t s = 0; s < spatial; ++s)
          var += (x[at(n, c, s)] - mean) * (x[at(n, c, s)] - mean);
      // Normalize with the biased variance; the running statistic gets the
      // unbiased one, as torch.nn.BatchNorm does.
      double unbiased = var / static_cast<double>(count - 1);
      var /= static_cast<double>(count);
      runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
      runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
    }
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t s = 0; s < spatial; ++s)
        y[at(n, c, s)] =
            (x[at(n, c, s)] - mean) / std::sqrt(var + eps) * weight[c] +
            bias[c];
  }

  OpResults results;
  const std::vector<double> *values[] = {&y, &runningMean, &runningVar};
  const HostTensor *likes[] = {&input, &env.operand(3), &env.operand(4)};
  for (unsigned i = 0; i < 3; ++i) {
    llvm::Expected<HostTensor> result =
        env.allocate(likes[i]->getDType(), likes[i]->getShape());
    if (!result)
      return result.takeError();
    fromDoubles(*values[i], *result);
    results.push_back(std::move(*result));
  }
  return results;
}
