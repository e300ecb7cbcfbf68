//===- Lexer.h - Tokens of a .nn file ---------------------------*- C++ -*-===//
//
// A hand-written lexer for the `.nn` format: names (with at most the dots of
// parameter names like `h.weight`), numbers with an optional leading `-`,
// punctuation, and newlines, which end statements. `#` starts a comment that
// runs to the end of the line. Malformed input becomes an Error token that
// carries its message; the lexer never stops early and never recurses.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_LEXER_H
#define ADJOINT_FRONTEND_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <string>

namespace adjoint::frontend {

struct Token {
  enum class Kind {
    Eof,
    Newline,
    Identifier,
    Number,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Equal,
    Colon,
    Error,
  };

  Kind kind = Kind::Eof;
  /// The spelling; empty for Eof.
  llvm::StringRef text;
  /// Error: what is wrong.
  std::string message;

  bool is(Kind k) const { return kind == k; }
  llvm::SMLoc getLoc() const {
    return llvm::SMLoc::getFromPointer(text.data());
  }
};

/// Describes a token kind for messages: "')'", "a name", "end of line".
llvm::StringRef describeTokenKind(Token::Kind kind);

/// Describes a token for messages: "'foo'", "end of line", "end of file".
std::string describeToken(const Token &token);

class Lexer {
public:
  /// Lexes `buffer`, which must stay alive while the tokens are used.
  explicit Lexer(llvm::StringRef buffer);

  /// The next token; Eof forever at the end.
  Token lex();

private:
  Token make(Token::Kind kind, const char *start);
  Token makeError(const char *start, const char *end, std::string message);
  Token lexIdentifier(const char *start);
  Token lexNumber(const char *start);

  llvm::StringRef buffer;
  const char *cur;
};

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_LEXER_H
