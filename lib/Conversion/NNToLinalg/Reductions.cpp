//===- Reductions.cpp - nn.sum, nn.mean and nn.size -----------------------===//
//
// A reduction linalg.generic over the reduced axes (then a division for the
// mean), and tensor.expand_shape for keepdims.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

/// The innermost dims of at least this many elements are summed last, when
/// other axes are reduced too.
constexpr int64_t kMinLastStageSize = 8;

/// The sum of `input` over `axes`, dims dropped. A sum over several axes that
/// include the innermost one (a convolution's bias gradient, over N, H and W)
/// takes two stages: over the other axes first, with the innermost dim kept
/// as a parallel loop, then over that dim. The first stage then adds whole
/// rows into a row of partial sums (independent lanes, which LLVM
/// vectorizes) instead of chaining every addition into one accumulator.
Value buildSum(OpBuilder &b, Location loc, Value input,
               ArrayRef<int64_t> axes) {
  auto type = llvm::cast<RankedTensorType>(input.getType());
  Value zero = floatConstant(b, loc, type.getElementType(), 0.0);
  auto add = [](OpBuilder &nb, Location nloc, ValueRange args) {
    return arith::AddFOp::create(nb, nloc, args[0], args[1]).getResult();
  };
  int64_t last = type.getRank() - 1;
  if (axes.size() > 1 && llvm::is_contained(axes, last) &&
      !type.isDynamicDim(last) && type.getDimSize(last) >= kMinLastStageSize) {
    SmallVector<int64_t> outer(llvm::make_filter_range(
        axes, [&](int64_t axis) { return axis != last; }));
    Value rows = buildReduction(b, loc, input, outer, zero, add);
    int64_t rowsLast = llvm::cast<RankedTensorType>(rows.getType()).getRank() - 1;
    return buildReduction(b, loc, rows, {rowsLast}, zero, add);
  }
  return buildReduction(b, loc, input, axes, zero, add);
}

/// The number of elements over `axes` of `input`, as an index value.
Value countOver(OpBuilder &b, Location loc, Value input,
                ArrayRef<int64_t> axes) {
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, input);
  SmallVector<OpFoldResult> reduced;
  for (int64_t axis : axes)
    reduced.push_back(sizes[axis]);
  return product(b, loc, reduced);
}

template <typename OpTy>
struct ReductionLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    ArrayRef<int64_t> axes = op.getAxes();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value result = buildSum(rewriter, loc, input, axes);
    if constexpr (std::is_same_v<OpTy, nn::MeanOp>) {
      Value count = indexToFloat(rewriter, loc,
                                 countOver(rewriter, loc, input, axes),
                                 type.getElementType());
      auto sumType = llvm::cast<RankedTensorType>(result.getType());
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, result);
      result = buildElementwise(
          rewriter, loc, sumType, sizes, result,
          [&](OpBuilder &b, Location nloc, ValueRange args) {
            return arith::DivFOp::create(b, nloc, args[0], count).getResult();
          });
    }
    if (op.getKeepdims())
      result = expandReducedDims(rewriter, loc, result, type, axes);
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SizeLowering : OpConversionPattern<nn::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> axes(op.getAxes());
    if (axes.empty())
      axes = llvm::to_vector(llvm::seq<int64_t>(0, inType.getRank()));
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value count = indexToFloat(rewriter, loc, countOver(rewriter, loc, input, axes),
                               type.getElementType());
    Value result =
        tensor::FromElementsOp::create(rewriter, loc, type, ValueRange{count});
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void nn_to_linalg::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReductionLowering<nn::SumOp>, ReductionLowering<nn::MeanOp>,
               SizeLowering>(patterns.getContext());
}
