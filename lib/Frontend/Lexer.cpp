//===- Lexer.cpp - Tokens of a .nn file -----------------------------------===//

#include "adjoint/Frontend/Lexer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace adjoint::frontend;

static bool isIdentifierStart(char c) { return llvm::isAlpha(c) || c == '_'; }
static bool isIdentifierChar(char c) { return llvm::isAlnum(c) || c == '_'; }

llvm::StringRef adjoint::frontend::describeTokenKind(Token::Kind kind) {
  switch (kind) {
  case Token::Kind::Eof:
    return "end of file";
  case Token::Kind::Newline:
    return "end of line";
  case Token::Kind::Identifier:
    return "a name";
  case Token::Kind::Number:
    return "a number";
  case Token::Kind::LParen:
    return "'('";
  case Token::Kind::RParen:
    return "')'";
  case Token::Kind::LBracket:
    return "'['";
  case Token::Kind::RBracket:
    return "']'";
  case Token::Kind::Comma:
    return "','";
  case Token::Kind::Equal:
    return "'='";
  case Token::Kind::Colon:
    return "':'";
  case Token::Kind::Error:
    return "an invalid token";
  }
  llvm_unreachable("unknown token kind");
}

std::string adjoint::frontend::describeToken(const Token &token) {
  switch (token.kind) {
  case Token::Kind::Identifier:
  case Token::Kind::Number:
    return ("'" + token.text + "'").str();
  default:
    return describeTokenKind(token.kind).str();
  }
}

Lexer::Lexer(llvm::StringRef buffer) : buffer(buffer), cur(buffer.begin()) {}

Token Lexer::make(Token::Kind kind, const char *start) {
  Token token;
  token.kind = kind;
  token.text = llvm::StringRef(start, cur - start);
  return token;
}

Token Lexer::makeError(const char *start, const char *end,
                       std::string message) {
  cur = end;
  Token token;
  token.kind = Token::Kind::Error;
  token.text = llvm::StringRef(start, end - start);
  token.message = std::move(message);
  return token;
}

Token Lexer::lex() {
  const char *end = buffer.end();
  while (true) {
    if (cur == end)
      return make(Token::Kind::Eof, cur);
    const char *start = cur;
    char c = *cur++;
    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\f':
    case '\v':
      continue;
    case '#':
      while (cur != end && *cur != '\n')
        ++cur;
      continue;
    case '\n':
      return make(Token::Kind::Newline, start);
    case '(':
      return make(Token::Kind::LParen, start);
    case ')':
      return make(Token::Kind::RParen, start);
    case '[':
      return make(Token::Kind::LBracket, start);
    case ']':
      return make(Token::Kind::RBracket, start);
    case ',':
      return make(Token::Kind::Comma, start);
    case '=':
      return make(Token::Kind::Equal, start);
    case ':':
      return make(Token::Kind::Colon, start);
    default:
      break;
    }
    if (isIdentifierStart(c))
      return lexIdentifier(start);
    if (llvm::isDigit(c) || c == '.' || c == '-')
      return lexNumber(start);

    std::string message;
    llvm::raw_string_ostream os(message);
    if (c == '\0')
      os << "unexpected NUL byte; is this a binary file?";
    else if (llvm::isPrint(c))
      os << "unexpected character '" << c << "'";
    else
      os << "unexpected byte 0x"
         << llvm::format_hex_no_prefix(static_cast<unsigned char>(c), 2,
                                       /*Upper=*/true);
    return makeError(start, cur, std::move(message));
  }
}

Token Lexer::lexIdentifier(const char *start) {
  const char *end = buffer.end();
  while (true) {
    while (cur != end && isIdentifierChar(*cur))
      ++cur;
    // A dotted name (`h.weight`) continues after a dot and a name start.
    if (cur + 1 < end && *cur == '.' && isIdentifierStart(cur[1])) {
      ++cur;
      continue;
    }
    return make(Token::Kind::Identifier, start);
  }
}

Token Lexer::lexNumber(const char *start) {
  const char *end = buffer.end();
  auto digits = [&] {
    const char *first = cur;
    while (cur != end && llvm::isDigit(*cur))
      ++cur;
    return cur != first;
  };
  // Only a leading `-` was seen so far when start[0] == '-'.
  if (*start == '-') {
    if (cur == end || !(llvm::isDigit(*cur) || *cur == '.'))
      return makeError(start, cur,
                       "unexpected character '-'; a '-' must start a number");
  } else {
    cur = start;
  }
  bool ok = true;
  bool intPart = digits();
  if (cur != end && *cur == '.') {
    ++cur;
    bool fracPart = digits();
    ok = intPart || fracPart;
  } else {
    ok = intPart;
  }
  if (ok && cur != end && (*cur == 'e' || *cur == 'E')) {
    ++cur;
    if (cur != end && (*cur == '+' || *cur == '-'))
      ++cur;
    ok = digits();
  }
  // Anything glued to the number makes it malformed: `1.2.3`, `12abc`, `1e`.
  if (!ok || (cur != end && (isIdentifierChar(*cur) || *cur == '.'))) {
    while (cur != end && (isIdentifierChar(*cur) || *cur == '.' ||
                          ((*cur == '+' || *cur == '-') &&
                           (cur[-1] == 'e' || cur[-1] == 'E'))))
      ++cur;
    return makeError(
        start, cur,
        ("invalid number '" + llvm::StringRef(start, cur - start) + "'").str());
  }
  return make(Token::Kind::Number, start);
}
