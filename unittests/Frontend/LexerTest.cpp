//===- LexerTest.cpp - Tests of the .nn lexer -----------------------------===//

#include "adjoint/Frontend/Lexer.h"

#include "gtest/gtest.h"

#include <vector>

using namespace adjoint::frontend;
using Kind = Token::Kind;

namespace {

std::vector<Token> lexAll(llvm::StringRef text) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  while (true) {
    tokens.push_back(lexer.lex());
    if (tokens.back().is(Kind::Eof))
      return tokens;
  }
}

std::vector<Kind> kinds(const std::vector<Token> &tokens) {
  std::vector<Kind> result;
  for (const Token &token : tokens)
    result.push_back(token.kind);
  return result;
}

TEST(LexerTest, Statement) {
  std::vector<Token> tokens = lexAll("h = dense(x, 128, bias=false)  # c\n");
  EXPECT_EQ(kinds(tokens),
            (std::vector<Kind>{Kind::Identifier, Kind::Equal, Kind::Identifier,
                               Kind::LParen, Kind::Identifier, Kind::Comma,
                               Kind::Number, Kind::Comma, Kind::Identifier,
                               Kind::Equal, Kind::Identifier, Kind::RParen,
                               Kind::Newline, Kind::Eof}));
  EXPECT_EQ(tokens[2].text, "dense");
  EXPECT_EQ(tokens[6].text, "128");
}

TEST(LexerTest, DottedNamesAndNumbers) {
  std::vector<Token> tokens = lexAll("h.weight -1 2.5e-3 .5 -.25 7.");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].text, "h.weight");
  EXPECT_EQ(tokens[1].text, "-1");
  EXPECT_EQ(tokens[2].text, "2.5e-3");
  EXPECT_EQ(tokens[3].text, ".5");
  EXPECT_EQ(tokens[4].text, "-.25");
  EXPECT_EQ(tokens[5].text, "7.");
  for (int i = 1; i < 6; ++i)
    EXPECT_TRUE(tokens[i].is(Kind::Number)) << i;
}

TEST(LexerTest, MalformedNumbers) {
  for (llvm::StringRef text : {"1.2.3", "1e", "12abc", "1e+", "."}) {
    std::vector<Token> tokens = lexAll(text);
    ASSERT_EQ(tokens.size(), 2u) << text.str();
    EXPECT_TRUE(tokens[0].is(Kind::Error)) << text.str();
    EXPECT_EQ(tokens[0].text, text) << text.str();
  }
}

TEST(LexerTest, UnexpectedBytes) {
  std::vector<Token> tokens = lexAll(llvm::StringRef("a $ \x01 \0 -", 9));
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[1].message, "unexpected character '$'");
  EXPECT_EQ(tokens[2].message, "unexpected byte 0x01");
  EXPECT_EQ(tokens[3].message, "unexpected NUL byte; is this a binary file?");
  EXPECT_EQ(tokens[4].message,
            "unexpected character '-'; a '-' must start a number");
}

TEST(LexerTest, CommentsAndCarriageReturns) {
  std::vector<Token> tokens = lexAll("a # b ( [\r\n# only\r\nc");
  EXPECT_EQ(kinds(tokens),
            (std::vector<Kind>{Kind::Identifier, Kind::Newline, Kind::Newline,
                               Kind::Identifier, Kind::Eof}));
}

} // namespace
