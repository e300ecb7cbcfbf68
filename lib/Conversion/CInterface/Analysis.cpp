//===- Analysis.cpp - The ABI of a network's C functions ------------------===//
//
// Decides the C signature of every public function of a network module:
// parameters and buffers become fields of one struct, symbolic dims become
// int64_t parameters, inputs and results plain pointers. Result shapes are
// expressed in terms of the symbols by resolving `tensor.dim` of each result
// through the ops' ReifyRankedShapedTypeOpInterface on a scratch copy of the
// function.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Conversion/CInterface/CInterface.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::abi;

namespace {

std::optional<DType> getDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isInteger(64) || type.isIndex())
    return DType::I64;
  if (type.isInteger(32))
    return DType::I32;
  return std::nullopt;
}

/// Arguments of these kinds live in the parameter struct: parameters,
/// buffers (batchnorm's running statistics) and optimizer state (momentum,
/// Adam's moments and step). A result of one of these kinds with the name of
/// a field is a new value of it, written to the `new_state` struct.
bool isStateKind(StringRef kind) {
  return kind == "param" || kind == "buffer" || kind == "state";
}

StringRef getStringAttr(DictionaryAttr dict, StringRef name) {
  if (!dict)
    return {};
  if (auto s = dict.getAs<StringAttr>(name))
    return s.getValue();
  return {};
}

int64_t getDTypeAlignment(DType dtype) { return getDTypeSize(dtype); }

/// Builds the ABI of a module, function by function.
class ABIBuilder {
public:
  ABIBuilder(ModuleOp module, NetworkABI &abi) : module(module), abi(abi) {}

  LogicalResult addFunction(func::FuncOp func);
  void finishState();

private:
  InFlightDiagnostic error(func::FuncOp func) {
    return func.emitError() << "cannot give '@" << func.getName()
                            << "' a C signature: ";
  }
  FailureOr<Tensor> describeArgument(func::FuncOp func, unsigned i);
  FailureOr<std::vector<Tensor>> describeResults(func::FuncOp func,
                                                 ArrayRef<Tensor> arguments);
  int64_t addSymbol(StringRef symbol);

  ModuleOp module;
  NetworkABI &abi;
};

int64_t ABIBuilder::addSymbol(StringRef symbol) {
  for (size_t i = 0; i < abi.symbols.size(); ++i)
    if (abi.symbols[i] == symbol)
      return i;
  abi.symbols.push_back(symbol.str());
  return abi.symbols.size() - 1;
}

FailureOr<Tensor> ABIBuilder::describeArgument(func::FuncOp func, unsigned i) {
  auto type = llvm::dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
  DictionaryAttr attrs = func.getArgAttrDict(i);
  Tensor t;
  t.name = getStringAttr(attrs, nn::NNDialect::kNameAttr).str();
  if (t.name.empty())
    t.name = "arg" + std::to_string(i);
  t.kind = getStringAttr(attrs, nn::NNDialect::kKindAttr).str();
  if (t.kind.empty())
    t.kind = "input";
  if (!type) {
    error(func) << "argument '" << t.name << "' is not a ranked tensor";
    return failure();
  }
  std::optional<DType> dtype = getDType(type.getElementType());
  if (!dtype) {
    error(func) << "argument '" << t.name << "' has element type "
                << type.getElementType();
    return failure();
  }
  t.dtype = *dtype;
  ArrayAttr dims = attrs ? attrs.getAs<ArrayAttr>(nn::NNDialect::kDimsAttr)
                         : ArrayAttr();
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Dim dim;
    if (!type.isDynamicDim(d)) {
      dim.size = type.getDimSize(d);
    } else {
      StringRef symbol;
      if (dims && d < static_cast<int64_t>(dims.size()))
        if (auto s = llvm::dyn_cast<StringAttr>(dims[d]))
          symbol = s.getValue();
      dim.symbol = symbol.empty()
                       ? makeCIdentifier(t.name) + "_d" + std::to_string(d)
                       : makeCIdentifier(symbol);
    }
    t.shape.push_back(dim);
  }
  return t;
}

/// Collects all canonicalization patterns of the loaded dialects and ops,
/// as the canonicalizer does.
void populateCanonicalization(MLIRContext *context,
                              RewritePatternSet &patterns) {
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
}

FailureOr<std::vector<Tensor>>
ABIBuilder::describeResults(func::FuncOp func, ArrayRef<Tensor> arguments) {
  std::vector<Tensor> results;
  for (unsigned j = 0; j < func.getNumResults(); ++j) {
    DictionaryAttr attrs = func.getResultAttrDict(j);
    Tensor t;
    t.name = getStringAttr(attrs, nn::NNDialect::kNameAttr).str();
    if (t.name.empty())
      t.name = "result" + std::to_string(j);
    t.kind = getStringAttr(attrs, nn::NNDialect::kKindAttr).str();
    if (t.kind.empty())
      t.kind = "output";
    auto type = llvm::dyn_cast<RankedTensorType>(func.getResultTypes()[j]);
    std::optional<DType> dtype =
        type ? getDType(type.getElementType()) : std::nullopt;
    if (!dtype) {
      error(func) << "result '" << t.name << "' has type "
                  << func.getResultTypes()[j];
      return failure();
    }
    t.dtype = *dtype;
    results.push_back(t);
  }

  // The dynamic result dims: resolve tensor.dim of each result on a scratch
  // copy whose return yields the dims.
  OpBuilder builder(func.getContext());
  auto scratch = llvm::cast<func::FuncOp>(builder.clone(*func));
  Block &body = scratch.getBody().front();
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  SmallVector<std::pair<unsigned, int64_t>> queried;
  SmallVector<Value> dims;
  for (unsigned j = 0; j < scratch.getNumResults(); ++j) {
    auto type = llvm::cast<RankedTensorType>(scratch.getResultTypes()[j]);
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d))
        continue;
      queried.push_back({j, d});
      dims.push_back(tensor::DimOp::create(builder, terminator->getLoc(),
                                           terminator->getOperand(j), d));
    }
  }
  func::ReturnOp::create(builder, terminator->getLoc(), dims);
  terminator->erase();
  // Run-time checks only constrain values; drop them so that their operands
  // do not keep values alive.
  scratch.walk([](cf::AssertOp op) { op.erase(); });
  RewritePatternSet patterns(func.getContext());
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  memref::populateResolveShapedTypeResultDimsPatterns(patterns);
  populateCanonicalization(func.getContext(), patterns);
  (void)applyPatternsGreedily(scratch, std::move(patterns));

  LogicalResult result = success();
  Operation *ret = scratch.getBody().front().getTerminator();
  for (auto [k, query] : llvm::enumerate(queried)) {
    auto [j, d] = query;
    Value v = ret->getOperand(k);
    Dim dim;
    APInt constant;
    if (matchPattern(v, m_ConstantInt(&constant))) {
      dim.size = constant.getSExtValue();
    } else if (auto dimOp = v.getDefiningOp<tensor::DimOp>()) {
      auto arg = llvm::dyn_cast<BlockArgument>(dimOp.getSource());
      std::optional<int64_t> index = dimOp.getConstantIndex();
      if (arg && index && arg.getOwner() == &scratch.getBody().front())
        dim = arguments[arg.getArgNumber()].shape[*index];
    }
    if (!dim.isSymbolic() && dim.size == 0 &&
        !matchPattern(v, m_ConstantInt(&constant))) {
      error(func) << "dim " << d << " of result '" << results[j].name
                  << "' is not a symbolic dim of an argument; fix the dims "
                     "it depends on with -D";
      result = failure();
      continue;
    }
    results[j].shape.push_back(dim);
    (void)j;
  }
  scratch.erase();
  if (failed(result))
    return failure();

  // Merge the static dims in.
  std::vector<Tensor> merged;
  size_t next = 0;
  for (unsigned j = 0; j < func.getNumResults(); ++j) {
    auto type = llvm::cast<RankedTensorType>(func.getResultTypes()[j]);
    Tensor t = results[j];
    SmallVector<Dim, 4> dynamicDims = t.shape;
    t.shape.clear();
    size_t nextDynamic = 0;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (type.isDynamicDim(d)) {
        t.shape.push_back(dynamicDims[nextDynamic++]);
        ++next;
        continue;
      }
      Dim dim;
      dim.size = type.getDimSize(d);
      t.shape.push_back(dim);
    }
    merged.push_back(t);
  }
  return merged;
}

LogicalResult ABIBuilder::addFunction(func::FuncOp func) {
  Function f;
  f.name = func.getName().str();
  f.symbol = abi.network + "_" + makeCIdentifier(f.name);
  llvm::StringSet<> paramNames;
  auto addParam = [&](ParamKind kind, StringRef name, int64_t index) {
    if (!paramNames.insert(name).second) {
      error(func) << "two C parameters would be named '" << name << "'";
      return failure();
    }
    f.params.push_back(Param{kind, name.str(), index});
    return success();
  };

  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    FailureOr<Tensor> t = describeArgument(func, i);
    if (failed(t))
      return failure();
    f.arguments.push_back(*t);
  }
  // State fields, symbols.
  bool usesState = false;
  SmallVector<bool> symbolUsed;
  for (Tensor &t : f.arguments) {
    int64_t field = -1;
    if (isStateKind(t.kind)) {
      SmallVector<int64_t, 4> shape;
      for (const Dim &d : t.shape) {
        if (d.isSymbolic()) {
          error(func) << t.kind << " '" << t.name << "' has the dynamic shape "
                      << t.formatShape() << "; fix its dims with -D";
          return failure();
        }
        shape.push_back(d.size);
      }
      field = abi.lookupField(t.name);
      if (field < 0) {
        StateField s;
        s.name = t.name;
        s.field = makeCIdentifier(t.name);
        s.kind = t.kind;
        s.dtype = t.dtype;
        s.shape = shape;
        for (int64_t d : shape)
          s.numElements *= d;
        for (const StateField &other : abi.state)
          if (other.field == s.field) {
            error(func) << "parameters '" << other.name << "' and '" << s.name
                        << "' would both be the field '" << s.field << "'";
            return failure();
          }
        abi.state.push_back(s);
        field = abi.state.size() - 1;
      } else if (abi.state[field].shape != shape ||
                 abi.state[field].dtype != t.dtype) {
        error(func) << t.kind << " '" << t.name
                    << "' has a different type than in another function";
        return failure();
      }
      usesState = true;
    }
    f.argumentFields.push_back(field);
    for (const Dim &d : t.shape) {
      if (!d.isSymbolic())
        continue;
      size_t index = addSymbol(d.symbol);
      symbolUsed.resize(std::max(symbolUsed.size(), index + 1), false);
      symbolUsed[index] = true;
    }
  }

  // Parameters: state, dims, inputs and seed.
  if (usesState && failed(addParam(ParamKind::State, "params", -1)))
    return failure();
  for (size_t s = 0; s < symbolUsed.size(); ++s)
    if (symbolUsed[s] && failed(addParam(ParamKind::Dim, abi.symbols[s], s)))
      return failure();
  for (auto [i, t] : llvm::enumerate(f.arguments)) {
    if (f.argumentFields[i] >= 0)
      continue;
    if (t.kind == "seed") {
      if (!t.shape.empty() || t.dtype != DType::I64) {
        error(func) << "the seed '" << t.name << "' must be a 0-d i64 tensor";
        return failure();
      }
      if (failed(addParam(ParamKind::Seed, makeCIdentifier(t.name), i)))
        return failure();
      continue;
    }
    if (failed(addParam(ParamKind::Input, makeCIdentifier(t.name), i)))
      return failure();
  }

  // Results.
  FailureOr<std::vector<Tensor>> results = describeResults(func, f.arguments);
  if (failed(results))
    return failure();
  f.results = *results;
  bool hasGrad = false, hasNewState = false;
  for (auto [j, t] : llvm::enumerate(f.results)) {
    int64_t field = -1;
    ParamKind structKind = ParamKind::Result;
    StringRef name = t.name;
    if (t.kind == "grad" && name.consume_front("grad.") &&
        abi.lookupField(name) >= 0) {
      field = abi.lookupField(name);
      structKind = ParamKind::Grad;
    } else if (isStateKind(t.kind) && abi.lookupField(t.name) >= 0) {
      field = abi.lookupField(t.name);
      structKind = ParamKind::NewState;
    }
    if (field >= 0) {
      const StateField &s = abi.state[field];
      bool sameShape = s.shape.size() == t.shape.size() && s.dtype == t.dtype;
      for (size_t d = 0; sameShape && d < s.shape.size(); ++d)
        sameShape = !t.shape[d].isSymbolic() && t.shape[d].size == s.shape[d];
      if (!sameShape) {
        error(func) << "result '" << t.name << "' " << t.formatShape()
                    << " does not match the field '" << s.field << "'";
        return failure();
      }
    }
    f.resultFields.push_back(field);
    f.resultStructs.push_back(structKind);
    if (structKind == ParamKind::Grad) {
      if (!hasGrad && failed(addParam(ParamKind::Grad, "grad", -1)))
        return failure();
      hasGrad = true;
      continue;
    }
    if (structKind == ParamKind::NewState) {
      if (!hasNewState && failed(addParam(ParamKind::NewState, "new_state", -1)))
        return failure();
      hasNewState = true;
      continue;
    }
    std::string cName = t.kind == "loss" ? "loss" : makeCIdentifier(t.name);
    if (failed(addParam(ParamKind::Result, cName, j)))
      return failure();
  }

  // Run-time checks, in order.
  for (Operation &op : func.getBody().front()) {
    if (auto check = llvm::dyn_cast<cf::AssertOp>(op))
      f.checks.push_back(check.getMsg().str());
  }
  WalkResult nested = func.walk([&](cf::AssertOp op) {
    if (op->getParentOp() != func)
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (nested.wasInterrupted()) {
    error(func) << "a run-time check (cf.assert) is nested in a region";
    return failure();
  }
  if (func.getBody().getBlocks().size() != 1) {
    error(func) << "it has more than one block";
    return failure();
  }
  abi.functions.push_back(std::move(f));
  return success();
}

void ABIBuilder::finishState() {
  int64_t offset = 0, maxAlign = 1;
  for (StateField &s : abi.state) {
    int64_t align = getDTypeAlignment(s.dtype);
    maxAlign = std::max(maxAlign, align);
    offset = (offset + align - 1) / align * align;
    s.offset = offset;
    offset += s.numElements * static_cast<int64_t>(getDTypeSize(s.dtype));
  }
  abi.stateBytes = (offset + maxAlign - 1) / maxAlign * maxAlign;
}

} // namespace

FailureOr<NetworkABI> adjoint::analyzeNetworkABI(ModuleOp module,
                                                 StringRef prefix) {
  NetworkABI abi;
  std::string network = prefix.str();
  if (network.empty())
    network = module.getSymName().value_or("net").str();
  abi.network = makeCIdentifier(network);
  ABIBuilder builder(module, abi);
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (failed(builder.addFunction(func)))
      return failure();
  }
  builder.finishState();
  return abi;
}
