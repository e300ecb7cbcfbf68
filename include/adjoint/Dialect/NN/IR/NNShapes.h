//===- NNShapes.h - Shape arithmetic shared by nn ops ------------*- C++ -*-===//
//
// Helpers for NumPy broadcasting at the type level and for printing shapes in
// diagnostics. A dynamic dim is `ShapedType::kDynamic` and prints as `?`.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_DIALECT_NN_IR_NNSHAPES_H
#define ADJOINT_DIALECT_NN_IR_NNSHAPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace adjoint::nn {

/// Prints a shape as `[?, 64]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);
/// Prints the shape of a ranked tensor type as `[?, 64]`.
std::string formatShape(mlir::Type type);

/// The NumPy broadcast of two shapes, or std::nullopt when some pair of
/// aligned dims is statically different and neither is 1. A dim broadcasts
/// only when it is statically 1; a dynamic dim against a static N gives N.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// True when `from` can be broadcast to exactly `to` (NumPy rules, with
/// the dynamic dims of `to` taken as compatible with any size in `from`).
bool isBroadcastableTo(llvm::ArrayRef<int64_t> from,
                       llvm::ArrayRef<int64_t> to);

/// The dims of `resultShape` that a broadcast from `operandShape` created or
/// stretched: the leading dims the operand lacks, and the dims where the
/// operand has a static 1 and the result does not. These are the axes that
/// the transpose of a broadcast sums over.
llvm::SmallVector<int64_t>
broadcastAxes(llvm::ArrayRef<int64_t> operandShape,
              llvm::ArrayRef<int64_t> resultShape);

/// Two dims agree when equal or when either is dynamic.
bool dimsCompatible(int64_t a, int64_t b);

/// Output size of a window of `kernel` elements, `stride` apart, over `size`
/// elements padded by `pad` on both sides; kDynamic for a dynamic size and
/// <= 0 when the window does not fit.
int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t pad);

} // namespace adjoint::nn

#endif // ADJOINT_DIALECT_NN_IR_NNSHAPES_H
