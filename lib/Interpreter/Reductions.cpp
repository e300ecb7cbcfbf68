//===- Reductions.cpp - matmul, sum, mean and size ------------------------===//
//
// Sums are accumulated in double and rounded once to the result type.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

llvm::Expected<HostTensor> interp::evalMatmul(const OpEnv &env) {
  auto op = llvm::cast<nn::MatmulOp>(env.getOp());
  const HostTensor &lhs = env.operand(0), &rhs = env.operand(1);
  llvm::ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  bool transA = op.getTransposeA(), transB = op.getTransposeB();
  // op(a) is [m, k], op(b) is [k, n].
  int64_t m = transA ? a.back() : a[a.size() - 2];
  int64_t ka = transA ? a[a.size() - 2] : a.back();
  int64_t kb = transB ? b.back() : b[b.size() - 2];
  int64_t n = transB ? b[b.size() - 2] : b.back();
  if (ka != kb)
    return env.error("contraction dims differ: " + formatShape(a) +
                     (transA ? "^T" : "") + " times " + formatShape(b) +
                     (transB ? "^T" : ""));
  auto lhsType = llvm::cast<RankedTensorType>(op.getLhs().getType());
  auto rhsType = llvm::cast<RankedTensorType>(op.getRhs().getType());
  llvm::Expected<Shape> batch = broadcastRuntimeShapes(
      env, a.drop_back(2), lhsType.getShape().drop_back(2), b.drop_back(2),
      rhsType.getShape().drop_back(2));
  if (!batch)
    return batch.takeError();
  Shape shape = *batch;
  shape.push_back(m);
  shape.push_back(n);
  llvm::Expected<HostTensor> result = env.allocate(lhs.getDType(), shape);
  if (!result)
    return result.takeError();
  BroadcastIndexer lhsBatch(a.drop_back(2), *batch);
  BroadcastIndexer rhsBatch(b.drop_back(2), *batch);
  int64_t numBatches = getNumElements(*batch).value_or(0);
  int64_t k = ka;
  // Element (r, c) of the stored matrix of `a`: a[r * cols + c].
  int64_t aRows = a[a.size() - 2], aCols = a.back();
  int64_t bRows = b[b.size() - 2], bCols = b.back();
  dispatchFloat(lhs.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::ArrayRef<T> av = lhs.getValues<T>(), bv = rhs.getValues<T>();
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (int64_t p = 0; p < numBatches; ++p) {
      const T *am = av.data() + lhsBatch(p) * aRows * aCols;
      const T *bm = bv.data() + rhsBatch(p) * bRows * bCols;
      T *om = out.data() + p * m * n;
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          double sum = 0;
          for (int64_t l = 0; l < k; ++l) {
            double x = transA ? am[l * aCols + i] : am[i * aCols + l];
            double y = transB ? bm[j * bCols + l] : bm[l * bCols + j];
            sum += x * y;
          }
          om[i * n + j] = static_cast<T>(sum);
        }
      }
    }
  });
  return result;
}

llvm::Expected<HostTensor> interp::evalReduction(const OpEnv &env) {
  Operation *op = env.getOp();
  bool isMean = llvm::isa<nn::MeanOp>(op);
  llvm::ArrayRef<int64_t> axes =
      isMean ? llvm::cast<nn::MeanOp>(op).getAxes()
             : llvm::cast<nn::SumOp>(op).getAxes();
  bool keepdims = isMean ? llvm::cast<nn::MeanOp>(op).getKeepdims()
                         : llvm::cast<nn::SumOp>(op).getKeepdims();
  const HostTensor &input = env.operand(0);
  llvm::ArrayRef<int64_t> inShape = input.getShape();
  // The result shape, and the input's shape with the reduced dims set to 1
  // (which has the same row-major layout as the result).
  Shape shape, keptShape;
  int64_t count = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(inShape.size()); ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (reduced)
      count *= inShape[d];
    if (!reduced || keepdims)
      shape.push_back(reduced ? 1 : inShape[d]);
    keptShape.push_back(reduced ? 1 : inShape[d]);
  }
  llvm::Expected<HostTensor> result = env.allocate(input.getDType(), shape);
  if (!result)
    return result.takeError();
  std::vector<double> sums(result->getNumElements(), 0.0);
  Shape keptStrides = getStrides(keptShape);
  Shape index(inShape.size());
  for (int64_t i = 0; i < input.getNumElements(); ++i) {
    unflattenIndex(i, inShape, index);
    int64_t to = 0;
    for (size_t d = 0; d < inShape.size(); ++d)
      if (keptShape[d] != 1)
        to += index[d] * keptStrides[d];
    sums[to] += input.getElementAsDouble(i);
  }
  dispatchFloat(input.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (size_t i = 0; i < sums.size(); ++i)
      out[i] = static_cast<T>(isMean ? sums[i] / static_cast<double>(count)
                                     : sums[i]);
  });
  return result;
}

llvm::Expected<HostTensor> interp::evalSize(const OpEnv &env) {
  auto op = llvm::cast<nn::SizeOp>(env.getOp());
  llvm::ArrayRef<int64_t> shape = env.operand(0).getShape();
  double count = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    if (op.getAxes().empty() || llvm::is_contained(op.getAxes(), d))
      count *= static_cast<double>(shape[d]);
  llvm::Expected<HostTensor> result = env.allocateResult({});
  if (!result)
    return result.takeError();
  dispatchFloat(result->getDType(), [&](auto tag) {
    using T = decltype(tag);
    result->getMutableValues<T>()[0] = static_cast<T>(count);
  });
  return result;
}
