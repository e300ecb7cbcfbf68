//===- Lookup.cpp - embedding, embedding_backward, one_hot ----------------===//
//
// embedding gathers rows with tensor.extract inside a linalg.generic;
// embedding_backward scatter-adds rows in an scf.for over the ids (in order,
// so the sums are deterministic); one_hot compares the class index with the
// label. Ids are checked to lie in [0, NUM) and clamped, so that a bad id is
// reported and never reads or writes outside the table.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

struct EmbeddingLowering : OpConversionPattern<nn::EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value ids = adaptor.getIds(), weight = adaptor.getWeight();
    auto idsType = llvm::cast<RankedTensorType>(ids.getType());
    auto type = llvm::cast<RankedTensorType>(op.getType());
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    Value rows = getDim(rewriter, loc, weight, 0);
    checkIdsInRange(rewriter, loc, op, ids, rows,
                    "an id is out of range [0, rows of the table)");
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, ids);
    sizes.push_back(tensor::getMixedSize(rewriter, loc, weight, 1));
    Value init = createEmpty(rewriter, loc, sizes, type.getElementType());
    AffineMap idsMap = AffineMap::get(
        rank, 0,
        llvm::to_vector(llvm::map_range(
            llvm::seq<unsigned>(0, idsType.getRank()),
            [&](unsigned d) { return getAffineDimExpr(d, context); })),
        context);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{ids},
            ValueRange{init},
            {idsMap, rewriter.getMultiDimIdentityMap(rank)}, iterators,
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value row = clampToIndex(b, nloc, args[0], rows);
              Value col = linalg::IndexOp::create(b, nloc, rank - 1);
              Value v = tensor::ExtractOp::create(b, nloc, weight,
                                                  ValueRange{row, col});
              linalg::YieldOp::create(b, nloc, v);
            })
            .getResult(0);
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct EmbeddingBackwardLowering
    : OpConversionPattern<nn::EmbeddingBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::EmbeddingBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value ids = adaptor.getIds(), grad = adaptor.getGradOutput();
    auto idsType = llvm::cast<RankedTensorType>(ids.getType());
    auto gradType = llvm::cast<RankedTensorType>(grad.getType());
    auto type = llvm::cast<RankedTensorType>(op.getType());
    if (type.isDynamicDim(0))
      return rewriter.notifyMatchFailure(op, "the table's row count is dynamic");
    Type elementType = type.getElementType();
    Value rows = indexConstant(rewriter, loc, type.getDimSize(0));
    SmallVector<OpFoldResult> idSizes = getSizes(rewriter, loc, ids);
    for (int64_t d = 0; d < idsType.getRank(); ++d)
      checkEqual(rewriter, loc, op, idSizes[d],
                 tensor::getMixedSize(rewriter, loc, grad, d),
                 "the gradient does not match the ids at dim " + Twine(d));
    checkIdsInRange(rewriter, loc, op, ids, rows,
                    "an id is out of range [0, rows of the table)");
    OpFoldResult dim = tensor::getMixedSize(rewriter, loc, grad,
                                            gradType.getRank() - 1);
    OpFoldResult width = dim;
    if (!type.isDynamicDim(1)) {
      width = rewriter.getIndexAttr(type.getDimSize(1));
      checkEqual(rewriter, loc, op, dim, width,
                 "the gradient's last dim does not match the table");
    }

    // Flatten ids to [M] and the gradient to [M, DIM].
    Value flatIds = ids, flatGrad = grad;
    if (idsType.getRank() != 1) {
      SmallVector<ReassociationIndices> idGroups;
      if (idsType.getRank() > 0) {
        ReassociationIndices all;
        for (int64_t d = 0; d < idsType.getRank(); ++d)
          all.push_back(d);
        idGroups.push_back(all);
        flatIds = tensor::CollapseShapeOp::create(rewriter, loc, ids, idGroups);
        ReassociationIndices gradAll = all;
        SmallVector<ReassociationIndices> gradGroups = {
            gradAll, {gradType.getRank() - 1}};
        flatGrad =
            tensor::CollapseShapeOp::create(rewriter, loc, grad, gradGroups);
      } else {
        flatIds = tensor::ExpandShapeOp::create(
            rewriter, loc, RankedTensorType::get({1}, idsType.getElementType()),
            ids, idGroups, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
        auto rowType = RankedTensorType::get({1, gradType.getDimSize(0)},
                                             gradType.getElementType());
        SmallVector<ReassociationIndices> gradGroups = {{0, 1}};
        flatGrad = tensor::ExpandShapeOp::create(
            rewriter, loc, rowType, grad, gradGroups,
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1), dim});
      }
    }

    Value zero = floatConstant(rewriter, loc, elementType, 0.0);
    SmallVector<OpFoldResult> tableSizes = {
        rewriter.getIndexAttr(type.getDimSize(0)), width};
    Value table = createFilled(rewriter, loc, tableSizes, zero);
    Value count = getDim(rewriter, loc, flatIds, 0);
    Value c0 = indexConstant(rewriter, loc, 0);
    Value c1 = indexConstant(rewriter, loc, 1);
    auto loop = scf::ForOp::create(
        rewriter, loc, c0, count, c1, ValueRange{table},
        [&](OpBuilder &b, Location nloc, Value i, ValueRange iterArgs) {
          Value acc = iterArgs[0];
          Value id = tensor::ExtractOp::create(b, nloc, flatIds, ValueRange{i});
          Value row = clampToIndex(b, nloc, id, rows);
          SmallVector<OpFoldResult> rowSizes = {b.getIndexAttr(1), width};
          SmallVector<OpFoldResult> ones = {b.getIndexAttr(1), b.getIndexAttr(1)};
          auto rowType = RankedTensorType::get({1, type.getDimSize(1)},
                                               elementType);
          Value gradRow = tensor::ExtractSliceOp::create(
              b, nloc, rowType, flatGrad,
              ArrayRef<OpFoldResult>{i, b.getIndexAttr(0)}, rowSizes, ones);
          Value tableRow = tensor::ExtractSliceOp::create(
              b, nloc, rowType, acc,
              ArrayRef<OpFoldResult>{row, b.getIndexAttr(0)}, rowSizes, ones);
          Value sum = buildElementwise(
              b, nloc, rowType, rowSizes, {tableRow, gradRow},
              [](OpBuilder &nb, Location l, ValueRange args) {
                return arith::AddFOp::create(nb, l, args[0], args[1])
                    .getResult();
              });
          Value updated = tensor::InsertSliceOp::create(
              b, nloc, sum, acc, ArrayRef<OpFoldResult>{row, b.getIndexAttr(0)},
              rowSizes, ones);
          scf::YieldOp::create(b, nloc, updated);
        });
    Value result = loop.getResult(0);
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct OneHotLowering : OpConversionPattern<nn::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value labels = adaptor.getLabels();
    auto labelsType = llvm::cast<RankedTensorType>(labels.getType());
    auto type = llvm::cast<RankedTensorType>(op.getType());
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, labels);
    sizes.push_back(rewriter.getIndexAttr(type.getShape().back()));
    Value init = createEmpty(rewriter, loc, sizes, type.getElementType());
    SmallVector<AffineExpr> labelExprs;
    for (int64_t d = 0; d < labelsType.getRank(); ++d)
      labelExprs.push_back(getAffineDimExpr(d, context));
    AffineMap labelMap = AffineMap::get(rank, 0, labelExprs, context);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Type intType = labelsType.getElementType();
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{labels},
            ValueRange{init}, {labelMap, rewriter.getMultiDimIdentityMap(rank)},
            iterators,
            [&](OpBuilder &b, Location nloc, ValueRange args) {
              Value c = linalg::IndexOp::create(b, nloc, rank - 1);
              Value cInt = arith::IndexCastOp::create(b, nloc, intType, c);
              Value hit = arith::CmpIOp::create(
                  b, nloc, arith::CmpIPredicate::eq, args[0], cInt);
              Type ft = type.getElementType();
              Value v = arith::SelectOp::create(b, nloc, hit,
                                                floatConstant(b, nloc, ft, 1.0),
                                                floatConstant(b, nloc, ft, 0.0));
              linalg::YieldOp::create(b, nloc, v);
            })
            .getResult(0);
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void nn_to_linalg::populateLookupPatterns(RewritePatternSet &patterns) {
  patterns.add<EmbeddingLowering, EmbeddingBackwardLowering, OneHotLowering>(
      patterns.getContext());
}
