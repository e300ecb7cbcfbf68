//===- GradCheck.cpp - Finite differences and the dot-product test --------===//

#include "adjoint/Autodiff/Adjoint.h"
#include "adjoint/Autodiff/VerifyGrad.h"
#include "adjoint/Interpreter/Interpreter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace mlir;

namespace adjoint::autodiff {

namespace {

bool isFloatTensor(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && llvm::isa<FloatType>(tensor.getElementType());
}

/// Collects the diagnostics emitted while it lives, as text.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag << "\n";
          return success();
        }) {}
  llvm::Error error(const Twine &what) const {
    return llvm::createStringError(what + (text.empty() ? "" : ":\n" + text));
  }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

HostTensor randomLike(llvm::ArrayRef<int64_t> shape, std::mt19937_64 &rng) {
  HostTensor t(DType::F64, shape);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double &x : t.getMutableValues<double>())
    x = normal(rng);
  return t;
}

HostTensor toF64(const HostTensor &t) {
  return t.getDType() == DType::F64 ? t : t.convertTo(DType::F64);
}

/// a + s * b, elementwise.
HostTensor axpy(const HostTensor &a, double s, const HostTensor &b) {
  HostTensor r = toF64(a);
  HostTensor bb = toF64(b);
  auto out = r.getMutableValues<double>();
  auto in = bb.getValues<double>();
  for (size_t i = 0; i < out.size(); ++i)
    out[i] += s * in[i];
  return r;
}

double dot(const HostTensor &a, const HostTensor &b) {
  HostTensor x = toF64(a), y = toF64(b);
  double sum = 0;
  for (auto [p, q] : llvm::zip_equal(x.getValues<double>(), y.getValues<double>()))
    sum += p * q;
  return sum;
}

double relativeError(double difference, double scale) {
  if (scale < 1e-300)
    return difference < 1e-300 ? 0 : INFINITY;
  return difference / scale;
}

} // namespace

llvm::Expected<GradCheckResult>
checkGradients(func::FuncOp func, ArrayRef<HostTensor> arguments,
               ArrayRef<unsigned> wrtArgs, const GradCheckOptions &options) {
  MLIRContext *context = func.getContext();
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(func.getLoc());
  auto f = func.clone();
  scratch->push_back(f);

  DiagnosticCollector diagnostics(context);
  FailureOr<func::FuncOp> jvp = buildJvpFunction(f, wrtArgs, "jvp");
  if (failed(jvp))
    return diagnostics.error("cannot build the tangent function");
  FailureOr<func::FuncOp> vjp = buildVjpFunction(f, wrtArgs, "vjp");
  if (failed(vjp))
    return diagnostics.error("cannot build the cotangent function");
  if (failed(mlir::verify(*scratch)))
    return diagnostics.error("the rules built invalid IR");

  interp::InterpreterOptions f64;
  f64.computeInF64 = true;
  SmallVector<HostTensor> x;
  for (const HostTensor &a : arguments)
    x.push_back(isFloatTensor(f.getArgumentTypes()[x.size()]) ? toF64(a) : a);

  auto primal = interp::evaluate(f, x, f64);
  if (!primal)
    return primal.takeError();
  SmallVector<unsigned> floatResults;
  for (auto [i, type] : llvm::enumerate(f.getResultTypes()))
    if (isFloatTensor(type))
      floatResults.push_back(i);

  std::mt19937_64 rng(options.seed);
  GradCheckResult result;
  for (unsigned trial = 0; trial < options.trials; ++trial) {
    SmallVector<HostTensor> v, w;
    for (unsigned i : wrtArgs)
      v.push_back(randomLike(x[i].getShape(), rng));
    for (unsigned j : floatResults)
      w.push_back(randomLike((*primal)[j].getShape(), rng));

    // Central differences along v.
    SmallVector<HostTensor> plus(x), minus(x);
    for (auto [k, i] : llvm::enumerate(wrtArgs)) {
      plus[i] = axpy(x[i], options.step, v[k]);
      minus[i] = axpy(x[i], -options.step, v[k]);
    }
    auto fPlus = interp::evaluate(f, plus, f64);
    if (!fPlus)
      return fPlus.takeError();
    auto fMinus = interp::evaluate(f, minus, f64);
    if (!fMinus)
      return fMinus.takeError();

    SmallVector<HostTensor> jvpArgs(x);
    jvpArgs.append(v.begin(), v.end());
    auto tangents = interp::evaluate(*jvp, jvpArgs, f64);
    if (!tangents)
      return tangents.takeError();
    SmallVector<HostTensor> vjpArgs(x);
    vjpArgs.append(w.begin(), w.end());
    auto cotangents = interp::evaluate(*vjp, vjpArgs, f64);
    if (!cotangents)
      return cotangents.takeError();

    double diff2 = 0, fd2 = 0, jv2 = 0, jvw = 0, vjtw = 0;
    for (auto [k, j] : llvm::enumerate(floatResults)) {
      HostTensor fd =
          axpy((*fPlus)[j], -1.0, (*fMinus)[j]); // f(x+hv) - f(x-hv)
      for (double &d : fd.getMutableValues<double>())
        d /= 2 * options.step;
      const HostTensor &jv = (*tangents)[f.getNumResults() + k];
      HostTensor difference = axpy(fd, -1.0, jv);
      diff2 += dot(difference, difference);
      fd2 += dot(fd, fd);
      jv2 += dot(jv, jv);
      jvw += dot(jv, w[k]);
    }
    for (auto [k, cotangent] : llvm::enumerate(*cotangents))
      vjtw += dot(v[k], cotangent);

    result.fdError =
        std::max(result.fdError, relativeError(std::sqrt(diff2),
                                               std::sqrt(std::max(fd2, jv2))));
    result.dotError = std::max(
        result.dotError,
        relativeError(std::fabs(jvw - vjtw),
                      std::max(std::fabs(jvw), std::fabs(vjtw))));
  }
  return result;
}

std::vector<HostTensor> makeRandomArguments(func::FuncOp func,
                                            int64_t dynamicSize,
                                            uint64_t seed,
                                            ArrayRef<unsigned> positiveArgs,
                                            int64_t intBound) {
  std::mt19937_64 rng(seed);
  std::vector<HostTensor> args;
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto tensor = llvm::cast<RankedTensorType>(type);
    SmallVector<int64_t> shape;
    for (int64_t d : tensor.getShape())
      shape.push_back(ShapedType::isDynamic(d) ? dynamicSize : d);
    Type element = tensor.getElementType();
    if (llvm::isa<FloatType>(element)) {
      HostTensor t(DType::F64, shape);
      bool positive = llvm::is_contained(positiveArgs, i);
      std::normal_distribution<double> normal(0.0, 1.0);
      std::uniform_real_distribution<double> uniform(0.5, 2.0);
      for (double &x : t.getMutableValues<double>())
        x = positive ? uniform(rng) : normal(rng);
      args.push_back(element.isF32() ? t.convertTo(DType::F32) : t);
      continue;
    }
    DType dtype = element.isInteger(32) ? DType::I32 : DType::I64;
    HostTensor t(dtype, shape);
    std::uniform_int_distribution<int64_t> uniform(0, intBound - 1);
    for (int64_t k = 0; k < t.getNumElements(); ++k) {
      if (dtype == DType::I32)
        t.getMutableValues<int32_t>()[k] = static_cast<int32_t>(uniform(rng));
      else
        t.getMutableValues<int64_t>()[k] = uniform(rng);
    }
    args.push_back(std::move(t));
  }
  return args;
}

} // namespace adjoint::autodiff
