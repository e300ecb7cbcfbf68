//===- Losses.cpp - mse, softmax_cross_entropy, bce_with_logits -----------===//
//
// Each loss is a full reduction to a 0-d tensor followed by a division by the
// element (or row) count.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

/// The 0-d tensor `sum / count`.
Value divideScalar(OpBuilder &b, Location loc, Value sum, Value count) {
  auto type = llvm::cast<RankedTensorType>(sum.getType());
  Value countF = indexToFloat(b, loc, count, type.getElementType());
  return buildElementwise(b, loc, type, {}, sum,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) {
                            return arith::DivFOp::create(nb, nloc, args[0],
                                                         countF)
                                .getResult();
                          });
}

/// The mean over all elements of `body(elements of inputs)`; the inputs have
/// the same shape (checked).
Value buildMeanOf(OpBuilder &b, Location loc, Operation *op, Value lhs,
                  Value rhs, BodyBuilder body) {
  auto type = llvm::cast<RankedTensorType>(lhs.getType());
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, lhs);
  for (int64_t d = 0; d < type.getRank(); ++d)
    checkEqual(b, loc, op, sizes[d], tensor::getMixedSize(b, loc, rhs, d),
               "the operand shapes differ at dim " + Twine(d));
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  Value zero = floatConstant(b, loc, type.getElementType(), 0.0);
  Value sum = buildMultiReduction(
      b, loc, {lhs, rhs}, axes, zero,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value term = body(nb, nloc, args.take_front(2));
        return arith::AddFOp::create(nb, nloc, args[2], term).getResult();
      });
  return divideScalar(b, loc, sum, product(b, loc, sizes));
}

struct MseLowering : OpConversionPattern<nn::MseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::MseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = buildMeanOf(
        rewriter, op.getLoc(), op, adaptor.getPred(), adaptor.getTarget(),
        [](OpBuilder &b, Location loc, ValueRange args) {
          Value d = arith::SubFOp::create(b, loc, args[0], args[1]);
          return arith::MulFOp::create(b, loc, d, d).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BceWithLogitsLowering : OpConversionPattern<nn::BceWithLogitsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::BceWithLogitsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = buildMeanOf(
        rewriter, op.getLoc(), op, adaptor.getLogits(), adaptor.getTargets(),
        [](OpBuilder &b, Location loc, ValueRange args) {
          // max(x, 0) - x t + log1p(exp(-|x|))
          Value x = args[0], t = args[1];
          Value zero = floatConstant(b, loc, x.getType(), 0.0);
          Value relu = arith::MaximumFOp::create(b, loc, x, zero);
          Value xt = arith::MulFOp::create(b, loc, x, t);
          Value negAbs =
              arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
          Value softplus =
              math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
          Value diff = arith::SubFOp::create(b, loc, relu, xt);
          return arith::AddFOp::create(b, loc, diff, softplus).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SoftmaxCrossEntropyLowering
    : OpConversionPattern<nn::SoftmaxCrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::SoftmaxCrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = adaptor.getLogits(), labels = adaptor.getLabels();
    auto type = llvm::cast<RankedTensorType>(logits.getType());
    Type elementType = type.getElementType();
    MLIRContext *context = rewriter.getContext();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, logits);
    checkEqual(rewriter, loc, op, sizes[0],
               tensor::getMixedSize(rewriter, loc, labels, 0),
               "the logits and the labels differ in the batch size");
    Value classes = toValue(rewriter, loc, sizes[1]);
    checkIdsInRange(rewriter, loc, op, labels, classes,
                    "a label is out of range [0, classes)");

    // Per row: max, then sum(exp(x - max)).
    Value negInf = floatConstant(rewriter, loc, elementType,
                                 -std::numeric_limits<double>::infinity());
    Value max = buildReduction(
        rewriter, loc, logits, {1}, negInf,
        [](OpBuilder &b, Location nloc, ValueRange args) {
          return arith::MaximumFOp::create(b, nloc, args[0], args[1])
              .getResult();
        });
    AffineMap id = rewriter.getMultiDimIdentityMap(2);
    AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, context));
    Value zero = floatConstant(rewriter, loc, elementType, 0.0);
    Value acc = createFilled(rewriter, loc, {sizes[0]}, zero);
    Value sumExp =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{acc.getType()}, ValueRange{logits, max},
            ValueRange{acc}, {id, row, row},
            {utils::IteratorType::parallel, utils::IteratorType::reduction},
            [](OpBuilder &b, Location nloc, ValueRange args) {
              Value shifted = arith::SubFOp::create(b, nloc, args[0], args[1]);
              Value e = math::ExpOp::create(b, nloc, shifted);
              linalg::YieldOp::create(
                  b, nloc, arith::AddFOp::create(b, nloc, args[2], e).getResult());
            })
            .getResult(0);

    // sum_n (max + log(sumExp) - logits[n, label[n]]), over a 1-D loop.
    AffineMap n = AffineMap::get(1, 0, getAffineDimExpr(0, context));
    AffineMap scalar = AffineMap::get(1, 0, {}, context);
    Value total = createFilled(rewriter, loc, {}, zero);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{total.getType()},
            ValueRange{max, sumExp, labels}, ValueRange{total},
            {n, n, n, scalar}, {utils::IteratorType::reduction},
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value i = linalg::IndexOp::create(b, nloc, 0);
              Value label = clampToIndex(b, nloc, args[2], classes);
              Value picked =
                  tensor::ExtractOp::create(b, nloc, logits, ValueRange{i, label});
              Value logSum = math::LogOp::create(b, nloc, args[1]);
              Value lse = arith::AddFOp::create(b, nloc, args[0], logSum);
              Value term = arith::SubFOp::create(b, nloc, lse, picked);
              linalg::YieldOp::create(
                  b, nloc,
                  arith::AddFOp::create(b, nloc, args[3], term).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, divideScalar(rewriter, loc, sum,
                                        toValue(rewriter, loc, sizes[0])));
    return success();
  }
};

} // namespace

void nn_to_linalg::populateLossPatterns(RewritePatternSet &patterns) {
  patterns.add<MseLowering, BceWithLogitsLowering, SoftmaxCrossEntropyLowering>(
      patterns.getContext());
}
