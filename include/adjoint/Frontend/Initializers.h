//===- Initializers.h - INIT and optimizer text of .nn files ----*- C++ -*-===//
//
// The frontend records initializers (`nn.init`) and the optimizer
// (`nn.optimizer`) as normalized text: positional arguments, numbers in
// their shortest round-trip form, as `normal(0, 0.02)` or
// `sgd(lr=0.1, momentum=0.9)`. Tools parse that text again, so the frontend
// checks it completely here.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_INITIALIZERS_H
#define ADJOINT_FRONTEND_INITIALIZERS_H

#include "adjoint/Frontend/AST.h"
#include "adjoint/Frontend/Diagnostics.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace adjoint::frontend {

/// The shortest decimal text that reads back as `value`: positional for
/// exponents in [-4, 16), scientific otherwise (`0.125`, `1`, `1e-08`).
std::string formatNumber(double value);

/// PyTorch's default initializer of a dense or conv2d weight and bias:
/// `uniform(-b, b)` with b = 1 / sqrt(fanIn).
std::string getDefaultLayerInit(int64_t fanIn);

/// Checks the initializer of `param NAME: f32[shape] = INIT` (a Name or a
/// Call) and returns its normalized text; reports and fails otherwise.
mlir::FailureOr<std::string> normalizeInitializer(const Expr &init,
                                                  llvm::ArrayRef<int64_t> shape,
                                                  FrontendDiagnostics &diags);

/// Checks the rule of an `optimizer` statement (a Call) and returns its
/// normalized text with the keyword arguments that were given.
mlir::FailureOr<std::string> normalizeOptimizer(const Expr &rule,
                                                FrontendDiagnostics &diags);

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_INITIALIZERS_H
