//===- Explain.h - Gradient formulas in matrix notation ----------*- C++ -*-===//
//
// `adjointc --explain`: for every parameter, the formula that the adjoint
// graph computes, read back from the IR that nn-adjoint builds (nothing is
// written per network). The expression of a gradient is expanded down to the
// cotangent of the loss's input (dL/dZ) and to primal values, which are named
// after the layers they come from (dense and conv layers are numbered in
// order: W1, b1, Z1 and the activation A1 = f(Z1); inputs are capitalized,
// other values take the name of their .nn statement). Products of
// differentiated matmuls keep their structure; elementwise derivatives show
// as Hadamard products (relu'(Z1)); a column sum over the batch is 1^T E.
//
// Two layout conventions:
//  - row (the IR's and PyTorch's): rows are samples, Z = X W^T + b, so
//    dL/dW1 = ((dL/dZ3 W3) W2)^T X for three dense layers;
//  - column (the textbook's): columns are samples, Z = W X + b; every batch
//    matrix M of the row form is M^T here, transposes are pushed to the
//    leaves with (A B)^T = B^T A^T, giving dL/dW1 = (W2^T W3^T dL/dZ3) X^T.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_AUTODIFF_EXPLAIN_H
#define ADJOINT_AUTODIFF_EXPLAIN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace adjoint::autodiff {

enum class LayoutConvention { Row, Column };

struct ExplainOptions {
  std::string functionName = "forward";
  LayoutConvention convention = LayoutConvention::Row;
};

/// The gradient formulas of every parameter of the forward function of
/// `module` (which is not modified), with a legend of the symbols. Fails
/// with the diagnostics of adjoint synthesis.
llvm::Expected<std::string> explainGradients(mlir::ModuleOp module,
                                             const ExplainOptions &options);

} // namespace adjoint::autodiff

#endif // ADJOINT_AUTODIFF_EXPLAIN_H
