//===- VerifyGrad.h - Numerical checks of the gradient rules -----*- C++ -*-===//
//
// Checks the linearization and transpose rules numerically with the reference
// interpreter, in f64:
//  - the finite-difference check: the tangent J v that the linearization
//    computes against the central difference (f(x + h v) - f(x - h v)) / 2h;
//  - the dot-product test: <J v, w> = <v, J^T w> for random v and w, which
//    holds exactly when the transpose rules transpose the linearization.
// Both build the tangent (JVP) and cotangent (VJP) functions with the same
// machinery as the nn-adjoint pass (adjoint/Autodiff/Adjoint.h).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_AUTODIFF_VERIFYGRAD_H
#define ADJOINT_AUTODIFF_VERIFYGRAD_H

#include "adjoint/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace adjoint::autodiff {

struct GradCheckOptions {
  /// The finite-difference step.
  double step = 1e-6;
  /// Random directions (v, w) tried at the point.
  unsigned trials = 2;
  uint64_t seed = 0;
};

/// The worst relative errors over the trials.
struct GradCheckResult {
  /// ||FD - J v|| / max(||FD||, ||J v||), over all float results.
  double fdError = 0;
  /// |<J v, w> - <v, J^T w>| / max(|<J v, w>|, |<v, J^T w>|).
  double dotError = 0;
};

/// Checks the derivative of `func` with respect to its arguments `wrtArgs`
/// at `arguments` (one per argument; dynamic dims are taken from them). The
/// JVP and VJP functions are built in a scratch module, so `func` is left as
/// it is. Fails with the diagnostics of the machinery or the interpreter.
llvm::Expected<GradCheckResult>
checkGradients(mlir::func::FuncOp func, llvm::ArrayRef<HostTensor> arguments,
               llvm::ArrayRef<unsigned> wrtArgs,
               const GradCheckOptions &options = {});

/// Random arguments for `func`: float tensors from a standard normal (or
/// uniform in [0.5, 2] for the arguments in `positiveArgs`), integer tensors
/// uniform in [0, intBound), every dynamic dim of size `dynamicSize`.
std::vector<HostTensor> makeRandomArguments(mlir::func::FuncOp func,
                                            int64_t dynamicSize,
                                            uint64_t seed,
                                            llvm::ArrayRef<unsigned>
                                                positiveArgs = {},
                                            int64_t intBound = 2);

struct VerifyGradOptions {
  std::string functionName = "forward";
  /// Sizes that the dynamic dims take, one check per size.
  std::vector<int64_t> dynamicSizes = {2, 3};
  /// At most this many instances of each op are checked.
  unsigned maxInstances = 3;
  double fdTolerance = 1e-5;
  double dotTolerance = 1e-9;
  GradCheckOptions check;
};

/// The checks of one rule (one op kind).
struct RuleCheck {
  std::string rule;
  unsigned checks = 0;
  double fdError = 0;
  double dotError = 0;
  /// Why a check could not run (no rule, interpreter error), or empty.
  std::string failure;

  bool passed(const VerifyGradOptions &options) const {
    return failure.empty() && fdError <= options.fdTolerance &&
           dotError <= options.dotTolerance;
  }
};

/// For every kind of op in the model's forward function that carries
/// derivatives, checks its rule on a function of that op alone, with the
/// shapes of the model (dynamic dims at each of options.dynamicSizes), in
/// training mode as the gradient is. One entry per op kind, sorted by name.
llvm::Expected<std::vector<RuleCheck>>
verifyModelGradients(mlir::ModuleOp module, const VerifyGradOptions &options);

/// Prints the table of `checks`; returns true when every rule passed.
bool printRuleChecks(llvm::raw_ostream &os, llvm::ArrayRef<RuleCheck> checks,
                     const VerifyGradOptions &options);

} // namespace adjoint::autodiff

#endif // ADJOINT_AUTODIFF_VERIFYGRAD_H
