//===- InitTest.cpp - Tests of parameter initialization -------------------===//

#include "adjoint/Runtime/Init.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>

using namespace adjoint;

namespace {

std::string parseError(llvm::StringRef text) {
  llvm::Expected<Initializer> init = parseInitializer(text);
  if (init)
    return "<success>";
  return llvm::toString(init.takeError());
}

/// The normalized text of a valid initializer.
std::string normalized(llvm::StringRef text) {
  llvm::Expected<Initializer> init = parseInitializer(text);
  if (!init)
    return llvm::toString(init.takeError());
  return init->str();
}

HostTensor initOrDie(llvm::StringRef text, llvm::ArrayRef<int64_t> shape,
                     uint64_t seed, llvm::StringRef name) {
  llvm::Expected<HostTensor> tensor =
      initializeParameter(text, shape, seed, name);
  if (!tensor) {
    ADD_FAILURE() << llvm::toString(tensor.takeError());
    return HostTensor(DType::F32, shape);
  }
  return std::move(*tensor);
}

struct Stats {
  double mean, std, min, max;
};

Stats getStats(const HostTensor &tensor) {
  llvm::ArrayRef<float> values = tensor.getValues<float>();
  double sum = 0, sumSq = 0;
  for (float v : values) {
    sum += v;
    sumSq += double(v) * v;
  }
  double n = values.size();
  double mean = sum / n;
  return {mean, std::sqrt(sumSq / n - mean * mean),
          *std::min_element(values.begin(), values.end()),
          *std::max_element(values.begin(), values.end())};
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

TEST(InitTest, ParsesEveryForm) {
  EXPECT_EQ(normalized("zeros"), "zeros");
  EXPECT_EQ(normalized("ones"), "ones");
  EXPECT_EQ(normalized("constant(0.5)"), "constant(0.5)");
  EXPECT_EQ(normalized("normal(0, 1)"), "normal(0, 1)");
  EXPECT_EQ(normalized("uniform(-0.125, 0.125)"), "uniform(-0.125, 0.125)");
  EXPECT_EQ(normalized("glorot_uniform"), "glorot_uniform");
  EXPECT_EQ(normalized("he_normal"), "he_normal");

  llvm::Expected<Initializer> init = parseInitializer("normal(1.5, 0.02)");
  ASSERT_TRUE(bool(init)) << llvm::toString(init.takeError());
  EXPECT_EQ(init->kind, Initializer::Kind::Normal);
  EXPECT_EQ(init->a, 1.5);
  EXPECT_EQ(init->b, 0.02);
}

TEST(InitTest, ParsesSpacingKeywordsAndExpressions) {
  EXPECT_EQ(normalized("  normal ( 0 ,1e-2 )  "), "normal(0, 0.01)");
  EXPECT_EQ(normalized("glorot_uniform()"), "glorot_uniform");
  EXPECT_EQ(normalized("normal(mean=0, std=0.02)"), "normal(0, 0.02)");
  EXPECT_EQ(normalized("normal(std=2, mean=-1)"), "normal(-1, 2)");
  EXPECT_EQ(normalized("uniform(-1, high=3)"), "uniform(-1, 3)");
  EXPECT_EQ(normalized("constant(value=-.5)"), "constant(-0.5)");
  EXPECT_EQ(normalized("constant(2.)"), "constant(2)");
  EXPECT_EQ(normalized("constant(+1E+2)"), "constant(100)");
  // PyTorch's dense default, written as PyTorch writes it.
  EXPECT_EQ(normalized("uniform(-1/sqrt(64), 1/sqrt(64))"),
            "uniform(-0.125, 0.125)");
  EXPECT_EQ(normalized("constant((1 + 2) * 3 - 4 / 8)"), "constant(8.5)");
  EXPECT_EQ(normalized("constant(--1)"), "constant(1)");
  EXPECT_EQ(normalized("normal(0, 0.1)"), "normal(0, 0.1)");
  EXPECT_EQ(normalized("normal(0, 1e-8)"), "normal(0, 1e-08)");
  EXPECT_EQ(normalized("constant(1e16)"), "constant(1e+16)");
  EXPECT_EQ(normalized("constant(123456789012345)"),
            "constant(123456789012345)");
  EXPECT_EQ(normalized("constant(0.1 + 0.2)"), "constant(0.30000000000000004)");
  EXPECT_EQ(normalized("constant(1e-5 + 1e-21)"),
            "constant(1.0000000000000003e-05)");
}

TEST(InitTest, RefusesBadInitializers) {
  EXPECT_EQ(parseError(""),
            "invalid initializer '': expected an initializer name");
  EXPECT_EQ(parseError("xavier"),
            "invalid initializer 'xavier': unknown initializer 'xavier'; "
            "expected zeros, ones, constant(V), normal(mean, std), "
            "uniform(low, high), glorot_uniform or he_normal");
  EXPECT_EQ(parseError("normal"),
            "invalid initializer 'normal': normal needs 2 arguments (mean, "
            "std); mean is missing");
  EXPECT_EQ(parseError("normal(0)"),
            "invalid initializer 'normal(0)': normal needs 2 arguments (mean, "
            "std); std is missing");
  EXPECT_EQ(parseError("constant()"),
            "invalid initializer 'constant()': constant needs 1 argument "
            "(value); value is missing");
  EXPECT_EQ(parseError("uniform(0, 1, 2)"),
            "invalid initializer 'uniform(0, 1, 2)': uniform takes 2 "
            "arguments (low, high)");
  EXPECT_EQ(parseError("zeros(1)"),
            "invalid initializer 'zeros(1)': zeros takes 0 arguments");
  EXPECT_EQ(parseError("normal(0, sigma=1)"),
            "invalid initializer 'normal(0, sigma=1)': normal has no argument "
            "'sigma' (it takes mean, std)");
  EXPECT_EQ(parseError("he_normal(gain=2)"),
            "invalid initializer 'he_normal(gain=2)': he_normal has no "
            "argument 'gain' (it takes none)");
  EXPECT_EQ(parseError("normal(mean=0, mean=1)"),
            "invalid initializer 'normal(mean=0, mean=1)': argument 'mean' "
            "given twice");
  EXPECT_EQ(parseError("normal(std=1, 0)"),
            "invalid initializer 'normal(std=1, 0)': a positional argument "
            "follows a keyword argument");
  EXPECT_EQ(parseError("normal(0, -1)"),
            "invalid initializer 'normal(0, -1)': the standard deviation of "
            "normal must not be negative");
  EXPECT_EQ(parseError("uniform(1, -1)"),
            "invalid initializer 'uniform(1, -1)': uniform needs low <= high");
  EXPECT_EQ(parseError("constant(abc)"),
            "invalid initializer 'constant(abc)': expected a number at "
            "character 10");
  EXPECT_EQ(parseError("constant(1x)"),
            "invalid initializer 'constant(1x)': unexpected 'x' in a number "
            "at character 11");
  EXPECT_EQ(parseError("constant(1e)"),
            "invalid initializer 'constant(1e)': malformed exponent at "
            "character 11");
  EXPECT_EQ(parseError("constant(1"),
            "invalid initializer 'constant(1': expected ',' or ')' at "
            "character 11");
  EXPECT_EQ(parseError("constant(1 2)"),
            "invalid initializer 'constant(1 2)': expected ',' or ')' at "
            "character 12");
  EXPECT_EQ(parseError("constant(1/0)"),
            "invalid initializer 'constant(1/0)': division by zero");
  EXPECT_EQ(parseError("constant(sqrt(-1))"),
            "invalid initializer 'constant(sqrt(-1))': sqrt of a negative "
            "number");
  EXPECT_EQ(parseError("constant(1e999)"),
            "invalid initializer 'constant(1e999)': argument 'value' is not "
            "finite");
  EXPECT_EQ(parseError("zeros ones"),
            "invalid initializer 'zeros ones': unexpected 'ones' after the "
            "initializer");
  EXPECT_EQ(parseError("constant(" + std::string(100, '(') + "1" +
                       std::string(100, ')') + ")"),
            "invalid initializer 'constant(" + std::string(100, '(') + "1" +
                std::string(100, ')') + ")': expression nested too deeply");
}

//===----------------------------------------------------------------------===//
// Fans
//===----------------------------------------------------------------------===//

TEST(InitTest, FanInAndFanOutLikePyTorch) {
  auto fans = [](llvm::ArrayRef<int64_t> shape) {
    llvm::Expected<FanInOut> result = computeFanInAndFanOut(shape);
    if (!result)
      return std::make_pair(int64_t(-1), int64_t(-1));
    return std::make_pair(result->fanIn, result->fanOut);
  };
  // dense weight [out, in].
  EXPECT_EQ(fans({128, 64}), std::make_pair(int64_t(64), int64_t(128)));
  // conv2d weight [out, in, kh, kw].
  EXPECT_EQ(fans({16, 3, 5, 5}), std::make_pair(int64_t(75), int64_t(400)));
  EXPECT_EQ(fans({8, 4, 3}), std::make_pair(int64_t(12), int64_t(24)));

  llvm::Expected<FanInOut> vector = computeFanInAndFanOut({10});
  ASSERT_FALSE(bool(vector));
  EXPECT_EQ(llvm::toString(vector.takeError()),
            "fan in and fan out cannot be computed for shape [10] (rank 1; "
            "at least 2 is needed)");
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

TEST(InitTest, ConstantInitializers) {
  HostTensor zeros = initOrDie("zeros", {3, 4}, 0, "p");
  EXPECT_EQ(zeros.getNumElements(), 12);
  for (float v : zeros.getValues<float>())
    EXPECT_EQ(v, 0.0f);
  HostTensor ones = initOrDie("ones", {5}, 0, "p");
  for (float v : ones.getValues<float>())
    EXPECT_EQ(v, 1.0f);
  HostTensor constant = initOrDie("constant(-0.25)", {}, 0, "p");
  EXPECT_EQ(constant.getRank(), 0);
  EXPECT_EQ(constant.getValues<float>()[0], -0.25f);
}

TEST(InitTest, UniformStatistics) {
  HostTensor tensor = initOrDie("uniform(-2, 3)", {400, 250}, 1, "u");
  Stats stats = getStats(tensor);
  EXPECT_GE(stats.min, -2.0);
  EXPECT_LT(stats.max, 3.0);
  // The extremes of 100000 draws lie close to the bounds.
  EXPECT_LT(stats.min, -1.99);
  EXPECT_GT(stats.max, 2.99);
  EXPECT_NEAR(stats.mean, 0.5, 0.02);
  EXPECT_NEAR(stats.std, 5.0 / std::sqrt(12.0), 0.01);
}

TEST(InitTest, NormalStatistics) {
  HostTensor tensor = initOrDie("normal(1, 2)", {100000}, 2, "n");
  Stats stats = getStats(tensor);
  EXPECT_NEAR(stats.mean, 1.0, 0.03);
  EXPECT_NEAR(stats.std, 2.0, 0.02);
  // Tails reach about 4.4 sigma in 1e5 samples.
  EXPECT_LT(stats.min, 1.0 - 3.5 * 2);
  EXPECT_GT(stats.max, 1.0 + 3.5 * 2);
}

TEST(InitTest, GlorotUniformBoundAndSpread) {
  // fan_in 300, fan_out 200: a = sqrt(6 / 500).
  HostTensor tensor = initOrDie("glorot_uniform", {200, 300}, 3, "g");
  double bound = std::sqrt(6.0 / 500.0);
  Stats stats = getStats(tensor);
  EXPECT_GE(stats.min, -bound);
  EXPECT_LT(stats.max, bound);
  EXPECT_LT(stats.min, -0.99 * bound);
  EXPECT_GT(stats.max, 0.99 * bound);
  EXPECT_NEAR(stats.mean, 0.0, 0.002);
  EXPECT_NEAR(stats.std, bound / std::sqrt(3.0), 0.002);
}

TEST(InitTest, HeNormalUsesFanInWithReceptiveField) {
  // conv weight [64, 32, 3, 3]: fan_in = 32 * 9 = 288.
  HostTensor tensor = initOrDie("he_normal", {64, 32, 3, 3}, 4, "c.weight");
  Stats stats = getStats(tensor);
  double expected = std::sqrt(2.0 / 288.0);
  EXPECT_NEAR(stats.mean, 0.0, 0.003);
  EXPECT_NEAR(stats.std, expected, 0.01 * expected);
}

TEST(InitTest, DeterministicPerSeedDifferentPerName) {
  HostTensor a = initOrDie("normal(0, 1)", {10, 10}, 5, "h.weight");
  HostTensor again = initOrDie("normal(0, 1)", {10, 10}, 5, "h.weight");
  HostTensor otherName = initOrDie("normal(0, 1)", {10, 10}, 5, "o.weight");
  HostTensor otherSeed = initOrDie("normal(0, 1)", {10, 10}, 6, "h.weight");
  EXPECT_TRUE(a.isBitwiseEqual(again));
  EXPECT_FALSE(a.isBitwiseEqual(otherName));
  EXPECT_FALSE(a.isBitwiseEqual(otherSeed));
  // No element coincides (the streams are unrelated).
  for (int i = 0; i < 100; ++i) {
    EXPECT_NE(a.getValues<float>()[i], otherName.getValues<float>()[i]);
    EXPECT_NE(a.getValues<float>()[i], otherSeed.getValues<float>()[i]);
  }
}

TEST(InitTest, IndependentOfOrder) {
  HostTensor first = initOrDie("uniform(0, 1)", {50}, 9, "a");
  (void)initOrDie("uniform(0, 1)", {1000}, 9, "b");
  HostTensor second = initOrDie("uniform(0, 1)", {50}, 9, "a");
  EXPECT_TRUE(first.isBitwiseEqual(second));
}

TEST(InitTest, FillsF64Too) {
  HostTensor tensor(DType::F64, {1000});
  llvm::Expected<Initializer> init = parseInitializer("uniform(10, 11)");
  ASSERT_TRUE(bool(init));
  ASSERT_FALSE(bool(fillInitializer(tensor, *init, 0, "d")));
  for (double v : tensor.getValues<double>()) {
    EXPECT_GE(v, 10.0);
    EXPECT_LT(v, 11.0);
  }
}

TEST(InitTest, EmptyTensorsAreFine) {
  EXPECT_EQ(initOrDie("glorot_uniform", {0, 5}, 0, "e").getNumElements(), 0);
  EXPECT_EQ(initOrDie("normal(0, 1)", {0}, 0, "e").getNumElements(), 0);
}

TEST(InitTest, InitializeParameterErrorsNameTheParameter) {
  auto error = [](llvm::StringRef text, llvm::ArrayRef<int64_t> shape) {
    llvm::Expected<HostTensor> tensor =
        initializeParameter(text, shape, 0, "h.bias");
    if (tensor)
      return std::string("<success>");
    return llvm::toString(tensor.takeError());
  };
  EXPECT_EQ(error("glorot_uniform", {128}),
            "parameter 'h.bias': glorot_uniform: fan in and fan out cannot be "
            "computed for shape [128] (rank 1; at least 2 is needed)");
  EXPECT_EQ(error("he_normal", {}),
            "parameter 'h.bias': he_normal: fan in and fan out cannot be "
            "computed for shape [] (rank 0; at least 2 is needed)");
  EXPECT_EQ(error("normal(0)", {3}),
            "parameter 'h.bias': invalid initializer 'normal(0)': normal "
            "needs 2 arguments (mean, std); std is missing");
  EXPECT_EQ(error("zeros", {-3}),
            "parameter 'h.bias': invalid shape [-3]: dims must not be "
            "negative");

  HostTensor ints(DType::I64, {2});
  llvm::Expected<Initializer> init = parseInitializer("ones");
  ASSERT_TRUE(bool(init));
  llvm::Error err = fillInitializer(ints, *init, 0, "i");
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(llvm::toString(std::move(err)),
            "cannot initialize a tensor of i64 (only f32 and f64)");
}

} // namespace
