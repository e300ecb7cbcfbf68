// RUN: adjoint-opt %s --nn-adjoint --canonicalize --cse | FileCheck %s

// A value used twice gets the sum of the cotangents of its uses: x feeds both
// the matmul and the residual add, and the weight is used twice.

// CHECK-LABEL: func.func @gradient
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x4xf32>
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<4x4xf32>
// CHECK: %[[H:.*]] = nn.matmul %[[X]], %[[W]] transpose_b
// CHECK: %[[Y:.*]] = nn.matmul %[[H]], %[[W]] transpose_b
// CHECK: %[[R:.*]] = nn.add %[[Y]], %[[X]]
// CHECK: nn.mse %[[R]]
// CHECK: %[[DR:.*]] = nn.mul %{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
// The weight: one term per use, summed.
// CHECK-DAG: %[[DW2:.*]] = nn.matmul %[[DR]], %[[H]] transpose_a
// CHECK-DAG: %[[DH:.*]] = nn.matmul %[[DR]], %[[W]] :
// CHECK-DAG: %[[DW1:.*]] = nn.matmul %[[DH]], %[[X]] transpose_a
// CHECK-DAG: %[[DW:.*]] = nn.add %[[DW2]], %[[DW1]]
// The input: the residual path plus the path through the matmul.
// CHECK-DAG: %[[DXM:.*]] = nn.matmul %[[DH]], %[[W]] :
// CHECK-DAG: %[[DX:.*]] = nn.add %[[DR]], %[[DXM]]
// CHECK: return %{{.*}}, %[[DW]], %[[DX]]
func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                   %w: tensor<4x4xf32> {nn.kind = "param", nn.name = "w"},
                   %t: tensor<?x4xf32> {nn.kind = "buffer", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %y = nn.matmul %h, %w transpose_b
      : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %r = nn.add %y, %x : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %l = nn.mse %r, %t : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
  return %l : tensor<f32>
}
