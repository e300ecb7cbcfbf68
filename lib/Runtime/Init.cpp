//===- Init.cpp - Parameter initialization --------------------------------===//

#include "adjoint/Runtime/Init.h"

#include "adjoint/Runtime/Random.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

using namespace adjoint;

namespace {

/// What each initializer is called and which arguments it takes.
struct InitInfo {
  llvm::StringRef name;
  Initializer::Kind kind;
  llvm::SmallVector<llvm::StringRef, 2> params;
};

llvm::ArrayRef<InitInfo> getInitInfos() {
  static const InitInfo infos[] = {
      {"zeros", Initializer::Kind::Zeros, {}},
      {"ones", Initializer::Kind::Ones, {}},
      {"constant", Initializer::Kind::Constant, {"value"}},
      {"normal", Initializer::Kind::Normal, {"mean", "std"}},
      {"uniform", Initializer::Kind::Uniform, {"low", "high"}},
      {"glorot_uniform", Initializer::Kind::GlorotUniform, {}},
      {"he_normal", Initializer::Kind::HeNormal, {}},
  };
  return infos;
}

const InitInfo &getInitInfo(Initializer::Kind kind) {
  for (const InitInfo &info : getInitInfos())
    if (info.kind == kind)
      return info;
  llvm_unreachable("unknown initializer kind");
}

/// The shortest decimal text that reads back as `value`, positional for
/// exponents in [-4, 16) and scientific otherwise, as Python's repr() chooses.
std::string formatNumber(double value) {
  char buffer[40];
  // 17 significant digits always read back, so the loop ends with a match.
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", precision - 1, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  int exponent = std::atoi(std::strchr(buffer, 'e') + 1);
  if (exponent < -4 || exponent >= 16)
    return buffer;
  std::snprintf(buffer, sizeof(buffer), "%.*f",
                std::max(0, precision - 1 - exponent), value);
  return buffer;
}

/// Parses the INIT syntax: NAME, or NAME(ARGS) where each argument is an
/// optional `key=` and a constant expression.
class InitParser {
public:
  explicit InitParser(llvm::StringRef text) : text(text) {}

  llvm::Expected<Initializer> parse() {
    skipSpace();
    size_t nameStart = pos;
    while (llvm::isAlnum(peek()) || peek() == '_')
      ++pos;
    llvm::StringRef name = text.slice(nameStart, pos);
    if (name.empty())
      return fail("expected an initializer name");
    const InitInfo *info = nullptr;
    for (const InitInfo &candidate : getInitInfos())
      if (candidate.name == name)
        info = &candidate;
    if (!info)
      return fail("unknown initializer '" + name +
                  "'; expected zeros, ones, constant(V), normal(mean, std), "
                  "uniform(low, high), glorot_uniform or he_normal");

    llvm::SmallVector<std::optional<double>, 2> values(info->params.size());
    skipSpace();
    bool hasParens = consume('(');
    if (hasParens) {
      if (llvm::Error err = parseArguments(*info, values))
        return std::move(err);
    }
    skipSpace();
    if (pos != text.size())
      return fail("unexpected '" + text.substr(pos) + "' after the " +
                  "initializer");
    for (auto [param, value] : llvm::zip_equal(info->params, values))
      if (!value)
        return fail(name + " needs " + llvm::Twine(info->params.size()) +
                    " argument" + (info->params.size() == 1 ? "" : "s") + " (" +
                    llvm::join(info->params, ", ") + "); " + param +
                    " is missing");

    Initializer init;
    init.kind = info->kind;
    if (!values.empty())
      init.a = *values[0];
    if (values.size() > 1)
      init.b = *values[1];
    if (init.kind == Initializer::Kind::Normal && !(init.b >= 0))
      return fail("the standard deviation of normal must not be negative");
    if (init.kind == Initializer::Kind::Uniform && !(init.a <= init.b))
      return fail("uniform needs low <= high");
    return init;
  }

private:
  llvm::Error fail(const llvm::Twine &what) {
    return llvm::createStringError("invalid initializer '" + text.trim() +
                                   "': " + what);
  }

  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  void skipSpace() {
    while (pos < text.size() && llvm::isSpace(text[pos]))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (peek() != c)
      return false;
    ++pos;
    return true;
  }

  llvm::Error
  parseArguments(const InitInfo &info,
                 llvm::MutableArrayRef<std::optional<double>> values) {
    if (consume(')'))
      return llvm::Error::success();
    size_t positional = 0;
    bool sawKeyword = false;
    while (true) {
      // An optional `key=`.
      skipSpace();
      size_t save = pos;
      while (llvm::isAlnum(peek()) || peek() == '_')
        ++pos;
      llvm::StringRef key = text.slice(save, pos);
      if (!key.empty() && consume('=')) {
        sawKeyword = true;
      } else {
        key = "";
        pos = save;
      }

      size_t index;
      if (!key.empty()) {
        auto *it = llvm::find(info.params, key);
        if (it == info.params.end())
          return fail(
              info.name + " has no argument '" + key + "'" +
              (info.params.empty()
                   ? llvm::Twine(" (it takes none)")
                   : " (it takes " + llvm::join(info.params, ", ") + ")"));
        index = it - info.params.begin();
      } else {
        if (sawKeyword)
          return fail("a positional argument follows a keyword argument");
        index = positional++;
        if (index >= info.params.size())
          return fail(info.name + " takes " + llvm::Twine(info.params.size()) +
                      " argument" + (info.params.size() == 1 ? "" : "s") +
                      (info.params.empty()
                           ? llvm::Twine("")
                           : " (" + llvm::join(info.params, ", ") + ")"));
      }
      if (values[index])
        return fail("argument '" + info.params[index] + "' given twice");
      llvm::Expected<double> value = parseExpression(0);
      if (!value)
        return value.takeError();
      if (!std::isfinite(*value))
        return fail("argument '" + info.params[index] + "' is not finite");
      values[index] = *value;

      if (consume(','))
        continue;
      if (consume(')'))
        return llvm::Error::success();
      return fail("expected ',' or ')' at character " + llvm::Twine(pos + 1));
    }
  }

  /// expression := term (('+' | '-') term)*
  llvm::Expected<double> parseExpression(unsigned depth) {
    if (depth > 32)
      return fail("expression nested too deeply");
    llvm::Expected<double> lhs = parseTerm(depth);
    if (!lhs)
      return lhs;
    while (true) {
      if (consume('+')) {
        llvm::Expected<double> rhs = parseTerm(depth);
        if (!rhs)
          return rhs;
        *lhs += *rhs;
      } else if (consume('-')) {
        llvm::Expected<double> rhs = parseTerm(depth);
        if (!rhs)
          return rhs;
        *lhs -= *rhs;
      } else {
        return lhs;
      }
    }
  }

  /// term := unary (('*' | '/') unary)*
  llvm::Expected<double> parseTerm(unsigned depth) {
    llvm::Expected<double> lhs = parseUnary(depth);
    if (!lhs)
      return lhs;
    while (true) {
      if (consume('*')) {
        llvm::Expected<double> rhs = parseUnary(depth);
        if (!rhs)
          return rhs;
        *lhs *= *rhs;
      } else if (consume('/')) {
        llvm::Expected<double> rhs = parseUnary(depth);
        if (!rhs)
          return rhs;
        if (*rhs == 0)
          return fail("division by zero");
        *lhs /= *rhs;
      } else {
        return lhs;
      }
    }
  }

  /// unary := ('-' | '+') unary | NUMBER | 'sqrt' '(' expression ')'
  ///        | '(' expression ')'
  llvm::Expected<double> parseUnary(unsigned depth) {
    if (depth > 32)
      return fail("expression nested too deeply");
    if (consume('-')) {
      llvm::Expected<double> operand = parseUnary(depth + 1);
      if (operand)
        *operand = -*operand;
      return operand;
    }
    if (consume('+'))
      return parseUnary(depth + 1);
    if (consume('(')) {
      llvm::Expected<double> inner = parseExpression(depth + 1);
      if (!inner)
        return inner;
      if (!consume(')'))
        return fail("expected ')' at character " + llvm::Twine(pos + 1));
      return inner;
    }
    skipSpace();
    if (text.substr(pos).starts_with("sqrt")) {
      pos += 4;
      if (!consume('('))
        return fail("expected '(' after sqrt");
      llvm::Expected<double> inner = parseExpression(depth + 1);
      if (!inner)
        return inner;
      if (!consume(')'))
        return fail("expected ')' at character " + llvm::Twine(pos + 1));
      if (*inner < 0)
        return fail("sqrt of a negative number");
      return std::sqrt(*inner);
    }
    return parseNumber();
  }

  /// NUMBER := DIGITS ['.' DIGITS] [('e' | 'E') ['+' | '-'] DIGITS], where
  /// either the integer or the fraction part may be empty (not both).
  llvm::Expected<double> parseNumber() {
    size_t start = pos;
    size_t digits = 0;
    while (llvm::isDigit(peek()))
      ++pos, ++digits;
    if (peek() == '.') {
      ++pos;
      while (llvm::isDigit(peek()))
        ++pos, ++digits;
    }
    if (digits == 0) {
      pos = start;
      if (pos >= text.size())
        return fail("expected a number at the end");
      return fail("expected a number at character " + llvm::Twine(pos + 1));
    }
    if (peek() == 'e' || peek() == 'E') {
      size_t save = pos++;
      if (peek() == '+' || peek() == '-')
        ++pos;
      if (!llvm::isDigit(peek())) {
        pos = save;
        return fail("malformed exponent at character " + llvm::Twine(pos + 1));
      }
      while (llvm::isDigit(peek()))
        ++pos;
    }
    if (llvm::isAlpha(peek()) || peek() == '_')
      return fail("unexpected '" + text.substr(pos, 1) +
                  "' in a number at character " + llvm::Twine(pos + 1));
    std::string number = text.slice(start, pos).str();
    return std::strtod(number.c_str(), nullptr);
  }

  llvm::StringRef text;
  size_t pos = 0;
};

template <typename T>
void fillValues(llvm::MutableArrayRef<T> values, const Initializer &init,
                const RandomStream &stream, double scale) {
  switch (init.kind) {
  case Initializer::Kind::Zeros:
    std::fill(values.begin(), values.end(), T(0));
    return;
  case Initializer::Kind::Ones:
    std::fill(values.begin(), values.end(), T(1));
    return;
  case Initializer::Kind::Constant:
    std::fill(values.begin(), values.end(), T(init.a));
    return;
  case Initializer::Kind::Normal:
  case Initializer::Kind::HeNormal: {
    double mean = init.kind == Initializer::Kind::Normal ? init.a : 0.0;
    double stddev = init.kind == Initializer::Kind::Normal ? init.b : scale;
    for (size_t i = 0; i < values.size(); ++i)
      values[i] = T(mean + stddev * stream.getNormal(i));
    return;
  }
  case Initializer::Kind::Uniform:
  case Initializer::Kind::GlorotUniform: {
    double low = init.kind == Initializer::Kind::Uniform ? init.a : -scale;
    double high = init.kind == Initializer::Kind::Uniform ? init.b : scale;
    for (size_t i = 0; i < values.size(); ++i) {
      T value = T(low + (high - low) * stream.getUniform(i));
      // Rounding to T can reach the excluded upper bound; keep [low, high).
      if (value >= T(high) && low < high)
        value = std::nextafter(T(high), T(low));
      values[i] = value;
    }
    return;
  }
  }
  llvm_unreachable("unknown initializer kind");
}

} // namespace

std::string Initializer::str() const {
  const InitInfo &info = getInitInfo(kind);
  switch (info.params.size()) {
  case 0:
    return info.name.str();
  case 1:
    return (info.name + "(" + formatNumber(a) + ")").str();
  default:
    return (info.name + "(" + formatNumber(a) + ", " + formatNumber(b) + ")")
        .str();
  }
}

llvm::Expected<Initializer> adjoint::parseInitializer(llvm::StringRef text) {
  return InitParser(text).parse();
}

llvm::Expected<FanInOut>
adjoint::computeFanInAndFanOut(llvm::ArrayRef<int64_t> shape) {
  if (shape.size() < 2)
    return llvm::createStringError(
        "fan in and fan out cannot be computed for shape " +
        formatShape(shape) + " (rank " + llvm::Twine(shape.size()) +
        "; at least 2 is needed)");
  int64_t receptive = 1;
  for (int64_t dim : shape.drop_front(2))
    receptive *= dim;
  return FanInOut{shape[1] * receptive, shape[0] * receptive};
}

llvm::Error adjoint::fillInitializer(HostTensor &tensor,
                                     const Initializer &init, uint64_t seed,
                                     llvm::StringRef name) {
  if (tensor.getDType() != DType::F32 && tensor.getDType() != DType::F64)
    return llvm::createStringError("cannot initialize a tensor of " +
                                   getDTypeName(tensor.getDType()) +
                                   " (only f32 and f64)");

  // The scale of glorot_uniform (the bound) and he_normal (the std).
  double scale = 0;
  if (init.kind == Initializer::Kind::GlorotUniform ||
      init.kind == Initializer::Kind::HeNormal) {
    llvm::Expected<FanInOut> fans = computeFanInAndFanOut(tensor.getShape());
    if (!fans)
      return llvm::createStringError(init.str() + ": " +
                                     llvm::toString(fans.takeError()));
    if (tensor.getNumElements() == 0)
      return llvm::Error::success();
    if (init.kind == Initializer::Kind::GlorotUniform)
      scale = std::sqrt(6.0 / double(fans->fanIn + fans->fanOut));
    else
      scale = std::sqrt(2.0 / double(fans->fanIn));
  }

  RandomStream stream(seed, name);
  if (tensor.getDType() == DType::F32)
    fillValues(tensor.getMutableValues<float>(), init, stream, scale);
  else
    fillValues(tensor.getMutableValues<double>(), init, stream, scale);
  return llvm::Error::success();
}

llvm::Expected<HostTensor>
adjoint::initializeParameter(llvm::StringRef initText,
                             llvm::ArrayRef<int64_t> shape, uint64_t seed,
                             llvm::StringRef name) {
  auto fail = [&](llvm::Error err) {
    return llvm::createStringError("parameter '" + name +
                                   "': " + llvm::toString(std::move(err)));
  };
  llvm::Expected<Initializer> init = parseInitializer(initText);
  if (!init)
    return fail(init.takeError());
  llvm::Expected<HostTensor> tensor = HostTensor::create(DType::F32, shape);
  if (!tensor)
    return fail(tensor.takeError());
  if (llvm::Error err = fillInitializer(*tensor, *init, seed, name))
    return fail(std::move(err));
  return std::move(*tensor);
}
