//===- MatmulOrientation.cpp - Narrow products computed transposed --------===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "MatmulVariants.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace adjoint {
#define GEN_PASS_DEF_MATMULORIENTATION
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// `value` [R, C] transposed into a new tensor [C, R], as a linalg.generic
/// (which adjoint-fuse-elementwise folds into its consumers).
Value buildTranspose(OpBuilder &b, Location loc, Value value) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, value, 1),
                                     tensor::getMixedSize(b, loc, value, 0)};
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  MLIRContext *context = b.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context), d1 = getAffineDimExpr(1, context);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{value},
             ValueRange{init},
             {AffineMap::get(2, 0, {d1, d0}, context),
              AffineMap::get(2, 0, {d0, d1}, context)},
             {utils::IteratorType::parallel, utils::IteratorType::parallel},
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

struct MatmulOrientationPass
    : adjoint::impl::MatmulOrientationBase<MatmulOrientationPass> {
  using MatmulOrientationBase::MatmulOrientationBase;

  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> candidates;
    getOperation()->walk([&](linalg::MatmulOp op) {
      if (shouldTranspose(op))
        candidates.push_back(op);
    });
    for (linalg::MatmulOp op : candidates)
      rewrite(op);
  }

  /// A product on tensors of f32 with N static and narrower than `narrow`
  /// and M static and at least `narrow`.
  bool shouldTranspose(linalg::MatmulOp op) {
    if (!op.hasPureTensorSemantics() ||
        failed(adjoint::getMatmulTransposes(op)))
      return false;
    auto type = llvm::cast<RankedTensorType>(op.getResultTypes()[0]);
    if (!type.getElementType().isF32() || !type.hasStaticShape())
      return false;
    int64_t m = type.getDimSize(0), n = type.getDimSize(1);
    return n < narrow && m >= narrow;
  }

  /// C = op(A) op(B) becomes C = (op(B)^T op(A)^T)^T: a matmul with the
  /// operands swapped and each one's transpose flag flipped, into the
  /// transposed accumulator, then transposed back.
  void rewrite(linalg::MatmulOp op) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto [transA, transB] = *adjoint::getMatmulTransposes(op);
    Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    // A zero (or other constant) fill is refilled in the new shape instead of
    // transposed.
    Value transposedInit;
    if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
      auto type = llvm::cast<RankedTensorType>(init.getType());
      Value empty = tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{type.getDimSize(1), type.getDimSize(0)},
          type.getElementType());
      transposedInit =
          linalg::FillOp::create(b, loc, fill.getDpsInputs()[0], empty)
              .getResult(0);
    } else {
      transposedInit = buildTranspose(b, loc, init);
    }
    auto product = linalg::MatmulOp::create(
        b, loc, TypeRange{transposedInit.getType()}, ValueRange{bm, a},
        ValueRange{transposedInit});
    product.setIndexingMapsAttr(
        b.getArrayAttr(adjoint::getMatmulMaps(b.getContext(), !transB, !transA)));
    op.getResult(0).replaceAllUsesWith(
        buildTranspose(b, loc, product.getResult(0)));
    op.erase();
  }
};

} // namespace
