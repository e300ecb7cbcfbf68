//===- ConvPoolRules.cpp - Rules of convolution and pooling ---------------===//
//
// conv2d, conv2d_backward_input and conv2d_backward_filter are the three
// partial derivatives of one trilinear form T(x, w, g) = <conv2d(x, w), g>:
//
//   conv2d(x, w)                  = dT/dg     (bilinear in x and w)
//   conv2d_backward_input(g, w)   = dT/dx     (bilinear in g and w)
//   conv2d_backward_filter(x, g)  = dT/dw     (bilinear in x and g)
//
// so each is bilinear and transposes into one of the others. avg_pool2d and
// its backward are linear and transpose into each other. max_pool2d
// linearizes to nn.max_pool2d_jvp (the tangent at each window's argmax), whose
// transpose is nn.max_pool2d_vjp, and vice versa; the argmax itself is
// piecewise constant in the primal input.
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

/// Builds each of the three convolution ops from the two "other" values, with
/// the stride and padding of `op`.
struct ConvBuilder {
  OpBuilder &b;
  Location loc;
  DenseI64ArrayAttr stride, padding;

  Value conv(Value x, Value w, Type type) {
    Value y = nn::Conv2DOp::create(b, loc, x, w, stride, padding);
    return castToType(b, loc, y, llvm::cast<RankedTensorType>(type));
  }
  Value backwardInput(Value g, Value w, Type xType) {
    return nn::Conv2DBackwardInputOp::create(b, loc, xType, g, w, stride,
                                             padding);
  }
  Value backwardFilter(Value x, Value g, Type wType) {
    return nn::Conv2DBackwardFilterOp::create(b, loc, wType, x, g, stride,
                                              padding);
  }
};

template <typename OpT> ConvBuilder convBuilder(OpT op, OpBuilder &b) {
  return ConvBuilder{b, op.getLoc(), op.getStrideAttr(), op.getPaddingAttr()};
}

LogicalResult checkOneLinearOperand(Operation *op, ArrayRef<bool> linear) {
  if (linear[0] && linear[1])
    return op->emitError() << op->getName()
                           << " is linear in one operand at a time, not in "
                              "both jointly";
  return success();
}

//===----------------------------------------------------------------------===//
// conv2d(x, w) -> y
//===----------------------------------------------------------------------===//

struct Conv2DLinearize
    : LinearizeOpInterface::ExternalModel<Conv2DLinearize, nn::Conv2DOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    auto conv = llvm::cast<nn::Conv2DOp>(op);
    ConvBuilder cb = convBuilder(conv, b);
    Type type = conv.getType();
    Value fromX = t[0] ? cb.conv(t[0], conv.getFilter(), type) : Value();
    Value fromW = t[1] ? cb.conv(conv.getInput(), t[1], type) : Value();
    return SmallVector<Value>{addOrNull(b, op->getLoc(), fromX, fromW)};
  }
};

struct Conv2DTranspose
    : TransposeOpInterface::ExternalModel<Conv2DTranspose, nn::Conv2DOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (failed(checkOneLinearOperand(op, linear)))
      return failure();
    if (!cots[0])
      return success();
    auto conv = llvm::cast<nn::Conv2DOp>(op);
    ConvBuilder cb = convBuilder(conv, b);
    Value x = conv.getInput(), w = conv.getFilter();
    if (linear[0])
      out[0] = cb.backwardInput(cots[0], w, x.getType());
    if (linear[1])
      out[1] = cb.backwardFilter(x, cots[0], w.getType());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// conv2d_backward_input(g, w) -> x
//===----------------------------------------------------------------------===//

struct Conv2DBackwardInputLinearize
    : LinearizeOpInterface::ExternalModel<Conv2DBackwardInputLinearize,
                                          nn::Conv2DBackwardInputOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    auto bwd = llvm::cast<nn::Conv2DBackwardInputOp>(op);
    ConvBuilder cb = convBuilder(bwd, b);
    Type type = bwd.getType();
    Value fromG =
        t[0] ? cb.backwardInput(t[0], bwd.getFilter(), type) : Value();
    Value fromW =
        t[1] ? cb.backwardInput(bwd.getGradOutput(), t[1], type) : Value();
    return SmallVector<Value>{addOrNull(b, op->getLoc(), fromG, fromW)};
  }
};

struct Conv2DBackwardInputTranspose
    : TransposeOpInterface::ExternalModel<Conv2DBackwardInputTranspose,
                                          nn::Conv2DBackwardInputOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (failed(checkOneLinearOperand(op, linear)))
      return failure();
    if (!cots[0])
      return success();
    auto bwd = llvm::cast<nn::Conv2DBackwardInputOp>(op);
    ConvBuilder cb = convBuilder(bwd, b);
    Value g = bwd.getGradOutput(), w = bwd.getFilter();
    // T(x, w, g) with the cotangent standing in for x.
    if (linear[0])
      out[0] = cb.conv(cots[0], w, g.getType());
    if (linear[1])
      out[1] = cb.backwardFilter(cots[0], g, w.getType());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// conv2d_backward_filter(x, g) -> w
//===----------------------------------------------------------------------===//

struct Conv2DBackwardFilterLinearize
    : LinearizeOpInterface::ExternalModel<Conv2DBackwardFilterLinearize,
                                          nn::Conv2DBackwardFilterOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    auto bwd = llvm::cast<nn::Conv2DBackwardFilterOp>(op);
    ConvBuilder cb = convBuilder(bwd, b);
    Type type = bwd.getType();
    Value fromX =
        t[0] ? cb.backwardFilter(t[0], bwd.getGradOutput(), type) : Value();
    Value fromG =
        t[1] ? cb.backwardFilter(bwd.getInput(), t[1], type) : Value();
    return SmallVector<Value>{addOrNull(b, op->getLoc(), fromX, fromG)};
  }
};

struct Conv2DBackwardFilterTranspose
    : TransposeOpInterface::ExternalModel<Conv2DBackwardFilterTranspose,
                                          nn::Conv2DBackwardFilterOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (failed(checkOneLinearOperand(op, linear)))
      return failure();
    if (!cots[0])
      return success();
    auto bwd = llvm::cast<nn::Conv2DBackwardFilterOp>(op);
    ConvBuilder cb = convBuilder(bwd, b);
    Value x = bwd.getInput(), g = bwd.getGradOutput();
    // T(x, w, g) with the cotangent standing in for w.
    if (linear[0])
      out[0] = cb.backwardInput(g, cots[0], x.getType());
    if (linear[1])
      out[1] = cb.conv(x, cots[0], g.getType());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct AvgPool2DTranspose
    : TransposeOpInterface::ExternalModel<AvgPool2DTranspose,
                                          nn::AvgPool2DOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto pool = llvm::cast<nn::AvgPool2DOp>(op);
    out[0] = nn::AvgPool2DBackwardOp::create(
        b, op->getLoc(), pool.getInput().getType(), cots[0],
        pool.getKernelAttr(), pool.getStrideAttr());
    return success();
  }
};

struct AvgPool2DBackwardTranspose
    : TransposeOpInterface::ExternalModel<AvgPool2DBackwardTranspose,
                                          nn::AvgPool2DBackwardOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto bwd = llvm::cast<nn::AvgPool2DBackwardOp>(op);
    Value pooled = nn::AvgPool2DOp::create(b, op->getLoc(), cots[0],
                                           bwd.getKernelAttr(),
                                           bwd.getStrideAttr());
    out[0] = castToType(b, op->getLoc(), pooled,
                        tensorType(bwd.getGradOutput()));
    return success();
  }
};

struct MaxPool2DLinearize
    : LinearizeOpInterface::ExternalModel<MaxPool2DLinearize,
                                          nn::MaxPool2DOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0])
      return SmallVector<Value>{Value()};
    auto pool = llvm::cast<nn::MaxPool2DOp>(op);
    Value tangent = nn::MaxPool2DJvpOp::create(
        b, op->getLoc(), pool.getType(), pool.getInput(), t[0],
        pool.getKernelAttr(), pool.getStrideAttr());
    return SmallVector<Value>{tangent};
  }
};

/// max_pool2d_jvp(x, t) and max_pool2d_vjp(x, g): linear in the second
/// operand; the first only selects the argmax, so its tangent is dropped.
template <typename OpT, typename TransposeOpT>
struct MaxPoolSelectRules {
  struct Linearize
      : LinearizeOpInterface::ExternalModel<Linearize, OpT> {
    FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                            ValueRange t) const {
      if (!t[1])
        return SmallVector<Value>{Value()};
      auto select = llvm::cast<OpT>(op);
      Value tangent = OpT::create(b, op->getLoc(), select.getType(),
                                  select.getInput(), t[1],
                                  select.getKernelAttr(),
                                  select.getStrideAttr());
      return SmallVector<Value>{tangent};
    }
  };
  struct Transpose : TransposeOpInterface::ExternalModel<Transpose, OpT> {
    bool isLinearIn(Operation *, unsigned index) const { return index == 1; }
    LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                            ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
      resetCotangents(out, 2);
      if (!cots[0])
        return success();
      auto select = llvm::cast<OpT>(op);
      out[1] = TransposeOpT::create(b, op->getLoc(), op->getOperand(1).getType(),
                                    select.getInput(), cots[0],
                                    select.getKernelAttr(),
                                    select.getStrideAttr());
      return success();
    }
  };
};

using JvpRules = MaxPoolSelectRules<nn::MaxPool2DJvpOp, nn::MaxPool2DVjpOp>;
using VjpRules = MaxPoolSelectRules<nn::MaxPool2DVjpOp, nn::MaxPool2DJvpOp>;

} // namespace

void adjoint::autodiff::attachConvPoolRules(MLIRContext *context) {
  nn::Conv2DOp::attachInterface<Conv2DLinearize, Conv2DTranspose>(*context);
  nn::Conv2DBackwardInputOp::attachInterface<Conv2DBackwardInputLinearize,
                                             Conv2DBackwardInputTranspose>(
      *context);
  nn::Conv2DBackwardFilterOp::attachInterface<Conv2DBackwardFilterLinearize,
                                              Conv2DBackwardFilterTranspose>(
      *context);
  nn::AvgPool2DOp::attachInterface<AvgPool2DTranspose>(*context);
  nn::AvgPool2DBackwardOp::attachInterface<AvgPool2DBackwardTranspose>(
      *context);
  nn::MaxPool2DOp::attachInterface<MaxPool2DLinearize>(*context);
  nn::MaxPool2DJvpOp::attachInterface<JvpRules::Linearize,
                                      JvpRules::Transpose>(*context);
  nn::MaxPool2DVjpOp::attachInterface<VjpRules::Linearize,
                                      VjpRules::Transpose>(*context);
}
