//===- Initializers.cpp - INIT and optimizer text of .nn files ------------===//

#include "adjoint/Frontend/Initializers.h"

#include "adjoint/Frontend/Arguments.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace adjoint::frontend;

std::string adjoint::frontend::formatNumber(double value) {
  if (value == 0)
    return std::signbit(value) ? "-0" : "0";
  char buffer[40];
  int precision = 1;
  for (; precision < 17; ++precision) {
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

std::string adjoint::frontend::getDefaultLayerInit(int64_t fanIn) {
  std::string bound = formatNumber(1.0 / std::sqrt(static_cast<double>(fanIn)));
  return "uniform(-" + bound + ", " + bound + ")";
}

namespace {
/// The initializers of the INIT syntax and their parameters.
struct InitDef {
  Signature signature;
  /// glorot_uniform and he_normal need fans, so a rank >= 2.
  bool needsFans = false;
};
} // namespace

static llvm::ArrayRef<InitDef> getInitDefs() {
  static const InitDef defs[] = {
      {{"zeros", {}}},
      {{"ones", {}}},
      {{"constant", {{"value"}}}},
      {{"normal", {{"mean"}, {"std"}}}},
      {{"uniform", {{"low"}, {"high"}}}},
      {{"glorot_uniform", {}}, /*needsFans=*/true},
      {{"he_normal", {}}, /*needsFans=*/true},
  };
  return defs;
}

static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         "]";
}

FailureOr<std::string>
adjoint::frontend::normalizeInitializer(const Expr &init,
                                        llvm::ArrayRef<int64_t> shape,
                                        FrontendDiagnostics &diags) {
  llvm::ArrayRef<InitDef> defs = getInitDefs();
  const InitDef *def = llvm::find_if(
      defs, [&](const InitDef &d) { return d.signature.name == init.text; });
  if (def == defs.end()) {
    llvm::SmallVector<llvm::StringRef> names;
    for (const InitDef &d : defs)
      names.push_back(d.signature.name);
    std::string hint;
    if (std::optional<llvm::StringRef> closest = findClosest(init.text, names))
      hint = ("; did you mean '" + *closest + "'?").str();
    diags.error(init.loc,
                "unknown initializer '" + init.text + "'" + hint +
                    " (expected zeros, ones, constant(V), normal(mean, std), "
                    "uniform(low, high), glorot_uniform or he_normal)");
    return failure();
  }

  llvm::SmallVector<double, 2> values;
  if (init.kind == Expr::Kind::Call) {
    std::optional<CallArguments> args =
        CallArguments::bind(init, def->signature, diags);
    if (!args)
      return failure();
    for (unsigned i = 0; i < def->signature.params.size(); ++i) {
      FailureOr<double> value = args->getNumber(i, 0);
      if (failed(value))
        return failure();
      values.push_back(*value);
    }
  } else if (!def->signature.params.empty()) {
    diags.error(init.loc, "initializer '" + init.text +
                              "' needs arguments: " + def->signature.str());
    return failure();
  }

  if (def->signature.name == "normal" && values[1] < 0) {
    diags.error(init.loc, "normal: the standard deviation must not be "
                          "negative, got " +
                              formatNumber(values[1]));
    return failure();
  }
  if (def->signature.name == "uniform" && values[0] > values[1]) {
    diags.error(init.loc, "uniform: needs low <= high, got low " +
                              formatNumber(values[0]) + " and high " +
                              formatNumber(values[1]));
    return failure();
  }
  if (def->needsFans && shape.size() < 2) {
    diags.error(init.loc, init.text +
                              " needs a parameter of rank >= 2 to compute its "
                              "fan-in and fan-out, got the shape " +
                              formatShape(shape));
    return failure();
  }

  std::string text = def->signature.name.str();
  if (!values.empty())
    text += "(" +
            llvm::join(llvm::map_range(
                           values, [](double v) { return formatNumber(v); }),
                       ", ") +
            ")";
  return text;
}

namespace {
/// An optimizer: its parameters, and the range each must be in.
struct OptimizerDef {
  Signature signature;
  /// Per parameter: the smallest value, and whether 1 is excluded (betas).
  llvm::SmallVector<bool, 4> belowOne;
};
} // namespace

FailureOr<std::string>
adjoint::frontend::normalizeOptimizer(const Expr &rule,
                                      FrontendDiagnostics &diags) {
  static const OptimizerDef defs[] = {
      {{"sgd", {{"lr"}, {"momentum", "0"}, {"weight_decay", "0"}}},
       {false, false, false}},
      {{"adam",
        {{"lr"}, {"beta1", "0.9"}, {"beta2", "0.999"}, {"eps", "1e-8"}}},
       {false, true, true, false}},
  };
  const OptimizerDef *def = llvm::find_if(defs, [&](const OptimizerDef &d) {
    return d.signature.name == rule.text;
  });
  if (def == std::end(defs)) {
    diags.error(rule.loc, "unknown optimizer '" + rule.text +
                              "' (expected sgd(lr, momentum=0, "
                              "weight_decay=0) or adam(lr, beta1=0.9, "
                              "beta2=0.999, eps=1e-8))");
    return failure();
  }
  std::optional<CallArguments> args =
      CallArguments::bind(rule, def->signature, diags);
  if (!args)
    return failure();

  std::string text = def->signature.name.str() + "(";
  bool first = true;
  bool ok = true;
  for (unsigned i = 0; i < def->signature.params.size(); ++i) {
    if (!args->get(i))
      continue;
    FailureOr<double> value = args->getNumber(i, 0);
    if (failed(value)) {
      ok = false;
      continue;
    }
    llvm::StringRef name = def->signature.params[i].name;
    if (*value < 0 || (def->belowOne[i] && *value >= 1)) {
      args->error(i, "'" + name + "' must be " +
                         (def->belowOne[i] ? "in [0, 1)" : "non-negative") +
                         ", got " + formatNumber(*value));
      ok = false;
      continue;
    }
    if (!first)
      text += ", ";
    first = false;
    text += name.str() + "=" + formatNumber(*value);
  }
  if (!ok)
    return failure();
  return text + ")";
}
