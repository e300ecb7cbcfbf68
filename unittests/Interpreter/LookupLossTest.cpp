//===- LookupLossTest.cpp - embedding, one_hot and the losses -------------===//

#include "InterpreterTestSupport.h"

#include <cmath>

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using LookupLossTest = InterpreterTest;

constexpr const char *kEmbedding = R"mlir(
func.func @f(%ids: tensor<?x2xi64>, %w: tensor<3x2xf32>, %g: tensor<?x2x2xf32>) -> (tensor<?x2x2xf32>, tensor<3x2xf32>) {
  %e = nn.embedding %ids, %w : (tensor<?x2xi64>, tensor<3x2xf32>) -> tensor<?x2x2xf32>
  %dw = nn.embedding_backward %ids, %g : (tensor<?x2xi64>, tensor<?x2x2xf32>) -> tensor<3x2xf32>
  return %e, %dw : tensor<?x2x2xf32>, tensor<3x2xf32>
}
)mlir";

TEST_F(LookupLossTest, EmbeddingGathersAndItsTransposeScatterAdds) {
  // Row 2 is looked up twice, row 1 never.
  auto r = run(kEmbedding, {i64({2, 2}, {2, 0, 2, 2}),
                            f32({3, 2}, {1, 2, 3, 4, 5, 6}),
                            f32({2, 2, 2}, {1, 1, 10, 10, 100, 100, 1000, 1000})});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {2, 2, 2}, {5, 6, 1, 2, 5, 6, 5, 6});
  expectTensor(r[1], {3, 2}, {10, 10, 0, 0, 1101, 1101});
}

TEST_F(LookupLossTest, EmbeddingWithI32Ids) {
  auto r = run(R"mlir(
func.func @f(%ids: tensor<3xi32>, %w: tensor<2x1xf32>) -> tensor<3x1xf32> {
  %e = nn.embedding %ids, %w : (tensor<3xi32>, tensor<2x1xf32>) -> tensor<3x1xf32>
  return %e : tensor<3x1xf32>
}
)mlir",
               {i32({3}, {1, 1, 0}), f32({2, 1}, {7, 9})});
  expectTensor(r[0], {3, 1}, {9, 9, 7});
}

TEST_F(LookupLossTest, EmbeddingIdOutOfRangeIsAnError) {
  std::string message =
      runError(kEmbedding, {i64({2, 2}, {0, 1, 3, 0}),
                            f32({3, 2}, std::vector<float>(6)),
                            f32({2, 2, 2}, std::vector<float>(8))});
  EXPECT_EQ(message, "evaluate: nn.embedding at net.nn:3:8: id 3 at [1, 0] is "
                     "out of range [0, 3)");
  message = runError(kEmbedding, {i64({1, 2}, {-1, 0}),
                                  f32({3, 2}, std::vector<float>(6)),
                                  f32({1, 2, 2}, std::vector<float>(4))});
  EXPECT_NE(message.find("id -1 at [0, 0] is out of range [0, 3)"),
            std::string::npos)
      << message;
}

TEST_F(LookupLossTest, OneHot) {
  auto r = run(R"mlir(
func.func @f(%l: tensor<?xi64>) -> tensor<?x3xf32> {
  %o = nn.one_hot %l : tensor<?xi64> -> tensor<?x3xf32>
  return %o : tensor<?x3xf32>
}
)mlir",
               {i64({3}, {2, 0, 1})});
  expectTensor(r[0], {3, 3}, {0, 0, 1, 1, 0, 0, 0, 1, 0});
}

constexpr const char *kLosses = R"mlir(
func.func @f(%p: tensor<?x2xf32>, %t: tensor<?x2xf32>, %l: tensor<?xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %mse = nn.mse %p, %t : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<f32>
  %ce = nn.softmax_cross_entropy %p, %l : (tensor<?x2xf32>, tensor<?xi64>) -> tensor<f32>
  %bce = nn.bce_with_logits %p, %t : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<f32>
  return %mse, %ce, %bce : tensor<f32>, tensor<f32>, tensor<f32>
}
)mlir";

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

TEST_F(LookupLossTest, LossesAreMeans) {
  float ln2 = static_cast<float>(std::log(2.0));
  std::vector<float> pred = {0, ln2, 3, -1};
  std::vector<float> target = {1, 0, 0.5, 1};
  auto r = run(kLosses, {f32({2, 2}, pred), f32({2, 2}, target),
                         i64({2}, {1, 0})});
  ASSERT_EQ(r.size(), 3u);
  // mse: mean of squared differences.
  double mse = 0;
  for (int i = 0; i < 4; ++i)
    mse += (pred[i] - target[i]) * (pred[i] - target[i]) / 4.0;
  expectTensor(r[0], {}, {mse});
  // Row 0: softmax [1/3, 2/3], label 1: -log(2/3). Row 1: softmax of [3, -1],
  // label 0: -log(1 / (1 + e^-4)).
  double ce = (-std::log(2.0 / 3) + std::log(1 + std::exp(-4.0))) / 2;
  expectTensor(r[1], {}, {ce});
  // bce: the mean of -(t log s(x) + (1 - t) log(1 - s(x))).
  double bce = 0;
  for (int i = 0; i < 4; ++i)
    bce -= (target[i] * std::log(sigmoid(pred[i])) +
            (1 - target[i]) * std::log(1 - sigmoid(pred[i]))) /
           4.0;
  expectTensor(r[2], {}, {bce});
}

TEST_F(LookupLossTest, BceWithLogitsIsStableForLargeLogits) {
  auto r = run(kLosses, {f32({1, 2}, {100, -100}), f32({1, 2}, {1, 0}),
                         i64({1}, {0})});
  // Both predictions are right with margin 100: the loss is ~e^-100.
  EXPECT_GE(r[2].getElementAsDouble(0), 0.0);
  EXPECT_LT(r[2].getElementAsDouble(0), 1e-40);
  // Cross-entropy of [100, -100] with label 0 is ~e^-200, not NaN.
  EXPECT_LT(r[1].getElementAsDouble(0), 1e-40);
}

TEST_F(LookupLossTest, LabelOutOfRangeIsAnError) {
  std::string message =
      runError(kLosses, {f32({2, 2}, std::vector<float>(4)),
                         f32({2, 2}, std::vector<float>(4)), i64({2}, {0, 2})});
  EXPECT_EQ(message, "evaluate: nn.softmax_cross_entropy at net.nn:4:9: label "
                     "2 at [1] is out of range [0, 2)");
}

TEST_F(LookupLossTest, LossOperandsMustHaveTheSameShape) {
  std::string message =
      runError(kLosses, {f32({2, 2}, std::vector<float>(4)),
                         f32({3, 2}, std::vector<float>(6)), i64({2}, {0, 1})});
  EXPECT_EQ(message, "evaluate: nn.mse at net.nn:3:10: operand shapes differ: "
                     "[2, 2] vs [3, 2]");
}

} // namespace
