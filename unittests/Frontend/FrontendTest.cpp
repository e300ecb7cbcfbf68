//===- FrontendTest.cpp - Tests of the frontend's entry points ------------===//

#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/Frontend.h"
#include "adjoint/Frontend/Initializers.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace adjoint;

namespace {

TEST(FrontendTest, FormatNumber) {
  EXPECT_EQ(frontend::formatNumber(0.125), "0.125");
  EXPECT_EQ(frontend::formatNumber(1), "1");
  EXPECT_EQ(frontend::formatNumber(0), "0");
  EXPECT_EQ(frontend::formatNumber(-0.02), "-0.02");
  EXPECT_EQ(frontend::formatNumber(1e-8), "1e-08");
  EXPECT_EQ(frontend::formatNumber(1e16), "1e+16");
  EXPECT_EQ(frontend::formatNumber(0.1), "0.1");
  EXPECT_EQ(frontend::getDefaultLayerInit(64), "uniform(-0.125, 0.125)");
}

TEST(FrontendTest, DimDefinitions) {
  FrontendOptions options;
  EXPECT_FALSE(addDimDefinition("N=128", options));
  EXPECT_FALSE(addDimDefinition(" T = 5 ", options));
  EXPECT_EQ(options.fixedDims.at("N"), 128);
  EXPECT_EQ(options.fixedDims.at("T"), 5);
  for (const char *bad : {"N", "N=0", "N=-1", "N=x", "1N=3", "=3", "N=2"}) {
    llvm::Error err = addDimDefinition(bad, options);
    EXPECT_TRUE(bool(err)) << bad;
    llvm::consumeError(std::move(err));
  }
}

/// Imports `text` and collects the diagnostics it reports.
mlir::OwningOpRef<mlir::ModuleOp>
import(mlir::MLIRContext &context, llvm::StringRef text,
       std::vector<std::string> &errors, const FrontendOptions &options = {}) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "test.nn"), llvm::SMLoc());
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    errors.push_back(diag.str());
    return mlir::success();
  });
  return importNetworkFile(sourceMgr, context, options);
}

TEST(FrontendTest, ImportsANetwork) {
  mlir::MLIRContext context;
  std::vector<std::string> errors;
  auto module = import(context,
                       "network t\ninput x: f32[N, 4]\nh = dense(x, 3)\n"
                       "output h\n",
                       errors);
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(module->getSymName(), "t");
  auto forward = module->lookupSymbol<mlir::func::FuncOp>("forward");
  ASSERT_TRUE(forward);
  EXPECT_EQ(forward.getNumArguments(), 3u);
  EXPECT_EQ(forward.getNumResults(), 1u);
}

TEST(FrontendTest, ReportsEveryError) {
  mlir::MLIRContext context;
  std::vector<std::string> errors;
  auto module = import(context,
                       "network t\ninput x: f32[N, 4]\na = rleu(x)\n"
                       "b = relu(a)\nc = relu(q)\nd = relu(q)\noutput d\n",
                       errors);
  EXPECT_FALSE(module);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "unknown op 'rleu'; did you mean 'relu'?");
  EXPECT_EQ(errors[1], "undefined name 'q'");
}

TEST(FrontendTest, ErrorLimit) {
  mlir::MLIRContext context;
  std::vector<std::string> errors;
  FrontendOptions options;
  options.errorLimit = 3;
  std::string text = "network t\n";
  for (int i = 0; i < 10; ++i)
    text += "y" + std::to_string(i) + " = relu(q" + std::to_string(i) + ")\n";
  EXPECT_FALSE(import(context, text, errors, options));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[3], "too many errors emitted (3), stopping now");
}

} // namespace
