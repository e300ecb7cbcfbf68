//===- Matmul.cpp - nn.matmul ---------------------------------------------===//
//
// nn.matmul becomes linalg.matmul for two matrices, linalg.batch_matmul for
// two stacks of matrices with the same batch size, linalg.matmul on the
// collapsed rows when only the left operand is batched (a dense layer on a
// sequence), and a linalg.generic contraction with broadcast batch dims
// otherwise. Transposed operands are expressed by the indexing maps, never
// materialized.
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

/// The shapes of one nn.matmul: op(a) is [M, K], op(b) is [K, N].
struct MatmulShape {
  OpFoldResult m, n, k;
  SmallVector<OpFoldResult> batch;
};

/// Computes M, N, K and the broadcast batch sizes, with run-time checks.
MatmulShape getMatmulShape(OpBuilder &b, Location loc, nn::MatmulOp op,
                           Value lhs, Value rhs) {
  auto aType = llvm::cast<RankedTensorType>(lhs.getType());
  auto bType = llvm::cast<RankedTensorType>(rhs.getType());
  auto resultType = llvm::cast<RankedTensorType>(op.getType());
  int64_t aRank = aType.getRank(), bRank = bType.getRank();
  bool transA = op.getTransposeA(), transB = op.getTransposeB();
  MatmulShape shape;
  shape.m = tensor::getMixedSize(b, loc, lhs, transA ? aRank - 1 : aRank - 2);
  OpFoldResult ka =
      tensor::getMixedSize(b, loc, lhs, transA ? aRank - 2 : aRank - 1);
  OpFoldResult kb =
      tensor::getMixedSize(b, loc, rhs, transB ? bRank - 1 : bRank - 2);
  shape.n = tensor::getMixedSize(b, loc, rhs, transB ? bRank - 2 : bRank - 1);
  checkEqual(b, loc, op, ka, kb, "the contraction dims differ");
  shape.k = ka;

  // Batch dims broadcast like NumPy over the leading dims.
  int64_t batchRank = resultType.getRank() - 2;
  for (int64_t d = 0; d < batchRank; ++d) {
    SmallVector<std::pair<Value, int64_t>> aligned;
    for (auto [value, type] : {std::pair{lhs, aType}, std::pair{rhs, bType}})
      aligned.push_back({value, d - (batchRank - (type.getRank() - 2))});
    OpFoldResult size =
        getBroadcastDimSize(b, loc, op, resultType, d, aligned,
                            "the batch dims differ at dim " + Twine(d));
    shape.batch.push_back(size);
  }
  return shape;
}

/// The zero-filled accumulator of the given sizes.
Value createAccumulator(OpBuilder &b, Location loc, Type elementType,
                        ArrayRef<OpFoldResult> sizes) {
  return createFilled(b, loc, sizes, floatConstant(b, loc, elementType, 0.0));
}

AffineMap mapOf(MLIRContext *context, unsigned numDims,
                ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims)
    exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(numDims, 0, exprs, context);
}

struct MatmulLowering : OpConversionPattern<nn::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto aType = llvm::cast<RankedTensorType>(lhs.getType());
    auto bType = llvm::cast<RankedTensorType>(rhs.getType());
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    MatmulShape shape = getMatmulShape(rewriter, loc, op, lhs, rhs);
    Value result;
    if (aType.getRank() == 2 && bType.getRank() == 2)
      result = buildMatmul(rewriter, loc, op, lhs, rhs, shape);
    else if (aType.getRank() > 2 && bType.getRank() == 2 &&
             !op.getTransposeA())
      result = buildRowsMatmul(rewriter, loc, op, lhs, rhs, shape);
    else if (aType.getRank() == 3 && bType.getRank() == 3 &&
             !isBroadcastBatch(aType, resultType) &&
             !isBroadcastBatch(bType, resultType))
      result = buildBatchMatmul(rewriter, loc, op, lhs, rhs, shape);
    else
      result = buildGeneric(rewriter, loc, op, lhs, rhs, shape);
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  static bool isBroadcastBatch(RankedTensorType type,
                               RankedTensorType resultType) {
    return type.getDimSize(0) == 1 && resultType.getDimSize(0) != 1;
  }

  /// linalg.matmul over loops (m, n, k).
  static Value buildMatmul(OpBuilder &b, Location loc, nn::MatmulOp op,
                           Value lhs, Value rhs, const MatmulShape &shape) {
    Type elementType = op.getType().getElementType();
    Value acc = createAccumulator(b, loc, elementType, {shape.m, shape.n});
    return createMatmul(b, loc, lhs, rhs, acc, op.getTransposeA(),
                        op.getTransposeB());
  }

  /// A batched lhs times a matrix: the lhs rows are collapsed into one
  /// dimension, multiplied with linalg.matmul, and expanded back.
  static Value buildRowsMatmul(OpBuilder &b, Location loc, nn::MatmulOp op,
                               Value lhs, Value rhs,
                               const MatmulShape &shape) {
    auto aType = llvm::cast<RankedTensorType>(lhs.getType());
    int64_t aRank = aType.getRank();
    ReassociationIndices rows;
    for (int64_t d = 0; d < aRank - 1; ++d)
      rows.push_back(d);
    SmallVector<ReassociationIndices> groups = {rows, {aRank - 1}};
    Value flat = tensor::CollapseShapeOp::create(b, loc, lhs, groups);
    SmallVector<OpFoldResult> flatSizes = getSizes(b, loc, flat);
    MatmulShape flatShape = shape;
    flatShape.m = flatSizes[0];
    Value product = buildMatmul(b, loc, op, flat, rhs, flatShape);

    // The result keeps the lhs's leading dims (no broadcast: rhs has none).
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> outSizes(shape.batch);
    outSizes.push_back(shape.m);
    outSizes.push_back(shape.n);
    SmallVector<int64_t> outShape = getStaticShape(outSizes);
    auto expandedType =
        RankedTensorType::get(outShape, resultType.getElementType());
    ReassociationIndices outRows;
    for (int64_t d = 0; d < resultType.getRank() - 1; ++d)
      outRows.push_back(d);
    SmallVector<ReassociationIndices> outGroups = {
        outRows, {resultType.getRank() - 1}};
    return createExpandShape(b, loc, expandedType, product, outGroups,
                             outSizes);
  }

  /// linalg.batch_matmul over loops (batch, m, n, k).
  static Value buildBatchMatmul(OpBuilder &b, Location loc, nn::MatmulOp op,
                                Value lhs, Value rhs,
                                const MatmulShape &shape) {
    Type elementType = op.getType().getElementType();
    Value acc = createAccumulator(b, loc, elementType,
                                  {shape.batch[0], shape.m, shape.n});
    auto matmul = linalg::BatchMatmulOp::create(
        b, loc, TypeRange{acc.getType()}, ValueRange{lhs, rhs},
        ValueRange{acc});
    if (op.getTransposeA() || op.getTransposeB()) {
      MLIRContext *context = b.getContext();
      AffineMap maps[] = {
          op.getTransposeA() ? mapOf(context, 4, {0, 3, 1})
                             : mapOf(context, 4, {0, 1, 3}),
          op.getTransposeB() ? mapOf(context, 4, {0, 2, 3})
                             : mapOf(context, 4, {0, 3, 2}),
          mapOf(context, 4, {0, 1, 2})};
      SmallVector<Attribute> attrs;
      for (AffineMap map : maps)
        attrs.push_back(AffineMapAttr::get(map));
      matmul.setIndexingMapsAttr(b.getArrayAttr(attrs));
    }
    return matmul.getResult(0);
  }

  /// A linalg.generic contraction over loops (batch..., m, n, k), each
  /// operand's batch dims aligned to the trailing batch loops and its
  /// broadcast (static 1) dims reading element 0.
  static Value buildGeneric(OpBuilder &b, Location loc, nn::MatmulOp op,
                            Value lhs, Value rhs, const MatmulShape &shape) {
    MLIRContext *context = b.getContext();
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    int64_t batchRank = resultType.getRank() - 2;
    unsigned numLoops = batchRank + 3;
    unsigned m = batchRank, n = batchRank + 1, k = batchRank + 2;
    auto operandMap = [&](RankedTensorType type, bool transposed,
                          unsigned row, unsigned col) {
      SmallVector<AffineExpr> exprs;
      int64_t operandBatch = type.getRank() - 2;
      for (int64_t i = 0; i < operandBatch; ++i) {
        int64_t d = batchRank - operandBatch + i;
        bool broadcast =
            type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, context)
                                  : getAffineDimExpr(d, context));
      }
      exprs.push_back(getAffineDimExpr(transposed ? col : row, context));
      exprs.push_back(getAffineDimExpr(transposed ? row : col, context));
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    SmallVector<AffineMap> maps = {
        operandMap(llvm::cast<RankedTensorType>(lhs.getType()),
                   op.getTransposeA(), m, k),
        operandMap(llvm::cast<RankedTensorType>(rhs.getType()),
                   op.getTransposeB(), k, n)};
    SmallVector<AffineExpr> outExprs;
    for (unsigned d = 0; d < numLoops - 1; ++d)
      outExprs.push_back(getAffineDimExpr(d, context));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, context));
    SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    SmallVector<OpFoldResult> sizes(shape.batch);
    sizes.push_back(shape.m);
    sizes.push_back(shape.n);
    Value acc =
        createAccumulator(b, loc, resultType.getElementType(), sizes);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{acc.getType()}, ValueRange{lhs, rhs},
        ValueRange{acc}, maps, iterators,
        [](OpBuilder &nb, Location nloc, ValueRange args) {
          Value product = arith::MulFOp::create(nb, nloc, args[0], args[1]);
          Value sum = arith::AddFOp::create(nb, nloc, args[2], product);
          linalg::YieldOp::create(nb, nloc, sum);
        });
    return generic.getResult(0);
  }
};

} // namespace

void nn_to_linalg::populateMatmulPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}
