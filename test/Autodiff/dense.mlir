// RUN: adjoint-opt %s --nn-adjoint --canonicalize --cse | FileCheck %s

// The adjoint of a dense layer z = x W^T + b with an mse loss: dW from dZ and
// X, dX from dZ and W, db as the column sum of dZ; no transpose is
// materialized.

// CHECK-LABEL: func.func @gradient
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x3xf32>
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<4xf32>
// CHECK-SAME: %[[T:[a-z0-9]+]]: tensor<?x4xf32>
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
// CHECK-SAME: tensor<4x3xf32> {nn.kind = "grad", nn.name = "grad.z.weight"},
// CHECK-SAME: tensor<4xf32> {nn.kind = "grad", nn.name = "grad.z.bias"},
// CHECK-SAME: tensor<?x3xf32> {nn.kind = "grad", nn.name = "grad.x"},
// CHECK-SAME: tensor<?x4xf32> {nn.kind = "grad", nn.name = "grad.t"})
// CHECK: %[[MM:.*]] = nn.matmul %[[X]], %[[W]] transpose_b
// CHECK: %[[Z:.*]] = nn.add %[[MM]], %[[B]]
// CHECK: %[[L:.*]] = nn.mse %[[Z]], %[[T]]
// CHECK-NOT: nn.transpose
// CHECK: %[[DZ:.*]] = nn.mul %{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK-DAG: %[[DW:.*]] = nn.matmul %[[DZ]], %[[X]] transpose_a : tensor<?x4xf32>, tensor<?x3xf32> -> tensor<4x3xf32>
// CHECK-DAG: %[[DB:.*]] = nn.sum %[[DZ]] axes = [0] : tensor<?x4xf32> -> tensor<4xf32>
// CHECK-DAG: %[[DX:.*]] = nn.matmul %[[DZ]], %[[W]] : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
// CHECK-DAG: %[[DT:.*]] = nn.neg %[[DZ]]
// CHECK-NOT: nn.transpose
// CHECK: return %[[L]], %[[DW]], %[[DB]], %[[DX]], %[[DT]]
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
