//===- GradCheckTest.cpp - The numerical checks catch wrong rules ---------===//
//
// Rules are attached here by hand, some of them wrong on purpose: a wrong
// linearization must fail the finite-difference check, a wrong transpose the
// dot-product test, and a missing rule must be reported by name.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Autodiff/VerifyGrad.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Interfaces/AutodiffInterfaces.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace adjoint;

namespace {

/// neg transposed correctly (dx = -dy) or, when Wrong, as the identity.
template <bool Wrong>
struct NegTranspose
    : TransposeOpInterface::ExternalModel<NegTranspose<Wrong>, nn::NegOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    out.assign(1, Value());
    if (cots[0])
      out[0] = Wrong ? cots[0]
                     : nn::NegOp::create(b, op->getLoc(), cots[0]).getResult();
    return success();
  }
};

/// A wrong linearization of exp: dy = -dx.
struct WrongExpLinearize
    : LinearizeOpInterface::ExternalModel<WrongExpLinearize, nn::ExpOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange t) const {
    if (!t[0])
      return SmallVector<Value>{Value()};
    return SmallVector<Value>{nn::NegOp::create(b, op->getLoc(), t[0])};
  }
};

class GradCheckTest : public ::testing::Test {
protected:
  GradCheckTest() {
    context.loadDialect<nn::NNDialect, func::FuncDialect, arith::ArithDialect,
                        tensor::TensorDialect>();
  }

  llvm::Expected<autodiff::GradCheckResult> check(const char *source) {
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return llvm::createStringError("cannot parse");
    auto f = module->lookupSymbol<func::FuncOp>("f");
    std::vector<HostTensor> args = autodiff::makeRandomArguments(f, 3, 1);
    return autodiff::checkGradients(f, args, {0});
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

const char *kNeg = R"(
  func.func @f(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
    %0 = nn.neg %a : tensor<?x3xf32>
    return %0 : tensor<?x3xf32>
  })";

const char *kExp = R"(
  func.func @f(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
    %0 = nn.exp %a : tensor<?x3xf32>
    return %0 : tensor<?x3xf32>
  })";

TEST_F(GradCheckTest, CorrectRulePasses) {
  nn::NegOp::attachInterface<NegTranspose<false>>(context);
  auto result = check(kNeg);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_LT(result->fdError, 1e-8);
  EXPECT_LT(result->dotError, 1e-12);
}

TEST_F(GradCheckTest, WrongTransposeFailsTheDotProductTest) {
  nn::NegOp::attachInterface<NegTranspose<true>>(context);
  auto result = check(kNeg);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  // The linearization (neg applied to the tangent) is right; its transpose
  // is not.
  EXPECT_LT(result->fdError, 1e-8);
  EXPECT_GT(result->dotError, 0.5);
}

TEST_F(GradCheckTest, WrongLinearizationFailsFiniteDifferences) {
  nn::NegOp::attachInterface<NegTranspose<false>>(context);
  nn::ExpOp::attachInterface<WrongExpLinearize>(context);
  auto result = check(kExp);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_GT(result->fdError, 0.5);
  // Transposing a wrong linearization consistently still passes.
  EXPECT_LT(result->dotError, 1e-12);
}

TEST_F(GradCheckTest, MissingRuleIsReportedByName) {
  auto result = check(kExp);
  ASSERT_FALSE(static_cast<bool>(result));
  std::string message = llvm::toString(result.takeError());
  EXPECT_NE(message.find("no gradient rule for 'nn.exp'"), std::string::npos)
      << message;
}

} // namespace
