//===- DriverTest.cpp - Shape arithmetic, calls, arguments, errors --------===//

#include "InterpreterTestSupport.h"

using namespace adjoint;
using namespace adjoint::interp;
using namespace adjoint::interp::test;

namespace {

using DriverTest = InterpreterTest;

TEST_F(DriverTest, IndexArithmetic) {
  // n = dim 0 of x (7): (n + 3) * 2 = 20, 20 / 3 = 6, 20 - 3 * 6 = 2,
  // -20 / 3 = -6 (toward zero), and unsigned 20 / 6 = 3.
  auto r = run(R"mlir(
func.func @f(%x: tensor<?x2xf32>) -> (index, index, index, index, index, i32, f32, f64) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %cm20 = arith.constant -20 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %a = arith.addi %n, %c3 : index
  %b = arith.muli %a, %c2 : index
  %q = arith.divsi %b, %c3 : index
  %t = arith.muli %c3, %q : index
  %r = arith.subi %b, %t : index
  %neg = arith.divsi %cm20, %c3 : index
  %u = arith.divui %b, %c6 : index
  %i = arith.index_cast %b : index to i32
  %fi = arith.sitofp %i : i32 to f32
  %bi = arith.index_cast %b : index to i64
  %fu = arith.uitofp %bi : i64 to f64
  return %b, %q, %r, %neg, %u, %i, %fi, %fu : index, index, index, index, index, i32, f32, f64
}
)mlir",
               {f32({7, 2}, std::vector<float>(14))});
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r[0].getDType(), DType::I64);
  expectTensor(r[0], {}, {20});
  expectTensor(r[1], {}, {6});
  expectTensor(r[2], {}, {2});
  expectTensor(r[3], {}, {-6});
  expectTensor(r[4], {}, {3});
  EXPECT_EQ(r[5].getDType(), DType::I32);
  expectTensor(r[5], {}, {20});
  EXPECT_EQ(r[6].getDType(), DType::F32);
  expectTensor(r[6], {}, {20});
  EXPECT_EQ(r[7].getDType(), DType::F64);
  expectTensor(r[7], {}, {20});
}

TEST_F(DriverTest, DivisionByZeroIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %q = arith.divsi %n, %n : index
  return %q : index
}
)mlir",
                                 {f32({0}, {})});
  EXPECT_EQ(message, "evaluate: arith.divsi at net.nn:5:8: division by zero");
}

TEST_F(DriverTest, FromElementsAndExtract) {
  auto r = run(R"mlir(
func.func @f(%x: tensor<?x3xf32>, %s: tensor<f32>) -> (tensor<2xindex>, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %m = tensor.dim %x, %c1 : tensor<?x3xf32>
  %shape = tensor.from_elements %n, %m : tensor<2xindex>
  %v = tensor.extract %s[] : tensor<f32>
  return %shape, %v : tensor<2xindex>, f32
}
)mlir",
               {f32({5, 3}, std::vector<float>(15)), f32({}, {2.5})});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {2}, {5, 3});
  expectTensor(r[1], {}, {2.5});
}

TEST_F(DriverTest, CallsFunctionsOfTheSameModule) {
  auto r = run(R"mlir(
func.func private @double(%x: tensor<?xf32>) -> tensor<?xf32> {
  %y = nn.add %x, %x : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  return %y : tensor<?xf32>
}
func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {
  %a = func.call @double(%x) : (tensor<?xf32>) -> tensor<?xf32>
  %b = call @double(%a) : (tensor<?xf32>) -> tensor<?xf32>
  return %b : tensor<?xf32>
}
)mlir",
               {f32({3}, {1, 2, 3})});
  expectTensor(r[0], {3}, {4, 8, 12});
}

TEST_F(DriverTest, RunawayRecursionIsAnError) {
  std::string message = runError(R"mlir(
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  %y = func.call @f(%x) : (tensor<f32>) -> tensor<f32>
  return %y : tensor<f32>
}
)mlir",
                                 {f32({}, {1})});
  EXPECT_NE(message.find("calls are nested more than 64 deep"),
            std::string::npos)
      << message;
}

constexpr const char *kNamedArgs = R"mlir(
func.func @f(%x: tensor<?x2xf32> {nn.name = "x"}, %label: tensor<?xi64> {nn.name = "label"}) -> (tensor<?x2xf32>, tensor<f32>) {
  %y = nn.relu %x : tensor<?x2xf32>
  %l = nn.softmax_cross_entropy %x, %label : (tensor<?x2xf32>, tensor<?xi64>) -> tensor<f32>
  return %y, %l : tensor<?x2xf32>, tensor<f32>
}
func.func @g(%x: tensor<?x2xf32> {nn.name = "x"}, %label: tensor<?xi64> {nn.name = "label"}) -> tensor<?x2xf32> {
  %y = nn.relu %x : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
)mlir";

TEST_F(DriverTest, ArgumentCountMustMatch) {
  std::string message = runError(kNamedArgs, {f32({1, 2}, {1, 2})});
  EXPECT_EQ(message, "evaluate: @f: takes 2 arguments, got 1");
}

TEST_F(DriverTest, ArgumentsMustFitTheirTypes) {
  std::string message =
      runError(kNamedArgs, {f32({1, 3}, {1, 2, 3}), i64({1}, {0})});
  EXPECT_EQ(message, "evaluate: @f: argument #0 ('x') is f32[1, 3], which "
                     "does not fit its type tensor<?x2xf32>");
  message = runError(kNamedArgs, {f32({1, 2}, {1, 2}), f32({1}, {0})});
  EXPECT_EQ(message, "evaluate: @f: argument #1 ('label') is f32[1], which "
                     "does not fit its type tensor<?xi64>");
  message = runError(kNamedArgs, {f32({2}, {1, 2}), i64({1}, {0})});
  EXPECT_NE(message.find("is f32[2], which does not fit"), std::string::npos)
      << message;
}

TEST_F(DriverTest, UnboundArgumentsAreFineUntilRead) {
  HostTensor x = f32({1, 2}, {-1, 2});
  const HostTensor *arguments[] = {&x, nullptr};
  mlir::func::FuncOp f = parse(kNamedArgs, "f");
  ASSERT_TRUE(f);
  auto results = evaluate(f, arguments);
  ASSERT_FALSE(results);
  EXPECT_EQ(llvm::toString(results.takeError()),
            "evaluate: nn.softmax_cross_entropy at net.nn:4:8: operand #1 "
            "reads argument #1 ('label'), which was not given");

  // @g does not read the label.
  auto g = module->lookupSymbol<mlir::func::FuncOp>("g");
  results = evaluate(g, arguments);
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());
  ASSERT_EQ(results->size(), 1u);
  expectTensor((*results)[0], {1, 2}, {0, 2});
}

TEST_F(DriverTest, UnsupportedOpsAreNamed) {
  std::string message = runError(R"mlir(
func.func @f(%a: f32) -> f32 {
  %y = arith.negf %a : f32
  return %y : f32
}
)mlir",
                                 {f32({}, {1})});
  EXPECT_EQ(message, "evaluate: arith.negf at net.nn:3:8: unsupported op");
}

TEST_F(DriverTest, LocationsAreTheFirstFileLocation) {
  std::string message = runError(R"mlir(
func.func @f(%a: tensor<?xf32>, %b: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %y = nn.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32> loc(fused["h", "model.nn":7:5])
  return %y, %y : tensor<?xf32>, tensor<?xf32>
}
)mlir",
                                 {f32({2}, {1, 2}), f32({3}, {1, 2, 3})});
  EXPECT_EQ(message,
            "evaluate: nn.add at model.nn:7:5: dynamic dims differ: [2] vs [3]");
  message = runError(R"mlir(
func.func @f(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %y = nn.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<?xf32> loc(unknown)
  return %y : tensor<?xf32>
}
)mlir",
                     {f32({2}, {1, 2}), f32({3}, {1, 2, 3})});
  EXPECT_EQ(message, "evaluate: nn.add: dynamic dims differ: [2] vs [3]");
}

TEST_F(DriverTest, ExternalFunctionsCannotBeEvaluated) {
  std::string message = runError("func.func private @f(tensor<f32>)\n",
                                 {f32({}, {1})});
  EXPECT_EQ(message, "evaluate: @f: the function has no body");
}

} // namespace
