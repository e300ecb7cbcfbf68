// RUN: adjoint-opt %s --nn-adjoint --canonicalize --cse | FileCheck %s
// RUN: adjoint-opt %s --nn-adjoint=include-inputs=false --canonicalize --cse \
// RUN:   | FileCheck %s --check-prefix=PARAMS
// RUN: adjoint-opt %s --nn-adjoint --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// digits_mlp as the frontend writes it: a dynamic batch, integer labels, two
// dense layers with a relu between them, softmax cross-entropy.

// Integer labels get no gradient; the f32 input does; parameters come first
// in argument order.
// CHECK-LABEL: func.func @gradient
// CHECK-SAME: -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"},
// CHECK-SAME: tensor<f32> {nn.kind = "loss", nn.name = "ce"},
// CHECK-SAME: tensor<128x64xf32> {nn.kind = "grad", nn.name = "grad.h.weight"},
// CHECK-SAME: tensor<128xf32> {nn.kind = "grad", nn.name = "grad.h.bias"},
// CHECK-SAME: tensor<10x128xf32> {nn.kind = "grad", nn.name = "grad.logits.weight"},
// CHECK-SAME: tensor<10xf32> {nn.kind = "grad", nn.name = "grad.logits.bias"},
// CHECK-SAME: tensor<?x64xf32> {nn.kind = "grad", nn.name = "grad.x"})
// The cross-entropy cotangent (softmax - one_hot) / N, the relu mask as a
// Hadamard factor, dW = dZ^T A.
// CHECK-DAG: %[[SM:.*]] = nn.softmax %{{.*}} axis = 1
// CHECK-DAG: %[[OH:.*]] = nn.one_hot %{{.*}} : tensor<?xi64> -> tensor<?x10xf32>
// CHECK-DAG: nn.sub %[[SM]], %[[OH]]
// CHECK-DAG: %[[N:.*]] = nn.size %{{.*}} axes = [0] : tensor<?x10xf32> -> tensor<f32>
// CHECK-DAG: %[[MASK:.*]] = nn.relu_mask %{{.*}} : tensor<?x128xf32>
// CHECK-DAG: nn.mul %{{.*}}, %[[MASK]] : tensor<?x128xf32>, tensor<?x128xf32>
// CHECK-DAG: nn.matmul %{{.*}}, %{{.*}} transpose_a : tensor<?x10xf32>, tensor<?x128xf32> -> tensor<10x128xf32>
// CHECK-DAG: nn.matmul %{{.*}}, %{{.*}} transpose_a : tensor<?x128xf32>, tensor<?x64xf32> -> tensor<128x64xf32>
// CHECK-DAG: nn.matmul %{{.*}}, %{{.*}} : tensor<?x128xf32>, tensor<128x64xf32> -> tensor<?x64xf32>

// Without input gradients, dX is not computed at all (the dead adjoint).
// PARAMS-LABEL: func.func @gradient
// PARAMS-SAME: tensor<10xf32> {nn.kind = "grad", nn.name = "grad.logits.bias"})
// PARAMS-NOT: tensor<128x64xf32> -> tensor<?x64xf32>
// PARAMS: return

// Synthesized ops point at the statement of the forward op they come from.
// LOC-LABEL: func.func @gradient
// LOC: nn.relu_mask {{.*}} loc(#[[RELU:loc[0-9]+]])
// LOC: nn.matmul {{.*}} transpose_a {{.*}} loc(#[[DENSE2:loc[0-9]+]])
// LOC-DAG: #[[RELU_FILE:loc[0-9]+]] = loc("digits_mlp.nn":8:5)
// LOC-DAG: #[[RELU]] = loc("grad"(#[[RELU_FILE]]))
// LOC-DAG: #[[DENSE2_FILE:loc[0-9]+]] = loc("digits_mlp.nn":9:10)
// LOC-DAG: #[[DENSE2]] = loc("grad"(#[[DENSE2_FILE]]))
module @digits_mlp {
  func.func @forward(
      %x: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"},
      %label: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"},
      %w1: tensor<128x64xf32> {nn.kind = "param", nn.name = "h.weight"},
      %b1: tensor<128xf32> {nn.kind = "param", nn.name = "h.bias"},
      %w2: tensor<10x128xf32> {nn.kind = "param", nn.name = "logits.weight"},
      %b2: tensor<10xf32> {nn.kind = "param", nn.name = "logits.bias"})
      -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"},
          tensor<f32> {nn.kind = "loss", nn.name = "ce"}) {
    %0 = nn.matmul %x, %w1 transpose_b
        : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32> loc(#h)
    %h = nn.add %0, %b1
        : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32> loc(#h)
    %a = nn.relu %h : tensor<?x128xf32> loc(#a)
    %1 = nn.matmul %a, %w2 transpose_b
        : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32> loc(#logits)
    %logits = nn.add %1, %b2
        : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32> loc(#logits)
    %ce = nn.softmax_cross_entropy %logits, %label
        : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32> loc(#ce)
    return %logits, %ce : tensor<?x10xf32>, tensor<f32>
  }
}
#h = loc("digits_mlp.nn":7:5)
#a = loc("digits_mlp.nn":8:5)
#logits = loc("digits_mlp.nn":9:10)
#ce = loc("digits_mlp.nn":11:6)
