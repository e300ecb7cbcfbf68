//===- TrainStep.h - Building @train_step and @eval_step --------*- C++ -*-===//
//
// The C++ entry points behind the `nn-train-step` pass (Passes.td describes
// the functions it builds), and the names that the trainer and the C ABI
// rely on.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_TRAINSTEP_H
#define ADJOINT_TRAINING_TRAINSTEP_H

#include "adjoint/Training/OptimizerSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace adjoint::training {

/// Function names.
inline constexpr llvm::StringLiteral kForwardFuncName = "forward";
inline constexpr llvm::StringLiteral kGradientFuncName = "gradient";
inline constexpr llvm::StringLiteral kTrainStepFuncName = "train_step";
inline constexpr llvm::StringLiteral kEvalStepFuncName = "eval_step";
inline constexpr llvm::StringLiteral kApplyUpdateFuncName = "apply_update";

/// `nn.accuracy = {logits = R : i64, labels = A : i64}` on @train_step and
/// @eval_step: result R holds the logits of the softmax_cross_entropy loss,
/// argument A its labels.
inline constexpr llvm::StringLiteral kAccuracyAttrName = "nn.accuracy";

/// The `nn.kind` of optimizer state arguments and results.
inline constexpr llvm::StringLiteral kStateKind = "state";

/// The prefix of every optimizer state name ("optimizer.h.weight.exp_avg").
inline constexpr llvm::StringLiteral kStatePrefix = "optimizer.";

/// The optimizer of `module`: `overrideSpec` when not empty, else the
/// module's `nn.optimizer` attribute. Errors when neither is there or the
/// text does not parse.
llvm::Expected<OptimizerSpec> getModuleOptimizer(mlir::ModuleOp module,
                                                 llvm::StringRef overrideSpec);

/// Builds (or rebuilds) @train_step from @gradient with the update rule
/// `spec`. Reports errors on the module's location.
mlir::LogicalResult buildTrainStep(mlir::ModuleOp module,
                                   const OptimizerSpec &spec);

/// Builds (or rebuilds) @apply_update: the update rule `spec` alone, for
/// data-parallel training, where gradients are summed across processes
/// between @gradient and the update. Arguments: the parameters (kind
/// "param", in @gradient's order), their gradients (kind "grad", named
/// "grad.P"), then the optimizer state (kind "state", as in @train_step).
/// Results: the new parameters, then the new state. @train_step computes the
/// same update from its own gradients.
mlir::LogicalResult buildApplyUpdate(mlir::ModuleOp module,
                                     const OptimizerSpec &spec);

/// Builds (or rebuilds) @eval_step from @forward. Does nothing for a module
/// whose @forward has no loss.
mlir::LogicalResult buildEvalStep(mlir::ModuleOp module);

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_TRAINSTEP_H
