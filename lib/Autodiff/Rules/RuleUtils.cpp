//===- RuleUtils.cpp - Helpers for writing gradient rules -----------------===//

#include "adjoint/Autodiff/RuleUtils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace adjoint::autodiff {

static RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

SmallVector<Value> getDynamicSizes(OpBuilder &builder, Location loc,
                                   Value like) {
  return getDynamicSizesFor(builder, loc, tensorType(like), like);
}

SmallVector<Value> getDynamicSizesFor(OpBuilder &builder, Location loc,
                                      RankedTensorType type, Value like) {
  RankedTensorType likeType = tensorType(like);
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i))
      continue;
    if (!likeType.isDynamicDim(i))
      sizes.push_back(
          arith::ConstantIndexOp::create(builder, loc, likeType.getDimSize(i)));
    else
      sizes.push_back(tensor::DimOp::create(builder, loc, like, i));
  }
  return sizes;
}

Value createScalar(OpBuilder &builder, Location loc, Type elementType,
                   double value) {
  auto type = RankedTensorType::get({}, elementType);
  auto attr = DenseElementsAttr::get(type, FloatAttr::get(elementType, value));
  return nn::ConstantOp::create(builder, loc, attr);
}

Value createZerosLike(OpBuilder &builder, Location loc, Value like) {
  RankedTensorType type = tensorType(like);
  Value zero = createScalar(builder, loc, type.getElementType(), 0.0);
  if (type.getRank() == 0)
    return zero;
  return nn::BroadcastOp::create(builder, loc, type, zero,
                                 getDynamicSizes(builder, loc, like));
}

Value broadcastLike(OpBuilder &builder, Location loc, Value value, Value like) {
  RankedTensorType type = tensorType(like);
  if (value.getType() == type)
    return value;
  return nn::BroadcastOp::create(builder, loc, type, value,
                                 getDynamicSizes(builder, loc, like));
}

Value castToType(OpBuilder &builder, Location loc, Value value,
                 RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return nn::ReshapeOp::create(builder, loc, type, value,
                               getDynamicSizesFor(builder, loc, type, value));
}

Value sumToType(OpBuilder &builder, Location loc, Value cotangent,
                RankedTensorType operandType) {
  RankedTensorType cotType = tensorType(cotangent);
  SmallVector<int64_t> axes =
      nn::broadcastAxes(operandType.getShape(), cotType.getShape());
  if (axes.empty())
    return castToType(builder, loc, cotangent, operandType);
  Value sum = nn::SumOp::create(builder, loc, cotangent,
                                llvm::ArrayRef<int64_t>(axes),
                                /*keepdims=*/false);
  if (sum.getType() == operandType)
    return sum;
  // The operand's dynamic dims are never broadcast axes, so the cotangent has
  // them at the same position counted from the end.
  int64_t offset = cotType.getRank() - operandType.getRank();
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < operandType.getRank(); ++i)
    if (operandType.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(builder, loc, cotangent, i + offset));
  return nn::ReshapeOp::create(builder, loc, operandType, sum, sizes);
}

Value addOrNull(OpBuilder &builder, Location loc, Value a, Value b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return nn::AddOp::create(builder, loc, a, b);
}

Value subOrNull(OpBuilder &builder, Location loc, Value a, Value b) {
  if (!b)
    return a;
  if (!a)
    return nn::NegOp::create(builder, loc, b);
  return nn::SubOp::create(builder, loc, a, b);
}

void resetCotangents(SmallVectorImpl<Value> &cotangents, unsigned count) {
  cotangents.assign(count, Value());
}

} // namespace adjoint::autodiff
