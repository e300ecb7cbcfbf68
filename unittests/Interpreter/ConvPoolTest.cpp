//===- ConvPoolTest.cpp - conv2d, pooling and their transposes ------------===//

#include "InterpreterTestSupport.h"

#include <cmath>

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using ConvPoolTest = InterpreterTest;

/// Deterministic values in [-1, 1] that are not all alike.
std::vector<float> wiggle(int64_t n, double phase) {
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = static_cast<float>(std::sin(1.7 * i + phase));
  return values;
}

double dot(const HostTensor &a, const HostTensor &b) {
  EXPECT_EQ(a.getShape(), b.getShape());
  double sum = 0;
  for (int64_t i = 0; i < a.getNumElements(); ++i)
    sum += a.getElementAsDouble(i) * b.getElementAsDouble(i);
  return sum;
}

TEST_F(ConvPoolTest, Conv2DOfAHandExample) {
  // x = 1..9 in a 3x3 image. Filter 0: a 2x2 window of ones (window sums);
  // with stride 1 and no padding: [[12, 16], [24, 28]].
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x1x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x1x2x2xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x2x2xf32>
  return %y : tensor<?x1x2x2xf32>
}
)mlir",
               {f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                f32({1, 1, 2, 2}, {1, 1, 1, 1})});
  expectTensor(y[0], {1, 1, 2, 2}, {12, 16, 24, 28});
}

TEST_F(ConvPoolTest, Conv2DWithPaddingAndStride) {
  // 3x3 filters, padding 1, stride 2 over a 3x3 image: windows centred on
  // the corners. Filter 0 picks the centre tap (the corner pixels); filter 1
  // sums the 3x3 neighbourhood (the padding adds zeros).
  auto y = run(R"mlir(
func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %y = nn.conv2d %x, %w stride = [2, 2] padding = [1, 1] : (tensor<1x1x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
)mlir",
               {f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                f32({2, 1, 3, 3},
                    {0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1})});
  expectTensor(y[0], {1, 2, 2, 2}, {1, 3, 7, 9, 12, 16, 24, 28});
}

TEST_F(ConvPoolTest, Conv2DTransposesPassTheDotProductTest) {
  // <conv(x, w), dy> = <x, conv_backward_input(dy, w)>
  //                  = <w, conv_backward_filter(x, dy)>,
  // with two input channels, unequal strides and paddings, and a row that the
  // stride skips (H = 6).
  InterpreterOptions options;
  options.computeInF64 = true;
  auto r = run(R"mlir(
func.func @f(%x: tensor<2x2x6x5xf32>, %w: tensor<3x2x3x3xf32>, %dy: tensor<2x3x3x3xf32>) -> (tensor<2x3x3x3xf32>, tensor<2x2x6x5xf32>, tensor<3x2x3x3xf32>) {
  %y = nn.conv2d %x, %w stride = [2, 1] padding = [1, 0] : (tensor<2x2x6x5xf32>, tensor<3x2x3x3xf32>) -> tensor<2x3x3x3xf32>
  %dx = nn.conv2d_backward_input %dy, %w stride = [2, 1] padding = [1, 0] : (tensor<2x3x3x3xf32>, tensor<3x2x3x3xf32>) -> tensor<2x2x6x5xf32>
  %dw = nn.conv2d_backward_filter %x, %dy stride = [2, 1] padding = [1, 0] : (tensor<2x2x6x5xf32>, tensor<2x3x3x3xf32>) -> tensor<3x2x3x3xf32>
  return %y, %dx, %dw : tensor<2x3x3x3xf32>, tensor<2x2x6x5xf32>, tensor<3x2x3x3xf32>
}
)mlir",
               {f32({2, 2, 6, 5}, wiggle(120, 0.1)),
                f32({3, 2, 3, 3}, wiggle(54, 0.7)),
                f32({2, 3, 3, 3}, wiggle(54, 1.3))},
               options);
  ASSERT_EQ(r.size(), 3u);
  HostTensor x = f32({2, 2, 6, 5}, wiggle(120, 0.1)).convertTo(DType::F64);
  HostTensor w = f32({3, 2, 3, 3}, wiggle(54, 0.7)).convertTo(DType::F64);
  HostTensor dy = f32({2, 3, 3, 3}, wiggle(54, 1.3)).convertTo(DType::F64);
  double reference = dot(r[0], dy);
  EXPECT_GT(std::fabs(reference), 0.1);
  EXPECT_NEAR(dot(x, r[1]), reference, 1e-12);
  EXPECT_NEAR(dot(w, r[2]), reference, 1e-12);
}

TEST_F(ConvPoolTest, Conv2DChannelMismatchIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<1x?x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<1x?x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}
)mlir",
                                 {f32({1, 2, 3, 3}, std::vector<float>(18)),
                                  f32({1, 1, 2, 2}, std::vector<float>(4))});
  EXPECT_NE(message.find("nn.conv2d at net.nn:3:8: input [1, 2, 3, 3] has 2 "
                         "channels but the filter [1, 1, 2, 2] expects 1"),
            std::string::npos)
      << message;
}

constexpr const char *kPools = R"mlir(
func.func @f(%x: tensor<1x1x2x4xf32>, %t: tensor<1x1x2x4xf32>, %dy: tensor<1x1x1x2xf32>) -> (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) {
  %max = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<1x1x2x4xf32> -> tensor<1x1x1x2xf32>
  %avg = nn.avg_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<1x1x2x4xf32> -> tensor<1x1x1x2xf32>
  %jvp = nn.max_pool2d_jvp %x, %t kernel = [2, 2] stride = [2, 2] : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x1x2xf32>
  %vjp = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<1x1x2x4xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x2x4xf32>
  %avgb = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2] : tensor<1x1x1x2xf32> -> tensor<1x1x2x4xf32>
  return %max, %avg, %jvp, %vjp, %avgb : tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>
}
)mlir";

TEST_F(ConvPoolTest, PoolingAndItsTangentsOnAHandExample) {
  // Windows [[1, 3], [3, 2]] and [[5, 5], [5, 4]]: both hold tied maxima;
  // the first in row-major order wins, at (0, 1) and (0, 2).
  auto r = run(kPools, {f32({1, 1, 2, 4}, {1, 3, 5, 5, 3, 2, 5, 4}),
                        f32({1, 1, 2, 4}, {10, 20, 30, 40, 50, 60, 70, 80}),
                        f32({1, 1, 1, 2}, {4, 8})});
  ASSERT_EQ(r.size(), 5u);
  expectTensor(r[0], {1, 1, 1, 2}, {3, 5});
  expectTensor(r[1], {1, 1, 1, 2}, {9.0 / 4, 19.0 / 4});
  expectTensor(r[2], {1, 1, 1, 2}, {20, 30});
  expectTensor(r[3], {1, 1, 2, 4}, {0, 4, 8, 0, 0, 0, 0, 0});
  expectTensor(r[4], {1, 1, 2, 4}, {1, 1, 2, 2, 1, 1, 2, 2});
}

TEST_F(ConvPoolTest, OverlappingAvgPoolBackwardPassesTheDotProductTest) {
  InterpreterOptions options;
  options.computeInF64 = true;
  auto r = run(R"mlir(
func.func @f(%x: tensor<2x2x5x4xf32>, %dy: tensor<2x2x2x3xf32>) -> (tensor<2x2x2x3xf32>, tensor<2x2x5x4xf32>) {
  %y = nn.avg_pool2d %x kernel = [3, 2] stride = [2, 1] : tensor<2x2x5x4xf32> -> tensor<2x2x2x3xf32>
  %dx = nn.avg_pool2d_backward %dy kernel = [3, 2] stride = [2, 1] : tensor<2x2x2x3xf32> -> tensor<2x2x5x4xf32>
  return %y, %dx : tensor<2x2x2x3xf32>, tensor<2x2x5x4xf32>
}
)mlir",
               {f32({2, 2, 5, 4}, wiggle(80, 0.2)),
                f32({2, 2, 2, 3}, wiggle(24, 0.9))},
               options);
  HostTensor x = f32({2, 2, 5, 4}, wiggle(80, 0.2)).convertTo(DType::F64);
  HostTensor dy = f32({2, 2, 2, 3}, wiggle(24, 0.9)).convertTo(DType::F64);
  double reference = dot(r[0], dy);
  EXPECT_GT(std::fabs(reference), 0.01);
  EXPECT_NEAR(dot(x, r[1]), reference, 1e-12);
}

TEST_F(ConvPoolTest, MaxPoolVjpIsTheTransposeOfItsJvp) {
  // Overlapping windows (stride 1): <jvp(x, t), dy> = <t, vjp(x, dy)>.
  InterpreterOptions options;
  options.computeInF64 = true;
  auto r = run(R"mlir(
func.func @f(%x: tensor<1x2x4x4xf32>, %t: tensor<1x2x4x4xf32>, %dy: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x4x4xf32>) {
  %jvp = nn.max_pool2d_jvp %x, %t kernel = [2, 2] stride = [1, 1] : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  %vjp = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [1, 1] : (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  return %jvp, %vjp : tensor<1x2x3x3xf32>, tensor<1x2x4x4xf32>
}
)mlir",
               {f32({1, 2, 4, 4}, wiggle(32, 0.3)),
                f32({1, 2, 4, 4}, wiggle(32, 2.1)),
                f32({1, 2, 3, 3}, wiggle(18, 1.1))},
               options);
  HostTensor t = f32({1, 2, 4, 4}, wiggle(32, 2.1)).convertTo(DType::F64);
  HostTensor dy = f32({1, 2, 3, 3}, wiggle(18, 1.1)).convertTo(DType::F64);
  EXPECT_NEAR(dot(r[0], dy), dot(t, r[1]), 1e-12);
}

TEST_F(ConvPoolTest, PoolWindowThatDoesNotFitIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<1x1x?x4xf32>) -> tensor<1x1x?x2xf32> {
  %y = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<1x1x?x4xf32> -> tensor<1x1x?x2xf32>
  return %y : tensor<1x1x?x2xf32>
}
)mlir",
                                 {f32({1, 1, 1, 4}, std::vector<float>(4))});
  EXPECT_NE(message.find("nn.max_pool2d at net.nn:3:8: a window of 2 does not "
                         "fit the input [1, 1, 1, 4]"),
            std::string::npos)
      << message;
}

} // namespace
