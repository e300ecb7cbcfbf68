//===- FixtureGradTest.cpp - Gradients of the examples equal PyTorch's ----===//
//
// Each example network goes through the frontend and nn-adjoint's machinery;
// the reference interpreter runs @gradient (in f32, as compiled code does) on
// the parameters and inputs of its PyTorch fixture (test/fixtures/<name>),
// and every output, the loss and every gradient must match the fixture
// within compare.py's default tolerance (rtol 1e-4, atol 1e-5).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Adjoint.h"
#include "adjoint/Autodiff/Rules.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Frontend/Frontend.h"
#include "adjoint/Interpreter/Interpreter.h"
#include "adjoint/Runtime/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace mlir;
using namespace adjoint;

namespace {

std::string sourcePath(llvm::StringRef relative) {
  llvm::SmallString<128> path(ADJOINT_SOURCE_DIR);
  llvm::sys::path::append(path, relative);
  return std::string(path);
}

/// Checks every element within atol + rtol * |expected|; returns a message
/// naming the worst element, or an empty string.
std::string compare(const HostTensor &actual, const HostTensor &expected,
                    double rtol = 1e-4, double atol = 1e-5) {
  if (actual.getShape() != expected.getShape())
    return "shape " + formatShape(actual.getShape()) + " instead of " +
           formatShape(expected.getShape());
  double worst = 0;
  int64_t worstIndex = -1;
  for (int64_t i = 0; i < expected.getNumElements(); ++i) {
    double a = actual.getElementAsDouble(i), e = expected.getElementAsDouble(i);
    double excess = std::fabs(a - e) - (atol + rtol * std::fabs(e));
    if (excess > worst || std::isnan(a)) {
      worst = std::isnan(a) ? INFINITY : excess;
      worstIndex = i;
    }
  }
  if (worstIndex < 0)
    return {};
  return "element " + std::to_string(worstIndex) + " is " +
         std::to_string(actual.getElementAsDouble(worstIndex)) +
         ", expected " +
         std::to_string(expected.getElementAsDouble(worstIndex));
}

class FixtureGradTest : public ::testing::TestWithParam<const char *> {
protected:
  FixtureGradTest() {
    DialectRegistry registry;
    registry.insert<nn::NNDialect, func::FuncDialect, arith::ArithDialect,
                    tensor::TensorDialect>();
    registerNNAutodiffModels(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }
  MLIRContext context;
};

TEST_P(FixtureGradTest, GradientsMatchPyTorch) {
  std::string name = GetParam();
  std::string fixture = sourcePath("test/fixtures/" + name);

  llvm::SourceMgr sourceMgr;
  ASSERT_FALSE(static_cast<bool>(
      openNetworkFile(sourcePath("examples/" + name + ".nn"), sourceMgr)));
  OwningOpRef<ModuleOp> module =
      importNetworkFile(sourceMgr, context, FrontendOptions());
  ASSERT_TRUE(module);
  FailureOr<func::FuncOp> gradient =
      autodiff::buildGradientFunction(*module, autodiff::GradientOptions());
  ASSERT_TRUE(succeeded(gradient));

  // Arguments from the fixture, by name and kind.
  std::vector<HostTensor> args;
  for (unsigned i = 0; i < gradient->getNumArguments(); ++i) {
    auto argName =
        gradient->getArgAttrOfType<StringAttr>(i, nn::NNDialect::kNameAttr);
    auto kind =
        gradient->getArgAttrOfType<StringAttr>(i, nn::NNDialect::kKindAttr);
    ASSERT_TRUE(argName && kind);
    if (kind.getValue() == "seed") {
      args.push_back(HostTensor::fromValues<int64_t>({}, {0}));
      continue;
    }
    std::string dir = kind.getValue() == "input" ? "inputs" : "params";
    auto tensor =
        readNpyFile(fixture + "/" + dir + "/" + argName.getValue().str() + ".npy");
    ASSERT_TRUE(static_cast<bool>(tensor)) << llvm::toString(tensor.takeError());
    args.push_back(std::move(*tensor));
  }

  auto results = interp::evaluate(*gradient, args);
  ASSERT_TRUE(static_cast<bool>(results)) << llvm::toString(results.takeError());

  std::set<std::string> compared;
  for (unsigned i = 0; i < gradient->getNumResults(); ++i) {
    auto resultName = gradient->getResultAttrOfType<StringAttr>(
        i, nn::NNDialect::kNameAttr);
    auto kind = gradient->getResultAttrOfType<StringAttr>(
        i, nn::NNDialect::kKindAttr);
    ASSERT_TRUE(resultName && kind);
    std::string file;
    if (kind.getValue() == "loss")
      file = "loss.npy";
    else if (kind.getValue() == "output")
      file = "outputs/" + resultName.getValue().str() + ".npy";
    else if (kind.getValue() == "grad")
      file = "grad/" +
             resultName.getValue().drop_front(strlen("grad.")).str() + ".npy";
    else
      continue;
    auto expected = readNpyFile(fixture + "/" + file);
    ASSERT_TRUE(static_cast<bool>(expected))
        << llvm::toString(expected.takeError());
    EXPECT_EQ(compare((*results)[i], *expected), "") << name << ": " << file;
    compared.insert(file);
  }

  // Every gradient of the fixture was computed.
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(fixture + "/grad", ec), end;
       it != end && !ec; it.increment(ec))
    EXPECT_TRUE(compared.count(
        "grad/" + llvm::sys::path::filename(it->path()).str()))
        << name << ": no gradient result for " << it->path();
}

INSTANTIATE_TEST_SUITE_P(Examples, FixtureGradTest,
                         ::testing::Values("digits_mlp", "digits_cnn",
                                           "residual_block", "attention"));

} // namespace
