// RUN: adjoint-opt %s --nn-adjoint --split-input-file --verify-diagnostics \
// RUN:   --allow-unregistered-dialect

// Every op without a rule on an active path is reported at once, each at its
// location, and nothing is created.

func.func private @helper(tensor<?x4xf32>) -> tensor<?x4xf32>

func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                   %w: tensor<4x4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  // expected-error @+1 {{no gradient rule for 'func.call': it implements neither LinearizeOpInterface nor TransposeOpInterface}}
  %c = func.call @helper(%h) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{no gradient rule for 'test.opaque'}}
  %o = "test.opaque"(%c) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %l = nn.mse %o, %h : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// An op without a rule that no gradient needs is not reported.

func.func private @helper(tensor<?x4xf32>) -> tensor<?x4xf32>

func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                   %w: tensor<4x4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<?x4xf32> {nn.kind = "output", nn.name = "y"},
        tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %y = func.call @helper(%h) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %l = nn.mse %h, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
  return %y, %l : tensor<?x4xf32>, tensor<f32>
}

// -----

// expected-error @+1 {{nn-adjoint: @forward has no result with nn.kind = "loss" (an inference-only model has no gradient)}}
func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"})
    -> (tensor<?x4xf32> {nn.kind = "output", nn.name = "y"}) {
  %y = nn.relu %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{nn-adjoint: no function @forward to differentiate}}
module {
  func.func @other() {
    return
  }
}
