//===- MiscRules.cpp - Rules of dropout, embedding and constants ----------===//
//
// dropout is linear in its input and self-adjoint: the same seed, stream and
// probability give the same mask for the cotangent. embedding is linear in its
// table, and its transpose scatter-adds rows (nn.embedding_backward), whose
// transpose in turn gathers them. Constants and one-hot codes have zero
// derivatives.
//
//===----------------------------------------------------------------------===//

#include "Rules.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::autodiff;

namespace {

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

struct DropoutTranspose
    : TransposeOpInterface::ExternalModel<DropoutTranspose, nn::DropoutOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 0; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (!cots[0])
      return success();
    auto dropout = llvm::cast<nn::DropoutOp>(op);
    Value masked = nn::DropoutOp::create(
        b, op->getLoc(), cots[0].getType(), cots[0], dropout.getSeed(),
        dropout.getPAttr(), dropout.getStreamAttr(), dropout.getTrainingAttr());
    out[0] = castToType(b, op->getLoc(), masked,
                        tensorType(dropout.getInput()));
    return success();
  }
};

struct EmbeddingTranspose
    : TransposeOpInterface::ExternalModel<EmbeddingTranspose,
                                          nn::EmbeddingOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 1; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (!cots[0])
      return success();
    auto embedding = llvm::cast<nn::EmbeddingOp>(op);
    out[1] = nn::EmbeddingBackwardOp::create(b, op->getLoc(),
                                             embedding.getWeight().getType(),
                                             embedding.getIds(), cots[0]);
    return success();
  }
};

struct EmbeddingBackwardTranspose
    : TransposeOpInterface::ExternalModel<EmbeddingBackwardTranspose,
                                          nn::EmbeddingBackwardOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 1; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (!cots[0])
      return success();
    auto backward = llvm::cast<nn::EmbeddingBackwardOp>(op);
    Value rows =
        nn::EmbeddingOp::create(b, op->getLoc(), backward.getIds(), cots[0]);
    out[1] = castToType(b, op->getLoc(), rows,
                        tensorType(backward.getGradOutput()));
    return success();
  }
};

} // namespace

void adjoint::autodiff::attachMiscRules(MLIRContext *context) {
  nn::DropoutOp::attachInterface<DropoutTranspose>(*context);
  nn::EmbeddingOp::attachInterface<EmbeddingTranspose>(*context);
  nn::EmbeddingBackwardOp::attachInterface<EmbeddingBackwardTranspose>(
      *context);
  nn::ConstantOp::attachInterface<ZeroLinearize<nn::ConstantOp>>(*context);
  nn::OneHotOp::attachInterface<ZeroLinearize<nn::OneHotOp>>(*context);
}
