//===- Elementwise.cpp - Constants, unary and binary nn ops ---------------===//
//
// nn.constant becomes arith.constant; unary and broadcasting binary ops
// become one parallel linalg.generic each, with the scalar formula in its
// body.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

struct ConstantLowering : OpConversionPattern<nn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = llvm::dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant is not a typed attr");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// The standard normal CDF of `x`: 0.5 (1 + erf(x / sqrt(2))).
Value normalCdf(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value scaled = arith::MulFOp::create(b, loc, x,
                                       floatConstant(b, loc, type, M_SQRT1_2));
  Value erf = math::ErfOp::create(b, loc, scaled);
  Value onePlus =
      arith::AddFOp::create(b, loc, erf, floatConstant(b, loc, type, 1.0));
  return arith::MulFOp::create(b, loc, onePlus,
                               floatConstant(b, loc, type, 0.5));
}

/// The scalar formula of a unary op on element `x`.
Value buildUnary(Operation *op, OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  auto zero = [&] { return floatConstant(b, loc, type, 0.0); };
  auto constant = [&](double v) { return floatConstant(b, loc, type, v); };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](nn::NegOp) { return arith::NegFOp::create(b, loc, x); })
      .Case([&](nn::ExpOp) { return math::ExpOp::create(b, loc, x); })
      .Case([&](nn::LogOp) { return math::LogOp::create(b, loc, x); })
      .Case([&](nn::SqrtOp) { return math::SqrtOp::create(b, loc, x); })
      .Case([&](nn::ReluOp) {
        // x > 0 or NaN keeps x (NaN propagates, as in PyTorch).
        Value z = zero();
        Value keep =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGT, x, z);
        return arith::SelectOp::create(b, loc, keep, x, z);
      })
      .Case([&](nn::LeakyReluOp relu) {
        Value positive = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OGT, x, zero());
        Value scaled = arith::MulFOp::create(
            b, loc, x, constant(relu.getAlpha().convertToDouble()));
        return arith::SelectOp::create(b, loc, positive, x, scaled);
      })
      .Case([&](nn::SigmoidOp) {
        Value negated = arith::NegFOp::create(b, loc, x);
        Value exp = math::ExpOp::create(b, loc, negated);
        Value denominator = arith::AddFOp::create(b, loc, exp, constant(1.0));
        return arith::DivFOp::create(b, loc, constant(1.0), denominator);
      })
      .Case([&](nn::TanhOp) { return math::TanhOp::create(b, loc, x); })
      .Case([&](nn::GeluOp) {
        return arith::MulFOp::create(b, loc, x, normalCdf(b, loc, x));
      })
      .Case([&](nn::ReluMaskOp mask) {
        Value positive = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OGT, x, zero());
        return arith::SelectOp::create(
            b, loc, positive, constant(1.0),
            constant(mask.getAlpha().convertToDouble()));
      })
      .Case([&](nn::GeluDerivOp) {
        // Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
        Value square = arith::MulFOp::create(b, loc, x, x);
        Value halfSquare = arith::MulFOp::create(b, loc, square, constant(-0.5));
        Value exp = math::ExpOp::create(b, loc, halfSquare);
        Value pdf = arith::MulFOp::create(
            b, loc, exp, constant(1.0 / std::sqrt(2.0 * M_PI)));
        Value xPdf = arith::MulFOp::create(b, loc, x, pdf);
        return arith::AddFOp::create(b, loc, normalCdf(b, loc, x), xPdf);
      })
      .Default([](Operation *) { return Value(); });
}

template <typename OpTy>
struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    Value result = buildElementwise(
        rewriter, loc, type, sizes, input,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          return buildUnary(op, b, nloc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy, typename ArithOp>
struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<Value> operands = {adaptor.getLhs(), adaptor.getRhs()};
    SmallVector<OpFoldResult> sizes =
        getBroadcastSizes(rewriter, loc, op, operands, type);
    Value result = buildElementwise(
        rewriter, loc, type, sizes, operands,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          return ArithOp::create(b, nloc, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void nn_to_linalg::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ConstantLowering>(context);
  patterns.add<UnaryLowering<nn::NegOp>, UnaryLowering<nn::ExpOp>,
               UnaryLowering<nn::LogOp>, UnaryLowering<nn::SqrtOp>,
               UnaryLowering<nn::ReluOp>, UnaryLowering<nn::LeakyReluOp>,
               UnaryLowering<nn::SigmoidOp>, UnaryLowering<nn::TanhOp>,
               UnaryLowering<nn::GeluOp>, UnaryLowering<nn::ReluMaskOp>,
               UnaryLowering<nn::GeluDerivOp>>(context);
  patterns.add<BinaryLowering<nn::AddOp, arith::AddFOp>,
               BinaryLowering<nn::SubOp, arith::SubFOp>,
               BinaryLowering<nn::MulOp, arith::MulFOp>,
               BinaryLowering<nn::DivOp, arith::DivFOp>>(context);
}
