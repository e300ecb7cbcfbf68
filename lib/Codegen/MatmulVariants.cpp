//===- MatmulVariants.cpp - The transpose variants of linalg.matmul -------===//

#include "MatmulVariants.h"

using namespace mlir;

namespace {
/// (dims[a], dims[b]) over loops (m, n, k).
AffineMap getPairMap(MLIRContext *context, unsigned a, unsigned b) {
  return AffineMap::get(
      3, 0, {getAffineDimExpr(a, context), getAffineDimExpr(b, context)},
      context);
}
} // namespace

FailureOr<std::pair<bool, bool>>
adjoint::getMatmulTransposes(linalg::MatmulOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3)
    return failure();
  MLIRContext *context = op.getContext();
  if (maps[2] != getPairMap(context, 0, 1))
    return failure();
  bool transA, transB;
  if (maps[0] == getPairMap(context, 0, 2))
    transA = false;
  else if (maps[0] == getPairMap(context, 2, 0))
    transA = true;
  else
    return failure();
  if (maps[1] == getPairMap(context, 2, 1))
    transB = false;
  else if (maps[1] == getPairMap(context, 1, 2))
    transB = true;
  else
    return failure();
  return std::make_pair(transA, transB);
}

SmallVector<Attribute> adjoint::getMatmulMaps(MLIRContext *context,
                                              bool transA, bool transB) {
  return {AffineMapAttr::get(transA ? getPairMap(context, 2, 0)
                                    : getPairMap(context, 0, 2)),
          AffineMapAttr::get(transB ? getPairMap(context, 1, 2)
                                    : getPairMap(context, 2, 1)),
          AffineMapAttr::get(getPairMap(context, 0, 1))};
}
