//===- InterpreterTestSupport.h - Helpers of the interpreter tests -*- C++ -*-===//
//
// Parses a module from a string (source name "net.nn", so that locations read
// net.nn:LINE:COL), evaluates one of its functions, and compares results.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_UNITTESTS_INTERPRETER_INTERPRETERTESTSUPPORT_H
#define ADJOINT_UNITTESTS_INTERPRETER_INTERPRETERTESTSUPPORT_H

#include "adjoint/InitAll.h"
#include "adjoint/Interpreter/Interpreter.h"
#include "adjoint/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>
#include <vector>

namespace adjoint::interp::test {

inline HostTensor f32(llvm::ArrayRef<int64_t> shape,
                      std::vector<float> values) {
  return HostTensor::fromValues<float>(shape, values);
}
inline HostTensor f64(llvm::ArrayRef<int64_t> shape,
                      std::vector<double> values) {
  return HostTensor::fromValues<double>(shape, values);
}
inline HostTensor i64(llvm::ArrayRef<int64_t> shape,
                      std::vector<int64_t> values) {
  return HostTensor::fromValues<int64_t>(shape, values);
}
inline HostTensor i32(llvm::ArrayRef<int64_t> shape,
                      std::vector<int32_t> values) {
  return HostTensor::fromValues<int32_t>(shape, values);
}

/// The elements of a tensor of any dtype, as doubles.
inline std::vector<double> valuesOf(const HostTensor &tensor) {
  std::vector<double> values;
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    values.push_back(tensor.getElementAsDouble(i));
  return values;
}

/// Expects `actual` to have `shape` and elements within `tolerance` of
/// `expected` (relative to max(1, |expected|)).
inline void expectTensor(const HostTensor &actual,
                         llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<double> expected,
                         double tolerance = 1e-6) {
  ASSERT_EQ(actual.getShape(), shape)
      << "shape " << formatShape(actual.getShape()) << " instead of "
      << formatShape(shape);
  ASSERT_EQ(static_cast<size_t>(actual.getNumElements()), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    double a = actual.getElementAsDouble(i), e = expected[i];
    if (std::isnan(e)) {
      EXPECT_TRUE(std::isnan(a)) << "element " << i;
      continue;
    }
    EXPECT_NEAR(a, e, tolerance * std::max(1.0, std::fabs(e)))
        << "element " << i;
  }
}

/// Holds a context with the project's dialects and the module under test.
class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() {
    mlir::DialectRegistry registry;
    adjoint::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `source` and returns its function `name`; fails the test (and
  /// returns null) when the source does not parse or verify.
  mlir::func::FuncOp parse(llvm::StringRef source,
                           llvm::StringRef name = "f") {
    std::string diagnostics;
    mlir::ScopedDiagnosticHandler handler(
        &context, [&](mlir::Diagnostic &diag) {
          diagnostics += diag.str() + "\n";
          return mlir::success();
        });
    mlir::ParserConfig config(&context);
    module = mlir::parseSourceString<mlir::ModuleOp>(source, config, "net.nn");
    EXPECT_TRUE(module) << "the test IR does not parse:\n" << diagnostics;
    if (!module)
      return nullptr;
    auto func = module->lookupSymbol<mlir::func::FuncOp>(name);
    EXPECT_TRUE(func) << "no function @" << name.str();
    return func;
  }

  /// Evaluates function `name` of `source`, expecting success.
  llvm::SmallVector<HostTensor> run(llvm::StringRef source,
                                    llvm::ArrayRef<HostTensor> arguments,
                                    const InterpreterOptions &options = {},
                                    llvm::StringRef name = "f") {
    mlir::func::FuncOp func = parse(source, name);
    if (!func)
      return {};
    auto results = evaluate(func, arguments, options);
    if (!results) {
      ADD_FAILURE() << llvm::toString(results.takeError());
      return {};
    }
    return std::move(*results);
  }

  /// Evaluates function `name` of `source`, expecting failure, and returns
  /// the message.
  std::string runError(llvm::StringRef source,
                       llvm::ArrayRef<HostTensor> arguments,
                       const InterpreterOptions &options = {},
                       llvm::StringRef name = "f") {
    mlir::func::FuncOp func = parse(source, name);
    if (!func)
      return "<parse failure>";
    auto results = evaluate(func, arguments, options);
    if (results) {
      ADD_FAILURE() << "evaluation succeeded unexpectedly";
      return "<success>";
    }
    return llvm::toString(results.takeError());
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

} // namespace adjoint::interp::test

#endif // ADJOINT_UNITTESTS_INTERPRETER_INTERPRETERTESTSUPPORT_H
