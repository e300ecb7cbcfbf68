// RUN: adjoint-opt %s -nn-train-step | FileCheck %s

// SGD with momentum and weight decay, as torch.optim.SGD: the decay is added
// to the gradient of every parameter (the bias too) before the momentum
// buffer, b = momentum * b + g, p = p - lr * b. One buffer per parameter,
// appended after the seed, and returned after the buffers.

module attributes {nn.optimizer = "sgd(lr=0.1, momentum=0.9, weight_decay=1e-4)"} {
func.func @gradient(
    %x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
    %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"},
    %rm: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
    %keep: tensor<3xf32> {nn.kind = "buffer", nn.name = "other"},
    %seed: tensor<i64> {nn.kind = "seed", nn.name = "seed"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
        tensor<3x4xf32> {nn.kind = "grad", nn.name = "grad.h.weight"},
        tensor<3xf32> {nn.kind = "grad", nn.name = "grad.h.bias"},
        tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"}) {
  %z = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %loss = nn.mean %z axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  %gw = nn.exp %w : tensor<3x4xf32>
  %gb = nn.tanh %b : tensor<3xf32>
  %rm2 = nn.relu %rm : tensor<3xf32>
  return %loss, %gw, %gb, %rm2
      : tensor<f32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>
}
}

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
// CHECK-SAME: %[[B:[^:]*]]: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"},
// CHECK-SAME: %[[RM:[^:]*]]: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
// CHECK-SAME: %[[KEEP:[^:]*]]: tensor<3xf32> {nn.kind = "buffer", nn.name = "other"},
// CHECK-SAME: %[[SEED:[^:]*]]: tensor<i64> {nn.kind = "seed", nn.name = "seed"},
// CHECK-SAME: %[[BW:[^:]*]]: tensor<3x4xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"},
// CHECK-SAME: %[[BB:[^:]*]]: tensor<3xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"})
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "buffer", nn.name = "other"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"})
// No accuracy without a softmax_cross_entropy loss.
// CHECK-NOT: nn.accuracy
// CHECK: %[[GW:.*]] = nn.exp %[[W]]
// CHECK: %[[GB:.*]] = nn.tanh %[[B]]
// CHECK: %[[RM2:.*]] = nn.relu %[[RM]]
// CHECK: %[[WD:.*]] = nn.constant dense<9.99999974E-5> : tensor<f32>
// CHECK: %[[DW:.*]] = nn.mul %[[W]], %[[WD]]
// CHECK: %[[GW2:.*]] = nn.add %[[GW]], %[[DW]]
// CHECK: %[[MOM:.*]] = nn.constant dense<0.899999976> : tensor<f32>
// CHECK: %[[MW:.*]] = nn.mul %[[BW]], %[[MOM]]
// CHECK: %[[BW2:.*]] = nn.add %[[MW]], %[[GW2]]
// CHECK: %[[LR:.*]] = nn.constant dense<1.000000e-01> : tensor<f32>
// CHECK: %[[SW:.*]] = nn.mul %[[BW2]], %[[LR]]
// CHECK: %[[W2:.*]] = nn.sub %[[W]], %[[SW]]
// CHECK: %[[DB:.*]] = nn.mul %[[B]], %[[WD]]
// CHECK: %[[GB2:.*]] = nn.add %[[GB]], %[[DB]]
// CHECK: %[[MB:.*]] = nn.mul %[[BB]], %[[MOM]]
// CHECK: %[[BB2:.*]] = nn.add %[[MB]], %[[GB2]]
// CHECK: %[[SB:.*]] = nn.mul %[[BB2]], %[[LR]]
// CHECK: %[[B2:.*]] = nn.sub %[[B]], %[[SB]]
// The buffer that @gradient does not update is passed through.
// CHECK: return %{{.*}}, %[[W2]], %[[B2]], %[[RM2]], %[[KEEP]], %[[BW2]], %[[BB2]]

// @apply_update: the same update from gradients given as arguments (for
// data-parallel training, where they are summed across processes first).
// CHECK-LABEL: func.func @apply_update(
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"}
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"}
// CHECK-SAME: %[[GW:[a-z0-9]+]]: tensor<3x4xf32> {nn.kind = "grad", nn.name = "grad.h.weight"}
// CHECK-SAME: %[[GB:[a-z0-9]+]]: tensor<3xf32> {nn.kind = "grad", nn.name = "grad.h.bias"}
// CHECK-SAME: %[[MW:[a-z0-9]+]]: tensor<3x4xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"}
// CHECK-SAME: -> (tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"}, tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"}, tensor<3x4xf32> {nn.kind = "state"
// CHECK: %[[WD:.+]] = nn.constant dense<9.99999974E-5>
// CHECK: %[[DECAY:.+]] = nn.mul %[[W]], %[[WD]]
// CHECK: %[[G:.+]] = nn.add %[[GW]], %[[DECAY]]
// CHECK: %[[MOM:.+]] = nn.constant dense<0.899999976>
// CHECK: %[[SCALED:.+]] = nn.mul %[[MW]], %[[MOM]]
// CHECK: %[[NEWBUF:.+]] = nn.add %[[SCALED]], %[[G]]
// CHECK: %[[LR:.+]] = nn.constant dense<1.000000e-01>
// CHECK: %[[DELTA:.+]] = nn.mul %[[NEWBUF]], %[[LR]]
// CHECK: %[[NEWW:.+]] = nn.sub %[[W]], %[[DELTA]]
// CHECK: return %[[NEWW]], %{{.+}}, %[[NEWBUF]], %{{.+}} :
