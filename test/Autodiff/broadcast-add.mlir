// RUN: adjoint-opt %s --nn-adjoint --canonicalize --cse | FileCheck %s

// The cotangent of a broadcast operand is summed over the broadcast axes and
// reshaped to the operand's shape: [3, 1] against [?, 3, 4] sums axes 0 and 2.

// CHECK-LABEL: func.func @gradient
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
// CHECK-SAME: tensor<3x1xf32> {nn.kind = "grad", nn.name = "grad.b"},
// CHECK-SAME: tensor<?x3x4xf32> {nn.kind = "grad", nn.name = "grad.x"})
// CHECK: %[[DY:.*]] = nn.mul %{{.*}}, %{{.*}} : tensor<?x3x4xf32>, tensor<?x3x4xf32> -> tensor<?x3x4xf32>
// CHECK: %[[S:.*]] = nn.sum %[[DY]] axes = [0, 2] : tensor<?x3x4xf32> -> tensor<3xf32>
// CHECK: %[[DB:.*]] = nn.reshape %[[S]] : tensor<3xf32> -> tensor<3x1xf32>
// CHECK: return %{{.*}}, %[[DB]], %[[DY]]
func.func @forward(%x: tensor<?x3x4xf32> {nn.kind = "input", nn.name = "x"},
                   %b: tensor<3x1xf32> {nn.kind = "param", nn.name = "b"},
                   %t: tensor<?x3x4xf32> {nn.kind = "buffer", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %y = nn.add %x, %b : tensor<?x3x4xf32>, tensor<3x1xf32> -> tensor<?x3x4xf32>
  %l = nn.mse %y, %t : (tensor<?x3x4xf32>, tensor<?x3x4xf32>) -> tensor<f32>
  return %l : tensor<f32>
}
