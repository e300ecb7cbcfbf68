//===- NormalizationTest.cpp - softmax, layernorm, batchnorm, dropout -----===//

#include "InterpreterTestSupport.h"

#include "adjoint/Runtime/Random.h"

#include <cmath>

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using NormalizationTest = InterpreterTest;

constexpr const char *kSoftmax = R"mlir(
func.func @f(%x: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %s = nn.softmax %x axis = 1 : tensor<?x2xf32>
  %l = nn.log_softmax %x axis = 1 : tensor<?x2xf32>
  %c = nn.softmax %x axis = 0 : tensor<?x2xf32>
  return %s, %l, %c : tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
)mlir";

TEST_F(NormalizationTest, SoftmaxOfZeroAndLn2) {
  // softmax([0, ln 2]) = [1, 2] / 3.
  float ln2 = static_cast<float>(std::log(2.0));
  // A large shift does not change it (numerical stability); near 1000, f32
  // holds ln 2 only to about 6e-5, so the expected value uses the stored d.
  float shifted = 1000 + ln2;
  double d = static_cast<double>(shifted) - 1000;
  auto y = run(kSoftmax, {f32({2, 2}, {0, ln2, 1000, shifted})});
  ASSERT_EQ(y.size(), 3u);
  expectTensor(y[0], {2, 2},
               {1.0 / 3, 2.0 / 3, 1 / (1 + std::exp(d)),
                std::exp(d) / (1 + std::exp(d))});
  expectTensor(y[1], {2, 2},
               {std::log(1.0 / 3), std::log(2.0 / 3), -std::log1p(std::exp(d)),
                d - std::log1p(std::exp(d))});
  // Along axis 0: each column is about [0, 1000]: all weight on row 1.
  expectTensor(y[2], {2, 2}, {0, 0, 1, 1});
}

TEST_F(NormalizationTest, SoftmaxInF64) {
  InterpreterOptions options;
  options.computeInF64 = true;
  auto y = run(kSoftmax, {f32({1, 2}, {0, 0})}, options);
  ASSERT_EQ(y[0].getDType(), DType::F64);
  EXPECT_EQ(y[0].getValues<double>()[0], 0.5);
  EXPECT_EQ(y[1].getValues<double>()[1], std::log(0.5));
}

TEST_F(NormalizationTest, LayerNormOverTheLastDim) {
  // Row [1, 2, 3]: mean 2, biased variance 2/3.
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %y = nn.layernorm %x, %w, %b eps = 1.0e-05 : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir",
               {f32({2, 3}, {1, 2, 3, 10, 10, 10}), f32({3}, {1, 2, 3}),
                f32({3}, {0, 0.5, 1})});
  double s = std::sqrt(2.0 / 3 + 1e-5);
  // The constant row normalizes to 0 and gives the bias.
  expectTensor(y[0], {2, 3}, {-1 / s, 0.5, 3 / s + 1, 0, 0.5, 1}, 1e-5);
}

constexpr const char *kBatchNorm2D = R"mlir(
func.func @f(%x: tensor<?x2xf32>, %w: tensor<2xf32>, %b: tensor<2xf32>, %rm: tensor<2xf32>, %rv: tensor<2xf32>) -> (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %y, %m, %v = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05 momentum = 1.000000e-01 TRAINING : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %y, %m, %v : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>
}
)mlir";

std::string batchNorm2D(bool training) {
  std::string source = kBatchNorm2D;
  source.replace(source.find("TRAINING"), 8, training ? "training" : "");
  return source;
}

TEST_F(NormalizationTest, BatchNormTrainingUsesBatchStatistics) {
  // Channel 0: [1, 3]: mean 2, biased var 1, unbiased 2.
  // Channel 1: [2, 6]: mean 4, biased var 4, unbiased 8.
  auto y = run(batchNorm2D(true),
               {f32({2, 2}, {1, 2, 3, 6}), f32({2}, {1, 2}), f32({2}, {0, 1}),
                f32({2}, {0, 10}), f32({2}, {1, 1})});
  ASSERT_EQ(y.size(), 3u);
  double s0 = std::sqrt(1 + 1e-5), s1 = std::sqrt(4 + 1e-5);
  expectTensor(y[0], {2, 2}, {-1 / s0, -2 * 2 / s1 + 1, 1 / s0, 2 * 2 / s1 + 1},
               1e-5);
  // new = 0.9 old + 0.1 batch, the variance unbiased.
  expectTensor(y[1], {2}, {0.9 * 0 + 0.1 * 2, 0.9 * 10 + 0.1 * 4});
  expectTensor(y[2], {2}, {0.9 * 1 + 0.1 * 2, 0.9 * 1 + 0.1 * 8});
}

TEST_F(NormalizationTest, BatchNormEvalUsesRunningStatistics) {
  auto y = run(batchNorm2D(false),
               {f32({2, 2}, {1, 2, 3, 6}), f32({2}, {1, 2}), f32({2}, {0, 1}),
                f32({2}, {0, 10}), f32({2}, {4, 1})});
  double s0 = std::sqrt(4 + 1e-5), s1 = std::sqrt(1 + 1e-5);
  expectTensor(y[0], {2, 2},
               {1 / s0, 2 * (2 - 10) / s1 + 1, 3 / s0, 2 * (6 - 10) / s1 + 1},
               1e-5);
  expectTensor(y[1], {2}, {0, 10});
  expectTensor(y[2], {2}, {4, 1});
}

TEST_F(NormalizationTest, BatchNorm4DNormalizesOverBatchAndSpace) {
  // One channel, N = 2, 1x2 images: values [0, 2] and [4, 6]: mean 3, biased
  // var 5, unbiased 20/3.
  auto y = run(R"mlir(
func.func @f(%x: tensor<?x1x1x2xf32>, %w: tensor<1xf32>, %b: tensor<1xf32>, %rm: tensor<1xf32>, %rv: tensor<1xf32>) -> (tensor<?x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>) {
  %y, %m, %v = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05 momentum = 5.000000e-01 training : (tensor<?x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<?x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>)
  return %y, %m, %v : tensor<?x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>
}
)mlir",
               {f32({2, 1, 1, 2}, {0, 2, 4, 6}), f32({1}, {1}), f32({1}, {0}),
                f32({1}, {1}), f32({1}, {1})});
  double s = std::sqrt(5 + 1e-5);
  expectTensor(y[0], {2, 1, 1, 2}, {-3 / s, -1 / s, 1 / s, 3 / s}, 1e-5);
  expectTensor(y[1], {1}, {0.5 * 1 + 0.5 * 3});
  expectTensor(y[2], {1}, {0.5 * 1 + 0.5 * 20.0 / 3}, 1e-6);
}

TEST_F(NormalizationTest, BatchNormTrainingNeedsTwoValuesPerChannel) {
  std::string message =
      runError(batchNorm2D(true), {f32({1, 2}, {1, 2}), f32({2}, {1, 1}),
                                   f32({2}, {0, 0}), f32({2}, {0, 0}),
                                   f32({2}, {1, 1})});
  EXPECT_EQ(message, "evaluate: nn.batchnorm at net.nn:3:16: training needs "
                     "more than 1 value per channel, got input [1, 2]");
}

constexpr const char *kDropout = R"mlir(
func.func @f(%x: tensor<?xf32>, %seed: tensor<i64>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %a = nn.dropout %x, %seed p = 2.500000e-01 stream = 0 training : tensor<?xf32>, tensor<i64>
  %b = nn.dropout %x, %seed p = 2.500000e-01 stream = 1 training : tensor<?xf32>, tensor<i64>
  %c = nn.dropout %x, %seed p = 2.500000e-01 stream = 0 : tensor<?xf32>, tensor<i64>
  return %a, %b, %c : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}
)mlir";

TEST_F(NormalizationTest, DropoutKeepsWithProbabilityOneMinusP) {
  const int64_t n = 20000;
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i)
    x[i] = 1.0f + static_cast<float>(i % 7);
  auto y = run(kDropout, {f32({n}, x), i64({}, {42})});
  ASSERT_EQ(y.size(), 3u);
  int64_t kept = 0, differ = 0;
  for (int64_t i = 0; i < n; ++i) {
    double a = y[0].getElementAsDouble(i);
    bool keep = isDropoutKept(42, 0, i, 0.25);
    // Kept elements are scaled by 1 / (1 - p), the others zeroed.
    EXPECT_EQ(a, keep ? static_cast<float>(x[i] / 0.75) : 0.0f) << i;
    kept += keep;
    differ += (a == 0) != (y[1].getElementAsDouble(i) == 0);
  }
  // 3/4 kept, within 5 standard deviations (sd = sqrt(n p (1-p)) ~ 61).
  EXPECT_NEAR(static_cast<double>(kept), 0.75 * n, 5 * 61.3);
  // Another stream draws another mask: P(differ) = 2 p (1 - p) = 3/8.
  EXPECT_NEAR(static_cast<double>(differ), 0.375 * n, 5 * 68.5);
  // Outside training it is the identity.
  expectTensor(y[2], {n}, std::vector<double>(x.begin(), x.end()));
}

TEST_F(NormalizationTest, DropoutMaskDependsOnlyOnSeedStreamAndIndex) {
  std::vector<float> ones(64, 1.0f);
  auto first = run(kDropout, {f32({64}, ones), i64({}, {7})});
  auto again = run(kDropout, {f32({64}, ones), i64({}, {7})});
  auto other = run(kDropout, {f32({64}, ones), i64({}, {8})});
  EXPECT_TRUE(first[0].isBitwiseEqual(again[0]));
  EXPECT_FALSE(first[0].isBitwiseEqual(other[0]));
  // A prefix of a longer input gets the same mask.
  auto shorter = run(kDropout, {f32({10}, std::vector<float>(10, 1.0f)),
                                i64({}, {7})});
  for (int64_t i = 0; i < 10; ++i)
    EXPECT_EQ(shorter[0].getElementAsDouble(i), first[0].getElementAsDouble(i));
}

TEST(DropoutMaskTest, IsTheDocumentedFunctionOfSeedStreamAndIndex) {
  EXPECT_EQ(getDropoutStreamName(3), "nn.dropout.3");
  // The formula of Interpreter.h, spelled out with the runtime's mixers.
  const uint64_t gamma = 0x9e3779b97f4a7c15ULL;
  for (uint64_t seed : {0ULL, 5ULL, ~0ULL}) {
    for (int64_t stream : {0, 2}) {
      uint64_t key = splitMix64(splitMix64(seed + gamma) ^
                                hashStableName(getDropoutStreamName(stream)));
      for (uint64_t i = 0; i < 200; ++i) {
        double u =
            static_cast<double>(splitMix64(key + (i + 1) * gamma) >> 11) *
            0x1.0p-53;
        for (double p : {0.0, 0.1, 0.5, 0.9})
          EXPECT_EQ(isDropoutKept(seed, stream, i, p), u >= p);
      }
    }
  }
}

} // namespace
