//===- TestModel.h - A small model for the training tests ------*- C++ -*-===//

#ifndef ADJOINT_UNITTESTS_TRAINING_TESTMODEL_H
#define ADJOINT_UNITTESTS_TRAINING_TESTMODEL_H

namespace adjoint::training::testmodel {

/// logits = x w^T + b, loss = softmax_cross_entropy(logits, label), with its
/// gradient written out: d logits = (softmax(logits) - onehot(label)) / N.
inline constexpr const char *kSoftmaxRegression = R"mlir(
module {
func.func @forward(
    %x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "logits"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"}) {
  %z = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %logits = nn.add %z, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %loss = nn.softmax_cross_entropy %logits, %label
      : (tensor<?x3xf32>, tensor<?xi64>) -> tensor<f32>
  return %logits, %loss : tensor<?x3xf32>, tensor<f32>
}
func.func @gradient(
    %x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight"},
    %b: tensor<3xf32> {nn.kind = "param", nn.name = "h.bias"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "logits"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"},
        tensor<3x4xf32> {nn.kind = "grad", nn.name = "grad.h.weight"},
        tensor<3xf32> {nn.kind = "grad", nn.name = "grad.h.bias"}) {
  %z = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %logits = nn.add %z, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %loss = nn.softmax_cross_entropy %logits, %label
      : (tensor<?x3xf32>, tensor<?xi64>) -> tensor<f32>
  %p = nn.softmax %logits axis = 1 : tensor<?x3xf32>
  %oh = nn.one_hot %label : tensor<?xi64> -> tensor<?x3xf32>
  %d = nn.sub %p, %oh : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
  %n = nn.size %x axes = [0] : tensor<?x4xf32> -> tensor<f32>
  %dl = nn.div %d, %n : tensor<?x3xf32>, tensor<f32> -> tensor<?x3xf32>
  %gw = nn.matmul %dl, %x transpose_a
      : tensor<?x3xf32>, tensor<?x4xf32> -> tensor<3x4xf32>
  %gb = nn.sum %dl axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  return %logits, %loss, %gw, %gb
      : tensor<?x3xf32>, tensor<f32>, tensor<3x4xf32>, tensor<3xf32>
}
}
)mlir";

} // namespace adjoint::training::testmodel

#endif // ADJOINT_UNITTESTS_TRAINING_TESTMODEL_H
