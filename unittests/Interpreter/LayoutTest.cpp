//===- LayoutTest.cpp - transpose, reshape, broadcast, concat, slice, pad -===//

#include "InterpreterTestSupport.h"

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using LayoutTest = InterpreterTest;

TEST_F(LayoutTest, TransposeOfAMatrix) {
  auto y = run(R"mlir(
func.func @f(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %y = nn.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
)mlir",
               {f32({2, 3}, {1, 2, 3, 4, 5, 6})});
  expectTensor(y[0], {3, 2}, {1, 4, 2, 5, 3, 6});
}

TEST_F(LayoutTest, TransposeOf3DIntegers) {
  // y[i, j, k] = x[i, k, j] for x[i, j, k] = 100 i + 10 j + k.
  std::vector<int64_t> x;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        x.push_back(100 * i + 10 * j + k);
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x3x4xi64>) -> tensor<?x4x3xi64> {
  %y = nn.transpose %x perm = [0, 2, 1] : tensor<?x3x4xi64> -> tensor<?x4x3xi64>
  return %y : tensor<?x4x3xi64>
}
)mlir",
               {i64({2, 3, 4}, x)});
  ASSERT_EQ(y[0].getDType(), DType::I64);
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 3; ++j)
        expected.push_back(100 * i + 10 * j + k);
  expectTensor(y[0], {2, 4, 3}, expected);
}

TEST_F(LayoutTest, ReshapeInfersTheDynamicDim) {
  // flatten: [N, 2, 2] -> [N, 4], keeping the row-major order.
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x2x2xf32>) -> tensor<?x4xf32> {
  %y = nn.reshape %x : tensor<?x2x2xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
)mlir",
               {f32({3, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})});
  expectTensor(y[0], {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
}

constexpr const char *kReshapeWithSizes = R"mlir(
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x2x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %y = nn.reshape %x [%n] : tensor<?x4xf32> -> tensor<?x2x2xf32>
  return %y : tensor<?x2x2xf32>
}
)mlir";

TEST_F(LayoutTest, ReshapeTakesDynamicSizesFromOperands) {
  auto y = run(kReshapeWithSizes, {f32({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8})});
  expectTensor(y[0], {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_F(LayoutTest, ReshapeElementCountMismatchIsAnError) {
  // The size operand says 3 rows of 4, the input has 2.
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x2x2xf32> {
  %c3 = arith.constant 3 : index
  %y = nn.reshape %x [%c3] : tensor<?x4xf32> -> tensor<?x2x2xf32>
  return %y : tensor<?x2x2xf32>
}
)mlir",
                                 {f32({2, 4}, std::vector<float>(8))});
  EXPECT_EQ(message, "evaluate: nn.reshape at net.nn:4:8: cannot reshape "
                     "[2, 4] (8 elements) to [3, 2, 2] (12 elements)");
}

TEST_F(LayoutTest, ReshapeInferredDimMustDivide) {
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<?xf32>) -> tensor<?x4xf32> {
  %y = nn.reshape %x : tensor<?xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
)mlir",
                                 {f32({6}, std::vector<float>(6))});
  EXPECT_NE(message.find("cannot reshape [6] (6 elements) to [?, 4]: the "
                         "element count is not a multiple of 4"),
            std::string::npos)
      << message;
}

TEST_F(LayoutTest, BroadcastARowToADynamicBatch) {
  auto y = run(R"mlir(
func.func @f(%b: tensor<3xf32>) -> tensor<?x3xf32> {
  %n = arith.constant 2 : index
  %y = nn.broadcast %b [%n] : tensor<3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
               {f32({3}, {1, 2, 3})});
  expectTensor(y[0], {2, 3}, {1, 2, 3, 1, 2, 3});
}

TEST_F(LayoutTest, BroadcastAColumn) {
  auto y = run(R"mlir(
func.func @f(%b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %y = nn.broadcast %b : tensor<2x1xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
)mlir",
               {f32({2, 1}, {5, 7})});
  expectTensor(y[0], {2, 3}, {5, 5, 5, 7, 7, 7});
}

TEST_F(LayoutTest, BroadcastOfMismatchedDynamicDimIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %n = arith.constant 4 : index
  %y = nn.broadcast %b [%n] : tensor<?x3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
                                 {f32({2, 3}, std::vector<float>(6))});
  EXPECT_NE(message.find("nn.broadcast at net.nn:4:8: cannot broadcast [2, 3] "
                         "to [4, 3]"),
            std::string::npos)
      << message;
}

TEST_F(LayoutTest, ConcatAlongTheLastAxis) {
  auto y = run(R"mlir(
func.func @f(%a: tensor<?x2xf32>, %b: tensor<?x1xf32>) -> tensor<?x3xf32> {
  %y = nn.concat %a, %b axis = 1 : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
               {f32({2, 2}, {1, 2, 3, 4}), f32({2, 1}, {9, 8})});
  expectTensor(y[0], {2, 3}, {1, 2, 9, 3, 4, 8});
}

TEST_F(LayoutTest, ConcatOfDifferentBatchesIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%a: tensor<?x2xf32>, %b: tensor<?x1xf32>) -> tensor<?x3xf32> {
  %y = nn.concat %a, %b axis = 1 : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
                                 {f32({2, 2}, std::vector<float>(4)),
                                  f32({3, 1}, std::vector<float>(3))});
  EXPECT_NE(message.find("operand shapes [2, 2] and [3, 1] differ outside "
                         "axis 1"),
            std::string::npos)
      << message;
}

constexpr const char *kSlice = R"mlir(
func.func @f(%x: tensor<2x?xf32>) -> tensor<2x2xf32> {
  %y = nn.slice %x axis = 1 start = 1 : tensor<2x?xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
)mlir";

TEST_F(LayoutTest, SliceAlongAnAxis) {
  auto y = run(kSlice, {f32({2, 4}, {0, 1, 2, 3, 4, 5, 6, 7})});
  expectTensor(y[0], {2, 2}, {1, 2, 5, 6});
}

TEST_F(LayoutTest, SliceOutOfBoundsIsAnError) {
  std::string message = runError(kSlice, {f32({2, 2}, {0, 1, 2, 3})});
  EXPECT_EQ(message, "evaluate: nn.slice at net.nn:3:8: slice [1, 3) of axis "
                     "1 is out of bounds for shape [2, 2]");
}

TEST_F(LayoutTest, PadWithZeros) {
  auto y = run(R"mlir(
func.func @f(%x: tensor<1x2xf32>) -> tensor<2x5xf32> {
  %y = nn.pad %x low = [1, 2] high = [0, 1] : tensor<1x2xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}
)mlir",
               {f32({1, 2}, {3, 4})});
  expectTensor(y[0], {2, 5}, {0, 0, 0, 0, 0, 0, 0, 3, 4, 0});
}

} // namespace
