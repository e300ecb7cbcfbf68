//===- RuleUtils.h - Helpers for writing gradient rules ----------*- C++ -*-===//
//
// Small builders that linearization and transpose rules share: scalar
// constants, zeros, broadcasting to a value's shape and summing a cotangent
// back to an operand's shape. They build nn ops (and tensor.dim for dynamic
// sizes) only, so rules written with them need nothing else from the
// pipeline. Plugins that add rules for their own ops may use them too.
//
// Shapes: a helper that needs the dynamic sizes of a shape takes a `like`
// value and reads them with tensor.dim. In a transpose rule, `like` may be a
// linear operand (a tangent): the adjoint pass resolves such tensor.dim ops
// against primal values before it erases the tangent program.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_AUTODIFF_RULEUTILS_H
#define ADJOINT_AUTODIFF_RULEUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace adjoint::autodiff {

/// The index values of the dynamic dims of `like`'s type, in order, read with
/// tensor.dim.
llvm::SmallVector<mlir::Value> getDynamicSizes(mlir::OpBuilder &builder,
                                               mlir::Location loc,
                                               mlir::Value like);

/// The index values of the dims of `like`'s type that `type` has dynamic,
/// in order: the dynamic sizes that an nn.broadcast or nn.reshape from a value
/// to `type` needs when `type` has `like`'s shape.
llvm::SmallVector<mlir::Value>
getDynamicSizesFor(mlir::OpBuilder &builder, mlir::Location loc,
                   mlir::RankedTensorType type, mlir::Value like);

/// A 0-d nn.constant of `elementType` holding `value`.
mlir::Value createScalar(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Type elementType, double value);

/// Zeros of `like`'s type: a 0-d constant broadcast to `like`'s shape.
mlir::Value createZerosLike(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Value like);

/// `value` as a value of exactly `like`'s type: broadcast to `like`'s shape
/// when it has fewer or size-1 dims, then reshaped when the two types still
/// differ in which dims are static. Sizes come from `like`.
mlir::Value broadcastLike(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value value, mlir::Value like);

/// `value` retyped to `type`, which has the same shape up to which dims are
/// static (a no-op nn.reshape whose sizes come from `value`). Returns `value`
/// when the types are equal.
mlir::Value castToType(mlir::OpBuilder &builder, mlir::Location loc,
                       mlir::Value value, mlir::RankedTensorType type);

/// The transpose of broadcasting a value of type `operandType` to the shape
/// of `cotangent`: sums `cotangent` over the axes the broadcast created or
/// stretched and reshapes the sum to `operandType`. Sizes come from
/// `cotangent`, so the operand itself is not needed.
mlir::Value sumToType(mlir::OpBuilder &builder, mlir::Location loc,
                      mlir::Value cotangent, mlir::RankedTensorType operandType);

/// `a + b` where either may be null (zero); null when both are.
mlir::Value addOrNull(mlir::OpBuilder &builder, mlir::Location loc,
                      mlir::Value a, mlir::Value b);

/// `a - b` where either may be null (zero); null when both are.
mlir::Value subOrNull(mlir::OpBuilder &builder, mlir::Location loc,
                      mlir::Value a, mlir::Value b);

/// Fills `cotangents` with `count` null values.
void resetCotangents(llvm::SmallVectorImpl<mlir::Value> &cotangents,
                     unsigned count);

} // namespace adjoint::autodiff

#endif // ADJOINT_AUTODIFF_RULEUTILS_H
