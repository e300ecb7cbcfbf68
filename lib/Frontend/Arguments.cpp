//===- Arguments.cpp - Binding call arguments to parameters ---------------===//

#include "adjoint/Frontend/Arguments.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint::frontend;

std::string Signature::str() const {
  std::string text = name.str() + "(";
  llvm::raw_string_ostream os(text);
  bool first = true;
  auto separate = [&] {
    if (!first)
      os << ", ";
    first = false;
  };
  if (variadic) {
    separate();
    os << "x, ...";
  }
  for (const ParamDef &param : params) {
    separate();
    os << param.name;
    if (!param.isRequired())
      os << "=" << param.defaultText;
  }
  os << ")";
  return text;
}

std::string adjoint::frontend::describeExpr(const Expr &expr) {
  switch (expr.kind) {
  case Expr::Kind::Name:
    return ("'" + expr.text + "'").str();
  case Expr::Kind::Number:
    return ("the number " + expr.text).str();
  case Expr::Kind::Bool:
    return expr.boolValue ? "true" : "false";
  case Expr::Kind::List:
    return "a list";
  case Expr::Kind::Call:
    return ("a call to '" + expr.text + "'").str();
  }
  llvm_unreachable("unknown expression kind");
}

std::optional<llvm::StringRef>
adjoint::frontend::findClosest(llvm::StringRef name,
                               llvm::ArrayRef<llvm::StringRef> candidates) {
  std::optional<llvm::StringRef> best;
  unsigned bestDistance = 0;
  // Up to a third of the name may differ, and never all of it.
  unsigned limit = (name.size() + 2) / 3;
  for (llvm::StringRef candidate : candidates) {
    unsigned distance = name.edit_distance(candidate, true, limit + 1);
    if (distance <= limit && distance < name.size() &&
        (!best || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

std::optional<CallArguments> CallArguments::bind(const Expr &call,
                                                 const Signature &signature,
                                                 FrontendDiagnostics &diags) {
  assert(call.kind == Expr::Kind::Call && "binding a non-call");
  CallArguments args(call, signature, diags);
  bool ok = true;
  unsigned nextPositional = 0;
  const Argument *firstKeyword = nullptr;
  for (const Argument &arg : call.arguments) {
    if (arg.keyword.empty()) {
      if (firstKeyword) {
        diags.error(arg.value->loc,
                    "positional argument after the keyword argument '" +
                        firstKeyword->keyword + "'");
        ok = false;
        continue;
      }
      if (signature.variadic) {
        args.variadic.push_back(arg.value.get());
        continue;
      }
      if (nextPositional >= signature.params.size()) {
        diags.error(arg.value->loc,
                    call.text + " takes at most " +
                        llvm::Twine(signature.params.size()) + " argument" +
                        (signature.params.size() == 1 ? "" : "s") + " (" +
                        signature.str() + "), got " +
                        llvm::Twine(call.arguments.size()));
        ok = false;
        break;
      }
      args.slots[nextPositional++] = arg.value.get();
      continue;
    }

    if (!firstKeyword)
      firstKeyword = &arg;
    const ParamDef *param =
        llvm::find_if(signature.params,
                      [&](const ParamDef &p) { return p.name == arg.keyword; });
    if (param == signature.params.end()) {
      llvm::SmallVector<llvm::StringRef> names;
      for (const ParamDef &p : signature.params)
        names.push_back(p.name);
      std::string hint;
      if (std::optional<llvm::StringRef> closest =
              findClosest(arg.keyword, names))
        hint = ("; did you mean '" + *closest + "'?").str();
      else
        hint = "; it is called as " + signature.str();
      diags.error(arg.keywordLoc,
                  call.text + " has no argument '" + arg.keyword + "'" + hint);
      ok = false;
      continue;
    }
    unsigned index = param - signature.params.begin();
    if (args.slots[index]) {
      diags.error(arg.keywordLoc,
                  call.text + ": argument '" + arg.keyword + "' is given twice",
                  args.slots[index]->loc, "it was first given here");
      ok = false;
      continue;
    }
    args.slots[index] = arg.value.get();
  }
  if (!ok)
    return std::nullopt;

  if (signature.variadic && args.variadic.empty()) {
    diags.error(call.loc, call.text + " needs at least one value (" +
                              signature.str() + ")");
    return std::nullopt;
  }
  for (auto [param, slot] : llvm::zip_equal(signature.params, args.slots)) {
    if (slot || !param.isRequired())
      continue;
    diags.error(call.loc, call.text + ": missing argument '" + param.name +
                              "' (" + signature.str() + ")");
    ok = false;
  }
  if (!ok)
    return std::nullopt;
  return args;
}

llvm::SMLoc CallArguments::getLoc(unsigned index) const {
  return slots[index] ? slots[index]->loc : call->loc;
}

void CallArguments::error(unsigned index, const llvm::Twine &message) const {
  diags->error(getLoc(index), getCallee() + ": " + message);
}

void CallArguments::error(const llvm::Twine &message) const {
  diags->error(call->loc, getCallee() + ": " + message);
}

FailureOr<double> CallArguments::getNumber(unsigned index,
                                           double defaultValue) const {
  const Expr *expr = slots[index];
  if (!expr)
    return defaultValue;
  if (expr->kind != Expr::Kind::Number) {
    error(index, "'" + signature->params[index].name +
                     "' must be a number, got " + describeExpr(*expr));
    return failure();
  }
  return expr->floatValue;
}

FailureOr<int64_t> CallArguments::readInteger(const Expr &expr, unsigned index,
                                              llvm::StringRef what) const {
  if (expr.kind != Expr::Kind::Number || !expr.isInteger) {
    diags->error(expr.loc, getCallee() + ": '" + signature->params[index].name +
                               "' must be " + what + ", got " +
                               describeExpr(expr));
    return failure();
  }
  return expr.intValue;
}

FailureOr<int64_t> CallArguments::getInteger(unsigned index,
                                             int64_t defaultValue) const {
  const Expr *expr = slots[index];
  if (!expr)
    return defaultValue;
  return readInteger(*expr, index, "an integer");
}

FailureOr<bool> CallArguments::getBool(unsigned index,
                                       bool defaultValue) const {
  const Expr *expr = slots[index];
  if (!expr)
    return defaultValue;
  if (expr->kind != Expr::Kind::Bool) {
    error(index, "'" + signature->params[index].name +
                     "' must be true or false, got " + describeExpr(*expr));
    return failure();
  }
  return expr->boolValue;
}

FailureOr<llvm::SmallVector<int64_t>>
CallArguments::getIntegers(unsigned index,
                           llvm::ArrayRef<int64_t> defaultValue) const {
  const Expr *expr = slots[index];
  if (!expr)
    return llvm::SmallVector<int64_t>(defaultValue);
  llvm::SmallVector<int64_t> values;
  if (expr->kind != Expr::Kind::List) {
    FailureOr<int64_t> value =
        readInteger(*expr, index, "an integer or a list of integers");
    if (failed(value))
      return failure();
    values.push_back(*value);
    return values;
  }
  for (const std::unique_ptr<Expr> &element : expr->elements) {
    FailureOr<int64_t> value =
        readInteger(*element, index, "a list of integers");
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return values;
}
