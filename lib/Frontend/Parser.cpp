//===- Parser.cpp - Parser of .nn files -----------------------------------===//

#include "adjoint/Frontend/Parser.h"

#include <cmath>
#include <cstdlib>
#include <string>

using namespace adjoint::frontend;
using Kind = Token::Kind;

static const char *const kStatementKeywords =
    "network, input, param, output, loss or optimizer";

Parser::Parser(llvm::StringRef buffer, FrontendDiagnostics &diags)
    : lexer(buffer), diags(diags) {
  tok = lexer.lex();
  next = lexer.lex();
}

void Parser::consume() {
  if (tok.is(Kind::Eof))
    return;
  tok = std::move(next);
  next = lexer.lex();
}

bool Parser::consumeIf(Kind kind) {
  if (!tok.is(kind))
    return false;
  consume();
  return true;
}

void Parser::expected(const llvm::Twine &what) {
  if (tok.is(Kind::Error)) {
    diags.error(tok.getLoc(), tok.message);
    return;
  }
  diags.error(tok.getLoc(), "expected " + what + ", got " + describeToken(tok));
}

bool Parser::expect(Kind kind, const llvm::Twine &context) {
  if (consumeIf(kind))
    return true;
  expected(describeTokenKind(kind) + " " + context);
  return false;
}

bool Parser::atLineEnd() const {
  return tok.is(Kind::Newline) || tok.is(Kind::Eof);
}

void Parser::skipLine() {
  while (!atLineEnd())
    consume();
}

std::optional<Statement> Parser::parseNextStatement() {
  while (consumeIf(Kind::Newline))
    ;
  if (tok.is(Kind::Eof) || diags.shouldStop())
    return std::nullopt;
  // The name the statement defines, to poison it if the statement fails.
  Statement invalid(Statement::Kind::Invalid, tok.getLoc());
  if (tok.is(Kind::Identifier) && next.is(Kind::Equal)) {
    invalid.name = tok.text;
    invalid.nameLoc = tok.getLoc();
  } else if (tok.is(Kind::Identifier) && next.is(Kind::Identifier) &&
             (tok.text == "input" || tok.text == "param" ||
              tok.text == "loss")) {
    invalid.name = next.text;
    invalid.nameLoc = next.getLoc();
  }
  std::optional<Statement> stmt = parseStatement();
  if (stmt && !atLineEnd()) {
    expected("end of line after the statement");
    stmt.reset();
  }
  skipLine();
  return stmt ? std::move(*stmt) : std::move(invalid);
}

NetworkAST Parser::parseFile() {
  NetworkAST ast;
  while (std::optional<Statement> stmt = parseNextStatement())
    ast.statements.push_back(std::move(*stmt));
  return ast;
}

std::optional<Statement> Parser::parseStatement() {
  if (!tok.is(Kind::Identifier)) {
    expected(llvm::Twine("a statement (NAME = OP(...), or ") +
             kStatementKeywords + ")");
    return std::nullopt;
  }
  // The statement keywords are keywords only where no '=' follows, so that
  // `loss = mse(y, t)` still assigns a value named `loss`.
  if (!next.is(Kind::Equal)) {
    llvm::StringRef word = tok.text;
    if (word == "network")
      return parseNetwork();
    if (word == "input")
      return parseInput(Statement::Kind::Input);
    if (word == "param")
      return parseInput(Statement::Kind::Param);
    if (word == "output")
      return parseOutput();
    if (word == "loss")
      return parseLoss();
    if (word == "optimizer")
      return parseOptimizer();
    if (next.is(Kind::Identifier) || next.is(Kind::Newline) ||
        next.is(Kind::Eof)) {
      diags.error(tok.getLoc(), "unknown statement '" + word +
                                    "'; expected NAME = OP(...), or " +
                                    kStatementKeywords);
      return std::nullopt;
    }
  }
  return parseAssign();
}

/// Parses the NAME that a statement defines: a plain name, no dots.
bool Parser::parseDefinedName(Statement &stmt, llvm::StringRef what) {
  if (!tok.is(Kind::Identifier)) {
    expected(what);
    return false;
  }
  if (tok.text.contains('.')) {
    diags.error(tok.getLoc(),
                "invalid name '" + tok.text +
                    "': only the parameters that layers create have dots");
    return false;
  }
  stmt.name = tok.text;
  stmt.nameLoc = tok.getLoc();
  consume();
  return true;
}

std::optional<Statement> Parser::parseNetwork() {
  Statement stmt(Statement::Kind::Network, tok.getLoc());
  consume();
  if (!parseDefinedName(stmt, "the network's name after 'network'"))
    return std::nullopt;
  return stmt;
}

std::optional<Statement> Parser::parseInput(Statement::Kind kind) {
  bool isInput = kind == Statement::Kind::Input;
  Statement stmt(kind, tok.getLoc());
  consume();
  if (!parseDefinedName(stmt, isInput ? "the input's name after 'input'"
                                      : "the parameter's name after 'param'"))
    return std::nullopt;
  if (!expect(Kind::Colon, "and a type after the name (as in '" + stmt.name +
                               ": f32[N, 64]')"))
    return std::nullopt;
  if (!parseType(stmt.type))
    return std::nullopt;
  if (isInput)
    return stmt;
  if (!expect(Kind::Equal, "and an initializer after the parameter's type "
                           "(as in '= normal(0, 0.02)')"))
    return std::nullopt;
  if (!tok.is(Kind::Identifier)) {
    expected("an initializer (zeros, ones, constant(V), normal(mean, std), "
             "uniform(low, high), glorot_uniform or he_normal)");
    return std::nullopt;
  }
  if (next.is(Kind::LParen)) {
    stmt.value = parseCall(0);
  } else {
    stmt.value =
        std::make_unique<Expr>(Expr::Kind::Name, tok.getLoc(), tok.text);
    consume();
  }
  if (!stmt.value)
    return std::nullopt;
  return stmt;
}

bool Parser::parseType(TypeExpr &type) {
  if (!tok.is(Kind::Identifier)) {
    expected("a type such as f32[N, 64]");
    return false;
  }
  type.dtype = tok.text;
  type.dtypeLoc = tok.getLoc();
  consume();
  llvm::SMLoc open = tok.getLoc();
  if (!expect(Kind::LBracket, "and the dims after the dtype (as in '" +
                                  type.dtype + "[N, 64]')"))
    return false;
  if (consumeIf(Kind::RBracket))
    return true;
  while (true) {
    DimExpr dim;
    if (!parseDim(dim))
      return false;
    type.dims.push_back(dim);
    if (consumeIf(Kind::Comma))
      continue;
    if (consumeIf(Kind::RBracket))
      return true;
    if (tok.is(Kind::Error))
      expected("");
    else
      diags.error(tok.getLoc(),
                  "expected ',' or ']' in the dims, got " + describeToken(tok),
                  open, "the dims start here");
    return false;
  }
}

bool Parser::parseDim(DimExpr &dim) {
  dim.loc = tok.getLoc();
  if (tok.is(Kind::Identifier)) {
    if (tok.text.contains('.')) {
      diags.error(tok.getLoc(), "invalid dimension name '" + tok.text + "'");
      return false;
    }
    dim.symbol = tok.text;
    consume();
    return true;
  }
  if (!tok.is(Kind::Number)) {
    expected("a dimension (a positive integer or a symbolic name)");
    return false;
  }
  std::unique_ptr<Expr> number = parseNumber();
  if (!number)
    return false;
  if (!number->isInteger) {
    diags.error(dim.loc,
                "dimension must be an integer, got '" + number->text + "'");
    return false;
  }
  if (number->intValue <= 0) {
    diags.error(dim.loc, "dimension must be positive, got " +
                             llvm::Twine(number->intValue));
    return false;
  }
  dim.value = number->intValue;
  return true;
}

std::optional<Statement> Parser::parseOutput() {
  Statement stmt(Statement::Kind::Output, tok.getLoc());
  consume();
  while (true) {
    if (!tok.is(Kind::Identifier)) {
      expected("the name of a value after 'output'");
      return std::nullopt;
    }
    stmt.outputs.emplace_back(tok.text, tok.getLoc());
    consume();
    if (!consumeIf(Kind::Comma))
      return stmt;
  }
}

std::optional<Statement> Parser::parseLoss() {
  Statement stmt(Statement::Kind::Loss, tok.getLoc());
  consume();
  if (!parseDefinedName(stmt, "the loss's name after 'loss'"))
    return std::nullopt;
  if (!expect(Kind::Equal, "after the loss's name (as in 'loss l = mse(y, "
                           "t)')"))
    return std::nullopt;
  if (!tok.is(Kind::Identifier) || !next.is(Kind::LParen)) {
    expected("a loss op call such as mse(y, target)");
    return std::nullopt;
  }
  stmt.value = parseCall(0);
  if (!stmt.value)
    return std::nullopt;
  return stmt;
}

std::optional<Statement> Parser::parseOptimizer() {
  Statement stmt(Statement::Kind::Optimizer, tok.getLoc());
  consume();
  if (!tok.is(Kind::Identifier) || !next.is(Kind::LParen)) {
    expected("an update rule such as sgd(lr=0.1) or adam(lr=0.001)");
    return std::nullopt;
  }
  stmt.value = parseCall(0);
  if (!stmt.value)
    return std::nullopt;
  return stmt;
}

std::optional<Statement> Parser::parseAssign() {
  Statement stmt(Statement::Kind::Assign, tok.getLoc());
  if (!parseDefinedName(stmt, "a name"))
    return std::nullopt;
  if (!expect(Kind::Equal, "after '" + stmt.name + "'"))
    return std::nullopt;
  if (!tok.is(Kind::Identifier) || !next.is(Kind::LParen)) {
    expected("an op call such as relu(x) after '='");
    return std::nullopt;
  }
  stmt.value = parseCall(0);
  if (!stmt.value)
    return std::nullopt;
  return stmt;
}

bool Parser::checkDepth(unsigned depth) {
  if (depth < kMaxNesting)
    return true;
  diags.error(tok.getLoc(),
              "lists and calls are nested too deeply (more than " +
                  llvm::Twine(kMaxNesting) + " levels)");
  return false;
}

std::unique_ptr<Expr> Parser::parseExpr(unsigned depth) {
  switch (tok.kind) {
  case Kind::Number:
    return parseNumber();
  case Kind::LBracket:
    return parseList(depth);
  case Kind::Identifier: {
    if (next.is(Kind::LParen))
      return parseCall(depth);
    auto expr =
        std::make_unique<Expr>(Expr::Kind::Name, tok.getLoc(), tok.text);
    if (tok.text == "true" || tok.text == "false") {
      expr->kind = Expr::Kind::Bool;
      expr->boolValue = tok.text == "true";
    }
    consume();
    return expr;
  }
  default:
    expected("a value (a name, a number, true, false or a list)");
    return nullptr;
  }
}

std::unique_ptr<Expr> Parser::parseNumber() {
  auto expr =
      std::make_unique<Expr>(Expr::Kind::Number, tok.getLoc(), tok.text);
  llvm::StringRef text = tok.text;
  expr->isInteger = !text.contains_insensitive('e') && !text.contains('.');
  if (expr->isInteger) {
    if (text.getAsInteger(10, expr->intValue)) {
      diags.error(tok.getLoc(), "integer '" + text + "' is out of range");
      return nullptr;
    }
    expr->floatValue = static_cast<double>(expr->intValue);
  } else {
    expr->floatValue = std::strtod(text.str().c_str(), nullptr);
    if (!std::isfinite(expr->floatValue)) {
      diags.error(tok.getLoc(), "number '" + text + "' is out of range");
      return nullptr;
    }
  }
  consume();
  return expr;
}

std::unique_ptr<Expr> Parser::parseList(unsigned depth) {
  if (!checkDepth(depth))
    return nullptr;
  auto list = std::make_unique<Expr>(Expr::Kind::List, tok.getLoc());
  consume(); // '['
  if (consumeIf(Kind::RBracket))
    return list;
  while (true) {
    std::unique_ptr<Expr> element = parseExpr(depth + 1);
    if (!element)
      return nullptr;
    list->elements.push_back(std::move(element));
    if (consumeIf(Kind::Comma))
      continue;
    if (consumeIf(Kind::RBracket))
      return list;
    if (tok.is(Kind::Error)) {
      expected("");
    } else if (atLineEnd()) {
      diags.error(tok.getLoc(),
                  "unterminated list: expected ']' before " +
                      describeToken(tok),
                  list->loc, "the list starts here");
    } else {
      diags.error(tok.getLoc(),
                  "expected ',' or ']' in the list, got " + describeToken(tok),
                  list->loc, "the list starts here");
    }
    return nullptr;
  }
}

std::unique_ptr<Expr> Parser::parseCall(unsigned depth) {
  if (!checkDepth(depth))
    return nullptr;
  auto call = std::make_unique<Expr>(Expr::Kind::Call, tok.getLoc(), tok.text);
  consume(); // callee
  call->lparenLoc = tok.getLoc();
  consume(); // '('
  if (consumeIf(Kind::RParen))
    return call;
  while (true) {
    Argument arg;
    if (tok.is(Kind::Identifier) && next.is(Kind::Equal)) {
      arg.keyword = tok.text;
      arg.keywordLoc = tok.getLoc();
      consume();
      consume();
    }
    arg.value = parseExpr(depth + 1);
    if (!arg.value)
      return nullptr;
    if (arg.keyword.empty())
      arg.keywordLoc = arg.value->loc;
    call->arguments.push_back(std::move(arg));
    if (consumeIf(Kind::Comma))
      continue;
    if (consumeIf(Kind::RParen))
      return call;
    if (tok.is(Kind::Error)) {
      expected("");
    } else if (atLineEnd()) {
      diags.error(tok.getLoc(),
                  "unterminated call to '" + call->text +
                      "': expected ')' before " + describeToken(tok),
                  call->lparenLoc, "the call starts here");
    } else {
      diags.error(tok.getLoc(),
                  "expected ',' or ')' in the call to '" + call->text +
                      "', got " + describeToken(tok),
                  call->lparenLoc, "the call starts here");
    }
    return nullptr;
  }
}
