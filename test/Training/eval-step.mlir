// RUN: adjoint-opt %s -nn-train-step | FileCheck %s

// @eval_step: @forward in inference mode (batchnorm with running statistics,
// dropout off), returning (loss, outputs..., logits) without the updated
// buffers. The loss's logits are not an output here, so both functions
// return them as an extra output "ce.logits" and point nn.accuracy at it.

module attributes {nn.optimizer = "sgd(lr=0.1)"} {
func.func @forward(
    %x: tensor<?x3xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w: tensor<3xf32> {nn.kind = "param", nn.name = "bn.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "bn.bias"},
    %rm: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
    %rv: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_var"},
    %seed: tensor<i64> {nn.kind = "seed", nn.name = "seed"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "h"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"},
        tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
        tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_var"}) {
  %h, %rm2, %rv2 = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05
      momentum = 1.000000e-01 training
      : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
         tensor<3xf32>) -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>)
  %d = nn.dropout %h, %seed p = 5.000000e-01 stream = 0 training
      : tensor<?x3xf32>, tensor<i64>
  %e = nn.exp %d : tensor<?x3xf32>
  %loss = nn.softmax_cross_entropy %e, %label
      : (tensor<?x3xf32>, tensor<?xi64>) -> tensor<f32>
  return %h, %loss, %rm2, %rv2
      : tensor<?x3xf32>, tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

func.func @gradient(
    %x: tensor<?x3xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w: tensor<3xf32> {nn.kind = "param", nn.name = "bn.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "bn.bias"},
    %rm: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
    %rv: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_var"},
    %seed: tensor<i64> {nn.kind = "seed", nn.name = "seed"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "h"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"},
        tensor<3xf32> {nn.kind = "grad", nn.name = "grad.bn.weight"},
        tensor<3xf32> {nn.kind = "grad", nn.name = "grad.bn.bias"},
        tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
        tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_var"}) {
  %h, %rm2, %rv2 = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05
      momentum = 1.000000e-01 training
      : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
         tensor<3xf32>) -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>)
  %d = nn.dropout %h, %seed p = 5.000000e-01 stream = 0 training
      : tensor<?x3xf32>, tensor<i64>
  %e = nn.exp %d : tensor<?x3xf32>
  %loss = nn.softmax_cross_entropy %e, %label
      : (tensor<?x3xf32>, tensor<?xi64>) -> tensor<f32>
  return %h, %loss, %w, %b, %rm2, %rv2
      : tensor<?x3xf32>, tensor<f32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>
}
}

// The training step keeps training mode.
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "ce"}, tensor<?x3xf32> {nn.kind = "output", nn.name = "h"}, tensor<?x3xf32> {nn.kind = "output", nn.name = "ce.logits"}, tensor<3xf32> {nn.kind = "param", nn.name = "bn.weight"}, tensor<3xf32> {nn.kind = "param", nn.name = "bn.bias"}, tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"}, tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_var"})
// CHECK-SAME: attributes {nn.accuracy = {labels = 1 : i64, logits = 2 : i64}}
// CHECK: nn.batchnorm {{.*}} training
// CHECK: nn.dropout {{.*}} training
// CHECK: return

// CHECK-LABEL: func.func @eval_step(
// CHECK-SAME: %{{[^:]*}}: tensor<i64> {nn.kind = "seed", nn.name = "seed"})
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "ce"}, tensor<?x3xf32> {nn.kind = "output", nn.name = "h"}, tensor<?x3xf32> {nn.kind = "output", nn.name = "ce.logits"})
// CHECK-SAME: attributes {nn.accuracy = {labels = 1 : i64, logits = 2 : i64}}
// CHECK: %[[H:[^,]*]], %{{.*}} = nn.batchnorm
// CHECK-NOT: training
// CHECK-SAME: momentum = 1.000000e-01 :
// CHECK: %[[D:.*]] = nn.dropout %[[H]], %{{.*}} p = 5.000000e-01 stream = 0 :
// CHECK: %[[E:.*]] = nn.exp %[[D]]
// CHECK: %[[L:.*]] = nn.softmax_cross_entropy %[[E]]
// CHECK: return %[[L]], %[[H]], %[[E]] :
