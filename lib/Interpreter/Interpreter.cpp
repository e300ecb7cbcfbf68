//===- Interpreter.cpp - Reference evaluator of nn IR ---------------------===//
//
// The driver: binds a function's arguments, walks its body in order, hands
// each op to its eval function (Kernels.h), checks every result against the
// op's result type, and follows func.call into callees of the same module.
// An op of another dialect that implements DecomposableOpInterface (a
// plugin's op) is evaluated through its expansion.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Interfaces/DecomposableOpInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

namespace {

/// Calls nested deeper than this are taken for runaway recursion.
constexpr unsigned kMaxCallDepth = 64;

std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// The `nn.name` of argument `i` of `func`, quoted, or "" when it has none.
std::string describeArgument(func::FuncOp func, unsigned i) {
  std::string text = "argument #" + std::to_string(i);
  if (auto name = func.getArgAttrOfType<StringAttr>(i, "nn.name"))
    text += " ('" + name.getValue().str() + "')";
  return text;
}

/// True when a value of `dtype` and `shape` fits the IR type `type`: a ranked
/// tensor of the dtype's element type and the same rank and static dims, or a
/// 0-d value for a scalar type.
bool fitsType(const OpEnv &env, Type type, DType dtype,
              llvm::ArrayRef<int64_t> shape) {
  llvm::Expected<DType> expected = env.getDType(getElementTypeOrSelf(type));
  if (!expected) {
    llvm::consumeError(expected.takeError());
    return false;
  }
  if (*expected != dtype)
    return false;
  auto tensorType = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensorType)
    return shape.empty();
  if (tensorType.getRank() != static_cast<int64_t>(shape.size()))
    return false;
  for (auto [declared, actual] : llvm::zip_equal(tensorType.getShape(), shape))
    if (!ShapedType::isDynamic(declared) && declared != actual)
      return false;
  return true;
}

class Evaluator {
public:
  explicit Evaluator(const InterpreterOptions &options) : options(options) {}

  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(func::FuncOp func, llvm::ArrayRef<const HostTensor *> arguments,
       unsigned depth);

private:
  llvm::Expected<OpResults> evalOp(const OpEnv &env, unsigned depth);
  llvm::Expected<OpResults> evalCall(func::CallOp callOp, const OpEnv &env,
                                     unsigned depth);
  llvm::Expected<OpResults> evalDecomposed(DecomposableOpInterface op,
                                           const OpEnv &env, unsigned depth);

  const InterpreterOptions &options;
  /// The expansions of the decomposable ops evaluated so far, each a module
  /// holding one function of the op's operands.
  llvm::DenseMap<Operation *, OwningOpRef<ModuleOp>> expansions;
};

} // namespace

llvm::Expected<llvm::SmallVector<HostTensor>>
Evaluator::call(func::FuncOp func, llvm::ArrayRef<const HostTensor *> arguments,
                unsigned depth) {
  std::string funcName = "@" + func.getSymName().str();
  auto fail = [&](const Twine &message) -> llvm::Error {
    return llvm::createStringError("evaluate: " + funcName + ": " + message);
  };
  if (func.isExternal())
    return fail("the function has no body");
  if (!func.getBody().hasOneBlock())
    return fail("functions with more than one block are not supported");
  if (arguments.size() != func.getNumArguments())
    return fail("takes " + Twine(func.getNumArguments()) + " arguments, got " +
                Twine(arguments.size()));

  llvm::DenseMap<Value, HostTensor> values;
  // Arguments that were not given, for the message of an op that reads one.
  llvm::DenseMap<Value, unsigned> unbound;
  Block &body = func.getBody().front();
  OpEnv funcEnv(func, {}, options);
  for (auto [i, argument] : llvm::enumerate(body.getArguments())) {
    if (!arguments[i]) {
      unbound[argument] = i;
      continue;
    }
    HostTensor value = *arguments[i];
    if (options.computeInF64 && value.getDType() == DType::F32)
      value = value.convertTo(DType::F64);
    if (!fitsType(funcEnv, argument.getType(), value.getDType(),
                  value.getShape()))
      return fail(describeArgument(func, i) + " is " +
                  getDTypeName(value.getDType()) + formatShape(value.getShape()) +
                  ", which does not fit its type " +
                  typeToString(argument.getType()));
    values.try_emplace(argument, std::move(value));
  }

  for (Operation &op : body) {
    llvm::SmallVector<const HostTensor *, 4> operands;
    for (auto [i, operand] : llvm::enumerate(op.getOperands())) {
      auto it = values.find(operand);
      if (it != values.end()) {
        operands.push_back(&it->second);
        continue;
      }
      OpEnv env(&op, {}, options);
      auto missing = unbound.find(operand);
      if (missing != unbound.end())
        return env.error("operand #" + Twine(i) + " reads " +
                         describeArgument(func, missing->second) +
                         ", which was not given");
      return env.error("operand #" + Twine(i) + " has no value");
    }
    OpEnv env(&op, operands, options);

    if (llvm::isa<func::ReturnOp>(op)) {
      llvm::SmallVector<HostTensor> results;
      for (const HostTensor *value : operands)
        results.push_back(*value);
      return results;
    }

    llvm::Expected<OpResults> results = evalOp(env, depth);
    if (!results)
      return results.takeError();
    if (results->size() != op.getNumResults())
      return env.error("produced " + Twine(results->size()) +
                       " results instead of " + Twine(op.getNumResults()));
    for (auto [i, result] : llvm::enumerate(op.getResults())) {
      HostTensor &value = (*results)[i];
      if (!fitsType(env, result.getType(), value.getDType(), value.getShape()))
        return env.error("result #" + Twine(i) + " is " +
                         getDTypeName(value.getDType()) +
                         formatShape(value.getShape()) +
                         ", which does not fit its type " +
                         typeToString(result.getType()));
      values.try_emplace(result, std::move(value));
    }
  }
  return fail("the body does not end in func.return");
}

llvm::Expected<OpResults> Evaluator::evalCall(func::CallOp callOp,
                                              const OpEnv &env,
                                              unsigned depth) {
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      callOp, callOp.getCalleeAttr());
  if (!callee)
    return env.error("no function named @" + callOp.getCallee());
  if (depth + 1 >= kMaxCallDepth)
    return env.error("calls are nested more than " + Twine(kMaxCallDepth) +
                     " deep");
  llvm::SmallVector<const HostTensor *> arguments;
  for (unsigned i = 0; i < env.getNumOperands(); ++i)
    arguments.push_back(&env.operand(i));
  llvm::Expected<llvm::SmallVector<HostTensor>> results =
      call(callee, arguments, depth + 1);
  if (!results)
    return results.takeError();
  return OpResults(std::make_move_iterator(results->begin()),
                   std::make_move_iterator(results->end()));
}

/// An op of another dialect (a plugin's) that implements
/// DecomposableOpInterface is evaluated through its expansion: a function of
/// the op's operands that returns its results, decomposed.
llvm::Expected<OpResults>
Evaluator::evalDecomposed(DecomposableOpInterface op, const OpEnv &env,
                          unsigned depth) {
  OwningOpRef<ModuleOp> &expansion = expansions[op];
  if (!expansion) {
    Location loc = op->getLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    OpBuilder builder(module->getBodyRegion());
    auto func = func::FuncOp::create(
        builder, loc, op->getName().getStringRef(),
        builder.getFunctionType(op->getOperandTypes(), op->getResultTypes()));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToStart(body);
    IRMapping mapping;
    mapping.map(op->getOperands(), body->getArguments());
    Operation *clone = builder.clone(*op, mapping);
    func::ReturnOp::create(builder, loc, clone->getResults());
    std::string diagnostics;
    {
      ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
        llvm::raw_string_ostream(diagnostics) << ": " << diag;
        return success();
      });
      if (failed(decomposeNestedOps(func)))
        return env.error("cannot decompose the op" + diagnostics);
    }
    expansion = std::move(module);
  }
  auto func = llvm::cast<func::FuncOp>(expansion->getBody()->front());
  if (depth + 1 >= kMaxCallDepth)
    return env.error("decompositions are nested more than " +
                     Twine(kMaxCallDepth) + " deep");
  llvm::SmallVector<const HostTensor *> arguments;
  for (unsigned i = 0; i < env.getNumOperands(); ++i)
    arguments.push_back(&env.operand(i));
  llvm::Expected<llvm::SmallVector<HostTensor>> results =
      call(func, arguments, depth + 1);
  if (!results)
    return results.takeError();
  return OpResults(std::make_move_iterator(results->begin()),
                   std::make_move_iterator(results->end()));
}

/// Wraps a single-result eval function's value.
static llvm::Expected<OpResults> single(llvm::Expected<HostTensor> result) {
  if (!result)
    return result.takeError();
  OpResults results;
  results.push_back(std::move(*result));
  return results;
}

llvm::Expected<OpResults> Evaluator::evalOp(const OpEnv &env, unsigned depth) {
  Operation *op = env.getOp();
  if (auto callOp = llvm::dyn_cast<func::CallOp>(op))
    return evalCall(callOp, env, depth);
  if (!llvm::isa<nn::NNDialect>(op->getDialect())) {
    // The nn ops keep their own kernels, the oracle, even if one becomes
    // decomposable; ops of other dialects run through their expansion.
    if (auto decomposable = llvm::dyn_cast<DecomposableOpInterface>(op))
      return evalDecomposed(decomposable, env, depth);
    return evalUpstreamOp(env);
  }
  return llvm::TypeSwitch<Operation *, llvm::Expected<OpResults>>(op)
      .Case([&](nn::ConstantOp constant) {
        return single(evalConstant(constant.getValue(), env));
      })
      .Case<nn::NegOp, nn::ExpOp, nn::LogOp, nn::SqrtOp, nn::ReluOp,
            nn::LeakyReluOp, nn::SigmoidOp, nn::TanhOp, nn::GeluOp,
            nn::ReluMaskOp, nn::GeluDerivOp>(
          [&](Operation *) { return single(evalUnary(env)); })
      .Case<nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp>(
          [&](Operation *) { return single(evalBinary(env)); })
      .Case([&](nn::MatmulOp) { return single(evalMatmul(env)); })
      .Case([&](nn::TransposeOp) { return single(evalTranspose(env)); })
      .Case([&](nn::ReshapeOp) { return single(evalReshape(env)); })
      .Case([&](nn::BroadcastOp) { return single(evalBroadcast(env)); })
      .Case<nn::SumOp, nn::MeanOp>(
          [&](Operation *) { return single(evalReduction(env)); })
      .Case([&](nn::SizeOp) { return single(evalSize(env)); })
      .Case([&](nn::ConcatOp) { return single(evalConcat(env)); })
      .Case([&](nn::SliceOp) { return single(evalSlice(env)); })
      .Case([&](nn::PadOp) { return single(evalPad(env)); })
      .Case<nn::SoftmaxOp, nn::LogSoftmaxOp>(
          [&](Operation *) { return single(evalSoftmax(env)); })
      .Case([&](nn::LayerNormOp) { return single(evalLayerNorm(env)); })
      .Case([&](nn::BatchNormOp) { return evalBatchNorm(env); })
      .Case([&](nn::DropoutOp) { return single(evalDropout(env)); })
      .Case([&](nn::Conv2DOp) { return single(evalConv2D(env)); })
      .Case([&](nn::Conv2DBackwardInputOp) {
        return single(evalConv2DBackwardInput(env));
      })
      .Case([&](nn::Conv2DBackwardFilterOp) {
        return single(evalConv2DBackwardFilter(env));
      })
      .Case<nn::MaxPool2DOp, nn::AvgPool2DOp>(
          [&](Operation *) { return single(evalPool2D(env)); })
      .Case([&](nn::AvgPool2DBackwardOp) {
        return single(evalAvgPool2DBackward(env));
      })
      .Case([&](nn::MaxPool2DJvpOp) { return single(evalMaxPool2DJvp(env)); })
      .Case([&](nn::MaxPool2DVjpOp) { return single(evalMaxPool2DVjp(env)); })
      .Case([&](nn::EmbeddingOp) { return single(evalEmbedding(env)); })
      .Case([&](nn::EmbeddingBackwardOp) {
        return single(evalEmbeddingBackward(env));
      })
      .Case([&](nn::OneHotOp) { return single(evalOneHot(env)); })
      .Case([&](nn::MseOp) { return single(evalMse(env)); })
      .Case([&](nn::SoftmaxCrossEntropyOp) {
        return single(evalSoftmaxCrossEntropy(env));
      })
      .Case([&](nn::BceWithLogitsOp) {
        return single(evalBceWithLogits(env));
      })
      .Default([&](Operation *) -> llvm::Expected<OpResults> {
        return env.error("unsupported op");
      });
}

llvm::Expected<llvm::SmallVector<HostTensor>>
interp::evaluate(func::FuncOp func, llvm::ArrayRef<const HostTensor *> arguments,
                 const InterpreterOptions &options) {
  Evaluator evaluator(options);
  return evaluator.call(func, arguments, /*depth=*/0);
}

llvm::Expected<llvm::SmallVector<HostTensor>>
interp::evaluate(func::FuncOp func, llvm::ArrayRef<HostTensor> arguments,
                 const InterpreterOptions &options) {
  llvm::SmallVector<const HostTensor *> pointers;
  for (const HostTensor &argument : arguments)
    pointers.push_back(&argument);
  return evaluate(func, pointers, options);
}
