//===- TrainStep.cpp - Building the training step -------------------------===//
//
// @train_step is a copy of @gradient whose return is replaced by the
// optimizer update (ordinary nn ops) and the new state; see Passes.td for the
// signature and the semantics.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Training/TrainStep.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;

namespace {

/// A function result or argument together with its nn attributes.
struct NamedValue {
  Value value;
  DictionaryAttr attrs;
  StringRef kind;
  StringRef name;
};

StringRef getStringAttr(DictionaryAttr attrs, StringRef key) {
  if (!attrs)
    return {};
  if (auto str = attrs.getAs<StringAttr>(key))
    return str.getValue();
  return {};
}

DictionaryAttr makeAttrs(MLIRContext *ctx, StringRef kind, StringRef name) {
  Builder b(ctx);
  return b.getDictionaryAttr(
      {b.getNamedAttr(nn::NNDialect::kKindAttr, b.getStringAttr(kind)),
       b.getNamedAttr(nn::NNDialect::kNameAttr, b.getStringAttr(name))});
}

/// Emits the update ops of one optimizer in front of the return of a
/// function, caching the scalar constants it uses.
class UpdateBuilder {
public:
  UpdateBuilder(ImplicitLocOpBuilder &b) : b(b) {}

  /// A 0-d constant of element type `type`.
  Value scalar(double value, Type elementType) {
    auto key = std::make_pair(value, elementType.getAsOpaquePointer());
    auto it = constants.find(key);
    if (it != constants.end())
      return it->second;
    auto type = RankedTensorType::get({}, elementType);
    auto attr = DenseElementsAttr::get(
        type, llvm::ArrayRef<Attribute>{b.getFloatAttr(elementType, value)});
    Value result = nn::ConstantOp::create(b, attr);
    constants[key] = result;
    return result;
  }
  Value add(Value x, Value y) { return nn::AddOp::create(b, x, y); }
  Value sub(Value x, Value y) { return nn::SubOp::create(b, x, y); }
  Value mul(Value x, Value y) { return nn::MulOp::create(b, x, y); }
  Value div(Value x, Value y) { return nn::DivOp::create(b, x, y); }
  Value sqrt(Value x) { return nn::SqrtOp::create(b, x); }
  Value exp(Value x) { return nn::ExpOp::create(b, x); }
  Value log(Value x) { return nn::LogOp::create(b, x); }

  /// `1 - beta^t` for a 0-d step count `t >= 1`. Computed as Kahan's
  /// -expm1(y) = (1 - u) * y / log(u), y = t log(beta), u = exp(y), which
  /// stays accurate where 1 - u cancels (beta2 = 0.999, small t).
  Value biasCorrection(double beta, Value t) {
    Type type = llvm::cast<RankedTensorType>(t.getType()).getElementType();
    if (beta == 0)
      return scalar(1.0, type); // 0^t = 0 for t >= 1
    // Sequenced statements: the order of the ops is the order written here,
    // not an order of evaluating function arguments.
    Value one = scalar(1.0, type);
    Value y = mul(t, scalar(std::log(beta), type));
    Value u = exp(y);
    Value oneMinusU = sub(one, u);
    Value numerator = mul(oneMinusU, y);
    Value logU = log(u);
    return div(numerator, logU);
  }

private:
  ImplicitLocOpBuilder &b;
  std::map<std::pair<double, const void *>, Value> constants;
};

/// Erases the ops of `func` whose results are unused and that have no side
/// effects (the gradients of the inputs, which a training step drops).
void eraseDeadOps(func::FuncOp func) {
  for (Block &block : func.getBody()) {
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(block.getOperations())))
      if (isOpTriviallyDead(&op))
        op.erase();
  }
}

/// Sets the results of `func` to `results`, replacing its return op.
void setResults(func::FuncOp func, ArrayRef<NamedValue> results) {
  auto ret = llvm::cast<func::ReturnOp>(func.getBody().back().getTerminator());
  OpBuilder b(ret);
  SmallVector<Value> values;
  SmallVector<Type> types;
  SmallVector<DictionaryAttr> attrs;
  for (const NamedValue &r : results) {
    values.push_back(r.value);
    types.push_back(r.value.getType());
    attrs.push_back(r.attrs);
  }
  func::ReturnOp::create(b, ret.getLoc(), values);
  ret.erase();
  func.setFunctionType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), types));
  func.setAllResultAttrs(attrs);
}

/// The results of `func`'s return op with their attributes.
SmallVector<NamedValue> getResults(func::FuncOp func) {
  auto ret = llvm::cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<NamedValue> results;
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    DictionaryAttr attrs = func.getResultAttrDict(i);
    results.push_back({value, attrs, getStringAttr(attrs, nn::NNDialect::kKindAttr),
                       getStringAttr(attrs, nn::NNDialect::kNameAttr)});
  }
  return results;
}

/// Replaces an existing function named `name` by `func`, or inserts it after
/// `after`.
void insertFunction(ModuleOp module, func::FuncOp func, StringRef name,
                    Operation *after) {
  if (Operation *old = SymbolTable::lookupSymbolIn(module, name))
    old->erase();
  func.setName(name);
  module.getBody()->getOperations().insertAfter(Block::iterator(after), func);
}

/// Adds the `nn.accuracy` attribute to `func` and, when the logits of a
/// softmax_cross_entropy `loss` are not among `results`, appends them at
/// `insertAt` as an output named "<loss>.logits".
void addAccuracyInfo(func::FuncOp func, const NamedValue &loss,
                     SmallVectorImpl<NamedValue> &results, size_t insertAt) {
  auto ce = loss.value.getDefiningOp<nn::SoftmaxCrossEntropyOp>();
  if (!ce)
    return;
  auto labels = llvm::dyn_cast<BlockArgument>(ce.getLabels());
  if (!labels || labels.getOwner() != &func.getBody().front())
    return;
  Value logits = ce.getLogits();
  size_t index = results.size();
  for (auto [i, r] : llvm::enumerate(results))
    if (r.value == logits && r.kind == "output")
      index = i;
  if (index == results.size()) {
    std::string name = (loss.name.empty() ? "loss" : loss.name).str() + ".logits";
    results.insert(results.begin() + insertAt,
                   {logits, makeAttrs(func.getContext(), "output", name),
                    "output", ""});
    index = insertAt;
  }
  Builder b(func.getContext());
  func->setAttr(kAccuracyAttrName,
                b.getDictionaryAttr(
                    {b.getNamedAttr("logits", b.getI64IntegerAttr(index)),
                     b.getNamedAttr("labels",
                                    b.getI64IntegerAttr(labels.getArgNumber()))}));
}

/// Appends an optimizer state argument `name` of `type` to `func` (kind
/// "state", initialized with zeros) and returns it.
Value appendStateArgument(func::FuncOp func, Type type,
                          const std::string &name) {
  unsigned index = func.getNumArguments();
  Builder b(func.getContext());
  DictionaryAttr attrs = b.getDictionaryAttr(
      {b.getNamedAttr(nn::NNDialect::kKindAttr, b.getStringAttr(kStateKind)),
       b.getNamedAttr(nn::NNDialect::kNameAttr, b.getStringAttr(name)),
       b.getNamedAttr(nn::NNDialect::kInitAttr, b.getStringAttr("zeros"))});
  (void)func.insertArgument(index, type, attrs, func.getLoc());
  return func.getArgument(index);
}

/// Emits the update rule `spec` at `b`'s insertion point: for each parameter
/// in `params`, its new value from its gradient (`grads["grad.P"]`) and the
/// optimizer state, which `addState` provides. Appends the new parameters to
/// `newParams` and the new state to `newState`.
void emitUpdate(ImplicitLocOpBuilder &b, const OptimizerSpec &spec,
                ArrayRef<NamedValue> params,
                const llvm::StringMap<Value> &grads,
                llvm::function_ref<Value(Type, const std::string &)> addState,
                SmallVectorImpl<NamedValue> &newParams,
                SmallVectorImpl<NamedValue> &newState) {
  MLIRContext *ctx = b.getContext();
  bool isAdam = spec.kind == OptimizerSpec::Kind::Adam;
  auto stateResult = [&](Value value, const std::string &name) {
    newState.push_back({value, makeAttrs(ctx, kStateKind, name), kStateKind, ""});
  };

  UpdateBuilder u(b);
  Type stepType = b.getF32Type();
  if (!params.empty())
    stepType = llvm::cast<RankedTensorType>(params.front().value.getType())
                   .getElementType();

  // Adam: the step count and the bias corrections are shared by all params.
  Value stepCount, stepSize, bc2Sqrt, newStep;
  if (isAdam) {
    std::string name = (kStatePrefix + "step").str();
    stepCount = addState(RankedTensorType::get({}, stepType), name);
    Value one = u.scalar(1.0, stepType);
    newStep = u.add(stepCount, one);
    stateResult(newStep, name);
    Value bc1 = u.biasCorrection(spec.beta1, newStep);
    Value bc2 = u.biasCorrection(spec.beta2, newStep);
    Value lr = u.scalar(spec.lr, stepType);
    stepSize = u.div(lr, bc1);
    bc2Sqrt = u.sqrt(bc2);
  }

  for (const NamedValue &p : params) {
    Type type = p.value.getType();
    Type et = llvm::cast<RankedTensorType>(type).getElementType();
    std::string prefix = (kStatePrefix + p.name + ".").str();
    Value g = grads.lookup(("grad." + p.name).str());
    if (spec.weightDecay != 0) {
      Value wd = u.scalar(spec.weightDecay, et);
      Value decay = u.mul(p.value, wd);
      g = u.add(g, decay);
    }
    Value updated;
    if (!isAdam && spec.momentum != 0) {
      std::string name = prefix + "momentum_buffer";
      Value buf = addState(type, name);
      Value momentum = u.scalar(spec.momentum, et);
      Value scaled = u.mul(buf, momentum);
      Value newBuf = u.add(scaled, g);
      Value lr = u.scalar(spec.lr, et);
      Value delta = u.mul(newBuf, lr);
      updated = u.sub(p.value, delta);
      stateResult(newBuf, name);
    } else if (!isAdam) {
      Value lr = u.scalar(spec.lr, et);
      Value delta = u.mul(g, lr);
      updated = u.sub(p.value, delta);
    } else {
      std::string mName = prefix + "exp_avg", vName = prefix + "exp_avg_sq";
      Value m = addState(type, mName);
      Value v = addState(type, vName);
      Value beta1 = u.scalar(spec.beta1, et);
      Value mDecayed = u.mul(m, beta1);
      Value oneMinusBeta1 = u.scalar(1.0 - spec.beta1, et);
      Value mNew = u.mul(g, oneMinusBeta1);
      Value newM = u.add(mDecayed, mNew);
      Value beta2 = u.scalar(spec.beta2, et);
      Value vDecayed = u.mul(v, beta2);
      Value gSquared = u.mul(g, g);
      Value oneMinusBeta2 = u.scalar(1.0 - spec.beta2, et);
      Value vNew = u.mul(gSquared, oneMinusBeta2);
      Value newV = u.add(vDecayed, vNew);
      // torch: denom = sqrt(v) / sqrt(bc2) + eps; p -= (lr / bc1) * m / denom
      Value rootV = u.sqrt(newV);
      Value corrected = u.div(rootV, bc2Sqrt);
      Value eps = u.scalar(spec.eps, et);
      Value denom = u.add(corrected, eps);
      Value ratio = u.div(newM, denom);
      Value delta = u.mul(ratio, stepSize);
      updated = u.sub(p.value, delta);
      stateResult(newM, mName);
      stateResult(newV, vName);
    }
    newParams.push_back({updated, makeAttrs(ctx, "param", p.name), "param", ""});
  }

}

/// The module's @gradient, or null after an error.
func::FuncOp lookupGradient(ModuleOp module) {
  auto gradient = module.lookupSymbol<func::FuncOp>(kGradientFuncName);
  if (gradient && !gradient.isExternal())
    return gradient;
  module.emitError() << "nn-train-step: the module has no @gradient (run "
                        "nn-adjoint first)";
  return nullptr;
}

} // namespace

llvm::Expected<OptimizerSpec>
adjoint::training::getModuleOptimizer(ModuleOp module,
                                      llvm::StringRef overrideSpec) {
  if (!overrideSpec.empty())
    return parseOptimizerSpec(overrideSpec);
  auto attr = module->getAttrOfType<StringAttr>(nn::NNDialect::kOptimizerAttr);
  if (!attr)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the model has no optimizer statement; give one with "
        "--optimizer=SPEC (for example --optimizer='sgd(lr=0.1)')");
  return parseOptimizerSpec(attr.getValue());
}

LogicalResult adjoint::training::buildTrainStep(ModuleOp module,
                                                const OptimizerSpec &spec) {
  func::FuncOp gradient = lookupGradient(module);
  if (!gradient)
    return failure();
  MLIRContext *ctx = module.getContext();
  func::FuncOp step = gradient.clone();
  insertFunction(module, step, kTrainStepFuncName, gradient);

  // Sort @gradient's results by kind.
  NamedValue loss;
  SmallVector<NamedValue> outputs;
  llvm::StringMap<Value> grads, buffers;
  for (const NamedValue &r : getResults(step)) {
    if (r.kind == "loss")
      loss = r;
    else if (r.kind == "output")
      outputs.push_back(r);
    else if (r.kind == "grad")
      grads[r.name] = r.value;
    else if (r.kind == "buffer")
      buffers[r.name] = r.value;
  }
  if (!loss.value) {
    step.erase();
    return gradient.emitError("nn-train-step: @gradient returns no loss");
  }

  // Parameters and buffers, in argument order.
  SmallVector<NamedValue> params, bufferArgs;
  for (BlockArgument arg : step.getArguments()) {
    DictionaryAttr attrs = step.getArgAttrDict(arg.getArgNumber());
    NamedValue nv{arg, attrs, getStringAttr(attrs, nn::NNDialect::kKindAttr),
                  getStringAttr(attrs, nn::NNDialect::kNameAttr)};
    if (nv.kind == "param")
      params.push_back(nv);
    else if (nv.kind == "buffer")
      bufferArgs.push_back(nv);
  }
  for (const NamedValue &p : params) {
    if (!grads.count(("grad." + p.name).str())) {
      step.erase();
      return gradient.emitError("nn-train-step: @gradient returns no 'grad.")
             << p.name << "' for parameter '" << p.name << "'";
    }
  }

  // The state arguments, appended after @forward's arguments.
  Location loc = step.getLoc();
  auto addState = [&](Type type, const std::string &name) -> Value {
    return appendStateArgument(step, type, name);
  };
  Operation *ret = step.getBody().back().getTerminator();
  ImplicitLocOpBuilder b(loc, ret);
  SmallVector<NamedValue> newParams, newState;
  emitUpdate(b, spec, params, grads, addState, newParams, newState);

  // (loss, outputs..., params..., buffers..., state...)
  SmallVector<NamedValue> results;
  results.push_back({loss.value, makeAttrs(ctx, "loss", loss.name), "loss", ""});
  for (const NamedValue &o : outputs)
    results.push_back({o.value, o.attrs, "output", o.name});
  addAccuracyInfo(step, loss, results, results.size());
  llvm::append_range(results, newParams);
  for (const NamedValue &buf : bufferArgs) {
    auto it = buffers.find(buf.name);
    Value value = it != buffers.end() ? it->second : buf.value;
    results.push_back({value, makeAttrs(ctx, "buffer", buf.name), "buffer", ""});
  }
  llvm::append_range(results, newState);
  setResults(step, results);
  eraseDeadOps(step);
  return success();
}

LogicalResult adjoint::training::buildApplyUpdate(ModuleOp module,
                                                  const OptimizerSpec &spec) {
  func::FuncOp gradient = lookupGradient(module);
  if (!gradient)
    return failure();
  MLIRContext *ctx = module.getContext();
  Location loc = gradient.getLoc();

  // (params..., grads...), the parameters in @gradient's argument order.
  SmallVector<Type> types;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<std::string> names;
  for (unsigned i = 0, e = gradient.getNumArguments(); i < e; ++i) {
    DictionaryAttr attrs = gradient.getArgAttrDict(i);
    if (getStringAttr(attrs, nn::NNDialect::kKindAttr) != "param")
      continue;
    types.push_back(gradient.getArgumentTypes()[i]);
    argAttrs.push_back(attrs);
    names.push_back(getStringAttr(attrs, nn::NNDialect::kNameAttr).str());
  }
  size_t numParams = types.size();
  for (size_t i = 0; i < numParams; ++i) {
    types.push_back(types[i]);
    argAttrs.push_back(makeAttrs(ctx, "grad", "grad." + names[i]));
  }
  OpBuilder mb(ctx);
  auto update = func::FuncOp::create(mb, loc, kApplyUpdateFuncName,
                                     mb.getFunctionType(types, {}));
  update.setAllArgAttrs(argAttrs);
  Block *body = update.addEntryBlock();
  mb.setInsertionPointToEnd(body);
  auto ret = func::ReturnOp::create(mb, loc);

  SmallVector<NamedValue> params;
  llvm::StringMap<Value> grads;
  for (size_t i = 0; i < numParams; ++i) {
    params.push_back({update.getArgument(i), argAttrs[i], "param", names[i]});
    grads["grad." + names[i]] = update.getArgument(numParams + i);
  }
  ImplicitLocOpBuilder b(loc, ret);
  SmallVector<NamedValue> newParams, newState;
  emitUpdate(
      b, spec, params, grads,
      [&](Type type, const std::string &name) {
        return appendStateArgument(update, type, name);
      },
      newParams, newState);
  llvm::append_range(newParams, newState);
  setResults(update, newParams);

  Operation *anchor = gradient;
  if (Operation *step = SymbolTable::lookupSymbolIn(module, kTrainStepFuncName))
    anchor = step;
  insertFunction(module, update, kApplyUpdateFuncName, anchor);
  return success();
}

LogicalResult adjoint::training::buildEvalStep(ModuleOp module) {
  auto forward = module.lookupSymbol<func::FuncOp>(kForwardFuncName);
  if (!forward || forward.isExternal())
    return success();
  SmallVector<NamedValue> forwardResults = getResults(forward);
  const NamedValue *loss = nullptr;
  for (const NamedValue &r : forwardResults)
    if (r.kind == "loss")
      loss = &r;
  if (!loss)
    return success();

  func::FuncOp eval = forward.clone();
  Operation *anchor = forward;
  if (Operation *step = SymbolTable::lookupSymbolIn(module, kTrainStepFuncName))
    anchor = step;
  insertFunction(module, eval, kEvalStepFuncName, anchor);
  // Inference mode: batchnorm with running statistics, dropout off.
  eval.walk([](Operation *op) {
    if (auto bn = llvm::dyn_cast<nn::BatchNormOp>(op))
      bn.setTraining(false);
    else if (auto dropout = llvm::dyn_cast<nn::DropoutOp>(op))
      dropout.setTraining(false);
  });

  SmallVector<NamedValue> evalResults = getResults(eval);
  NamedValue evalLoss;
  SmallVector<NamedValue> results;
  for (const NamedValue &r : evalResults)
    if (r.kind == "loss")
      evalLoss = r;
  results.push_back(evalLoss);
  for (const NamedValue &r : evalResults)
    if (r.kind == "output")
      results.push_back(r);
  addAccuracyInfo(eval, evalLoss, results, results.size());
  setResults(eval, results);
  eraseDeadOps(eval);
  return success();
}
