//===- Parser.h - Parser of .nn files ---------------------------*- C++ -*-===//
//
// A recursive-descent parser from tokens to the syntax tree (AST.h). Each
// statement is one line; after a syntax error the parser reports it, skips
// to the end of the line and goes on, so one run reports the errors of every
// line. Nesting of lists and calls is limited, so no input can exhaust the
// stack.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_PARSER_H
#define ADJOINT_FRONTEND_PARSER_H

#include "adjoint/Frontend/AST.h"
#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/Lexer.h"

#include <optional>

namespace adjoint::frontend {

class Parser {
public:
  /// The deepest nesting of lists and calls the parser accepts.
  static constexpr unsigned kMaxNesting = 64;

  Parser(llvm::StringRef buffer, FrontendDiagnostics &diags);

  /// Parses the next statement; std::nullopt at the end of the buffer or
  /// once the error limit is reached. A statement with a syntax error is
  /// reported through `diags` and returned as an Invalid statement.
  std::optional<Statement> parseNextStatement();

  /// Parses the whole buffer.
  NetworkAST parseFile();

private:
  void consume();
  bool consumeIf(Token::Kind kind);
  /// Reports that `what` was expected at the current token (or the lexer's
  /// message when the current token is malformed).
  void expected(const llvm::Twine &what);
  bool expect(Token::Kind kind, const llvm::Twine &context);
  void skipLine();
  bool atLineEnd() const;

  std::optional<Statement> parseStatement();
  std::optional<Statement> parseNetwork();
  std::optional<Statement> parseInput(Statement::Kind kind);
  std::optional<Statement> parseOutput();
  std::optional<Statement> parseLoss();
  std::optional<Statement> parseOptimizer();
  std::optional<Statement> parseAssign();
  bool parseDefinedName(Statement &stmt, llvm::StringRef what);
  bool parseType(TypeExpr &type);
  bool parseDim(DimExpr &dim);

  std::unique_ptr<Expr> parseExpr(unsigned depth);
  std::unique_ptr<Expr> parseNumber();
  std::unique_ptr<Expr> parseList(unsigned depth);
  std::unique_ptr<Expr> parseCall(unsigned depth);
  bool checkDepth(unsigned depth);

  Lexer lexer;
  FrontendDiagnostics &diags;
  Token tok;
  Token next;
};

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_PARSER_H
