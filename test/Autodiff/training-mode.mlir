// RUN: adjoint-opt %s --nn-adjoint --canonicalize --cse | FileCheck %s

// The gradient runs in training mode: batchnorm normalizes with the batch
// statistics and returns its updated running statistics (as buffers), and
// dropout is active with the same mask forward and backward. A parameter that
// the loss does not depend on gets a zero gradient.

// The forward function is left in inference mode.
// CHECK-LABEL: func.func @forward
// CHECK-NOT: training
// CHECK: return

// CHECK-LABEL: func.func @gradient
// CHECK-SAME: %[[SEED:[a-z0-9]+]]: tensor<i64>
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
// CHECK-SAME: tensor<4xf32> {nn.kind = "grad", nn.name = "grad.bn.weight"},
// CHECK-SAME: tensor<4xf32> {nn.kind = "grad", nn.name = "grad.bn.bias"},
// CHECK-SAME: tensor<3xf32> {nn.kind = "grad", nn.name = "grad.unused"},
// CHECK-SAME: tensor<?x4xf32> {nn.kind = "grad", nn.name = "grad.x"},
// CHECK-SAME: tensor<4xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
// CHECK-SAME: tensor<4xf32> {nn.kind = "buffer", nn.name = "bn.running_var"})
// CHECK-DAG: %[[ZERO:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[Y:[a-z0-9_]+]], %[[M:[a-z0-9_]+]], %[[V:[a-z0-9_]+]] = nn.batchnorm {{.*}} training
// CHECK: nn.dropout %[[Y]], %[[SEED]] p = 5.000000e-01 stream = 0 training
// CHECK: nn.dropout %{{.*}}, %[[SEED]] p = 5.000000e-01 stream = 0 training
// CHECK: return {{.*}}, %[[ZERO]], %{{.*}}, %[[M]], %[[V]] :
func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                   %w: tensor<4xf32> {nn.kind = "param", nn.name = "bn.weight"},
                   %b: tensor<4xf32> {nn.kind = "param", nn.name = "bn.bias"},
                   %m: tensor<4xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"},
                   %v: tensor<4xf32> {nn.kind = "buffer", nn.name = "bn.running_var"},
                   %u: tensor<3xf32> {nn.kind = "param", nn.name = "unused"},
                   %seed: tensor<i64> {nn.kind = "seed", nn.name = "seed"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %y:3 = nn.batchnorm %x, %w, %b, %m, %v eps = 1.0e-05 momentum = 0.1
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>) -> (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>)
  %d = nn.dropout %y#0, %seed p = 0.5 stream = 0 : tensor<?x4xf32>, tensor<i64>
  %l = nn.mse %d, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
  return %l : tensor<f32>
}
