//===- Layout.cpp - Ops that move elements without arithmetic -------------===//
//
// transpose, reshape, broadcast, concat, slice and pad. They copy elements of
// any dtype byte for byte.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include <cstring>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
static void copyElement(HostTensor &dst, int64_t to, const HostTensor &src,
                        int64_t from) {
  size_t size = getDTypeSize(src.getDType());
  std::memcpy(static_cast<char *>(dst.getData()) + to * size,
              static_cast<const char *>(src.getData()) + from * size, size);
}

/// The shape of result `i`: its static dims, and its dynamic dims from the
/// index operands starting at `firstSize`, in order.
static Shape getShapeFromSizes(const OpEnv &env, unsigned firstSize) {
  Shape shape;
  unsigned next = firstSize;
  for (int64_t dim : env.getResultType().getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? env.getIndexOperand(next++)
                                               : dim);
  return shape;
}

llvm::Expected<HostTensor> interp::evalTranspose(const OpEnv &env) {
  auto op = llvm::cast<nn::TransposeOp>(env.getOp());
  const HostTensor &input = env.operand(0);
  llvm::ArrayRef<int64_t> perm = op.getPerm();
  Shape shape;
  for (int64_t p : perm)
    shape.push_back(input.getShape()[p]);
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  Shape inputStrides = getStrides(input.getShape());
  Shape index(shape.size());
  for (int64_t i = 0; i < result->getNumElements(); ++i) {
    unflattenIndex(i, shape, index);
    // Result dim k is input dim perm[k].
    int64_t from = 0;
    for (size_t k = 0; k < perm.size(); ++k)
      from += index[k] * inputStrides[perm[k]];
    copyElement(*result, i, input, from);
  }
  return result;
}

llvm::Expected<HostTensor> interp::evalReshape(const OpEnv &env) {
  const HostTensor &input = env.operand(0);
  RankedTensorType type = env.getResultType();
  Shape shape;
  if (env.getNumOperands() > 1) {
    shape = getShapeFromSizes(env, 1);
  } else {
    // At most one dynamic dim, inferred from the element count.
    shape.assign(type.getShape().begin(), type.getShape().end());
    int64_t known = 1;
    for (int64_t dim : shape)
      if (!ShapedType::isDynamic(dim))
        known *= dim;
    for (int64_t &dim : shape) {
      if (!ShapedType::isDynamic(dim))
        continue;
      if (known == 0 || input.getNumElements() % known != 0)
        return env.error("cannot reshape " + formatShape(input.getShape()) +
                         " (" + Twine(input.getNumElements()) +
                         " elements) to " + nn::formatShape(type.getShape()) +
                         ": the element count is not a multiple of " +
                         Twine(known));
      dim = input.getNumElements() / known;
    }
  }
  for (int64_t dim : shape)
    if (dim < 0)
      return env.error("cannot reshape " + formatShape(input.getShape()) +
                       " to " + formatShape(shape) + ": negative size");
  std::optional<int64_t> count = getNumElements(shape);
  if (!count || *count != input.getNumElements())
    return env.error("cannot reshape " + formatShape(input.getShape()) + " (" +
                     Twine(input.getNumElements()) + " elements) to " +
                     formatShape(shape) + " (" +
                     (count ? std::to_string(*count) : std::string("too many")) +
                     " elements)");
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  std::memcpy(result->getData(), input.getData(), input.getNumBytes());
  return result;
}

llvm::Expected<HostTensor> interp::evalBroadcast(const OpEnv &env) {
  const HostTensor &input = env.operand(0);
  auto inputType =
      llvm::cast<RankedTensorType>(env.getOp()->getOperand(0).getType());
  Shape shape = getShapeFromSizes(env, 1);
  size_t offset = shape.size() - input.getShape().size();
  for (size_t i = 0; i < input.getShape().size(); ++i) {
    int64_t from = input.getShape()[i], to = shape[offset + i];
    if (from != to && inputType.getDimSize(i) != 1)
      return env.error("cannot broadcast " + formatShape(input.getShape()) +
                       " to " + formatShape(shape));
  }
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  BroadcastIndexer source(input.getShape(), shape);
  for (int64_t i = 0; i < result->getNumElements(); ++i)
    copyElement(*result, i, input, source(i));
  return result;
}

llvm::Expected<HostTensor> interp::evalConcat(const OpEnv &env) {
  auto op = llvm::cast<nn::ConcatOp>(env.getOp());
  int64_t axis = op.getAxis();
  const HostTensor &first = env.operand(0);
  Shape shape(first.getShape());
  shape[axis] = 0;
  for (unsigned k = 0; k < env.getNumOperands(); ++k) {
    llvm::ArrayRef<int64_t> s = env.operand(k).getShape();
    for (size_t i = 0; i < s.size(); ++i)
      if (static_cast<int64_t>(i) != axis && s[i] != shape[i])
        return env.error("operand shapes " + formatShape(first.getShape()) +
                         " and " + formatShape(s) + " differ outside axis " +
                         Twine(axis));
    shape[axis] += s[axis];
  }
  llvm::Expected<HostTensor> result = env.allocate(first.getDType(), shape);
  if (!result)
    return result.takeError();
  Shape resultStrides = getStrides(shape);
  int64_t axisOffset = 0;
  for (unsigned k = 0; k < env.getNumOperands(); ++k) {
    const HostTensor &part = env.operand(k);
    Shape index(shape.size());
    for (int64_t i = 0; i < part.getNumElements(); ++i) {
      unflattenIndex(i, part.getShape(), index);
      index[axis] += axisOffset;
      int64_t to = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        to += index[d] * resultStrides[d];
      copyElement(*result, to, part, i);
    }
    axisOffset += part.getShape()[axis];
  }
  return result;
}

llvm::Expected<HostTensor> interp::evalSlice(const OpEnv &env) {
  auto op = llvm::cast<nn::SliceOp>(env.getOp());
  int64_t axis = op.getAxis(), start = op.getStart();
  const HostTensor &input = env.operand(0);
  Shape shape(input.getShape());
  shape[axis] = env.getResultType().getDimSize(axis);
  if (start + shape[axis] > input.getShape()[axis])
    return env.error("slice [" + Twine(start) + ", " +
                     Twine(start + shape[axis]) + ") of axis " + Twine(axis) +
                     " is out of bounds for shape " +
                     formatShape(input.getShape()));
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  Shape inputStrides = getStrides(input.getShape());
  Shape index(shape.size());
  for (int64_t i = 0; i < result->getNumElements(); ++i) {
    unflattenIndex(i, shape, index);
    index[axis] += start;
    int64_t from = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      from += index[d] * inputStrides[d];
    copyElement(*result, i, input, from);
  }
  return result;
}

llvm::Expected<HostTensor> interp::evalPad(const OpEnv &env) {
  auto op = llvm::cast<nn::PadOp>(env.getOp());
  llvm::ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
  const HostTensor &input = env.operand(0);
  Shape shape;
  for (size_t d = 0; d < input.getShape().size(); ++d)
    shape.push_back(input.getShape()[d] + low[d] + high[d]);
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  Shape resultStrides = getStrides(shape);
  Shape index(shape.size());
  for (int64_t i = 0; i < input.getNumElements(); ++i) {
    unflattenIndex(i, input.getShape(), index);
    int64_t to = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      to += (index[d] + low[d]) * resultStrides[d];
    copyElement(*result, to, input, i);
  }
  return result;
}
