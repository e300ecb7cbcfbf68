//===- SwishOps.td - The swish dialect ---------------------*- tablegen -*-===//
//
// A dialect that a plugin adds to Adjoint: one op, swish (SiLU). It
// implements DecomposableOpInterface in ODS (its expansion into nn ops, which
// the interpreter and the lowering use); its gradient rule is attached as an
// external model of LinearizeOpInterface (SwishRules.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SWISH_OPS_TD
#define SWISH_OPS_TD

include "adjoint/Interfaces/DecomposableOpInterface.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Swish_Dialect : Dialect {
  let name = "swish";
  let cppNamespace = "::swish";
  let summary = "The swish activation, added to Adjoint by a plugin";
  // The expansion and the gradient rule build nn ops.
  let dependentDialects = ["::adjoint::nn::NNDialect"];
}

def Swish_SwishOp : Op<Swish_Dialect, "swish", [Pure,
    SameOperandsAndResultType, Elementwise,
    DeclareOpInterfaceMethods<DecomposableOpInterface>]> {
  let summary = "Swish (SiLU): x * sigmoid(x)";
  let description = [{
    `y = x * sigmoid(x)`, elementwise. Its derivative is
    `sigmoid(x) + y (1 - sigmoid(x))`.

    ```mlir
    %y = swish.swish %x : tensor<?x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

#endif // SWISH_OPS_TD
