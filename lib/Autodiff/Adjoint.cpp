//===- Adjoint.cpp - Reverse and forward mode on nn functions -------------===//

#include "adjoint/Autodiff/Adjoint.h"

#include "Differentiator.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/SymbolTable.h"

#include <memory>

using namespace mlir;

namespace adjoint::autodiff {

static LogicalResult checkSingleBlock(func::FuncOp func) {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitError() << "cannot differentiate @" << func.getSymName()
                            << ": it must have a body of one block";
  return success();
}

FailureOr<SmallVector<Value>> appendAdjoint(func::FuncOp func,
                                            ArrayRef<Value> wrt,
                                            ArrayRef<Value> targets,
                                            ArrayRef<Value> targetCotangents,
                                            AdjointTrace *trace) {
  if (failed(checkSingleBlock(func)))
    return failure();
  Differentiator differentiator(func, wrt, targets);
  if (failed(differentiator.analyze()))
    return failure();
  // The seeds of the tangent program are arguments of a block outside the
  // function: they only stand for the tangents and disappear with it.
  auto seedBlock = std::make_unique<Block>();
  SmallVector<Value> seeds;
  for (Value value : wrt)
    seeds.push_back(seedBlock->addArgument(value.getType(), value.getLoc()));
  if (failed(differentiator.linearize(seeds, /*forReverse=*/true)))
    return failure();
  FailureOr<SmallVector<Value>> cotangents =
      differentiator.transpose(targetCotangents, trace);
  if (failed(cotangents) || failed(differentiator.eraseTangentProgram()))
    return failure();
  differentiator.removeDeadAddedOps(*cotangents);
  return cotangents;
}

FailureOr<SmallVector<Value>> appendTangents(func::FuncOp func,
                                             ArrayRef<Value> wrt,
                                             ArrayRef<Value> wrtTangents,
                                             ArrayRef<Value> targets) {
  if (failed(checkSingleBlock(func)))
    return failure();
  Differentiator differentiator(func, wrt, targets);
  if (failed(differentiator.analyze()) ||
      failed(differentiator.linearize(wrtTangents, /*forReverse=*/false)))
    return failure();
  OpBuilder builder(func.getBody().front().getTerminator());
  SmallVector<Value> result;
  for (Value target : targets) {
    Value tangent = differentiator.getTangent(target);
    if (!tangent)
      tangent = createZerosLike(builder, target.getLoc(), target);
    result.push_back(tangent);
  }
  differentiator.removeDeadAddedOps(result);
  return result;
}

//===----------------------------------------------------------------------===//
// Functions around the machinery
//===----------------------------------------------------------------------===//

static StringRef getStringAttr(DictionaryAttr dict, StringRef name) {
  if (!dict)
    return {};
  if (auto value = dict.getAs<StringAttr>(name))
    return value.getValue();
  return {};
}

/// Clones `func` as `name` right after it.
static func::FuncOp cloneFunction(func::FuncOp func, StringRef name) {
  auto clone = func.clone();
  clone.setSymName(name);
  SymbolTable symbols(func->getParentOfType<ModuleOp>());
  symbols.insert(clone, std::next(func->getIterator()));
  return clone;
}

/// Replaces the results of `func` by `values` with the attributes `attrs`.
static void setResults(func::FuncOp func, ArrayRef<Value> values,
                       ArrayRef<DictionaryAttr> attrs) {
  Operation *terminator = func.getBody().front().getTerminator();
  terminator->setOperands(values);
  SmallVector<Type> types;
  for (Value v : values)
    types.push_back(v.getType());
  func.setType(FunctionType::get(func.getContext(),
                                 func.getArgumentTypes(), types));
  if (attrs.empty())
    func.removeResAttrsAttr();
  else
    func.setAllResultAttrs(attrs);
}

FailureOr<func::FuncOp> buildGradientFunction(ModuleOp module,
                                              const GradientOptions &options,
                                              AdjointTrace *trace) {
  auto forward = module.lookupSymbol<func::FuncOp>(options.functionName);
  if (!forward)
    return module.emitError() << "nn-adjoint: no function @"
                              << options.functionName << " to differentiate";
  if (module.lookupSymbol(options.gradientName))
    return forward.emitError()
           << "nn-adjoint: the module already has a symbol @"
           << options.gradientName;
  if (failed(checkSingleBlock(forward)))
    return failure();

  // Find the loss among the results.
  std::optional<unsigned> lossIndex;
  for (unsigned i = 0; i < forward.getNumResults(); ++i) {
    if (getStringAttr(forward.getResultAttrDict(i), nn::NNDialect::kKindAttr) !=
        "loss")
      continue;
    if (lossIndex)
      return forward.emitError() << "nn-adjoint: @" << forward.getSymName()
                                 << " has more than one result with nn.kind "
                                    "= \"loss\"";
    lossIndex = i;
  }
  if (!lossIndex)
    return forward.emitError()
           << "nn-adjoint: @" << forward.getSymName()
           << " has no result with nn.kind = \"loss\" (an inference-only model "
              "has no gradient)";
  auto lossType =
      llvm::dyn_cast<RankedTensorType>(forward.getResultTypes()[*lossIndex]);
  if (!lossType || lossType.getRank() != 0 ||
      !llvm::isa<FloatType>(lossType.getElementType()))
    return forward.emitError() << "nn-adjoint: the loss must be a 0-d float "
                                  "tensor, got "
                               << forward.getResultTypes()[*lossIndex];

  func::FuncOp gradient = cloneFunction(forward, options.gradientName);
  gradient.walk([](Operation *op) {
    if (auto bn = llvm::dyn_cast<nn::BatchNormOp>(op))
      bn.setTraining(true);
    if (auto dropout = llvm::dyn_cast<nn::DropoutOp>(op))
      dropout.setTraining(true);
  });

  // Parameters first, then f32 inputs, each in argument order.
  Block &body = gradient.getBody().front();
  SmallVector<unsigned> params, inputs;
  for (BlockArgument arg : body.getArguments()) {
    if (!isDifferentiable(arg))
      continue;
    StringRef kind = getStringAttr(gradient.getArgAttrDict(arg.getArgNumber()),
                                   nn::NNDialect::kKindAttr);
    if (kind == "param")
      params.push_back(arg.getArgNumber());
    else if ((kind == "input" || kind.empty()) && options.includeInputs)
      inputs.push_back(arg.getArgNumber());
  }
  SmallVector<unsigned> wrtArgs(params);
  wrtArgs.append(inputs);
  SmallVector<Value> wrt;
  for (unsigned i : wrtArgs)
    wrt.push_back(body.getArgument(i));

  Operation *terminator = body.getTerminator();
  Value loss = terminator->getOperand(*lossIndex);
  OpBuilder builder(terminator);
  Location seedLoc = loss.getDefiningOp() ? getGradLoc(loss.getDefiningOp())
                                          : terminator->getLoc();
  Value one = createScalar(builder, seedLoc, lossType.getElementType(), 1.0);
  FailureOr<SmallVector<Value>> cotangents =
      appendAdjoint(gradient, wrt, {loss}, {one}, trace);
  if (failed(cotangents)) {
    gradient.erase();
    return failure();
  }

  MLIRContext *context = module.getContext();
  auto named = [&](StringRef name, StringRef kind) {
    NamedAttribute entries[] = {
        builder.getNamedAttr(nn::NNDialect::kNameAttr,
                             builder.getStringAttr(name)),
        builder.getNamedAttr(nn::NNDialect::kKindAttr,
                             builder.getStringAttr(kind))};
    return DictionaryAttr::get(context, entries);
  };
  SmallVector<Value> results(terminator->getOperands());
  SmallVector<DictionaryAttr> attrs;
  for (unsigned i = 0; i < forward.getNumResults(); ++i)
    attrs.push_back(forward.getResultAttrDict(i)
                        ? forward.getResultAttrDict(i)
                        : DictionaryAttr::get(context));
  builder.setInsertionPoint(terminator);
  for (auto [index, cotangent] : llvm::zip_equal(wrtArgs, *cotangents)) {
    BlockArgument arg = body.getArgument(index);
    if (!cotangent)
      cotangent = createZerosLike(builder, arg.getLoc(), arg);
    results.push_back(cotangent);
    StringRef name = getStringAttr(gradient.getArgAttrDict(index),
                                   nn::NNDialect::kNameAttr);
    std::string gradName =
        ("grad." + (name.empty() ? "arg" + std::to_string(index) : name.str()));
    attrs.push_back(named(gradName, "grad"));
  }

  // Training mode updates the running statistics: return them.
  gradient.walk([&](nn::BatchNormOp bn) {
    std::pair<Value, Value> stats[] = {
        {bn.getNewRunningMean(), bn.getRunningMean()},
        {bn.getNewRunningVar(), bn.getRunningVar()}};
    for (auto [updated, buffer] : stats) {
      if (llvm::is_contained(results, updated))
        continue;
      std::string name = "running_stat" + std::to_string(results.size());
      if (auto arg = llvm::dyn_cast<BlockArgument>(buffer))
        if (StringRef argName = getStringAttr(
                gradient.getArgAttrDict(arg.getArgNumber()),
                nn::NNDialect::kNameAttr);
            !argName.empty())
          name = argName.str();
      results.push_back(updated);
      attrs.push_back(named(name, "buffer"));
    }
  });
  setResults(gradient, results, attrs);
  return gradient;
}

FailureOr<func::FuncOp> buildJvpFunction(func::FuncOp func,
                                         ArrayRef<unsigned> wrtArgs,
                                         StringRef name) {
  if (failed(checkSingleBlock(func)))
    return failure();
  func::FuncOp jvp = cloneFunction(func, name);
  Block &body = jvp.getBody().front();
  SmallVector<Value> wrt, tangents;
  for (unsigned i : wrtArgs) {
    BlockArgument arg = body.getArgument(i);
    wrt.push_back(arg);
    tangents.push_back(body.addArgument(arg.getType(), arg.getLoc()));
  }
  SmallVector<Type> argTypes(body.getArgumentTypes());
  jvp.setType(FunctionType::get(func.getContext(), argTypes,
                                jvp.getResultTypes()));
  jvp.removeArgAttrsAttr();

  Operation *terminator = body.getTerminator();
  SmallVector<Value> targets;
  for (Value v : terminator->getOperands())
    if (isDifferentiable(v))
      targets.push_back(v);
  FailureOr<SmallVector<Value>> results =
      appendTangents(jvp, wrt, tangents, targets);
  if (failed(results)) {
    jvp.erase();
    return failure();
  }
  SmallVector<Value> values(terminator->getOperands());
  values.append(*results);
  setResults(jvp, values, {});
  return jvp;
}

FailureOr<func::FuncOp> buildVjpFunction(func::FuncOp func,
                                         ArrayRef<unsigned> wrtArgs,
                                         StringRef name) {
  if (failed(checkSingleBlock(func)))
    return failure();
  func::FuncOp vjp = cloneFunction(func, name);
  Block &body = vjp.getBody().front();
  Operation *terminator = body.getTerminator();
  SmallVector<Value> wrt, targets, cotangents;
  for (unsigned i : wrtArgs)
    wrt.push_back(body.getArgument(i));
  for (Value v : terminator->getOperands()) {
    if (!isDifferentiable(v))
      continue;
    targets.push_back(v);
    cotangents.push_back(body.addArgument(v.getType(), v.getLoc()));
  }
  SmallVector<Type> argTypes(body.getArgumentTypes());
  vjp.setType(FunctionType::get(func.getContext(), argTypes,
                                vjp.getResultTypes()));
  vjp.removeArgAttrsAttr();

  FailureOr<SmallVector<Value>> results =
      appendAdjoint(vjp, wrt, targets, cotangents);
  if (failed(results)) {
    vjp.erase();
    return failure();
  }
  OpBuilder builder(terminator);
  SmallVector<Value> values;
  for (auto [arg, cotangent] : llvm::zip_equal(wrt, *results))
    values.push_back(cotangent ? cotangent
                               : createZerosLike(builder, arg.getLoc(), arg));
  setResults(vjp, values, {});
  return vjp;
}

} // namespace adjoint::autodiff
