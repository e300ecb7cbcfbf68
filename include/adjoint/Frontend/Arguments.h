//===- Arguments.h - Binding call arguments to parameters -------*- C++ -*-===//
//
// Ops, initializers and optimizers take arguments like Python functions:
// positional arguments fill the parameters in order, keyword arguments name
// them, and parameters with a default may be left out. CallArguments binds a
// call and reads its constant arguments with messages that name the callee
// and the parameter (`conv2d: 'kernel' must be an integer or a list of two
// integers, got 2.5`).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_ARGUMENTS_H
#define ADJOINT_FRONTEND_ARGUMENTS_H

#include "adjoint/Frontend/AST.h"
#include "adjoint/Frontend/Diagnostics.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace adjoint::frontend {

/// A parameter of a callee. `defaultText` is what signatures show; null for
/// a required parameter.
struct ParamDef {
  llvm::StringRef name;
  const char *defaultText = nullptr;
  bool isRequired() const { return defaultText == nullptr; }
};

/// How a callee is called.
struct Signature {
  llvm::StringRef name;
  llvm::SmallVector<ParamDef, 4> params;
  /// Positional arguments are a variadic list of values (as concat's); the
  /// parameters can then only be given by keyword.
  bool variadic = false;

  /// `dense(x, units, bias=true)`.
  std::string str() const;
};

/// Describes an argument for messages: "the number 2.5", "'x'", "a list".
std::string describeExpr(const Expr &expr);

class CallArguments {
public:
  /// Binds the arguments of `call`. Reports unknown and repeated keywords,
  /// surplus and missing arguments, and positional arguments after keyword
  /// ones; returns std::nullopt after any of them.
  static std::optional<CallArguments> bind(const Expr &call,
                                           const Signature &signature,
                                           FrontendDiagnostics &diags);

  const Expr &getCall() const { return *call; }
  llvm::StringRef getCallee() const { return signature->name; }
  llvm::StringRef getParamName(unsigned index) const {
    return signature->params[index].name;
  }
  /// The argument bound to parameter `index`, or null when it was left out.
  const Expr *get(unsigned index) const { return slots[index]; }
  /// The position of argument `index` if given, else of the callee.
  llvm::SMLoc getLoc(unsigned index) const;
  /// The positional arguments of a variadic callee.
  llvm::ArrayRef<const Expr *> getVariadic() const { return variadic; }

  /// Reads constant arguments; a left-out argument gives `defaultValue`.
  /// Each reports its error and returns failure.
  mlir::FailureOr<double> getNumber(unsigned index, double defaultValue) const;
  mlir::FailureOr<int64_t> getInteger(unsigned index,
                                      int64_t defaultValue) const;
  mlir::FailureOr<bool> getBool(unsigned index, bool defaultValue) const;
  /// An integer or a list of integers; `defaultValue` when left out.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getIntegers(unsigned index, llvm::ArrayRef<int64_t> defaultValue) const;

  /// Reports "CALLEE: MESSAGE" at argument `index`.
  void error(unsigned index, const llvm::Twine &message) const;
  /// Reports "CALLEE: MESSAGE" at the callee.
  void error(const llvm::Twine &message) const;

  FrontendDiagnostics &getDiags() const { return *diags; }

private:
  CallArguments(const Expr &call, const Signature &signature,
                FrontendDiagnostics &diags)
      : call(&call), signature(&signature), diags(&diags),
        slots(signature.params.size(), nullptr) {}

  mlir::FailureOr<int64_t> readInteger(const Expr &expr, unsigned index,
                                       llvm::StringRef what) const;

  const Expr *call;
  const Signature *signature;
  FrontendDiagnostics *diags;
  llvm::SmallVector<const Expr *, 4> slots;
  llvm::SmallVector<const Expr *, 4> variadic;
};

/// The candidate closest to `name` by edit distance, if it is close enough
/// to be a likely typo; for "did you mean" hints.
std::optional<llvm::StringRef>
findClosest(llvm::StringRef name, llvm::ArrayRef<llvm::StringRef> candidates);

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_ARGUMENTS_H
