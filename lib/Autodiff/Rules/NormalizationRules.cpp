//===- NormalizationRules.cpp - Rules of softmax and the norms ------------===//
//
//   softmax      dy = y * (dx - sum(y * dx))       (sums along the axis,
//   log_softmax  dy = dx - sum(exp(y) * dx)         keeping the dim)
//
// (The transpose of the log_softmax tangent is dx = dy - exp(y) * sum(dy);
// writing that as the tangent is a classic slip, and the finite-difference
// check catches it.)
//
// layernorm and batchnorm (training mode) decompose into primitives: with
// xc = x - mean(x), rstd = 1 / sqrt(mean(xc^2) + eps) and xhat = xc * rstd
// over the normalized axes,
//
//   dxhat = rstd * (dxc - xhat * mean(xhat * dxc)),   dxc = dx - mean(dx)
//   dy    = dxhat * w + xhat * dw + db
//
// The statistics are recomputed from the primal input as coefficients.
// batchnorm in inference mode normalizes with the running statistics, so it
// is affine in x; its updated running statistics are not differentiated.
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

//===----------------------------------------------------------------------===//
// softmax, log_softmax
//===----------------------------------------------------------------------===//

struct SoftmaxLinearize
    : LinearizeOpInterface::ExternalModel<SoftmaxLinearize, nn::SoftmaxOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0])
      return SmallVector<Value>{Value()};
    auto softmax = llvm::cast<nn::SoftmaxOp>(op);
    Location loc = op->getLoc();
    Value y = softmax.getResult();
    int64_t axis = softmax.getAxis();
    Value weighted = nn::MulOp::create(b, loc, t[0], y);
    Value total = nn::SumOp::create(b, loc, weighted,
                                    ArrayRef<int64_t>{axis}, true);
    Value centered = nn::SubOp::create(b, loc, t[0], total);
    Value tangent = nn::MulOp::create(b, loc, centered, y);
    return SmallVector<Value>{tangent};
  }
};

struct LogSoftmaxLinearize
    : LinearizeOpInterface::ExternalModel<LogSoftmaxLinearize,
                                          nn::LogSoftmaxOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0])
      return SmallVector<Value>{Value()};
    auto logSoftmax = llvm::cast<nn::LogSoftmaxOp>(op);
    Location loc = op->getLoc();
    int64_t axis = logSoftmax.getAxis();
    Value probabilities = nn::ExpOp::create(b, loc, logSoftmax.getResult());
    Value weighted = nn::MulOp::create(b, loc, t[0], probabilities);
    Value total =
        nn::SumOp::create(b, loc, weighted, ArrayRef<int64_t>{axis}, true);
    Value tangent = nn::SubOp::create(b, loc, t[0], total);
    return SmallVector<Value>{tangent};
  }
};

//===----------------------------------------------------------------------===//
// Shared normalization over `axes`
//===----------------------------------------------------------------------===//

/// The primal statistics of a normalization of `x` over `axes`.
struct Normalized {
  Value rstd; // 1 / sqrt(var + eps), with the normalized axes kept as 1
  Value xhat; // (x - mean) * rstd
};

Normalized normalize(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> axes, double eps) {
  Type elementType = tensorType(x).getElementType();
  Value mean = nn::MeanOp::create(b, loc, x, axes, true);
  Value centered = nn::SubOp::create(b, loc, x, mean);
  Value squares = nn::MulOp::create(b, loc, centered, centered);
  Value variance = nn::MeanOp::create(b, loc, squares, axes, true);
  Value shifted = nn::AddOp::create(b, loc, variance,
                                    createScalar(b, loc, elementType, eps));
  Value std = nn::SqrtOp::create(b, loc, shifted);
  Value one = createScalar(b, loc, elementType, 1.0);
  Value rstd = nn::DivOp::create(b, loc, one, std);
  Value xhat = nn::MulOp::create(b, loc, centered, rstd);
  return {rstd, xhat};
}

/// The tangent of xhat for the input tangent `dx`.
Value normalizeTangent(OpBuilder &b, Location loc, const Normalized &n,
                       Value dx, ArrayRef<int64_t> axes) {
  Value dmean = nn::MeanOp::create(b, loc, dx, axes, true);
  Value dcentered = nn::SubOp::create(b, loc, dx, dmean);
  Value projected = nn::MulOp::create(b, loc, dcentered, n.xhat);
  Value projection = nn::MeanOp::create(b, loc, projected, axes, true);
  Value along = nn::MulOp::create(b, loc, projection, n.xhat);
  Value orthogonal = nn::SubOp::create(b, loc, dcentered, along);
  return nn::MulOp::create(b, loc, orthogonal, n.rstd);
}

/// `dy = dxhat * w + xhat * dw + db` as a value of y's type; `w`, `dw` and
/// `db` are already shaped to broadcast against y.
Value affineTangent(OpBuilder &b, Location loc, Value dxhat, Value xhat,
                    Value w, Value dw, Value db, Value y) {
  Value tangent;
  if (dxhat)
    tangent = nn::MulOp::create(b, loc, dxhat, w);
  if (dw)
    tangent = addOrNull(b, loc, tangent,
                        nn::MulOp::create(b, loc, dw, xhat));
  tangent = addOrNull(b, loc, tangent, db);
  if (tangent && tangent.getType() != y.getType())
    tangent = broadcastLike(b, loc, tangent, y);
  return tangent;
}

struct LayerNormLinearize
    : LinearizeOpInterface::ExternalModel<LayerNormLinearize,
                                          nn::LayerNormOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0] && !t[1] && !t[2])
      return SmallVector<Value>{Value()};
    auto ln = llvm::cast<nn::LayerNormOp>(op);
    Location loc = op->getLoc();
    int64_t last = tensorType(ln.getInput()).getRank() - 1;
    SmallVector<int64_t> axes = {last};
    Normalized n = normalize(b, loc, ln.getInput(), axes,
                             ln.getEps().convertToDouble());
    Value dxhat = t[0] ? normalizeTangent(b, loc, n, t[0], axes) : Value();
    return SmallVector<Value>{affineTangent(b, loc, dxhat, n.xhat,
                                            ln.getWeight(), t[1], t[2],
                                            ln.getResult())};
  }
};

//===----------------------------------------------------------------------===//
// batchnorm
//===----------------------------------------------------------------------===//

/// A per-channel vector [C] shaped to broadcast against an NCHW tensor
/// ([C, 1, 1]); unchanged for an [N, C] input.
Value perChannel(OpBuilder &b, Location loc, Value v, int64_t rank) {
  if (!v || rank == 2)
    return v;
  RankedTensorType type = tensorType(v);
  auto shaped = RankedTensorType::get({type.getDimSize(0), 1, 1},
                                      type.getElementType());
  return nn::ReshapeOp::create(b, loc, shaped, v,
                               getDynamicSizesFor(b, loc, shaped, v));
}

struct BatchNormLinearize
    : LinearizeOpInterface::ExternalModel<BatchNormLinearize,
                                          nn::BatchNormOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    auto bn = llvm::cast<nn::BatchNormOp>(op);
    Location loc = op->getLoc();
    SmallVector<Value> tangents(3, Value());
    if (!t[0] && !t[1] && !t[2])
      return tangents;
    Value x = bn.getInput();
    int64_t rank = tensorType(x).getRank();
    double eps = bn.getEps().convertToDouble();
    Value w = perChannel(b, loc, bn.getWeight(), rank);
    Value dw = perChannel(b, loc, t[1], rank);
    Value db = perChannel(b, loc, t[2], rank);
    if (bn.getTraining()) {
      SmallVector<int64_t> axes = {0};
      if (rank == 4)
        axes.append({2, 3});
      Normalized n = normalize(b, loc, x, axes, eps);
      Value dxhat = t[0] ? normalizeTangent(b, loc, n, t[0], axes) : Value();
      tangents[0] =
          affineTangent(b, loc, dxhat, n.xhat, w, dw, db, bn.getResult());
      return tangents;
    }
    if (t[3] || t[4]) {
      op->emitError("nn.batchnorm in inference mode is not differentiable in "
                    "its running statistics");
      return failure();
    }
    // Inference: xhat = (x - running_mean) * rstd with constant statistics.
    Type elementType = tensorType(x).getElementType();
    Value mean = perChannel(b, loc, bn.getRunningMean(), rank);
    Value variance = perChannel(b, loc, bn.getRunningVar(), rank);
    Value shifted = nn::AddOp::create(b, loc, variance,
                                      createScalar(b, loc, elementType, eps));
    Value one = createScalar(b, loc, elementType, 1.0);
    Value rstd =
        nn::DivOp::create(b, loc, one, nn::SqrtOp::create(b, loc, shifted));
    Value xhat = nn::MulOp::create(
        b, loc, nn::SubOp::create(b, loc, x, mean), rstd);
    Value dxhat = t[0] ? nn::MulOp::create(b, loc, t[0], rstd) : Value();
    tangents[0] = affineTangent(b, loc, dxhat, xhat, w, dw, db, bn.getResult());
    return tangents;
  }
};

} // namespace

void adjoint::autodiff::attachNormalizationRules(MLIRContext *context) {
  nn::SoftmaxOp::attachInterface<SoftmaxLinearize>(*context);
  nn::LogSoftmaxOp::attachInterface<LogSoftmaxLinearize>(*context);
  nn::LayerNormOp::attachInterface<LayerNormLinearize>(*context);
  nn::BatchNormOp::attachInterface<BatchNormLinearize>(*context);
}
