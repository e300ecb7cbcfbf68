//===- ElementwiseTest.cpp - Constants, unary and binary ops --------------===//

#include "InterpreterTestSupport.h"

#include <cmath>
#include <functional>

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using ElementwiseTest = InterpreterTest;

const std::vector<double> kPoints = {-2.0, -0.5, 0.0, 0.5, 2.0};

/// Source of a function applying `op` (with `attrs`) to a tensor<5xTYPE>.
std::string unarySource(const std::string &op, const std::string &attrs,
                        const std::string &type = "f32") {
  std::string t = "tensor<5x" + type + ">";
  return "func.func @f(%x: " + t + ") -> " + t + " {\n  %y = nn." + op +
         " %x " + attrs + " : " + t + "\n  return %y : " + t + "\n}\n";
}

double gelu(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }

struct UnaryCase {
  const char *op;
  const char *attrs;
  std::function<double(double)> formula;
};

TEST_F(ElementwiseTest, UnaryOpsMatchTheirFormulas) {
  std::vector<UnaryCase> cases = {
      {"neg", "", [](double x) { return -x; }},
      {"exp", "", [](double x) { return std::exp(x); }},
      {"tanh", "", [](double x) { return std::tanh(x); }},
      {"sigmoid", "", [](double x) { return 1 / (1 + std::exp(-x)); }},
      {"relu", "", [](double x) { return x > 0 ? x : 0; }},
      {"leaky_relu", "{alpha = 0.25 : f32}",
       [](double x) { return x > 0 ? x : 0.25 * x; }},
      {"relu_mask", "", [](double x) { return x > 0 ? 1 : 0; }},
      {"relu_mask", "{alpha = 0.25 : f32}",
       [](double x) { return x > 0 ? 1 : 0.25; }},
      {"gelu", "", gelu},
      // The derivative of gelu, by central differences of gelu itself.
      {"gelu_deriv", "",
       [](double x) { return (gelu(x + 1e-5) - gelu(x - 1e-5)) / 2e-5; }},
  };
  std::vector<float> input(kPoints.begin(), kPoints.end());
  for (const UnaryCase &c : cases) {
    SCOPED_TRACE(c.op + std::string(" ") + c.attrs);
    auto results = run(unarySource(c.op, c.attrs), {f32({5}, input)});
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].getDType(), DType::F32);
    std::vector<double> expected;
    for (double x : kPoints)
      expected.push_back(c.formula(x));
    expectTensor(results[0], {5}, expected, 1e-6);
  }
}

TEST_F(ElementwiseTest, LogAndSqrtOnPositiveValues) {
  auto log = run(unarySource("log", ""), {f32({5}, {1, 2, 4, 0.5, 10})});
  expectTensor(log[0], {5},
               {0, std::log(2.0), std::log(4.0), std::log(0.5), std::log(10.0)});
  auto sqrt = run(unarySource("sqrt", ""), {f32({5}, {0, 1, 4, 9, 2})});
  expectTensor(sqrt[0], {5}, {0, 1, 2, 3, std::sqrt(2.0)});
}

TEST_F(ElementwiseTest, GeluKnownValues) {
  // gelu(0) = 0, gelu(x) - gelu(-x) = x, gelu'(0) = 1/2.
  auto g = run(unarySource("gelu", ""), {f32({5}, {0, 1, -1, 3, -3})});
  EXPECT_EQ(g[0].getElementAsDouble(0), 0.0);
  EXPECT_NEAR(g[0].getElementAsDouble(1) - g[0].getElementAsDouble(2), 1.0,
              1e-6);
  EXPECT_NEAR(g[0].getElementAsDouble(3) - g[0].getElementAsDouble(4), 3.0,
              1e-6);
  auto d = run(unarySource("gelu_deriv", ""), {f32({5}, {0, 0, 0, 0, 0})});
  EXPECT_NEAR(d[0].getElementAsDouble(0), 0.5, 1e-7);
}

TEST_F(ElementwiseTest, ReluPropagatesNaN) {
  auto y = run(unarySource("relu", ""), {f32({5}, {NAN, -1, 0, 1, 2})});
  EXPECT_TRUE(std::isnan(y[0].getElementAsDouble(0)));
  expectTensor(y[0].convertTo(DType::F64), {5}, {NAN, 0, 0, 1, 2});
}

TEST_F(ElementwiseTest, F64ArgumentsOfF64Ops) {
  auto y = run(unarySource("exp", "", "f64"), {f64({5}, {0, 1, 2, -1, 1e-10})});
  ASSERT_EQ(y[0].getDType(), DType::F64);
  EXPECT_EQ(y[0].getValues<double>()[1], std::exp(1.0));
  EXPECT_EQ(y[0].getValues<double>()[4], std::exp(1e-10));
}

constexpr const char *kBroadcastAdd = R"mlir(
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = nn.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
)mlir";

TEST_F(ElementwiseTest, AddBroadcastsARow) {
  auto y = run(kBroadcastAdd,
               {f32({2, 3}, {1, 2, 3, 4, 5, 6}), f32({3}, {10, 20, 30})});
  expectTensor(y[0], {2, 3}, {11, 22, 33, 14, 25, 36});
}

TEST_F(ElementwiseTest, SubBroadcastsBothOperands) {
  // [2, 1] - [1, 3] -> [2, 3]: an outer difference.
  auto y = run(R"mlir(
func.func @f(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %y = nn.sub %a, %b : tensor<2x1xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
)mlir",
               {f32({2, 1}, {10, 20}), f32({1, 3}, {1, 2, 3})});
  expectTensor(y[0], {2, 3}, {9, 8, 7, 19, 18, 17});
}

TEST_F(ElementwiseTest, MulAndDivByAScalarConstant) {
  auto y = run(R"mlir(
func.func @f(%a: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %c = nn.constant dense<4.0> : tensor<f32>
  %m = nn.mul %a, %c : tensor<?x2xf32>, tensor<f32> -> tensor<?x2xf32>
  %d = nn.div %a, %c : tensor<?x2xf32>, tensor<f32> -> tensor<?x2xf32>
  return %m, %d : tensor<?x2xf32>, tensor<?x2xf32>
}
)mlir",
               {f32({3, 2}, {1, 2, 3, 4, 5, 6})});
  ASSERT_EQ(y.size(), 2u);
  expectTensor(y[0], {3, 2}, {4, 8, 12, 16, 20, 24});
  expectTensor(y[1], {3, 2}, {0.25, 0.5, 0.75, 1, 1.25, 1.5});
}

constexpr const char *kDynamicAdd = R"mlir(
func.func @f(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = nn.add %a, %b : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir";

TEST_F(ElementwiseTest, DynamicDimsTakeTheirSizeFromTheArguments) {
  for (int64_t n : {0, 1, 4}) {
    std::vector<float> a(n * 3), b(n * 3);
    std::vector<double> expected(n * 3);
    for (int64_t i = 0; i < n * 3; ++i) {
      a[i] = static_cast<float>(i);
      b[i] = static_cast<float>(100 * i);
      expected[i] = 101.0 * i;
    }
    auto y = run(kDynamicAdd, {f32({n, 3}, a), f32({n, 3}, b)});
    expectTensor(y[0], {n, 3}, expected);
  }
}

TEST_F(ElementwiseTest, DynamicDimsMustAgree) {
  std::string message = runError(
      kDynamicAdd, {f32({4, 3}, std::vector<float>(12)),
                    f32({3, 3}, std::vector<float>(9))});
  EXPECT_EQ(message,
            "evaluate: nn.add at net.nn:3:8: dynamic dims differ: [4, 3] vs "
            "[3, 3]");
}

TEST_F(ElementwiseTest, ADynamicDimOfSizeOneDoesNotBroadcast) {
  // The IR rule: only a static 1 broadcasts.
  std::string message =
      runError(kDynamicAdd, {f32({1, 3}, std::vector<float>(3)),
                             f32({2, 3}, std::vector<float>(6))});
  EXPECT_NE(message.find("dynamic dims differ: [1, 3] vs [2, 3]"),
            std::string::npos)
      << message;
}

TEST_F(ElementwiseTest, ConstantsOfEveryElementType) {
  auto y = run(R"mlir(
func.func @f() -> (tensor<2xf32>, tensor<2x2xf64>, tensor<3xi64>, tensor<i32>) {
  %a = nn.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %b = nn.constant dense<0.25> : tensor<2x2xf64>
  %c = nn.constant dense<[7, -8, 9]> : tensor<3xi64>
  %d = nn.constant dense<-3> : tensor<i32>
  return %a, %b, %c, %d : tensor<2xf32>, tensor<2x2xf64>, tensor<3xi64>, tensor<i32>
}
)mlir",
               {});
  ASSERT_EQ(y.size(), 4u);
  EXPECT_EQ(y[0].getDType(), DType::F32);
  expectTensor(y[0], {2}, {1.5, -2});
  EXPECT_EQ(y[1].getDType(), DType::F64);
  expectTensor(y[1], {2, 2}, {0.25, 0.25, 0.25, 0.25});
  EXPECT_EQ(y[2].getDType(), DType::I64);
  expectTensor(y[2], {3}, {7, -8, 9});
  EXPECT_EQ(y[3].getDType(), DType::I32);
  expectTensor(y[3], {}, {-3});
}

constexpr const char *kAddTiny = R"mlir(
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %c = nn.constant dense<1.0e-10> : tensor<f32>
  %y = nn.add %a, %c : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}
)mlir";

TEST_F(ElementwiseTest, ComputeInF64KeepsWhatF32Rounds) {
  // 1 + 1e-10 is 1 in f32, but not in f64.
  auto inF32 = run(kAddTiny, {f32({2}, {1, 2})});
  ASSERT_EQ(inF32[0].getDType(), DType::F32);
  EXPECT_EQ(inF32[0].getValues<float>()[0], 1.0f);

  InterpreterOptions options;
  options.computeInF64 = true;
  auto inF64 = run(kAddTiny, {f32({2}, {1, 2})}, options);
  ASSERT_EQ(inF64[0].getDType(), DType::F64);
  EXPECT_EQ(inF64[0].getValues<double>()[0], 1.0 + 1e-10);
  EXPECT_EQ(inF64[0].getValues<double>()[1], 2.0 + 1e-10);

  // f64 arguments are accepted as they are.
  auto fromF64 = run(kAddTiny, {f64({2}, {1 + 1e-12, 2})}, options);
  EXPECT_EQ(fromF64[0].getValues<double>()[0], 1 + 1e-12 + 1e-10);
}

TEST_F(ElementwiseTest, F32ModeRefusesF64Arguments) {
  std::string message = runError(kAddTiny, {f64({2}, {1, 2})});
  EXPECT_EQ(message, "evaluate: @f: argument #0 is f64[2], which does not fit "
                     "its type tensor<2xf32>");
}

} // namespace
