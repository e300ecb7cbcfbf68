//===- NpyHeader.cpp - The Python-dict header of a .npy file --------------===//

#include "NpyHeader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace adjoint;
using namespace adjoint::detail;

namespace {

/// A Python literal value, as far as .npy headers use them.
struct PyValue {
  enum class Kind { String, Int, Bool, None, Tuple, List, Dict };
  Kind kind = Kind::None;
  std::string str;
  int64_t intValue = 0;
  /// Tuple and List: the elements; Dict: keys and values, alternating.
  std::vector<PyValue> items;
};

/// Nesting deeper than this is refused, so that a hostile header cannot
/// exhaust the stack.
constexpr unsigned kMaxDepth = 32;

/// Recursive-descent parser for Python literals.
class LiteralParser {
public:
  explicit LiteralParser(llvm::StringRef text) : text(text) {}

  llvm::Error parseTopLevel(PyValue &result) {
    if (llvm::Error err = parseValue(result, 0))
      return err;
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after the dict");
    return llvm::Error::success();
  }

private:
  llvm::Error fail(const llvm::Twine &what) {
    // Show the header so that the user sees what the file contains; keep the
    // message one line and bounded.
    std::string shown;
    llvm::raw_string_ostream os(shown);
    llvm::StringRef trimmed = text.rtrim();
    llvm::printEscapedString(trimmed.take_front(120), os);
    if (trimmed.size() > 120)
      os << "...";
    return llvm::createStringError("malformed header: " + what +
                                   " at character " + llvm::Twine(pos + 1) +
                                   " of \"" + shown + "\"");
  }

  bool atEnd() const { return pos >= text.size(); }
  char peek() const { return atEnd() ? '\0' : text[pos]; }

  void skipSpace() {
    while (!atEnd() && llvm::StringRef(" \t\n\r\f\v").contains(text[pos]))
      ++pos;
  }

  llvm::Error parseValue(PyValue &result, unsigned depth) {
    if (depth > kMaxDepth)
      return fail("values nested too deeply");
    skipSpace();
    if (atEnd())
      return fail("unexpected end of header");
    char c = peek();
    if (c == '\'' || c == '"')
      return parseString(result);
    if (llvm::isDigit(c) || c == '-' || c == '+')
      return parseInt(result);
    if (llvm::isAlpha(c) || c == '_')
      return parseName(result);
    if (c == '(')
      return parseSequence(result, PyValue::Kind::Tuple, ')', depth);
    if (c == '[')
      return parseSequence(result, PyValue::Kind::List, ']', depth);
    if (c == '{')
      return parseDict(result, depth);
    std::string shown;
    llvm::raw_string_ostream os(shown);
    llvm::printEscapedString(text.substr(pos, 1), os);
    return fail("unexpected character '" + shown + "'");
  }

  llvm::Error parseString(PyValue &result) {
    char quote = text[pos++];
    result.kind = PyValue::Kind::String;
    result.str.clear();
    while (!atEnd() && text[pos] != quote) {
      if (text[pos] == '\n')
        break;
      // Escapes other than \\ and quotes do not occur in dtype descriptors;
      // keep the escaped character as is.
      if (text[pos] == '\\' && pos + 1 < text.size())
        ++pos;
      result.str += text[pos++];
    }
    if (atEnd() || text[pos] != quote)
      return fail("unterminated string");
    ++pos;
    return llvm::Error::success();
  }

  llvm::Error parseInt(PyValue &result) {
    size_t start = pos;
    bool negative = false;
    if (peek() == '-' || peek() == '+')
      negative = text[pos++] == '-';
    if (!llvm::isDigit(peek()))
      return fail("expected a digit");
    int64_t value = 0;
    bool overflow = false;
    while (llvm::isDigit(peek())) {
      int64_t digit = text[pos++] - '0';
      overflow |= llvm::MulOverflow(value, int64_t(10), value) ||
                  llvm::AddOverflow(value, negative ? -digit : digit, value);
    }
    // Python 2 wrote long integers with an L suffix: (3L, 4L).
    if (peek() == 'L' || peek() == 'l')
      ++pos;
    if (llvm::isAlnum(peek()) || peek() == '.' || peek() == '_')
      return fail("expected an integer");
    if (overflow) {
      llvm::StringRef digits = text.slice(start, pos);
      pos = start;
      return fail("integer " + digits + " does not fit in int64");
    }
    result.kind = PyValue::Kind::Int;
    result.intValue = value;
    return llvm::Error::success();
  }

  llvm::Error parseName(PyValue &result) {
    size_t start = pos;
    while (llvm::isAlnum(peek()) || peek() == '_')
      ++pos;
    llvm::StringRef name = text.slice(start, pos);
    if (name == "True" || name == "False") {
      result.kind = PyValue::Kind::Bool;
      result.intValue = name == "True";
      return llvm::Error::success();
    }
    if (name == "None") {
      result.kind = PyValue::Kind::None;
      return llvm::Error::success();
    }
    pos = start;
    return fail("unexpected name '" + name + "'");
  }

  llvm::Error parseSequence(PyValue &result, PyValue::Kind kind, char close,
                            unsigned depth) {
    ++pos; // The opening bracket.
    result.kind = kind;
    result.items.clear();
    while (true) {
      skipSpace();
      if (peek() == close) {
        ++pos;
        return llvm::Error::success();
      }
      PyValue item;
      if (llvm::Error err = parseValue(item, depth + 1))
        return err;
      result.items.push_back(std::move(item));
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() != close)
        return fail(llvm::Twine("expected ',' or '") + llvm::Twine(close) +
                    "'");
    }
  }

  llvm::Error parseDict(PyValue &result, unsigned depth) {
    ++pos; // The '{'.
    result.kind = PyValue::Kind::Dict;
    result.items.clear();
    while (true) {
      skipSpace();
      if (peek() == '}') {
        ++pos;
        return llvm::Error::success();
      }
      PyValue key, value;
      if (llvm::Error err = parseValue(key, depth + 1))
        return err;
      skipSpace();
      if (peek() != ':')
        return fail("expected ':' after a key");
      ++pos;
      if (llvm::Error err = parseValue(value, depth + 1))
        return err;
      result.items.push_back(std::move(key));
      result.items.push_back(std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() != '}')
        return fail("expected ',' or '}'");
    }
  }

  llvm::StringRef text;
  size_t pos = 0;
};

llvm::Error malformed(const llvm::Twine &what) {
  return llvm::createStringError("malformed header: " + what);
}

} // namespace

llvm::Expected<NpyHeaderDict>
adjoint::detail::parseNpyHeaderDict(llvm::StringRef text) {
  PyValue dict;
  if (llvm::Error err = LiteralParser(text).parseTopLevel(dict))
    return std::move(err);
  if (dict.kind != PyValue::Kind::Dict)
    return malformed("the header is not a dict");

  NpyHeaderDict header;
  bool seenDescr = false, seenOrder = false, seenShape = false;
  for (size_t i = 0; i < dict.items.size(); i += 2) {
    const PyValue &key = dict.items[i];
    const PyValue &value = dict.items[i + 1];
    if (key.kind != PyValue::Kind::String)
      return malformed("a key is not a string");
    bool *seen = key.str == "descr"           ? &seenDescr
                 : key.str == "fortran_order" ? &seenOrder
                 : key.str == "shape"         ? &seenShape
                                              : nullptr;
    if (!seen)
      return malformed("unexpected key '" + key.str +
                       "' (expected 'descr', 'fortran_order' and 'shape')");
    if (*seen)
      return malformed("duplicate key '" + key.str + "'");
    *seen = true;

    if (key.str == "descr") {
      if (value.kind == PyValue::Kind::List) {
        header.isStructured = true;
      } else if (value.kind == PyValue::Kind::String) {
        header.descr = value.str;
      } else {
        return malformed("'descr' is not a string");
      }
    } else if (key.str == "fortran_order") {
      if (value.kind != PyValue::Kind::Bool)
        return malformed("'fortran_order' is not True or False");
      header.fortranOrder = value.intValue != 0;
    } else {
      if (value.kind != PyValue::Kind::Tuple &&
          value.kind != PyValue::Kind::List)
        return malformed("'shape' is not a tuple");
      for (const PyValue &dim : value.items) {
        if (dim.kind != PyValue::Kind::Int)
          return malformed("'shape' has an element that is not an integer");
        if (dim.intValue < 0)
          return malformed("'shape' has a negative dim " +
                           llvm::Twine(dim.intValue));
        header.shape.push_back(dim.intValue);
      }
    }
  }
  if (!seenDescr)
    return malformed("missing key 'descr'");
  if (!seenOrder)
    return malformed("missing key 'fortran_order'");
  if (!seenShape)
    return malformed("missing key 'shape'");
  return header;
}
