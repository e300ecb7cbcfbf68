//===- Adjoint.h - Reverse and forward mode on nn functions ------*- C++ -*-===//
//
// The machinery of the nn-adjoint pass, reusable by --explain, --verify-grad
// and the unit tests. It differentiates a single-block function using nothing
// but the LinearizeOpInterface and TransposeOpInterface of its ops:
//
//  1. activity analysis: values that depend on the arguments differentiated
//     with respect to (varied) and that the differentiated results depend on
//     (useful); only ops with an active (varied and useful) float result are
//     differentiated;
//  2. linearization: every active op, in order, builds the tangents of its
//     results from the tangents of its operands (ops that only implement
//     TransposeOpInterface are applied to the tangents, with zeros for their
//     linear operands that have none); the coefficients are primal values;
//  3. transposition (reverse mode): the ops of this tangent program are
//     transposed in reverse order, starting from the cotangents of the
//     results; cotangents of a value used several times are summed;
//  4. the tangent program is erased, as are the coefficients that only it
//     used.
//
// Every op built for a forward op gets the location `"grad"(L)` where L is the
// forward op's location, so diagnostics point at the statement it came from.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_AUTODIFF_ADJOINT_H
#define ADJOINT_AUTODIFF_ADJOINT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace adjoint::autodiff {

/// What reverse mode computed, for tools that explain it.
struct AdjointTrace {
  /// The total cotangent of every primal value on an active path, keyed by the
  /// primal value (function arguments included).
  llvm::DenseMap<mlir::Value, mlir::Value> cotangents;
};

/// Reverse mode inside `func` (one block): appends, before the terminator,
/// the code that computes the cotangents of `wrt` (block arguments of `func`)
/// given the cotangents `targetCotangents` (values available before the
/// terminator) of the values `targets`. Returns one value per `wrt` entry,
/// null where no cotangent flows. Every op without a rule is reported (one
/// error per op, at its location) before it fails.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
appendAdjoint(mlir::func::FuncOp func, llvm::ArrayRef<mlir::Value> wrt,
              llvm::ArrayRef<mlir::Value> targets,
              llvm::ArrayRef<mlir::Value> targetCotangents,
              AdjointTrace *trace = nullptr);

/// Forward mode inside `func`: builds the tangent program for the tangents
/// `wrtTangents` (values of `func`) of `wrt`, and returns the tangents of
/// `targets`, zeros where none flows.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
appendTangents(mlir::func::FuncOp func, llvm::ArrayRef<mlir::Value> wrt,
               llvm::ArrayRef<mlir::Value> wrtTangents,
               llvm::ArrayRef<mlir::Value> targets);

/// Options of the gradient function.
struct GradientOptions {
  /// The function to differentiate.
  std::string functionName = "forward";
  /// The name of the function to create.
  std::string gradientName = "gradient";
  /// Whether gradients of the f32 inputs are computed and returned.
  bool includeInputs = true;
};

/// Creates, after the forward function of `module`, the gradient function:
/// the same arguments, in training mode (nn.batchnorm and nn.dropout get
/// `training`), returning the forward results (outputs and loss), then the
/// gradient of every parameter (`nn.kind = "param"`) in argument order, then
/// that of every f32 input (unless !includeInputs), then the updated running
/// statistics of every batchnorm. Gradient results are named
/// `grad.<argument name>` with kind "grad"; statistics keep the name of the
/// buffer they update, with kind "buffer".
mlir::FailureOr<mlir::func::FuncOp>
buildGradientFunction(mlir::ModuleOp module, const GradientOptions &options,
                      AdjointTrace *trace = nullptr);

/// Creates `name` after `func`: (arguments..., tangents of the arguments
/// `wrtArgs`...) -> (results..., tangents of every float result...).
mlir::FailureOr<mlir::func::FuncOp>
buildJvpFunction(mlir::func::FuncOp func, llvm::ArrayRef<unsigned> wrtArgs,
                 llvm::StringRef name);

/// Creates `name` after `func`: (arguments..., cotangents of every float
/// result...) -> (cotangents of the arguments `wrtArgs`...).
mlir::FailureOr<mlir::func::FuncOp>
buildVjpFunction(mlir::func::FuncOp func, llvm::ArrayRef<unsigned> wrtArgs,
                 llvm::StringRef name);

} // namespace adjoint::autodiff

#endif // ADJOINT_AUTODIFF_ADJOINT_H
