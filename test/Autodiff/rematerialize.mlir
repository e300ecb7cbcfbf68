// RUN: adjoint-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(nn-rematerialize))' | FileCheck %s

// A dense layer with relu keeps relu(h) and relu_mask(h) for the backward
// part: two tensors computed from h. Recomputing both keeps h alone.
// CHECK-LABEL: func.func @gradient
// CHECK: %[[H:.+]] = nn.add
// CHECK-NOT: nn.relu_mask
// CHECK: %[[A:.+]] = nn.relu %[[H]]
// CHECK: %[[Z:.+]] = nn.matmul %[[A]]
// CHECK: %[[L:.+]] = nn.mse %[[Z]]
// The backward part: relu and its mask, recomputed at their first use.
// CHECK: %[[A2:.+]] = nn.relu %[[H]]
// CHECK: nn.matmul %{{.+}}, %[[A2]] transpose_a
// CHECK: %[[M:.+]] = nn.relu_mask %[[H]]
// CHECK: nn.mul %{{.+}}, %[[M]]
func.func @gradient(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                    %w1: tensor<8x4xf32> {nn.kind = "param", nn.name = "w1"},
                    %b1: tensor<8xf32> {nn.kind = "param", nn.name = "b1"},
                    %w2: tensor<2x8xf32> {nn.kind = "param", nn.name = "w2"},
                    %t: tensor<?x2xf32> {nn.kind = "input", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
        tensor<2x8xf32> {nn.kind = "grad", nn.name = "grad.w2"},
        tensor<8x4xf32> {nn.kind = "grad", nn.name = "grad.w1"}) {
  %0 = nn.matmul %x, %w1 transpose_b : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %h = nn.add %0, %b1 : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %a = nn.relu %h : tensor<?x8xf32>
  %mask = nn.relu_mask %h : tensor<?x8xf32>
  %z = nn.matmul %a, %w2 transpose_b : tensor<?x8xf32>, tensor<2x8xf32> -> tensor<?x2xf32>
  %l = nn.mse %z, %t : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<f32>
  %dz = nn.sub %z, %t : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<?x2xf32>
  %dw2 = nn.matmul %dz, %a transpose_a : tensor<?x2xf32>, tensor<?x8xf32> -> tensor<2x8xf32>
  %da = nn.matmul %dz, %w2 : tensor<?x2xf32>, tensor<2x8xf32> -> tensor<?x8xf32>
  %dh = nn.mul %da, %mask : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
  %dw1 = nn.matmul %dh, %x transpose_a : tensor<?x8xf32>, tensor<?x4xf32> -> tensor<8x4xf32>
  return %l, %dw2, %dw1 : tensor<f32>, tensor<2x8xf32>, tensor<8x4xf32>
}

// -----

// One value computed from an operand that is not kept otherwise: keeping
// the operand instead would save nothing. Left alone.
// CHECK-LABEL: func.func @single
// CHECK: %[[M:.+]] = nn.relu_mask
// CHECK: nn.mse
// CHECK-NOT: nn.relu_mask
// CHECK: nn.mul %{{.+}}, %[[M]]
func.func @single(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                  %w: tensor<4x4xf32> {nn.kind = "param", nn.name = "w"},
                  %t: tensor<?x4xf32> {nn.kind = "input", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
        tensor<4x4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  %h = nn.matmul %x, %w transpose_b : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %mask = nn.relu_mask %h : tensor<?x4xf32>
  %l = nn.mse %h, %t : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
  %dh = nn.mul %t, %mask : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %dw = nn.matmul %dh, %x transpose_a : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<4x4xf32>
  return %l, %dw : tensor<f32>, tensor<4x4xf32>
}

// -----

// A value computed from an argument is recomputed (the caller holds the
// argument), and a function without gradients is left alone.
// CHECK-LABEL: func.func @from_argument
// CHECK: nn.mse
// CHECK: %[[S:.+]] = nn.sigmoid %arg0
// CHECK: nn.mul %{{.+}}, %[[S]]
func.func @from_argument(%x: tensor<4xf32> {nn.kind = "param", nn.name = "x"},
                         %t: tensor<4xf32> {nn.kind = "input", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
        tensor<4xf32> {nn.kind = "grad", nn.name = "grad.x"}) {
  %s = nn.sigmoid %x : tensor<4xf32>
  %l = nn.mse %s, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %d = nn.sub %s, %t : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %g = nn.mul %d, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %l, %g : tensor<f32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @forward_only
// CHECK: %[[S:.+]] = nn.sigmoid
// CHECK-NOT: nn.sigmoid
func.func @forward_only(%x: tensor<4xf32> {nn.kind = "input", nn.name = "x"},
                        %t: tensor<4xf32> {nn.kind = "input", nn.name = "t"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "l"},
        tensor<4xf32> {nn.kind = "output", nn.name = "y"}) {
  %s = nn.sigmoid %x : tensor<4xf32>
  %l = nn.mse %s, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %y = nn.mul %s, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %l, %y : tensor<f32>, tensor<4xf32>
}
