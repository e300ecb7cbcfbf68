//===- Differentiator.h - Activity, linearization, transposition -*- C++ -*-===//
//
// The state of one differentiation of a single-block function; see
// adjoint/Autodiff/Adjoint.h for the algorithm.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_AUTODIFF_DIFFERENTIATOR_H
#define ADJOINT_LIB_AUTODIFF_DIFFERENTIATOR_H

#include "adjoint/Autodiff/Adjoint.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace adjoint::autodiff {

/// True for a ranked tensor of floats: the values that carry derivatives.
bool isDifferentiable(mlir::Value value);

/// The location of an op built for `op`: "grad"(op's location).
mlir::Location getGradLoc(mlir::Operation *op);

class Differentiator {
public:
  Differentiator(mlir::func::FuncOp func, llvm::ArrayRef<mlir::Value> wrt,
                 llvm::ArrayRef<mlir::Value> targets);

  /// Computes which values are active and checks that every active op has a
  /// rule; emits one error per op without one.
  mlir::LogicalResult analyze();

  /// Builds the tangent program, each op's tangents right after it, from the
  /// tangents `seeds` of the `wrt` values. Checks that every op of the
  /// tangent program can be transposed when `forReverse` is set.
  mlir::LogicalResult linearize(llvm::ArrayRef<mlir::Value> seeds,
                                bool forReverse);

  /// The tangent of a primal value, null when it has none.
  mlir::Value getTangent(mlir::Value primal) const {
    return tangents.lookup(primal);
  }

  /// Transposes the tangent program before the terminator, from the
  /// cotangents of the targets, and returns the cotangents of the seeds.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  transpose(llvm::ArrayRef<mlir::Value> targetCotangents, AdjointTrace *trace);

  /// Erases the tangent program after resolving the shapes that the
  /// transposes read from it.
  mlir::LogicalResult eraseTangentProgram();

  /// Erases the ops added to the function that nothing uses, except those
  /// that define `keep`.
  void removeDeadAddedOps(llvm::ArrayRef<mlir::Value> keep);

private:
  bool isActive(mlir::Value value) const {
    return varied.contains(value) && useful.contains(value);
  }
  bool isTangentValue(mlir::Value value) const {
    return tangentValues.contains(value);
  }
  mlir::LogicalResult linearizeOp(mlir::Operation *op);
  mlir::LogicalResult checkTransposable();
  mlir::LogicalResult accumulate(mlir::OpBuilder &builder, mlir::Location loc,
                                 mlir::Value value, mlir::Value cotangent);

  /// An index value equal to dim `dim` of the tangent-program value `value`,
  /// computed from primal values only (DimResolution.cpp).
  mlir::Value resolveDim(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value value, int64_t dim);
  /// A primal value with the shape of the tangent-program value `value`.
  mlir::Value getShadow(mlir::OpBuilder &builder, mlir::Value value);

  mlir::func::FuncOp func;
  mlir::Block *body;
  llvm::SmallVector<mlir::Value> wrt, targets;
  llvm::DenseSet<mlir::Operation *> originalOps;
  llvm::DenseSet<mlir::Value> varied, useful;
  llvm::SmallVector<mlir::Operation *> activeOps;

  /// Primal value -> its tangent.
  llvm::DenseMap<mlir::Value, mlir::Value> tangents;
  /// Tangent-program value -> a primal value of the same shape.
  llvm::DenseMap<mlir::Value, mlir::Value> shadows;
  /// The seeds and the results of the tangent program's ops.
  llvm::DenseSet<mlir::Value> tangentValues;
  llvm::SmallVector<mlir::Value> seeds;
  /// The ops of the tangent program, in order.
  llvm::SmallVector<mlir::Operation *> tangentOps;
  llvm::DenseSet<mlir::Operation *> tangentOpSet;
  /// Cotangents of tangent-program values during transposition.
  llvm::DenseMap<mlir::Value, mlir::Value> cotangents;
};

} // namespace adjoint::autodiff

#endif // ADJOINT_LIB_AUTODIFF_DIFFERENTIATOR_H
