//===- ElementwiseRules.cpp - Rules of the elementwise nn ops -------------===//
//
// add, sub and neg are linear; mul is bilinear; div is linear in its dividend;
// the unary functions linearize to a Hadamard product with their derivative,
// which is computed from the primal operand or result:
//
//   exp      dy = dx * y                 relu        dy = dx * relu_mask(x)
//   log      dy = dx / x                 leaky_relu  dy = dx * relu_mask(x, a)
//   sqrt     dy = dx / (2 y)             gelu        dy = dx * gelu_deriv(x)
//   sigmoid  dy = dx * (y (1 - y))       tanh        dy = dx * (1 - y y)
//
// relu_mask is piecewise constant (zero derivative). gelu_deriv, the
// coefficient of gelu, is smooth: gelu''(x) = phi(x) (2 - x^2), with phi the
// standard normal density, so second derivatives are right too.
//
// Broadcasting binary ops transpose by summing the cotangent back to each
// operand's shape.
//
//===----------------------------------------------------------------------===//

#include "Rules.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Interfaces/AutodiffInterfaces.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::autodiff;

namespace {

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

Type elementType(Value value) { return tensorType(value).getElementType(); }

//===----------------------------------------------------------------------===//
// Linear: add, sub, neg
//===----------------------------------------------------------------------===//

struct AddTranspose
    : TransposeOpInterface::ExternalModel<AddTranspose, nn::AddOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    for (unsigned i = 0; i < 2; ++i)
      if (linear[i] && cots[0])
        out[i] = sumToType(b, op->getLoc(), cots[0],
                           tensorType(op->getOperand(i)));
    return success();
  }
};

struct SubTranspose
    : TransposeOpInterface::ExternalModel<SubTranspose, nn::SubOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (!cots[0])
      return success();
    Location loc = op->getLoc();
    if (linear[0])
      out[0] = sumToType(b, loc, cots[0], tensorType(op->getOperand(0)));
    if (linear[1])
      out[1] = nn::NegOp::create(
          b, loc, sumToType(b, loc, cots[0], tensorType(op->getOperand(1))));
    return success();
  }
};

struct NegTranspose
    : TransposeOpInterface::ExternalModel<NegTranspose, nn::NegOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (cots[0])
      out[0] = nn::NegOp::create(b, op->getLoc(), cots[0]);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Bilinear: mul; linear in the dividend: div
//===----------------------------------------------------------------------===//

struct MulLinearize
    : LinearizeOpInterface::ExternalModel<MulLinearize, nn::MulOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange tangents) const {
    auto mul = llvm::cast<nn::MulOp>(op);
    Location loc = op->getLoc();
    Value lhs, rhs;
    if (tangents[0])
      lhs = nn::MulOp::create(b, loc, tangents[0], mul.getRhs());
    if (tangents[1])
      rhs = nn::MulOp::create(b, loc, tangents[1], mul.getLhs());
    return SmallVector<Value>{addOrNull(b, loc, lhs, rhs)};
  }
};

struct MulTranspose
    : TransposeOpInterface::ExternalModel<MulTranspose, nn::MulOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (linear[0] && linear[1])
      return op->emitError("nn.mul is linear in one operand at a time, not in "
                           "both jointly");
    if (!cots[0])
      return success();
    for (unsigned i = 0; i < 2; ++i) {
      if (!linear[i])
        continue;
      Value scaled =
          nn::MulOp::create(b, op->getLoc(), cots[0], op->getOperand(1 - i));
      out[i] = sumToType(b, op->getLoc(), scaled,
                         tensorType(op->getOperand(i)));
    }
    return success();
  }
};

struct DivLinearize
    : LinearizeOpInterface::ExternalModel<DivLinearize, nn::DivOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange tangents) const {
    auto div = llvm::cast<nn::DivOp>(op);
    Location loc = op->getLoc();
    // d(a / b) = da / b - (a / b) db / b.
    Value numerator = tangents[0];
    if (tangents[1]) {
      Value scaled = nn::MulOp::create(b, loc, tangents[1], div.getResult());
      numerator = subOrNull(b, loc, numerator, scaled);
    }
    if (!numerator)
      return SmallVector<Value>{Value()};
    return SmallVector<Value>{
        nn::DivOp::create(b, loc, numerator, div.getRhs()).getResult()};
  }
};

struct DivTranspose
    : TransposeOpInterface::ExternalModel<DivTranspose, nn::DivOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 0; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (linear[1])
      return op->emitError("nn.div is not linear in its divisor");
    if (!cots[0] || !linear[0])
      return success();
    auto div = llvm::cast<nn::DivOp>(op);
    Value scaled = nn::DivOp::create(b, op->getLoc(), cots[0], div.getRhs());
    out[0] = sumToType(b, op->getLoc(), scaled, tensorType(div.getLhs()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Unary functions: dy = dx * f'(x), or dy = dx / g(x)
//===----------------------------------------------------------------------===//

/// The linearization `dy = dx * coefficient(op)` (or `dx / coefficient` when
/// `Divide`), where Derived::coefficient builds f' from the primal values.
template <typename Derived, typename OpT, bool Divide = false>
struct UnaryLinearize
    : LinearizeOpInterface::ExternalModel<Derived, OpT> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange tangents) const {
    if (!tangents[0])
      return SmallVector<Value>{Value()};
    Location loc = op->getLoc();
    Value coefficient = Derived::coefficient(llvm::cast<OpT>(op), b, loc);
    Value tangent;
    if (Divide)
      tangent = nn::DivOp::create(b, loc, tangents[0], coefficient);
    else
      tangent = nn::MulOp::create(b, loc, tangents[0], coefficient);
    return SmallVector<Value>{tangent};
  }
};

struct ExpLinearize : UnaryLinearize<ExpLinearize, nn::ExpOp> {
  static Value coefficient(nn::ExpOp op, OpBuilder &, Location) {
    return op.getResult();
  }
};

struct LogLinearize : UnaryLinearize<LogLinearize, nn::LogOp, true> {
  static Value coefficient(nn::LogOp op, OpBuilder &, Location) {
    return op.getInput();
  }
};

struct SqrtLinearize : UnaryLinearize<SqrtLinearize, nn::SqrtOp, true> {
  static Value coefficient(nn::SqrtOp op, OpBuilder &b, Location loc) {
    Value two = createScalar(b, loc, elementType(op.getResult()), 2.0);
    return nn::MulOp::create(b, loc, op.getResult(), two);
  }
};

struct ReluLinearize : UnaryLinearize<ReluLinearize, nn::ReluOp> {
  static Value coefficient(nn::ReluOp op, OpBuilder &b, Location loc) {
    return nn::ReluMaskOp::create(b, loc, op.getInput(),
                                  b.getF32FloatAttr(0.0f));
  }
};

struct LeakyReluLinearize
    : UnaryLinearize<LeakyReluLinearize, nn::LeakyReluOp> {
  static Value coefficient(nn::LeakyReluOp op, OpBuilder &b, Location loc) {
    return nn::ReluMaskOp::create(b, loc, op.getInput(), op.getAlphaAttr());
  }
};

struct GeluLinearize : UnaryLinearize<GeluLinearize, nn::GeluOp> {
  static Value coefficient(nn::GeluOp op, OpBuilder &b, Location loc) {
    return nn::GeluDerivOp::create(b, loc, op.getInput());
  }
};

struct SigmoidLinearize : UnaryLinearize<SigmoidLinearize, nn::SigmoidOp> {
  static Value coefficient(nn::SigmoidOp op, OpBuilder &b, Location loc) {
    Value y = op.getResult();
    Value one = createScalar(b, loc, elementType(y), 1.0);
    Value oneMinusY = nn::SubOp::create(b, loc, one, y);
    return nn::MulOp::create(b, loc, y, oneMinusY);
  }
};

struct TanhLinearize : UnaryLinearize<TanhLinearize, nn::TanhOp> {
  static Value coefficient(nn::TanhOp op, OpBuilder &b, Location loc) {
    Value y = op.getResult();
    Value one = createScalar(b, loc, elementType(y), 1.0);
    Value square = nn::MulOp::create(b, loc, y, y);
    return nn::SubOp::create(b, loc, one, square);
  }
};

struct GeluDerivLinearize
    : UnaryLinearize<GeluDerivLinearize, nn::GeluDerivOp> {
  static Value coefficient(nn::GeluDerivOp op, OpBuilder &b, Location loc) {
    // phi(x) (2 - x^2) with phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
    Value x = op.getInput();
    Type type = elementType(x);
    Value square = nn::MulOp::create(b, loc, x, x);
    Value halfSquare = nn::MulOp::create(b, loc, square,
                                         createScalar(b, loc, type, -0.5));
    Value density = nn::MulOp::create(
        b, loc, nn::ExpOp::create(b, loc, halfSquare),
        createScalar(b, loc, type, 0.3989422804014327));
    Value factor =
        nn::SubOp::create(b, loc, createScalar(b, loc, type, 2.0), square);
    return nn::MulOp::create(b, loc, density, factor);
  }
};

} // namespace

void adjoint::autodiff::attachElementwiseRules(MLIRContext *context) {
  nn::AddOp::attachInterface<AddTranspose>(*context);
  nn::SubOp::attachInterface<SubTranspose>(*context);
  nn::NegOp::attachInterface<NegTranspose>(*context);
  nn::MulOp::attachInterface<MulLinearize, MulTranspose>(*context);
  nn::DivOp::attachInterface<DivLinearize, DivTranspose>(*context);
  nn::ExpOp::attachInterface<ExpLinearize>(*context);
  nn::LogOp::attachInterface<LogLinearize>(*context);
  nn::SqrtOp::attachInterface<SqrtLinearize>(*context);
  nn::ReluOp::attachInterface<ReluLinearize>(*context);
  nn::LeakyReluOp::attachInterface<LeakyReluLinearize>(*context);
  nn::GeluOp::attachInterface<GeluLinearize>(*context);
  nn::SigmoidOp::attachInterface<SigmoidLinearize>(*context);
  nn::TanhOp::attachInterface<TanhLinearize>(*context);
  nn::ReluMaskOp::attachInterface<ZeroLinearize<nn::ReluMaskOp>>(*context);
  nn::GeluDerivOp::attachInterface<GeluDerivLinearize>(*context);
}
