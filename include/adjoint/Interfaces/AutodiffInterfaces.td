//===- AutodiffInterfaces.td - linearize and transpose -----*- tablegen -*-===//
//
// Reverse mode as JAX builds it: every op states how it linearizes (its
// tangent as linear ops whose coefficients are primal values), and every
// linear op states its transpose. The adjoint pass uses nothing else, so an op
// gets gradients by implementing these interfaces, in its dialect or as an
// external model registered from a plugin.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_INTERFACES_AUTODIFFINTERFACES_TD
#define ADJOINT_INTERFACES_AUTODIFFINTERFACES_TD

include "mlir/IR/OpBase.td"

def LinearizeOpInterface : OpInterface<"LinearizeOpInterface"> {
  let cppNamespace = "::adjoint";
  let description = [{
    An op that can be linearized: given the tangents of its operands, it
    builds the tangents of its results out of linear ops (ops implementing
    `TransposeOpInterface`) applied to the tangents, with coefficients that
    are computed from the primal operands and results only.

    For example `y = relu(x)` builds `dy = nn.mul(dx, nn.relu_mask(x))`: the
    mask is a primal coefficient, and `nn.mul` is linear in `dx`.

    A null operand tangent means zero (the operand is inactive), and a null
    result tangent means the result's tangent is zero. An op whose results
    are piecewise constant returns null tangents. Ops that are jointly linear
    in all their float operands need not implement this interface: the adjoint
    pass applies them to the tangents directly.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds, at the builder's insertion point, the tangent of every result
        from `operandTangents` (one per operand, null for zero). Returns one
        value per result (null for zero), or failure after emitting an error.
      }],
      "::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>", "linearize",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$operandTangents)>,
  ];
}

def TransposeOpInterface : OpInterface<"TransposeOpInterface"> {
  let cppNamespace = "::adjoint";
  let description = [{
    An op that is linear in some of its operands when the others are held
    constant. Its transpose maps cotangents of the results back to cotangents
    of the linear operands: for `Z = X W^T` linear in `X`, `dX = dZ W`; linear
    in `W`, `dW = dZ^T X`.
  }];
  let methods = [
    InterfaceMethod<[{
        True when the op is linear in operand `operandIndex` while all other
        operands are held constant.
      }],
      "bool", "isLinearIn", (ins "unsigned":$operandIndex)>,
    InterfaceMethod<[{
        Builds, at the builder's insertion point, the cotangents of the
        operands marked in `linearOperands` (the ones that carry tangents; the
        op must be linear in them jointly) from `resultCotangents` (one per
        result, null for zero). Fills `operandCotangents` with one value per
        operand, null where there is none. Returns failure after emitting an
        error.
      }],
      "::llvm::LogicalResult", "transpose",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$resultCotangents,
           "::llvm::ArrayRef<bool>":$linearOperands,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandCotangents)>,
  ];
}

#endif // ADJOINT_INTERFACES_AUTODIFFINTERFACES_TD
