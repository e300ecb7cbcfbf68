//===- AST.h - Syntax tree of a .nn file ------------------------*- C++ -*-===//
//
// The parser turns a `.nn` file into a list of statements; the network
// builder turns them into the `nn` dialect. Every node keeps the source
// position of its first character (an llvm::SMLoc into the file's buffer), and
// names point into the buffer too, so a tree must not outlive its SourceMgr.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_AST_H
#define ADJOINT_FRONTEND_AST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace adjoint::frontend {

struct Expr;

/// One argument of a call: positional when `keyword` is empty.
struct Argument {
  llvm::StringRef keyword;
  llvm::SMLoc keywordLoc;
  std::unique_ptr<Expr> value;
};

/// An expression: a name, a number, a boolean, a list or a call.
struct Expr {
  enum class Kind { Name, Number, Bool, List, Call };

  Kind kind;
  llvm::SMLoc loc;
  /// Name: the name. Call: the callee. Number: the spelling.
  llvm::StringRef text;

  /// Number: integers (`64`, `-1`) keep their value in `intValue`; every
  /// number has `floatValue`.
  bool isInteger = false;
  int64_t intValue = 0;
  double floatValue = 0;

  /// Bool: the value.
  bool boolValue = false;

  /// List: the elements.
  std::vector<std::unique_ptr<Expr>> elements;

  /// Call: the arguments in source order, and the position of the `(`.
  std::vector<Argument> arguments;
  llvm::SMLoc lparenLoc;

  Expr(Kind kind, llvm::SMLoc loc, llvm::StringRef text = {})
      : kind(kind), loc(loc), text(text) {}
};

/// One dim of a declared type: a positive integer or a symbolic name.
struct DimExpr {
  llvm::SMLoc loc;
  /// Empty for an integer dim.
  llvm::StringRef symbol;
  int64_t value = 0;
  bool isSymbol() const { return !symbol.empty(); }
};

/// `f32[N, 64]`.
struct TypeExpr {
  llvm::StringRef dtype;
  llvm::SMLoc dtypeLoc;
  std::vector<DimExpr> dims;
};

/// A statement: one line of the file.
struct Statement {
  /// Invalid: a statement with a syntax error (already reported). It keeps
  /// the name it would have defined, if that much parsed, so that the
  /// builder can poison the name instead of reporting its uses as undefined.
  enum class Kind {
    Network,
    Input,
    Param,
    Assign,
    Output,
    Loss,
    Optimizer,
    Invalid
  };

  Kind kind;
  /// The first character of the statement.
  llvm::SMLoc loc;

  /// Network, Input, Param, Assign, Loss, Invalid: the name it defines.
  llvm::StringRef name;
  llvm::SMLoc nameLoc;

  /// Input, Param: the declared type.
  TypeExpr type;

  /// Assign, Loss: the op call. Param: the initializer (a Name or a Call).
  /// Optimizer: the update rule (a Call).
  std::unique_ptr<Expr> value;

  /// Output: the names, in order, and where each is.
  std::vector<std::pair<llvm::StringRef, llvm::SMLoc>> outputs;

  Statement(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
};

/// A parsed file.
struct NetworkAST {
  std::vector<Statement> statements;
};

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_AST_H
