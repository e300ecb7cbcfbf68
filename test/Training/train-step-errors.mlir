// RUN: not adjoint-opt %s -split-input-file -nn-train-step 2>&1 | FileCheck %s
// RUN: not adjoint-opt %s -split-input-file -nn-train-step='optimizer=momentum(lr=1)' 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not adjoint-opt %s -split-input-file -nn-train-step='optional=true' 2>&1 | FileCheck %s --check-prefix=OPTIONAL

// With optional=true a module without an optimizer is left alone (no error
// for the second module); every other error stays.
// OPTIONAL: error: nn-train-step: the module has no @gradient
// OPTIONAL-NOT: no optimizer statement
// OPTIONAL: error: nn-train-step: optimizer 'sgd(lr=-0.5)': lr must not be negative

// CHECK: error: nn-train-step: the module has no @gradient (run nn-adjoint first)
// OPTION: error: nn-train-step: optimizer 'momentum(lr=1)': unknown optimizer 'momentum' (expected 'sgd' or 'adam')
module attributes {nn.optimizer = "sgd(lr=0.1)"} {
func.func @forward(%x: tensor<4xf32> {nn.kind = "input", nn.name = "x"})
    -> (tensor<4xf32> {nn.kind = "output", nn.name = "y"}) {
  return %x : tensor<4xf32>
}
}

// -----

// CHECK: error: nn-train-step: the model has no optimizer statement; give one with --optimizer=SPEC
module {
func.func @gradient(%w: tensor<4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
        tensor<4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  %l = nn.sum %w axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<4xf32>
}
}

// -----

// CHECK: error: nn-train-step: optimizer 'sgd(lr=-0.5)': lr must not be negative (got -0.5)
module attributes {nn.optimizer = "sgd(lr=-0.5)"} {
func.func @gradient(%w: tensor<4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
        tensor<4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  %l = nn.sum %w axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<4xf32>
}
}

// -----

// CHECK: error: nn-train-step: @gradient returns no 'grad.v' for parameter 'v'
module attributes {nn.optimizer = "sgd(lr=0.5)"} {
func.func @gradient(%w: tensor<4xf32> {nn.kind = "param", nn.name = "w"},
                    %v: tensor<4xf32> {nn.kind = "param", nn.name = "v"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
        tensor<4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  %l = nn.sum %w axes = [0] : tensor<4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<4xf32>
}
}

// -----

// CHECK: error: nn-train-step: @gradient returns no loss
module attributes {nn.optimizer = "sgd(lr=0.5)"} {
func.func @gradient(%w: tensor<4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  return %w : tensor<4xf32>
}
}
