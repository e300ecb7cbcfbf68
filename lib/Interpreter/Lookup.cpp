//===- Lookup.cpp - embedding, embedding_backward and one_hot -------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include <cstring>
#include <vector>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

/// Element `i` of an integer tensor.
static int64_t getId(const HostTensor &ids, int64_t i) {
  if (ids.getDType() == DType::I32)
    return ids.getValues<int32_t>()[i];
  return ids.getValues<int64_t>()[i];
}

/// An error for id number `i` of `ids`, outside [0, limit).
static llvm::Error idOutOfRange(const OpEnv &env, llvm::StringRef what,
                                const HostTensor &ids, int64_t i,
                                int64_t limit) {
  Shape index(ids.getRank());
  unflattenIndex(i, ids.getShape(), index);
  return env.error(what + " " + Twine(getId(ids, i)) + " at " +
                   formatShape(index) + " is out of range [0, " +
                   Twine(limit) + ")");
}

llvm::Expected<HostTensor> interp::evalEmbedding(const OpEnv &env) {
  const HostTensor &ids = env.operand(0), &weight = env.operand(1);
  int64_t rows = weight.getShape()[0], dim = weight.getShape()[1];
  Shape shape(ids.getShape());
  shape.push_back(dim);
  llvm::Expected<HostTensor> result = env.allocate(weight.getDType(), shape);
  if (!result)
    return result.takeError();
  size_t rowBytes = dim * getDTypeSize(weight.getDType());
  for (int64_t i = 0; i < ids.getNumElements(); ++i) {
    int64_t id = getId(ids, i);
    if (id < 0 || id >= rows)
      return idOutOfRange(env, "id", ids, i, rows);
    std::memcpy(static_cast<char *>(result->getData()) + i * rowBytes,
                static_cast<const char *>(weight.getData()) + id * rowBytes,
                rowBytes);
  }
  return result;
}

llvm::Expected<HostTensor> interp::evalEmbeddingBackward(const OpEnv &env) {
  const HostTensor &ids = env.operand(0), &grad = env.operand(1);
  RankedTensorType type = env.getResultType();
  if (type.isDynamicDim(0))
    return env.error("the table's row count must be static, got " +
                     nn::formatShape(type.getShape()));
  int64_t rows = type.getDimSize(0), dim = grad.getShape().back();
  llvm::ArrayRef<int64_t> idShape = ids.getShape();
  if (grad.getShape().drop_back() != idShape)
    return env.error("gradient " + formatShape(grad.getShape()) +
                     " does not match ids " + formatShape(idShape));
  std::vector<double> table(rows * dim, 0.0);
  for (int64_t i = 0; i < ids.getNumElements(); ++i) {
    int64_t id = getId(ids, i);
    if (id < 0 || id >= rows)
      return idOutOfRange(env, "id", ids, i, rows);
    for (int64_t j = 0; j < dim; ++j)
      table[id * dim + j] += grad.getElementAsDouble(i * dim + j);
  }
  llvm::Expected<HostTensor> result =
      env.allocate(grad.getDType(), {rows, dim});
  if (!result)
    return result.takeError();
  dispatchFloat(grad.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (size_t i = 0; i < table.size(); ++i)
      out[i] = static_cast<T>(table[i]);
  });
  return result;
}

llvm::Expected<HostTensor> interp::evalOneHot(const OpEnv &env) {
  const HostTensor &labels = env.operand(0);
  int64_t classes = env.getResultType().getShape().back();
  Shape shape(labels.getShape());
  shape.push_back(classes);
  llvm::Expected<HostTensor> result = env.allocateResult(shape);
  if (!result)
    return result.takeError();
  // result[..., c] = (labels[...] == c): a label outside [0, classes) gives a
  // row of zeros.
  dispatchFloat(result->getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (int64_t i = 0; i < labels.getNumElements(); ++i) {
      int64_t label = getId(labels, i);
      if (label >= 0 && label < classes)
        out[i * classes + label] = T(1);
    }
  });
  return result;
}
