//===- Passes.td - Dialect-independent passes of Adjoint ---*- tablegen -*-===//

#ifndef ADJOINT_TRANSFORMS_PASSES_TD
#define ADJOINT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNDecompose : Pass<"nn-decompose"> {
  let summary = "Expands the ops that implement DecomposableOpInterface";
  let description = [{
    Replaces every op nested in the anchor that implements
    `DecomposableOpInterface` (typically an op of a dialect plugin) by the ops
    its `decompose` method builds, repeatedly, until none is left. Ops that
    Adjoint knows (nn, arith, tensor) are left as they are. The lowering
    pipeline (`adjoint-lower-to-linalg`) runs it first, so that such an op is
    lowered through its expansion.

    Example: with the swish dialect plugin of `examples/plugins`,

    ```mlir
    %y = swish.swish %x : tensor<?x8xf32>
    ```

    becomes

    ```mlir
    %s = nn.sigmoid %x : tensor<?x8xf32>
    %y = nn.mul %x, %s : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
    ```

    The pass fails, with the op's error, when an expansion fails, and when
    expansions keep producing decomposable ops.
  }];
  let dependentDialects = ["::adjoint::nn::NNDialect"];
}

#endif // ADJOINT_TRANSFORMS_PASSES_TD
