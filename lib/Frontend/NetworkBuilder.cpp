//===- NetworkBuilder.cpp - From the syntax tree to the nn dialect --------===//

#include "adjoint/Frontend/NetworkBuilder.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Frontend/Initializers.h"
#include "adjoint/Frontend/OpEmitters.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::frontend;
using nn::NNDialect;

//===----------------------------------------------------------------------===//
// TensorValue
//===----------------------------------------------------------------------===//

Type TensorValue::getElementType() const {
  return llvm::cast<RankedTensorType>(value.getType()).getElementType();
}

bool TensorValue::isFloat() const {
  return llvm::isa<FloatType>(getElementType());
}

std::string TensorValue::describeType() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << getElementType() << formatShape(shape);
  return text;
}

//===----------------------------------------------------------------------===//
// NetworkBuilder
//===----------------------------------------------------------------------===//

NetworkBuilder::NetworkBuilder(FrontendDiagnostics &diags,
                               const FrontendOptions &options)
    : diags(diags), options(options), context(diags.getContext()),
      builder(&context) {}

void NetworkBuilder::checkFixedDims() {
  for (const auto &[name, size] : options.fixedDims) {
    if (declaredSymbols.contains(name))
      continue;
    diags.errorWithoutLoc("-D " + name + "=" + llvm::Twine(size) +
                          ": the network '" + diags.getFilename() +
                          "' has no symbolic dim named '" + name + "'");
  }
}

std::optional<int64_t>
NetworkBuilder::getFixedSize(llvm::StringRef symbol) const {
  auto it = options.fixedDims.find(symbol);
  if (it == options.fixedDims.end())
    return std::nullopt;
  return it->second;
}

OwningOpRef<ModuleOp> NetworkBuilder::build(const NetworkAST &ast) {
  begin();
  for (const Statement &stmt : ast.statements)
    buildStatement(stmt);
  return finish();
}

void NetworkBuilder::begin() {
  context.loadDialect<NNDialect, func::FuncDialect, tensor::TensorDialect,
                      arith::ArithDialect>();
  Location fileLoc = getLoc(diags.getStartLoc());
  module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  forward = func::FuncOp::create(builder, fileLoc, "forward",
                                 builder.getFunctionType({}, {}));
  body = forward.addEntryBlock();
  builder.setInsertionPointToStart(body);
}

OwningOpRef<ModuleOp> NetworkBuilder::finish() {
  if (diags.shouldStop())
    return nullptr;
  if (numStatements == 0) {
    if (!diags.hadError())
      diags.error(diags.getStartLoc(), "empty network file: expected 'network "
                                       "NAME' as the first statement");
    return nullptr;
  }
  checkFixedDims();
  buildReturn();
  if (diags.hadError())
    return nullptr;
  if (failed(verify(*module))) {
    emitError(getLoc(diags.getStartLoc()))
        << "internal error: the IR built for this network does not verify; "
           "please report this as a bug";
    return nullptr;
  }
  return std::move(module);
}

void NetworkBuilder::buildStatement(const Statement &stmt) {
  if (diags.shouldStop())
    return;
  if (numStatements++ == 0 && stmt.kind != Statement::Kind::Network &&
      stmt.kind != Statement::Kind::Invalid)
    diags.error(stmt.loc, "expected 'network NAME' as the first statement");
  switch (stmt.kind) {
  case Statement::Kind::Network:
    return buildNetwork(stmt);
  case Statement::Kind::Input:
    return buildInput(stmt);
  case Statement::Kind::Param:
    return buildParam(stmt);
  case Statement::Kind::Assign:
  case Statement::Kind::Loss:
    return buildAssign(stmt);
  case Statement::Kind::Output:
    return buildOutput(stmt);
  case Statement::Kind::Optimizer:
    return buildOptimizer(stmt);
  case Statement::Kind::Invalid:
    if (!stmt.name.empty())
      poison(stmt.name, stmt.nameLoc);
    return;
  }
}

void NetworkBuilder::buildNetwork(const Statement &stmt) {
  if (sawNetwork) {
    diags.error(stmt.loc,
                "the network is named once; this is a second "
                "'network' statement",
                networkLoc, "the first is here");
    return;
  }
  sawNetwork = true;
  networkLoc = stmt.loc;
  module->setSymName(stmt.name);
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

bool NetworkBuilder::checkNewName(llvm::StringRef name, llvm::SMLoc loc) {
  auto it = names.find(name);
  if (it == names.end())
    return true;
  diags.error(loc,
              "'" + name +
                  "' is already defined; every name is assigned "
                  "once",
              it->second.loc, "'" + name + "' is first defined here");
  return false;
}

void NetworkBuilder::define(llvm::StringRef name, llvm::SMLoc loc,
                            TensorValue value) {
  names[name] = Binding{std::move(value), loc, /*poisoned=*/false};
}

void NetworkBuilder::poison(llvm::StringRef name, llvm::SMLoc loc) {
  names.try_emplace(name, Binding{TensorValue{}, loc, /*poisoned=*/true});
}

const NetworkBuilder::Binding *NetworkBuilder::lookup(llvm::StringRef name,
                                                      llvm::SMLoc loc) {
  auto it = names.find(name);
  if (it != names.end())
    return it->second.poisoned ? nullptr : &it->second;
  if (!reportedUndefined.insert(name).second)
    return nullptr;
  llvm::SmallVector<llvm::StringRef> candidates;
  for (const auto &entry : names)
    candidates.push_back(entry.getKey());
  llvm::sort(candidates);
  std::string hint;
  if (std::optional<llvm::StringRef> closest = findClosest(name, candidates))
    hint = ("; did you mean '" + *closest + "'?").str();
  diags.error(loc, "undefined name '" + name + "'" + hint);
  return nullptr;
}

FailureOr<TensorValue> NetworkBuilder::getTensor(const CallArguments &args,
                                                 const Expr &expr,
                                                 llvm::StringRef paramName) {
  switch (expr.kind) {
  case Expr::Kind::Name: {
    const Binding *binding = lookup(expr.text, expr.loc);
    if (!binding)
      return failure();
    return binding->value;
  }
  case Expr::Kind::Call:
    diags.error(expr.loc, args.getCallee() +
                              ": op calls cannot be nested; "
                              "assign '" +
                              expr.text + "(...)' to a name first");
    return failure();
  default:
    diags.error(expr.loc, args.getCallee() + ": '" + paramName +
                              "' must be a tensor, got " + describeExpr(expr));
    return failure();
  }
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

static NamedAttribute namedString(Builder &b, llvm::StringRef name,
                                  llvm::StringRef value) {
  return b.getNamedAttr(name, b.getStringAttr(value));
}

BlockArgument NetworkBuilder::addArgument(Type type, llvm::SMLoc loc,
                                          DictionaryAttr attrs) {
  // Inputs come first, then params and buffers, then the seed.
  bool isInput =
      llvm::cast<StringAttr>(attrs.get(NNDialect::kKindAttr)).getValue() ==
      "input";
  unsigned index;
  if (isInput) {
    index = numInputs++;
  } else {
    index = seedIndex ? *seedIndex : body->getNumArguments();
  }
  if (seedIndex && index <= *seedIndex)
    ++*seedIndex;
  argAttrs.insert(argAttrs.begin() + index, attrs);
  return body->insertArgument(index, type, getLoc(loc));
}

Value NetworkBuilder::getSeed(llvm::SMLoc loc) {
  if (seedIndex)
    return body->getArgument(*seedIndex);
  DictionaryAttr attrs = builder.getDictionaryAttr(
      {namedString(builder, NNDialect::kNameAttr, "seed"),
       namedString(builder, NNDialect::kKindAttr, "seed")});
  unsigned index = body->getNumArguments();
  argAttrs.push_back(attrs);
  seedIndex = index;
  return body->insertArgument(
      index, RankedTensorType::get({}, builder.getI64Type()), getLoc(loc));
}

LogicalResult NetworkBuilder::checkElementCount(llvm::ArrayRef<SymDim> shape,
                                                llvm::SMLoc loc,
                                                llvm::StringRef what) {
  if (!countElements(shape).overflow)
    return success();
  diags.error(loc, what + " has the shape " + formatShape(shape) +
                       ", whose element count does not fit in 64 bits");
  return failure();
}

FailureOr<SymShape> NetworkBuilder::resolveDims(const TypeExpr &type) {
  SymShape shape;
  for (const DimExpr &dim : type.dims) {
    if (!dim.isSymbol()) {
      shape.push_back(SymDim::of(dim.value));
      continue;
    }
    if (std::optional<int64_t> size = getFixedSize(dim.symbol))
      shape.push_back(SymDim::of(*size));
    else
      shape.push_back(SymDim::named(dim.symbol));
  }
  return shape;
}

/// The element type of a dtype name, or null.
static Type parseDtype(Builder &b, llvm::StringRef dtype) {
  if (dtype == "f32")
    return b.getF32Type();
  if (dtype == "i64")
    return b.getI64Type();
  if (dtype == "i32")
    return b.getI32Type();
  return nullptr;
}

/// `nn.dims` for a declared type with a symbolic dim: ["N", ""].
static ArrayAttr getDimsAttr(Builder &b, const TypeExpr &type) {
  if (llvm::none_of(type.dims, [](const DimExpr &d) { return d.isSymbol(); }))
    return nullptr;
  llvm::SmallVector<Attribute> dims;
  for (const DimExpr &dim : type.dims)
    dims.push_back(b.getStringAttr(dim.symbol));
  return b.getArrayAttr(dims);
}

/// Records the symbolic dims a declared type introduces.
static void addSymbols(llvm::StringSet<> &symbols, const TypeExpr &type) {
  for (const DimExpr &dim : type.dims)
    if (dim.isSymbol())
      symbols.insert(dim.symbol);
}

void NetworkBuilder::buildInput(const Statement &stmt) {
  addSymbols(declaredSymbols, stmt.type);
  if (!checkNewName(stmt.name, stmt.nameLoc))
    return;
  Type elementType = parseDtype(builder, stmt.type.dtype);
  if (!elementType) {
    diags.error(stmt.type.dtypeLoc, "unknown dtype '" + stmt.type.dtype +
                                        "'; expected f32, i64 or i32");
    return poison(stmt.name, stmt.nameLoc);
  }
  FailureOr<SymShape> shape = resolveDims(stmt.type);
  if (failed(shape) ||
      failed(checkElementCount(*shape, stmt.nameLoc,
                               ("input '" + stmt.name + "'").str())))
    return poison(stmt.name, stmt.nameLoc);

  llvm::SmallVector<NamedAttribute> attrs = {
      namedString(builder, NNDialect::kNameAttr, stmt.name),
      namedString(builder, NNDialect::kKindAttr, "input")};
  if (ArrayAttr dims = getDimsAttr(builder, stmt.type))
    attrs.push_back(builder.getNamedAttr(NNDialect::kDimsAttr, dims));
  BlockArgument arg =
      addArgument(getTensorType(*shape, elementType), stmt.nameLoc,
                  builder.getDictionaryAttr(attrs));
  for (auto [i, dim] : llvm::enumerate(*shape))
    if (dim.isSymbolic())
      symbolSources.try_emplace(dim.symbol, arg, i);
  define(stmt.name, stmt.nameLoc, TensorValue{arg, *shape});
}

void NetworkBuilder::buildParam(const Statement &stmt) {
  addSymbols(declaredSymbols, stmt.type);
  if (!checkNewName(stmt.name, stmt.nameLoc))
    return;
  if (stmt.type.dtype != "f32") {
    if (parseDtype(builder, stmt.type.dtype))
      diags.error(stmt.type.dtypeLoc,
                  "parameters are f32, got '" + stmt.type.dtype + "'");
    else
      diags.error(stmt.type.dtypeLoc, "unknown dtype '" + stmt.type.dtype +
                                          "'; parameters are f32");
    return poison(stmt.name, stmt.nameLoc);
  }
  FailureOr<SymShape> shape = resolveDims(stmt.type);
  if (failed(shape))
    return poison(stmt.name, stmt.nameLoc);
  llvm::SmallVector<int64_t> sizes;
  for (auto [dim, expr] : llvm::zip_equal(*shape, stmt.type.dims)) {
    if (!dim.isStatic()) {
      diags.error(expr.loc, "parameter '" + stmt.name +
                                "' needs a static shape, but '" + dim.symbol +
                                "' is symbolic; fix it with -D " + dim.symbol +
                                "=SIZE");
      return poison(stmt.name, stmt.nameLoc);
    }
    sizes.push_back(dim.size);
  }
  if (failed(checkElementCount(*shape, stmt.nameLoc,
                               ("parameter '" + stmt.name + "'").str())))
    return poison(stmt.name, stmt.nameLoc);
  FailureOr<std::string> init = normalizeInitializer(*stmt.value, sizes, diags);
  if (failed(init))
    return poison(stmt.name, stmt.nameLoc);

  llvm::SmallVector<NamedAttribute> attrs = {
      namedString(builder, NNDialect::kNameAttr, stmt.name),
      namedString(builder, NNDialect::kKindAttr, "param"),
      namedString(builder, NNDialect::kInitAttr, *init)};
  if (ArrayAttr dims = getDimsAttr(builder, stmt.type))
    attrs.push_back(builder.getNamedAttr(NNDialect::kDimsAttr, dims));
  BlockArgument arg =
      addArgument(getTensorType(*shape, builder.getF32Type()), stmt.nameLoc,
                  builder.getDictionaryAttr(attrs));
  define(stmt.name, stmt.nameLoc, TensorValue{arg, *shape});
}

FailureOr<TensorValue> NetworkBuilder::createParameter(
    llvm::StringRef name, llvm::ArrayRef<int64_t> shape, llvm::StringRef init,
    bool isBuffer, llvm::SMLoc loc) {
  SymShape symShape;
  for (int64_t size : shape)
    symShape.push_back(SymDim::of(size));
  if (failed(checkElementCount(symShape, loc, ("'" + name + "'").str())))
    return failure();
  DictionaryAttr attrs = builder.getDictionaryAttr(
      {namedString(builder, NNDialect::kNameAttr, name),
       namedString(builder, NNDialect::kKindAttr,
                   isBuffer ? "buffer" : "param"),
       namedString(builder, NNDialect::kInitAttr, init)});
  BlockArgument arg = addArgument(
      RankedTensorType::get(shape, builder.getF32Type()), loc, attrs);
  TensorValue value{arg, symShape};
  define(name, loc, value);
  return value;
}

Value NetworkBuilder::getSymbolSize(llvm::StringRef symbol, Location loc) {
  auto it = symbolSources.find(symbol);
  if (it == symbolSources.end())
    return nullptr;
  auto [source, dim] = it->second;
  return tensor::DimOp::create(builder, loc, source, dim);
}

//===----------------------------------------------------------------------===//
// Op calls
//===----------------------------------------------------------------------===//

FailureOr<TensorValue> NetworkBuilder::buildCall(const Expr &call,
                                                 llvm::StringRef target,
                                                 bool isLoss) {
  const OpDef *def = lookupOp(call.text);
  if (!def) {
    std::string hint;
    if (std::optional<llvm::StringRef> closest =
            findClosest(call.text, getOpNames()))
      hint = ("; did you mean '" + *closest + "'?").str();
    diags.error(call.loc, "unknown op '" + call.text + "'" + hint);
    return failure();
  }
  std::optional<CallArguments> args =
      CallArguments::bind(call, def->signature, diags);
  if (!args)
    return failure();
  OpContext ctx{*this, *args, target, getLoc(call.loc)};
  builder.setInsertionPointToEnd(body);
  return def->emit(ctx);
}

void NetworkBuilder::buildAssign(const Statement &stmt) {
  bool isLoss = stmt.kind == Statement::Kind::Loss;
  if (isLoss && loss) {
    diags.error(stmt.loc,
                "a network has at most one loss; '" + stmt.name +
                    "' is a second one",
                lossLoc, "the first loss is here");
  }
  if (!checkNewName(stmt.name, stmt.nameLoc))
    return;
  FailureOr<TensorValue> value = buildCall(*stmt.value, stmt.name, isLoss);
  if (failed(value))
    return poison(stmt.name, stmt.nameLoc);
  if (isLoss) {
    if (!value->shape.empty() || !value->isFloat()) {
      diags.error(stmt.value->loc, "the loss '" + stmt.name +
                                       "' must be an f32 scalar, got " +
                                       value->describeType());
      return poison(stmt.name, stmt.nameLoc);
    }
    if (!loss) {
      loss = ResultInfo{value->value, stmt.name, "loss"};
      lossLoc = stmt.loc;
    }
  }
  define(stmt.name, stmt.nameLoc, *value);
}

void NetworkBuilder::buildOutput(const Statement &stmt) {
  if (!returnLoc.isValid())
    returnLoc = stmt.loc;
  for (auto [name, loc] : stmt.outputs) {
    auto [it, inserted] = outputLocs.try_emplace(name, loc);
    if (!inserted) {
      diags.error(loc, "'" + name + "' is already an output", it->second,
                  "it is first listed here");
      continue;
    }
    const Binding *binding = lookup(name, loc);
    if (!binding)
      continue;
    outputs.push_back(ResultInfo{binding->value.value, name, "output"});
  }
}

void NetworkBuilder::buildOptimizer(const Statement &stmt) {
  if (sawOptimizer) {
    diags.error(stmt.loc, "a network has at most one optimizer", optimizerLoc,
                "the first optimizer is here");
    return;
  }
  sawOptimizer = true;
  optimizerLoc = stmt.loc;
  FailureOr<std::string> text = normalizeOptimizer(*stmt.value, diags);
  if (failed(text))
    return;
  (*module)->setAttr(NNDialect::kOptimizerAttr, builder.getStringAttr(*text));
}

void NetworkBuilder::buildReturn() {
  if (outputs.empty() && !loss && outputLocs.empty() && !diags.hadError()) {
    diags.error(sawNetwork ? networkLoc : diags.getStartLoc(),
                "the network has no 'output' statement and no 'loss'; it "
                "computes nothing");
    return;
  }
  llvm::SmallVector<ResultInfo> results = outputs;
  if (loss)
    results.push_back(*loss);
  if (!returnLoc.isValid())
    returnLoc = lossLoc.isValid() ? lossLoc : diags.getStartLoc();

  llvm::SmallVector<Value> values;
  llvm::SmallVector<DictionaryAttr> resultAttrs;
  for (const ResultInfo &result : results) {
    values.push_back(result.value);
    resultAttrs.push_back(builder.getDictionaryAttr(
        {namedString(builder, NNDialect::kNameAttr, result.name),
         namedString(builder, NNDialect::kKindAttr, result.kind)}));
  }
  builder.setInsertionPointToEnd(body);
  func::ReturnOp::create(builder, getLoc(returnLoc), values);
  forward.setFunctionType(builder.getFunctionType(
      body->getArgumentTypes(), ValueRange(values).getTypes()));
  forward.setAllArgAttrs(argAttrs);
  forward.setAllResultAttrs(resultAttrs);
}
