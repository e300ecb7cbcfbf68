//===- Passes.td - Adjoint synthesis passes ----------------*- tablegen -*-===//

#ifndef ADJOINT_AUTODIFF_PASSES_TD
#define ADJOINT_AUTODIFF_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNAdjoint : Pass<"nn-adjoint", "::mlir::ModuleOp"> {
  let summary = "Synthesizes the gradient function of a network";
  let description = [{
    Writes, beside the forward function, a function `@gradient` with the same
    arguments that runs the forward pass in training mode and returns its
    results (outputs and loss), then the gradient of the loss with respect to
    every parameter (arguments with `nn.kind = "param"`, in argument order),
    then with respect to every f32 input, then the updated running statistics
    of every `nn.batchnorm`.

    The gradient is built from the ops' `LinearizeOpInterface` and
    `TransposeOpInterface` alone (JAX style): the active ops are linearized
    in order into a tangent program whose coefficients are primal values, the
    tangent program is transposed in reverse order starting from a cotangent
    of 1 for the loss, and then erased. Only ops on a path from a
    differentiated argument to the loss are differentiated (activity
    analysis); integer inputs get no gradient; cotangents of values used
    several times are summed; cotangents of broadcast operands are summed back
    to the operand's shape. Every op without a rule is reported, with its
    location, before the pass fails.

    Example: the dense layer `z = dense(x, 4)` with an mse loss,

    ```mlir
    func.func @forward(%x: tensor<?x3xf32> {nn.kind = "input", nn.name = "x"},
                       %w: tensor<4x3xf32> {nn.kind = "param", nn.name = "z.weight"},
                       %b: tensor<4xf32> {nn.kind = "param", nn.name = "z.bias"},
                       %t: tensor<?x4xf32> {nn.kind = "input", nn.name = "t"})
        -> (tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
      %0 = nn.matmul %x, %w transpose_b
          : tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x4xf32>
      %z = nn.add %0, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
      %l = nn.mse %z, %t : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
      return %l : tensor<f32>
    }
    ```

    gets, after `--nn-adjoint --canonicalize --cse`, in `@gradient` (dZ is
    the cotangent of %z, from the mse rule):

    ```mlir
    %dx = nn.matmul %dz, %w
        : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
    %dw = nn.matmul %dz, %x transpose_a
        : tensor<?x4xf32>, tensor<?x3xf32> -> tensor<4x3xf32>
    %db = nn.sum %dz axes = [0] : tensor<?x4xf32> -> tensor<4xf32>
    return %l, %dw, %db, %dx, %dt : ...
    ```
  }];
  let dependentDialects = [
    "::adjoint::nn::NNDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"functionName", "function", "std::string", "\"forward\"",
           "The function to differentiate">,
    Option<"gradientName", "gradient", "std::string", "\"gradient\"",
           "The name of the gradient function to create">,
    Option<"includeInputs", "include-inputs", "bool", "true",
           "Also compute and return the gradients of the f32 inputs">,
  ];
}

def NNRematerialize : Pass<"nn-rematerialize", "::mlir::func::FuncOp"> {
  let summary = "Recomputes cheap activations in the backward pass instead "
                "of keeping them";
  let description = [{
    By default the gradient reuses the primal values the forward pass
    computed: every value the backward part needs stays alive from the
    forward pass until its last use. This pass trades compute for memory: a
    value the backward part needs that an elementwise unary op (relu,
    relu_mask, sigmoid, tanh, exp, gelu, gelu_deriv, ...) computes from a
    single operand is recomputed right before its first backward use, when
    the values recomputed from that operand take more bytes than the operand
    itself would (the operand then stays alive instead).

    The forward part of a function is everything up to the op that computes
    the returned loss (`nn.kind = "loss"`); functions without a loss and a
    gradient result are left alone. A dense layer with relu keeps both
    `relu(h)` (for the next weight gradient) and `relu_mask(h)`: after this
    pass it keeps `h` alone and recomputes both, halving that layer's saved
    activations (`adjointc --remat --memory-report` shows it).
  }];
  let dependentDialects = ["::adjoint::nn::NNDialect"];
}

#endif // ADJOINT_AUTODIFF_PASSES_TD
