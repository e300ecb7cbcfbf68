//===- CodegenDefaultsTest.cpp - LLVM option defaults of the code generator ===//
//
// createTargetMachine sets some of LLVM's own options (lib/Execution/
// Codegen.cpp, docs/performance.md) when the command line leaves them alone,
// as it does in this test. lit's codegen-defaults.test checks that a value
// on the command line wins.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Execution/Codegen.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Target/TargetMachine.h"

#include <gtest/gtest.h>

namespace {

template <typename T>
T getOptionValue(llvm::StringRef name) {
  auto &registered = llvm::cl::getRegisteredOptions();
  auto it = registered.find(name);
  EXPECT_NE(it, registered.end()) << "LLVM has no option " << name.str();
  if (it == registered.end())
    return T();
  return static_cast<llvm::cl::opt<T> *>(it->second)->getValue();
}

TEST(CodegenDefaultsTest, SetByCreateTargetMachine) {
  // LLVM's own defaults before, ours after.
  EXPECT_FALSE(getOptionValue<bool>("disable-lsr"));
  auto machine = adjoint::createTargetMachine(adjoint::CodegenOptions());
  ASSERT_TRUE(bool(machine)) << llvm::toString(machine.takeError());
  EXPECT_TRUE(getOptionValue<bool>("disable-lsr"));
  EXPECT_EQ(getOptionValue<unsigned>("unroll-threshold"), 0u);
  EXPECT_FALSE(getOptionValue<bool>("enable-epilogue-vectorization"));
}

} // namespace
