//===- Normalization.cpp - softmax, log_softmax, layernorm, batchnorm -----===//
//
// Each op is a few linalg.generic ops: reductions for the statistics (max and
// sum of exponentials; mean and biased variance, two-pass), then one
// elementwise generic that reads the statistics through maps that drop the
// reduced dims.
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

/// A parallel generic over the shape of `input` (with `sizes`) whose inputs
/// are read through `maps`; `body` gets their elements.
Value buildMapped(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes, ValueRange inputs,
                  ArrayRef<AffineMap> maps, BodyBuilder body) {
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  Value init = createEmpty(b, loc, sizes, type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, allMaps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  Value result = generic.getResult(0);
  if (result.getType() != type)
    result = tensor::CastOp::create(b, loc, type, result);
  return result;
}

/// The mean and the biased variance of `x` over `axes` (dims dropped), and
/// the number of elements reduced as an index value.
struct Moments {
  Value mean, var, count;
};

Moments buildMoments(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> axes) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, x);
  SmallVector<OpFoldResult> reducedSizes;
  for (int64_t axis : axes)
    reducedSizes.push_back(sizes[axis]);
  Moments m;
  m.count = product(b, loc, reducedSizes);
  Value countF = indexToFloat(b, loc, m.count, elementType);
  Value zero = floatConstant(b, loc, elementType, 0.0);
  Value sum = buildReduction(
      b, loc, x, axes, zero, [](OpBuilder &nb, Location nloc, ValueRange args) {
        return arith::AddFOp::create(nb, nloc, args[0], args[1]).getResult();
      });
  auto statType = llvm::cast<RankedTensorType>(sum.getType());
  SmallVector<OpFoldResult> statSizes = getSizes(b, loc, sum);
  m.mean = buildElementwise(b, loc, statType, statSizes, sum,
                            [&](OpBuilder &nb, Location nloc, ValueRange args) {
                              return arith::DivFOp::create(nb, nloc, args[0],
                                                           countF)
                                  .getResult();
                            });
  // sum((x - mean)^2), reading the mean through a map that drops the axes.
  AffineMap dropMap = getDropAxesMap(b.getContext(), type.getRank(), axes);
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d)
    iterators.push_back(llvm::is_contained(axes, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  Value acc = createFilled(b, loc, statSizes, zero);
  auto squares = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ValueRange{x, m.mean}, ValueRange{acc},
      {b.getMultiDimIdentityMap(type.getRank()), dropMap, dropMap}, iterators,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        Value d = arith::SubFOp::create(nb, nloc, args[0], args[1]);
        Value sq = arith::MulFOp::create(nb, nloc, d, d);
        linalg::YieldOp::create(
            nb, nloc, arith::AddFOp::create(nb, nloc, args[2], sq).getResult());
      });
  m.var = buildElementwise(b, loc, statType, statSizes, squares.getResult(0),
                           [&](OpBuilder &nb, Location nloc, ValueRange args) {
                             return arith::DivFOp::create(nb, nloc, args[0],
                                                          countF)
                                 .getResult();
                           });
  return m;
}

template <typename OpTy>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  static constexpr bool isLog = std::is_same_v<OpTy, nn::LogSoftmaxOp>;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> axes = {axis};
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap drop = getDropAxesMap(rewriter.getContext(), rank, axes);

    Value negInf = floatConstant(rewriter, loc, elementType,
                                 -std::numeric_limits<double>::infinity());
    Value max = buildReduction(
        rewriter, loc, x, axes, negInf,
        [](OpBuilder &b, Location nloc, ValueRange args) {
          return arith::MaximumFOp::create(b, nloc, args[0], args[1])
              .getResult();
        });
    // sum(exp(x - max)) in one reduction that reads max through `drop`.
    Value zero = floatConstant(rewriter, loc, elementType, 0.0);
    SmallVector<OpFoldResult> statSizes = getSizes(rewriter, loc, max);
    Value acc = createFilled(rewriter, loc, statSizes, zero);
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d)
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{acc.getType()}, ValueRange{x, max},
            ValueRange{acc}, {id, drop, drop}, iterators,
            [](OpBuilder &b, Location nloc, ValueRange args) {
              Value shifted = arith::SubFOp::create(b, nloc, args[0], args[1]);
              Value e = math::ExpOp::create(b, nloc, shifted);
              linalg::YieldOp::create(
                  b, nloc, arith::AddFOp::create(b, nloc, args[2], e).getResult());
            })
            .getResult(0);
    Value result = buildMapped(
        rewriter, loc, type, sizes, {x, max, sum}, {id, drop, drop},
        [](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value shifted = arith::SubFOp::create(b, nloc, args[0], args[1]);
          if (isLog) {
            Value logSum = math::LogOp::create(b, nloc, args[2]);
            return arith::SubFOp::create(b, nloc, shifted, logSum);
          }
          Value e = math::ExpOp::create(b, nloc, shifted);
          return arith::DivFOp::create(b, nloc, e, args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<nn::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x);
    checkEqual(rewriter, loc, op, sizes.back(),
               tensor::getMixedSize(rewriter, loc, adaptor.getWeight(), 0),
               "the weight does not match the last dim of the input");
    checkEqual(rewriter, loc, op, sizes.back(),
               tensor::getMixedSize(rewriter, loc, adaptor.getBias(), 0),
               "the bias does not match the last dim of the input");
    SmallVector<int64_t> axes = {rank - 1};
    Moments m = buildMoments(rewriter, loc, x, axes);
    MLIRContext *context = rewriter.getContext();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap drop = getDropAxesMap(context, rank, axes);
    AffineMap last = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, context));
    Value eps = floatConstant(rewriter, loc, type.getElementType(),
                              op.getEps().convertToDouble());
    Value result = buildMapped(
        rewriter, loc, type, sizes,
        {x, m.mean, m.var, adaptor.getWeight(), adaptor.getBias()},
        {id, drop, drop, last, last},
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          return normalize(b, nloc, args[0], args[1], args[2], eps, args[3],
                           args[4]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// (x - mean) / sqrt(var + eps) * weight + bias.
  static Value normalize(OpBuilder &b, Location loc, Value x, Value mean,
                         Value var, Value eps, Value weight, Value bias) {
    Value centered = arith::SubFOp::create(b, loc, x, mean);
    Value stdDev =
        math::SqrtOp::create(b, loc, arith::AddFOp::create(b, loc, var, eps));
    Value normalized = arith::DivFOp::create(b, loc, centered, stdDev);
    Value scaled = arith::MulFOp::create(b, loc, normalized, weight);
    return arith::AddFOp::create(b, loc, scaled, bias);
  }
};

struct BatchNormLowering : OpConversionPattern<nn::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(op.getResult().getType());
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    MLIRContext *context = rewriter.getContext();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x);
    Value params[] = {adaptor.getWeight(), adaptor.getBias(),
                      adaptor.getRunningMean(), adaptor.getRunningVar()};
    const char *names[] = {"weight", "bias", "running_mean", "running_var"};
    for (auto [param, name] : llvm::zip_equal(params, names))
      checkEqual(rewriter, loc, op, sizes[1],
                 tensor::getMixedSize(rewriter, loc, param, 0),
                 Twine("the ") + name + " does not match the channels");

    SmallVector<int64_t> axes;
    for (int64_t d = 0; d < rank; ++d)
      if (d != 1)
        axes.push_back(d);
    Value mean = adaptor.getRunningMean(), var = adaptor.getRunningVar();
    Value newMean = mean, newVar = var;
    if (op.getTraining()) {
      Moments m = buildMoments(rewriter, loc, x, axes);
      Value two = indexConstant(rewriter, loc, 2);
      Value enough = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::sge, m.count, two);
      createCheck(rewriter, loc, op, enough,
                  "training needs more than 1 value per channel");
      mean = m.mean;
      var = m.var;
      // new = (1 - momentum) old + momentum batch; the running variance gets
      // the unbiased batch variance.
      double momentum = op.getMomentum().convertToDouble();
      Value keep = floatConstant(rewriter, loc, elementType, 1.0 - momentum);
      Value take = floatConstant(rewriter, loc, elementType, momentum);
      Value countF = indexToFloat(rewriter, loc, m.count, elementType);
      Value one = floatConstant(rewriter, loc, elementType, 1.0);
      Value correction = arith::DivFOp::create(
          rewriter, loc, countF,
          arith::SubFOp::create(rewriter, loc, countF, one));
      auto statType = llvm::cast<RankedTensorType>(op.getNewRunningMean().getType());
      SmallVector<OpFoldResult> statSizes = {sizes[1]};
      auto update = [&](Value old, Value batch, Value scale) {
        return buildElementwise(
            rewriter, loc, statType, statSizes, {old, batch},
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value fresh = args[1];
              if (scale)
                fresh = arith::MulFOp::create(b, nloc, fresh, scale);
              Value a = arith::MulFOp::create(b, nloc, args[0], keep);
              Value c = arith::MulFOp::create(b, nloc, fresh, take);
              return arith::AddFOp::create(b, nloc, a, c).getResult();
            });
      };
      newMean = update(adaptor.getRunningMean(), mean, Value());
      newVar = update(adaptor.getRunningVar(), var, correction);
    }
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, context));
    Value eps = floatConstant(rewriter, loc, elementType,
                              op.getEps().convertToDouble());
    Value y = buildMapped(
        rewriter, loc, type, sizes,
        {x, mean, var, adaptor.getWeight(), adaptor.getBias()},
        {id, channel, channel, channel, channel},
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          return LayerNormLowering::normalize(b, nloc, args[0], args[1],
                                              args[2], eps, args[3], args[4]);
        });
    auto castTo = [&](Value v, Type t) -> Value {
      return v.getType() == t ? v
                              : tensor::CastOp::create(rewriter, loc, t, v)
                                    .getResult();
    };
    rewriter.replaceOp(op, {y, castTo(newMean, op.getNewRunningMean().getType()),
                            castTo(newVar, op.getNewRunningVar().getType())});
    return success();
  }
};

} // namespace

void nn_to_linalg::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<nn::SoftmaxOp>,
               SoftmaxLowering<nn::LogSoftmaxOp>, LayerNormLowering,
               BatchNormLowering>(patterns.getContext());
}
