//===- ReductionTest.cpp - matmul, sum, mean, size ------------------------===//

#include "InterpreterTestSupport.h"

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using ReductionTest = InterpreterTest;

TEST_F(ReductionTest, MatmulOfTwoMatrices) {
  // [[1, 2, 3], [4, 5, 6]] x [[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]].
  auto y = run(R"mlir(
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %y = nn.matmul %a, %b : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
)mlir",
               {f32({2, 3}, {1, 2, 3, 4, 5, 6}), f32({3, 2}, {1, 0, 0, 1, 1, 1})});
  expectTensor(y[0], {2, 2}, {4, 5, 10, 11});
}

TEST_F(ReductionTest, MatmulTransposeFlagsTransposeTheOperands) {
  // a^T b^T with a = [[1, 4], [2, 5], [3, 6]] (so a^T is the matrix above)
  // and b = [[1, 0, 1], [0, 1, 1]] gives the same product.
  auto y = run(R"mlir(
func.func @f(%a: tensor<3x2xf32>, %b: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %y = nn.matmul %a, %b transpose_a transpose_b : tensor<3x2xf32>, tensor<2x3xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
)mlir",
               {f32({3, 2}, {1, 4, 2, 5, 3, 6}), f32({2, 3}, {1, 0, 1, 0, 1, 1})});
  expectTensor(y[0], {2, 2}, {4, 5, 10, 11});
}

TEST_F(ReductionTest, DenseLayerIsMatmulTransposeBPlusBias) {
  // x W^T + b for x [N, 2], W [3, 2]: y[n, u] = sum_i x[n, i] W[u, i] + b[u].
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x2xf32>, %w: tensor<3x2xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %z = nn.matmul %x, %w transpose_b : tensor<?x2xf32>, tensor<3x2xf32> -> tensor<?x3xf32>
  %y = nn.add %z, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
               {f32({2, 2}, {1, 2, 3, 4}), f32({3, 2}, {1, 0, 0, 1, 1, 1}),
                f32({3}, {0.5, 0.25, 0})});
  expectTensor(y[0], {2, 3}, {1.5, 2.25, 3, 3.5, 4.25, 7});
}

TEST_F(ReductionTest, BatchedMatmulBroadcastsTheBatchDims) {
  // Two batches of [1, 2] x a shared [2, 2].
  auto y = run(R"mlir(
func.func @f(%a: tensor<2x1x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x1x2xf32> {
  %y = nn.matmul %a, %b : tensor<2x1x2xf32>, tensor<2x2xf32> -> tensor<2x1x2xf32>
  return %y : tensor<2x1x2xf32>
}
)mlir",
               {f32({2, 1, 2}, {1, 2, 3, 4}), f32({2, 2}, {1, 10, 100, 1000})});
  expectTensor(y[0], {2, 1, 2}, {201, 2010, 403, 4030});
}

TEST_F(ReductionTest, MatmulContractionMismatchIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%a: tensor<2x?xf32>, %b: tensor<?x2xf32>) -> tensor<2x2xf32> {
  %y = nn.matmul %a, %b : tensor<2x?xf32>, tensor<?x2xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
)mlir",
                                 {f32({2, 3}, std::vector<float>(6)),
                                  f32({4, 2}, std::vector<float>(8))});
  EXPECT_NE(message.find("nn.matmul at net.nn:3:8: contraction dims differ: "
                         "[2, 3] times [4, 2]"),
            std::string::npos)
      << message;
}

constexpr const char *kReductions = R"mlir(
func.func @f(%x: tensor<?x3xf32>) -> (tensor<3xf32>, tensor<?x1xf32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %s = nn.sum %x axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  %m = nn.mean %x axes = [1] keepdims : tensor<?x3xf32> -> tensor<?x1xf32>
  %a = nn.sum %x axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  %n = nn.size %x axes = [0] : tensor<?x3xf32> -> tensor<f32>
  %t = nn.size %x axes = [] : tensor<?x3xf32> -> tensor<f32>
  return %s, %m, %a, %n, %t : tensor<3xf32>, tensor<?x1xf32>, tensor<f32>, tensor<f32>, tensor<f32>
}
)mlir";

TEST_F(ReductionTest, SumMeanAndSize) {
  auto y = run(kReductions, {f32({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_EQ(y.size(), 5u);
  expectTensor(y[0], {3}, {5, 7, 9});
  expectTensor(y[1], {2, 1}, {2, 5});
  expectTensor(y[2], {}, {21});
  expectTensor(y[3], {}, {2});
  expectTensor(y[4], {}, {6});
}

TEST_F(ReductionTest, SumOfAnEmptyBatch) {
  auto y = run(kReductions, {f32({0, 3}, {})});
  expectTensor(y[0], {3}, {0, 0, 0});
  expectTensor(y[1], {0, 1}, {});
  expectTensor(y[3], {}, {0});
}

TEST_F(ReductionTest, MeanOverTheMiddleAxisOf3D) {
  auto y = run(R"mlir(
func.func @f(%x: tensor<2x2x2xf64>) -> tensor<2x2xf64> {
  %m = nn.mean %x axes = [1] : tensor<2x2x2xf64> -> tensor<2x2xf64>
  return %m : tensor<2x2xf64>
}
)mlir",
               {f64({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})});
  EXPECT_EQ(y[0].getDType(), DType::F64);
  expectTensor(y[0], {2, 2}, {2, 3, 6, 7});
}

} // namespace
