//===- OptimizerSpec.cpp - Parsing optimizer statements -------------------===//

#include "adjoint/Training/OptimizerSpec.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace adjoint::training;

/// The shortest decimal that reads back as `value`.
static std::string formatNumber(double value) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

namespace {

/// A recursive-descent reader over the spec text that reports the first
/// problem with the text quoted.
class SpecParser {
public:
  explicit SpecParser(llvm::StringRef text) : text(text), rest(text) {}

  llvm::Expected<OptimizerSpec> parse();

private:
  llvm::Error error(const llvm::Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "optimizer '" + text + "': " + message);
  }
  void skipSpace() { rest = rest.ltrim(" \t"); }
  llvm::StringRef lexName();
  llvm::Expected<double> lexNumber(llvm::StringRef keyword);

  llvm::StringRef text;
  llvm::StringRef rest;
};

} // namespace

llvm::StringRef SpecParser::lexName() {
  skipSpace();
  size_t n = 0;
  while (n < rest.size() &&
         (llvm::isAlnum(rest[n]) || rest[n] == '_') &&
         (n > 0 || !llvm::isDigit(rest[n])))
    ++n;
  llvm::StringRef name = rest.take_front(n);
  rest = rest.drop_front(n);
  return name;
}

/// A number as the .nn lexer reads it: optional '-', digits with an optional
/// fraction, an optional exponent.
llvm::Expected<double> SpecParser::lexNumber(llvm::StringRef keyword) {
  skipSpace();
  size_t n = 0;
  auto digits = [&] {
    size_t start = n;
    while (n < rest.size() && llvm::isDigit(rest[n]))
      ++n;
    return n - start;
  };
  if (n < rest.size() && rest[n] == '-')
    ++n;
  size_t mantissa = digits();
  if (n < rest.size() && rest[n] == '.') {
    ++n;
    mantissa += digits();
  }
  bool ok = mantissa > 0;
  if (ok && n < rest.size() && (rest[n] == 'e' || rest[n] == 'E')) {
    ++n;
    if (n < rest.size() && (rest[n] == '+' || rest[n] == '-'))
      ++n;
    ok = digits() > 0;
  }
  // The number must end where the value ends.
  llvm::StringRef after = rest.drop_front(n).ltrim(" \t");
  if (ok && !after.empty() && after.front() != ',' && after.front() != ')')
    ok = false;
  if (!ok) {
    llvm::StringRef bad = rest.take_until(
        [](char c) { return c == ',' || c == ')'; }).trim();
    return error("bad number '" + bad + "' for '" + keyword + "'");
  }
  std::string digitsText = rest.take_front(n).str();
  rest = rest.drop_front(n);
  double value = std::strtod(digitsText.c_str(), nullptr);
  if (!std::isfinite(value))
    return error("number '" + digitsText + "' for '" + keyword +
                 "' is out of range");
  return value;
}

llvm::Expected<OptimizerSpec> SpecParser::parse() {
  OptimizerSpec spec;
  llvm::StringRef name = lexName();
  if (name.empty())
    return error("expected an optimizer name ('sgd' or 'adam')");
  if (name == "sgd")
    spec.kind = OptimizerSpec::Kind::SGD;
  else if (name == "adam")
    spec.kind = OptimizerSpec::Kind::Adam;
  else
    return error("unknown optimizer '" + name + "' (expected 'sgd' or 'adam')");

  bool isSgd = spec.kind == OptimizerSpec::Kind::SGD;
  llvm::SmallVector<llvm::StringRef> keywords =
      isSgd ? llvm::SmallVector<llvm::StringRef>{"lr", "momentum",
                                                 "weight_decay"}
            : llvm::SmallVector<llvm::StringRef>{"lr", "beta1", "beta2", "eps",
                                                 "weight_decay"};
  skipSpace();
  if (!rest.consume_front("("))
    return error("expected '(' after '" + name + "'");
  llvm::StringSet<> seen;
  skipSpace();
  if (!rest.consume_front(")")) {
    while (true) {
      llvm::StringRef keyword = lexName();
      if (keyword.empty())
        return error("expected a keyword argument such as 'lr=0.1'");
      if (!llvm::is_contained(keywords, keyword))
        return error("unknown keyword '" + keyword + "' for " + name +
                     " (expected " + llvm::join(keywords, ", ") + ")");
      if (!seen.insert(keyword).second)
        return error("keyword '" + keyword + "' given twice");
      skipSpace();
      if (!rest.consume_front("="))
        return error("expected '=' after '" + keyword + "'");
      llvm::Expected<double> value = lexNumber(keyword);
      if (!value)
        return value.takeError();
      if (keyword == "lr")
        spec.lr = *value;
      else if (keyword == "momentum")
        spec.momentum = *value;
      else if (keyword == "weight_decay")
        spec.weightDecay = *value;
      else if (keyword == "beta1")
        spec.beta1 = *value;
      else if (keyword == "beta2")
        spec.beta2 = *value;
      else if (keyword == "eps")
        spec.eps = *value;
      skipSpace();
      if (rest.consume_front(")"))
        break;
      if (!rest.consume_front(","))
        return error("expected ',' or ')' after the value of '" + keyword +
                     "'");
    }
  }
  skipSpace();
  if (!rest.empty())
    return error("unexpected '" + rest + "' after ')'");
  if (!seen.contains("lr"))
    return error("missing the learning rate 'lr'");

  // The ranges torch.optim checks.
  auto formatValue = formatNumber;
  if (spec.lr < 0)
    return error("lr must not be negative (got " + formatValue(spec.lr) + ")");
  if (spec.weightDecay < 0)
    return error("weight_decay must not be negative (got " +
                 formatValue(spec.weightDecay) + ")");
  if (isSgd && spec.momentum < 0)
    return error("momentum must not be negative (got " +
                 formatValue(spec.momentum) + ")");
  if (!isSgd) {
    if (spec.beta1 < 0 || spec.beta1 >= 1)
      return error("beta1 must be in [0, 1) (got " + formatValue(spec.beta1) +
                   ")");
    if (spec.beta2 < 0 || spec.beta2 >= 1)
      return error("beta2 must be in [0, 1) (got " + formatValue(spec.beta2) +
                   ")");
    if (spec.eps < 0)
      return error("eps must not be negative (got " + formatValue(spec.eps) +
                   ")");
  }
  return spec;
}

llvm::Expected<OptimizerSpec>
adjoint::training::parseOptimizerSpec(llvm::StringRef text) {
  return SpecParser(text).parse();
}

std::string OptimizerSpec::str() const {
  std::string result;
  llvm::raw_string_ostream os(result);
  if (kind == Kind::SGD) {
    os << "sgd(lr=" << formatNumber(lr)
       << ", momentum=" << formatNumber(momentum)
       << ", weight_decay=" << formatNumber(weightDecay) << ")";
  } else {
    os << "adam(lr=" << formatNumber(lr) << ", beta1=" << formatNumber(beta1)
       << ", beta2=" << formatNumber(beta2) << ", eps=" << formatNumber(eps)
       << ", weight_decay=" << formatNumber(weightDecay) << ")";
  }
  return result;
}
