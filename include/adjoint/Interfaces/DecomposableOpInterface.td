//===- DecomposableOpInterface.td - ops that expand -------*- tablegen -*-===//
//
// How an op that the pipeline does not know natively (typically one that a
// dialect plugin adds) reaches the interpreter and the lowering: it expands
// into ops that they do know.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_TD
#define ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def DecomposableOpInterface : OpInterface<"DecomposableOpInterface"> {
  let cppNamespace = "::adjoint";
  let description = [{
    An op that can be expanded into ops that Adjoint knows: nn ops, the
    arith and tensor ops of shape computations, or other decomposable ops.
    This is the extension point of the back ends for ops that do not belong
    to the nn dialect, for example the ops of a dialect plugin:

    - the `nn-decompose` pass expands every such op; the lowering pipeline
      (`adjoint-lower-to-linalg`) runs it first, so a decomposable op is
      lowered through its expansion;
    - the reference interpreter evaluates an op of another dialect that
      implements this interface by evaluating its expansion.

    Differentiation does not use the expansion: an op that is to carry
    gradients implements `LinearizeOpInterface` (and, when it is linear,
    `TransposeOpInterface`) too, and `--verify-grad` checks those rules
    against finite differences of the expansion.

    For example `y = swish.swish %x` expands into

    ```mlir
    %s = nn.sigmoid %x : tensor<?x8xf32>
    %y = nn.mul %x, %s : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
    ```
  }];
  let methods = [
    InterfaceMethod<[{
        Builds, at the builder's insertion point (before the op), ops that
        compute the op's results from its operands. Returns one value per
        result, of the result's type; the caller replaces the results with
        them and erases the op, which this method must leave unchanged.
        Returns failure after emitting an error.
      }],
      "::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>", "decompose",
      (ins "::mlir::OpBuilder &":$builder)>,
  ];
}

#endif // ADJOINT_INTERFACES_DECOMPOSABLEOPINTERFACE_TD
