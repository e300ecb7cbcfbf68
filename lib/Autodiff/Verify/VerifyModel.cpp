//===- VerifyModel.cpp - Check every rule a model uses --------------------===//
//
// Each op of the forward function that carries derivatives is copied alone
// into a function of its operands (plus the tensors whose sizes its dynamic
// size operands read), in training mode as in the gradient, and checked with
// checkGradients at each of the given sizes of the dynamic dims.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/VerifyGrad.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <functional>

using namespace mlir;

namespace adjoint::autodiff {

namespace {

bool isFloatTensor(Value value) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  return type && llvm::isa<FloatType>(type.getElementType());
}

/// The results of `op` that its rule differentiates (batchnorm's updated
/// running statistics are not).
SmallVector<Value> checkedResults(Operation *op) {
  if (auto bn = llvm::dyn_cast<nn::BatchNormOp>(op))
    return {bn.getResult()};
  SmallVector<Value> results;
  for (Value r : op->getResults())
    if (isFloatTensor(r))
      results.push_back(r);
  return results;
}

/// Operands differentiated with respect to: the float ones, except the
/// running statistics of a batchnorm (buffers).
bool isCheckedOperand(Operation *op, unsigned index) {
  if (!isFloatTensor(op->getOperand(index)))
    return false;
  return !(llvm::isa<nn::BatchNormOp>(op) && index >= 3);
}

/// Operands whose values must be positive (log, sqrt, divisor, variance).
bool needsPositive(Operation *op, unsigned index) {
  return llvm::isa<nn::LogOp, nn::SqrtOp>(op) ||
         (llvm::isa<nn::DivOp>(op) && index == 1) ||
         (llvm::isa<nn::BatchNormOp>(op) && index == 4);
}

/// The exclusive upper bound of the integer operand of `op` (ids, labels).
int64_t integerBound(Operation *op, int64_t dynamicSize) {
  int64_t bound = 2;
  if (auto e = llvm::dyn_cast<nn::EmbeddingOp>(op))
    bound = e.getWeight().getType().getDimSize(0);
  else if (auto e = llvm::dyn_cast<nn::EmbeddingBackwardOp>(op))
    bound = e.getType().getDimSize(0);
  else if (auto ce = llvm::dyn_cast<nn::SoftmaxCrossEntropyOp>(op))
    bound = ce.getLogits().getType().getDimSize(1);
  else if (auto oh = llvm::dyn_cast<nn::OneHotOp>(op))
    bound = oh.getType().getShape().back();
  return ShapedType::isDynamic(bound) ? dynamicSize : bound;
}

/// A function of `op` alone, in `module`; `wrt` and `positive` receive the
/// argument numbers of the checked and of the positive operands.
FailureOr<func::FuncOp> extractOp(Operation *op, ModuleOp module,
                                  SmallVectorImpl<unsigned> &wrt,
                                  SmallVectorImpl<unsigned> &positive) {
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> sizeOps;
  // Index operands (dynamic sizes) are recomputed from the tensors they
  // read.
  std::function<LogicalResult(Value)> collect = [&](Value v) -> LogicalResult {
    if (llvm::isa<RankedTensorType>(v.getType())) {
      inputs.insert(v);
      return success();
    }
    Operation *def = v.getDefiningOp();
    if (!def)
      return failure();
    for (Value operand : def->getOperands())
      if (failed(collect(operand)))
        return failure();
    sizeOps.insert(def);
    return success();
  };
  for (Value operand : op->getOperands())
    if (failed(collect(operand)))
      return op->emitError("cannot isolate '")
             << op->getName() << "' for --verify-grad";

  SmallVector<Type> argTypes;
  for (Value v : inputs)
    argTypes.push_back(v.getType());
  SmallVector<Value> results = checkedResults(op);
  SmallVector<Type> resultTypes;
  for (Value r : results)
    resultTypes.push_back(r.getType());

  OpBuilder builder(module.getBodyRegion());
  auto func = func::FuncOp::create(
      builder, op->getLoc(), "rule",
      builder.getFunctionType(argTypes, resultTypes));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  IRMapping mapping;
  for (auto [value, arg] : llvm::zip_equal(inputs, body->getArguments()))
    mapping.map(value, arg);
  for (Operation *sizeOp : sizeOps)
    builder.clone(*sizeOp, mapping);
  Operation *clone = builder.clone(*op, mapping);
  if (auto bn = llvm::dyn_cast<nn::BatchNormOp>(clone))
    bn.setTraining(true);
  if (auto dropout = llvm::dyn_cast<nn::DropoutOp>(clone))
    dropout.setTraining(true);
  SmallVector<Value> returned;
  for (Value r : results)
    returned.push_back(mapping.lookup(r));
  func::ReturnOp::create(builder, op->getLoc(), returned);

  for (OpOperand &operand : op->getOpOperands()) {
    unsigned arg = llvm::find(inputs, operand.get()) - inputs.begin();
    if (arg == inputs.size())
      continue;
    if (isCheckedOperand(op, operand.getOperandNumber()) &&
        !llvm::is_contained(wrt, arg))
      wrt.push_back(arg);
    if (needsPositive(op, operand.getOperandNumber()))
      positive.push_back(arg);
  }
  return func;
}

} // namespace

llvm::Expected<std::vector<RuleCheck>>
verifyModelGradients(ModuleOp module, const VerifyGradOptions &options) {
  auto forward = module.lookupSymbol<func::FuncOp>(options.functionName);
  if (!forward || forward.isExternal())
    return llvm::createStringError("verify-grad: no function @" +
                                   options.functionName);

  llvm::StringMap<RuleCheck> byRule;
  llvm::StringMap<unsigned> instances;
  uint64_t seed = options.check.seed;
  for (Operation &op : forward.getBody().front().without_terminator()) {
    if (checkedResults(&op).empty() ||
        llvm::none_of(llvm::seq<unsigned>(0, op.getNumOperands()),
                      [&](unsigned i) { return isCheckedOperand(&op, i); }))
      continue;
    std::string name = op.getName().getStringRef().str();
    RuleCheck &check = byRule[name];
    check.rule = name;
    if (instances[name]++ >= options.maxInstances)
      continue;

    for (int64_t size : options.dynamicSizes) {
      OwningOpRef<ModuleOp> scratch = ModuleOp::create(op.getLoc());
      SmallVector<unsigned> wrt, positive;
      FailureOr<func::FuncOp> func = extractOp(&op, *scratch, wrt, positive);
      if (failed(func)) {
        check.failure = "cannot isolate the op";
        break;
      }
      std::vector<HostTensor> args = makeRandomArguments(
          *func, size, ++seed, positive, integerBound(&op, size));
      GradCheckOptions checkOptions = options.check;
      checkOptions.seed = ++seed;
      llvm::Expected<GradCheckResult> result =
          checkGradients(*func, args, wrt, checkOptions);
      if (!result) {
        check.failure = llvm::toString(result.takeError());
        break;
      }
      ++check.checks;
      check.fdError = std::max(check.fdError, result->fdError);
      check.dotError = std::max(check.dotError, result->dotError);
    }
  }

  std::vector<RuleCheck> checks;
  for (auto &entry : byRule)
    checks.push_back(entry.second);
  llvm::sort(checks, [](const RuleCheck &a, const RuleCheck &b) {
    return a.rule < b.rule;
  });
  return checks;
}

bool printRuleChecks(llvm::raw_ostream &os, ArrayRef<RuleCheck> checks,
                     const VerifyGradOptions &options) {
  os << "gradient rules, checked in f64 at random points: finite differences "
        "(central, step "
     << llvm::format("%.0e", options.check.step)
     << ") and the dot-product test <J v, w> = <v, J^T w>\n";
  os << llvm::format("%-28s %6s %14s %14s  %s\n", "rule", "checks",
                     "fd rel. error", "dot rel. error", "status");
  unsigned failed = 0;
  for (const RuleCheck &check : checks) {
    bool pass = check.passed(options);
    failed += !pass;
    os << llvm::format("%-28s %6u %14.2e %14.2e  %s\n", check.rule.c_str(),
                       check.checks, check.fdError, check.dotError,
                       pass ? "PASS" : "FAIL");
    if (!check.failure.empty())
      os << "  " << check.rule << ": " << check.failure << "\n";
  }
  os << checks.size() << " rules checked (tolerances: fd "
     << llvm::format("%.0e", options.fdTolerance) << ", dot "
     << llvm::format("%.0e", options.dotTolerance) << "): ";
  if (failed == 0)
    os << "all pass\n";
  else
    os << failed << " FAIL\n";
  return failed == 0;
}

} // namespace adjoint::autodiff
