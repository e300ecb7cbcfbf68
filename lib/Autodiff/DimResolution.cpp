//===- DimResolution.cpp - Sizes of tangents from primal values -----------===//
//
// Transpose rules read the dynamic sizes of their linear operands with
// tensor.dim (the transpose of a sum broadcasts back to its input's shape).
// Those operands are tangents, which are erased with the tangent program, so
// each such size is rebuilt from primal values: a tangent that stands for a
// primal value (a seed, the tangent of a result) has its shape; a tangent
// computed inside a linearization has the size of the operand that the op
// carries it from (elementwise ops, reductions, matmul, ...). As a last resort
// the op is re-applied to primal values of the same shapes (its "shadow").
//
//===----------------------------------------------------------------------===//

#include "Differentiator.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace adjoint::autodiff {

namespace {

/// An operand and dim that a result dim takes its size from.
struct DimSource {
  Value value;
  int64_t dim;
};

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

/// For an op whose result broadcasts its operands elementwise: the first
/// operand that has `dim` (aligned from the end) dynamic.
std::optional<DimSource> elementwiseSource(Operation *op, int64_t rank,
                                           int64_t dim) {
  for (Value operand : op->getOperands()) {
    auto type = llvm::dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      continue;
    int64_t aligned = dim - (rank - type.getRank());
    if (aligned >= 0 && type.isDynamicDim(aligned))
      return DimSource{operand, aligned};
  }
  return std::nullopt;
}

/// The operand dim that dim `dim` of `op`'s result `index` is equal to, when
/// the op's semantics make it one.
std::optional<DimSource> findDimSource(Operation *op, unsigned index,
                                       int64_t dim) {
  int64_t rank = tensorType(op->getResult(index)).getRank();
  if (llvm::isa<nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp, nn::DropoutOp>(
          op) ||
      op->hasTrait<OpTrait::Elementwise>() ||
      op->hasTrait<OpTrait::SameOperandsAndResultType>())
    return elementwiseSource(op, rank, dim);
  if (auto sum = llvm::dyn_cast<nn::SumOp>(op)) {
    ArrayRef<int64_t> axes = sum.getAxes();
    int64_t inputDim = dim;
    if (!sum.getKeepdims())
      for (int64_t i = 0, kept = -1; i < tensorType(sum.getInput()).getRank();
           ++i)
        if (!llvm::is_contained(axes, i) && ++kept == dim)
          inputDim = i;
    return DimSource{sum.getInput(), inputDim};
  }
  if (auto mean = llvm::dyn_cast<nn::MeanOp>(op)) {
    ArrayRef<int64_t> axes = mean.getAxes();
    int64_t inputDim = dim;
    if (!mean.getKeepdims())
      for (int64_t i = 0, kept = -1;
           i < tensorType(mean.getInput()).getRank(); ++i)
        if (!llvm::is_contained(axes, i) && ++kept == dim)
          inputDim = i;
    return DimSource{mean.getInput(), inputDim};
  }
  if (auto transpose = llvm::dyn_cast<nn::TransposeOp>(op))
    return DimSource{transpose.getInput(), transpose.getPerm()[dim]};
  if (auto matmul = llvm::dyn_cast<nn::MatmulOp>(op)) {
    Value lhs = matmul.getLhs(), rhs = matmul.getRhs();
    int64_t lhsRank = tensorType(lhs).getRank();
    int64_t rhsRank = tensorType(rhs).getRank();
    if (dim == rank - 2)
      return DimSource{lhs, matmul.getTransposeA() ? lhsRank - 1 : lhsRank - 2};
    if (dim == rank - 1)
      return DimSource{rhs, matmul.getTransposeB() ? rhsRank - 2 : rhsRank - 1};
    for (auto [operand, operandRank] : {std::pair(lhs, lhsRank),
                                        std::pair(rhs, rhsRank)}) {
      int64_t aligned = dim - (rank - operandRank);
      if (aligned >= 0 && tensorType(operand).isDynamicDim(aligned))
        return DimSource{operand, aligned};
    }
    return std::nullopt;
  }
  if (auto conv = llvm::dyn_cast<nn::Conv2DOp>(op))
    return dim == 0 ? std::optional(DimSource{conv.getInput(), 0})
                    : std::nullopt;
  if (auto bwd = llvm::dyn_cast<nn::Conv2DBackwardInputOp>(op))
    return dim == 0 ? std::optional(DimSource{bwd.getGradOutput(), 0})
                    : std::nullopt;
  if (llvm::isa<nn::AvgPool2DOp, nn::MaxPool2DOp, nn::MaxPool2DJvpOp>(op))
    return dim < 2 ? std::optional(DimSource{op->getOperand(0), dim})
                   : std::nullopt;
  if (auto bwd = llvm::dyn_cast<nn::AvgPool2DBackwardOp>(op))
    return dim < 2 ? std::optional(DimSource{bwd.getGradOutput(), dim})
                   : std::nullopt;
  if (auto vjp = llvm::dyn_cast<nn::MaxPool2DVjpOp>(op))
    return DimSource{vjp.getInput(), dim};
  if (auto embedding = llvm::dyn_cast<nn::EmbeddingOp>(op))
    return dim < tensorType(embedding.getIds()).getRank()
               ? std::optional(DimSource{embedding.getIds(), dim})
               : std::nullopt;
  return std::nullopt;
}

} // namespace

Value Differentiator::resolveDim(OpBuilder &builder, Location loc, Value value,
                                 int64_t dim) {
  RankedTensorType type = tensorType(value);
  if (!type.isDynamicDim(dim))
    return arith::ConstantIndexOp::create(builder, loc, type.getDimSize(dim));
  if (!isTangentValue(value))
    return tensor::DimOp::create(builder, loc, value, dim);
  if (Value shadow = shadows.lookup(value); shadow && !isTangentValue(shadow))
    return resolveDim(builder, loc, shadow, dim);

  Operation *op = value.getDefiningOp();
  unsigned index = llvm::cast<OpResult>(value).getResultNumber();
  // Ops with explicit dynamic sizes carry them as operands.
  if (llvm::isa<nn::BroadcastOp, nn::ReshapeOp>(op) &&
      op->getNumOperands() > 1) {
    int64_t position = 0;
    for (int64_t i = 0; i < dim; ++i)
      position += type.isDynamicDim(i);
    Value size = op->getOperand(1 + position);
    // A size read from another tangent is resolved in turn.
    if (auto query = size.getDefiningOp<tensor::DimOp>())
      if (std::optional<int64_t> queried = query.getConstantIndex();
          queried && isTangentValue(query.getSource()))
        return resolveDim(builder, loc, query.getSource(), *queried);
    return size;
  }
  if (std::optional<DimSource> source = findDimSource(op, index, dim))
    return resolveDim(builder, loc, source->value, source->dim);
  return resolveDim(builder, loc, getShadow(builder, value), dim);
}

Value Differentiator::getShadow(OpBuilder &builder, Value value) {
  if (!isTangentValue(value))
    return value;
  if (Value shadow = shadows.lookup(value); shadow && !isTangentValue(shadow))
    return shadow;
  // Re-apply the op to primal values of the shapes of its operands, right
  // after it, where everything it reads is defined.
  Operation *op = value.getDefiningOp();
  IRMapping mapping;
  for (Value operand : op->getOperands())
    if (isTangentValue(operand))
      mapping.map(operand, getShadow(builder, operand));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(op);
  Operation *clone = builder.clone(*op, mapping);
  for (auto [result, primal] :
       llvm::zip_equal(op->getResults(), clone->getResults()))
    shadows[result] = primal;
  return shadows.lookup(value);
}

} // namespace adjoint::autodiff
