//===- OptimizerSpecTest.cpp - Tests of the optimizer spec parser ---------===//

#include "adjoint/Training/OptimizerSpec.h"

#include "gtest/gtest.h"

using namespace adjoint::training;

namespace {

std::string parseError(llvm::StringRef text) {
  llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec(text);
  if (spec)
    return "<parsed>";
  return llvm::toString(spec.takeError());
}

TEST(OptimizerSpec, SgdWithDefaults) {
  llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec("sgd(lr=0.1)");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->kind, OptimizerSpec::Kind::SGD);
  EXPECT_EQ(spec->lr, 0.1);
  EXPECT_EQ(spec->momentum, 0.0);
  EXPECT_EQ(spec->weightDecay, 0.0);
}

TEST(OptimizerSpec, SgdAllKeywordsAnyOrderAndSpacing) {
  llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec(
      "  sgd ( weight_decay = 1e-4,momentum=0.9 , lr=.5 )  ");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->lr, 0.5);
  EXPECT_EQ(spec->momentum, 0.9);
  EXPECT_EQ(spec->weightDecay, 1e-4);
}

TEST(OptimizerSpec, AdamWithDefaultsAndOverrides) {
  llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec("adam(lr=0.001)");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->kind, OptimizerSpec::Kind::Adam);
  EXPECT_EQ(spec->beta1, 0.9);
  EXPECT_EQ(spec->beta2, 0.999);
  EXPECT_EQ(spec->eps, 1e-8);
  spec = parseOptimizerSpec("adam(lr=1, beta1=0, beta2=0.5, eps=1E-6, "
                            "weight_decay=2)");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->beta1, 0.0);
  EXPECT_EQ(spec->beta2, 0.5);
  EXPECT_EQ(spec->eps, 1e-6);
  EXPECT_EQ(spec->weightDecay, 2.0);
}

TEST(OptimizerSpec, StrRoundTrips) {
  for (llvm::StringRef text :
       {"sgd(lr=0.1, momentum=0.9, weight_decay=0.0001)",
        "adam(lr=0.001, beta1=0.8, beta2=0.99, eps=1e-08, weight_decay=0)"}) {
    llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec(text);
    ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    EXPECT_EQ(spec->str(), text);
  }
  EXPECT_EQ(parseOptimizerSpec("sgd(lr=1)")->str(),
            "sgd(lr=1, momentum=0, weight_decay=0)");
}

TEST(OptimizerSpec, Errors) {
  EXPECT_EQ(parseError("rmsprop(lr=0.1)"),
            "optimizer 'rmsprop(lr=0.1)': unknown optimizer 'rmsprop' "
            "(expected 'sgd' or 'adam')");
  EXPECT_EQ(parseError("sgd(lr=0.1, beta1=0.9)"),
            "optimizer 'sgd(lr=0.1, beta1=0.9)': unknown keyword 'beta1' for "
            "sgd (expected lr, momentum, weight_decay)");
  EXPECT_EQ(parseError("adam(lr=0.1, momentum=0.9)"),
            "optimizer 'adam(lr=0.1, momentum=0.9)': unknown keyword "
            "'momentum' for adam (expected lr, beta1, beta2, eps, "
            "weight_decay)");
  EXPECT_EQ(parseError("sgd(lr=0.1x)"),
            "optimizer 'sgd(lr=0.1x)': bad number '0.1x' for 'lr'");
  EXPECT_EQ(parseError("sgd(lr=abc)"),
            "optimizer 'sgd(lr=abc)': bad number 'abc' for 'lr'");
  EXPECT_EQ(parseError("sgd(lr=1e)"),
            "optimizer 'sgd(lr=1e)': bad number '1e' for 'lr'");
  EXPECT_EQ(parseError("sgd(lr=)"),
            "optimizer 'sgd(lr=)': bad number '' for 'lr'");
  EXPECT_EQ(parseError("sgd(lr=-0.1)"),
            "optimizer 'sgd(lr=-0.1)': lr must not be negative (got -0.1)");
  EXPECT_EQ(parseError("sgd(lr=0.1, momentum=-1)"),
            "optimizer 'sgd(lr=0.1, momentum=-1)': momentum must not be "
            "negative (got -1)");
  EXPECT_EQ(parseError("sgd(lr=0.1, weight_decay=-1)"),
            "optimizer 'sgd(lr=0.1, weight_decay=-1)': weight_decay must not "
            "be negative (got -1)");
  EXPECT_EQ(parseError("adam(lr=0.1, beta2=1)"),
            "optimizer 'adam(lr=0.1, beta2=1)': beta2 must be in [0, 1) (got "
            "1)");
  EXPECT_EQ(parseError("adam(lr=0.1, beta1=-0.5)"),
            "optimizer 'adam(lr=0.1, beta1=-0.5)': beta1 must be in [0, 1) "
            "(got -0.5)");
  EXPECT_EQ(parseError("adam(lr=0.1, eps=-1)"),
            "optimizer 'adam(lr=0.1, eps=-1)': eps must not be negative (got "
            "-1)");
  EXPECT_EQ(parseError("sgd(momentum=0.9)"),
            "optimizer 'sgd(momentum=0.9)': missing the learning rate 'lr'");
  EXPECT_EQ(parseError("sgd(lr=0.1, lr=0.2)"),
            "optimizer 'sgd(lr=0.1, lr=0.2)': keyword 'lr' given twice");
  EXPECT_EQ(parseError("sgd"), "optimizer 'sgd': expected '(' after 'sgd'");
  EXPECT_EQ(parseError("sgd(lr=0.1"),
            "optimizer 'sgd(lr=0.1': expected ',' or ')' after the value of "
            "'lr'");
  EXPECT_EQ(parseError("sgd(lr=0.1) x"),
            "optimizer 'sgd(lr=0.1) x': unexpected 'x' after ')'");
  EXPECT_EQ(parseError("sgd(lr 0.1)"),
            "optimizer 'sgd(lr 0.1)': expected '=' after 'lr'");
  EXPECT_EQ(parseError(""),
            "optimizer '': expected an optimizer name ('sgd' or 'adam')");
  EXPECT_EQ(parseError("sgd(lr=1e999)"),
            "optimizer 'sgd(lr=1e999)': number '1e999' for 'lr' is out of "
            "range");
}

} // namespace
