// RUN: adjoint-opt %s -nn-train-step | FileCheck %s
// RUN: adjoint-opt %s -nn-train-step='optimizer=sgd(lr=0.5)' | FileCheck %s --check-prefix=OVERRIDE

// Plain SGD: p - lr * g for every parameter, no state. The gradient of the
// input is dropped, and so is the op that computed it.

module attributes {nn.optimizer = "sgd(lr=0.1)"} {
func.func @gradient(
    %x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "logits"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"},
        tensor<3x4xf32> {nn.kind = "grad", nn.name = "grad.h.weight"},
        tensor<3xf32> {nn.kind = "grad", nn.name = "grad.h.bias"},
        tensor<?x4xf32> {nn.kind = "grad", nn.name = "grad.x"}) {
  %z = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %logits = nn.add %z, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %loss = nn.softmax_cross_entropy %logits, %label
      : (tensor<?x3xf32>, tensor<?xi64>) -> tensor<f32>
  // Stand-ins for the gradients: the pass only routes them.
  %gw = nn.exp %w : tensor<3x4xf32>
  %gb = nn.tanh %b : tensor<3xf32>
  %gx = nn.sigmoid %x : tensor<?x4xf32>
  return %logits, %loss, %gw, %gb, %gx
      : tensor<?x3xf32>, tensor<f32>, tensor<3x4xf32>, tensor<3xf32>,
        tensor<?x4xf32>
}
}

// The original @gradient stays.
// CHECK-LABEL: func.func @gradient(

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
// CHECK-SAME: %[[LABEL:[^:]*]]: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
// CHECK-SAME: %[[B:[^:]*]]: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"})
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "ce"},
// CHECK-SAME: tensor<?x3xf32> {nn.kind = "output", nn.name = "logits"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"})
// CHECK-SAME: attributes {nn.accuracy = {labels = 1 : i64, logits = 1 : i64}}
// CHECK-NOT: nn.sigmoid
// CHECK-DAG: %[[LR:.*]] = nn.constant dense<1.000000e-01> : tensor<f32>
// CHECK-DAG: %[[LOGITS:.*]] = nn.add
// CHECK-DAG: %[[LOSS:.*]] = nn.softmax_cross_entropy %[[LOGITS]], %[[LABEL]]
// CHECK-DAG: %[[GW:.*]] = nn.exp %[[W]]
// CHECK-DAG: %[[GB:.*]] = nn.tanh %[[B]]
// CHECK: %[[SW:.*]] = nn.mul %[[GW]], %[[LR]] : tensor<3x4xf32>, tensor<f32> -> tensor<3x4xf32>
// CHECK: %[[W2:.*]] = nn.sub %[[W]], %[[SW]] : tensor<3x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK: %[[SB:.*]] = nn.mul %[[GB]], %[[LR]]
// CHECK: %[[B2:.*]] = nn.sub %[[B]], %[[SB]]
// CHECK-NOT: nn.sigmoid
// CHECK: return %[[LOSS]], %[[LOGITS]], %[[W2]], %[[B2]] : tensor<f32>, tensor<?x3xf32>, tensor<3x4xf32>, tensor<3xf32>

// @eval_step is @forward in inference mode; this module has no @forward.
// CHECK-NOT: @eval_step

// The option overrides the module's optimizer.
// OVERRIDE-LABEL: func.func @train_step(
// OVERRIDE: nn.constant dense<5.000000e-01> : tensor<f32>
// OVERRIDE-NOT: dense<1.000000e-01>
// OVERRIDE: return
