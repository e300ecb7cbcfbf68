//===- Passes.td - Training passes -------------------------*- tablegen -*-===//
//
// The pass that turns a model with a gradient into a training step.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_PASSES_TD
#define ADJOINT_TRAINING_PASSES_TD

include "mlir/Pass/PassBase.td"

def TrainStep : Pass<"nn-train-step", "::mlir::ModuleOp"> {
  let summary = "Builds @train_step: forward, gradient and optimizer update";
  let description = [{
    From `@gradient` (made by `nn-adjoint`) and the module's `nn.optimizer`
    attribute (or the `optimizer` option, which overrides it), builds

    ```
    @train_step(inputs..., params..., buffers..., [seed], state...)
        -> (loss, outputs..., new params..., new buffers..., new state...)
    ```

    whose body is a copy of `@gradient`'s followed by the update of every
    parameter, written in ordinary `nn` ops (`nn.mul`, `nn.add`, `nn.sub`,
    `nn.div`, `nn.sqrt`, `nn.exp`, `nn.log`, `nn.constant`) so that the
    fusion passes optimize it with the rest of the step. The semantics are
    those of `torch.optim.SGD` and `torch.optim.Adam`:

    * weight decay (L2) first, for every parameter: `g = g + wd * p`;
    * SGD: `p = p - lr * g`; with momentum, `b = momentum * b + g` and
      `p = p - lr * b` (the buffer starts at zero, which equals PyTorch's
      `b = g` on the first step since dampening is 0);
    * Adam: `t = t + 1`, `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`,
      `p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`.
      `1 - b^t` is computed from the step count in the IR, as
      `(1 - u) * y / log(u)` with `y = t * log(b)`, `u = exp(y)` (Kahan's
      accurate `-expm1(y)`), so that it keeps full f32 precision for
      `b2 = 0.999` and small `t`.

    The optimizer state arguments (`nn.kind = "state"`, initialized to zeros):
    SGD with momentum, one `optimizer.<P>.momentum_buffer` per parameter;
    Adam, `optimizer.<P>.exp_avg` and `optimizer.<P>.exp_avg_sq` per
    parameter and one 0-d f32 `optimizer.step`. Results: the loss
    (`nn.kind = "loss"`), the outputs, the new parameters (`"param"`, same
    names), every buffer (`"buffer"`: batchnorm running statistics updated,
    others passed through) and the new state (`"state"`). Gradients of the
    inputs are dropped.

    When the loss is `nn.softmax_cross_entropy`, the function carries
    `nn.accuracy = {logits = R, labels = A}`: the result that holds the
    loss's logits (an extra result `<loss>.logits` when they are not an
    output) and the argument that holds the labels, so that a trainer can
    count correct predictions.

    The pass also builds `@eval_step`, a copy of `@forward` in inference mode
    (batchnorm with running statistics, dropout off) returning
    `(loss, outputs...)` (and the logits, as above, with `nn.accuracy`), for
    held-out evaluation.

    Example, for `sgd(lr=0.1)`:

    ```mlir
    func.func @gradient(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                        %w: tensor<4xf32> {nn.kind = "param", nn.name = "w"})
        -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
            tensor<4xf32> {nn.kind = "grad", nn.name = "grad.w"})
    ```
    becomes, in addition,
    ```mlir
    func.func @train_step(%x: ..., %w: ...)
        -> (tensor<f32> {nn.kind = "loss", ...},
            tensor<4xf32> {nn.kind = "param", nn.name = "w"}) {
      ...
      %lr = nn.constant dense<1.000000e-01> : tensor<f32>
      %s = nn.mul %g, %lr : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
      %w2 = nn.sub %w, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
      return %loss, %w2 : tensor<f32>, tensor<4xf32>
    }
    ```
  }];
  let dependentDialects = ["::adjoint::nn::NNDialect",
                           "::mlir::func::FuncDialect"];
  let options = [
    Option<"optimizer", "optimizer", "std::string", /*default=*/"",
           "The update rule in the .nn syntax (`adam(lr=0.001)`); overrides "
           "the module's nn.optimizer attribute">,
    Option<"optional", "optional", "bool", /*default=*/"false",
           "Leave a module without an optimizer (no nn.optimizer attribute "
           "and no `optimizer` option) unchanged instead of failing; for "
           "pipelines that also compile inference-only models">,
  ];
}

#endif // ADJOINT_TRAINING_PASSES_TD
