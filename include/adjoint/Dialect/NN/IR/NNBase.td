//===- NNBase.td - nn dialect definition -------------------*- tablegen -*-===//
//
// The `nn` dialect: a dataflow IR of tensor ops on builtin ranked tensors.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_DIALECT_NN_IR_NNBASE_TD
#define ADJOINT_DIALECT_NN_IR_NNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::adjoint::nn";
  let summary = "Tensor ops of neural networks, forward and adjoint";
  let description = [{
    The `nn` dialect is the IR that `.nn` and ONNX files become. Its ops work on
    builtin ranked tensors (`tensor<?x64xf32>`), with static and dynamic dims,
    and have value semantics. The adjoint pass writes gradients as ordinary `nn`
    ops, so every later pass optimizes the forward and the backward pass alike.

    Broadcasting follows NumPy at the type level: a dim broadcasts only when it
    is statically 1; two dynamic dims must agree at run time.

    Function arguments and results carry the discardable attributes `nn.name`
    (the user-visible name, e.g. `"h.weight"`), `nn.kind` (`"input"`,
    `"param"`, `"buffer"`, `"seed"` on arguments; `"output"`, `"loss"`,
    `"grad"` on results), `nn.init` (the initializer of a parameter or buffer,
    in the `.nn` syntax) and `nn.dims` (the symbolic name of each dim).
  }];
  let hasConstantMaterializer = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    static constexpr llvm::StringLiteral kNameAttr = "nn.name";
    static constexpr llvm::StringLiteral kKindAttr = "nn.kind";
    static constexpr llvm::StringLiteral kInitAttr = "nn.init";
    static constexpr llvm::StringLiteral kDimsAttr = "nn.dims";
    static constexpr llvm::StringLiteral kOptimizerAttr = "nn.optimizer";
  }];
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def NN_Float : AnyTypeOf<[F32, F64], "f32 or f64">;
def NN_Int : AnyTypeOf<[I32, I64], "i32 or i64">;
def NN_FloatTensor : RankedTensorOf<[F32, F64]>;
def NN_IntTensor : RankedTensorOf<[I32, I64]>;
def NN_AnyTensor : RankedTensorOf<[F32, F64, I32, I64]>;
def NN_FloatScalar : 0DTensorOf<[F32, F64]>;
def NN_Seed : 0DTensorOf<[I64]>;

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

#endif // ADJOINT_DIALECT_NN_IR_NNBASE_TD
