//===- Explain.cpp - Gradient formulas in matrix notation -----------------===//
//
// Builds the gradient of a copy of the module with nn-adjoint's machinery,
// names the primal values (ValueNames), turns the IR of each parameter's
// gradient into an expression tree (ExprBuilder), and prints it in the row
// convention, or converts it to the column convention first (toColumn).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Explain.h"

#include "adjoint/Autodiff/Adjoint.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <memory>
#include <vector>

using namespace mlir;

namespace adjoint::autodiff {

namespace {

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum Kind {
    Leaf,       // a named value; `data` marks a batch matrix
    Transpose,  // operands[0]^T
    Product,    // matrix product of the operands, left to right
    Hadamard,   // elementwise product
    Sum,
    Difference,
    Negate,
    Quotient,   // elementwise operands[0] / operands[1]
    Scale,      // scalar operands[0] times operands[1]
    Apply,      // text(operands...); `elementwise` when it commutes with ^T
  };
  Kind kind;
  std::string text;
  bool data = false;
  bool scalar = false;
  bool elementwise = false;
  /// Whether a cotangent of the loss occurs in it (else it is a primal
  /// coefficient).
  bool dependsOnLoss = false;
  std::vector<ExprPtr> operands;
};

ExprPtr makeLeaf(std::string name, bool data, bool scalar = false,
                 bool dependsOnLoss = false) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Leaf;
  e->text = std::move(name);
  e->data = data;
  e->scalar = scalar;
  e->dependsOnLoss = dependsOnLoss;
  return e;
}

ExprPtr make(Expr::Kind kind, std::vector<ExprPtr> operands,
             std::string text = {}, bool elementwise = false) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->operands = std::move(operands);
  e->text = std::move(text);
  e->elementwise = elementwise;
  for (const ExprPtr &op : e->operands)
    e->dependsOnLoss |= op->dependsOnLoss;
  return e;
}

ExprPtr makeTranspose(ExprPtr e) {
  if (e->kind == Expr::Leaf && e->scalar)
    return e;
  if (e->kind == Expr::Transpose)
    return e->operands[0];
  return make(Expr::Transpose, {std::move(e)});
}

/// `e` (transposed when `transposed`) with every transpose pushed down to a
/// leaf: (A B)^T = B^T A^T (the product this creates is one flat chain),
/// (A o B)^T = A^T o B^T for elementwise o, (A^T)^T = A.
ExprPtr pushTransposes(const ExprPtr &e, bool transposed) {
  switch (e->kind) {
  case Expr::Leaf:
    return transposed ? makeTranspose(e) : e;
  case Expr::Transpose:
    return pushTransposes(e->operands[0], !transposed);
  case Expr::Product: {
    std::vector<ExprPtr> operands;
    if (!transposed) {
      for (const ExprPtr &op : e->operands)
        operands.push_back(pushTransposes(op, false));
      return make(Expr::Product, std::move(operands));
    }
    for (auto it = e->operands.rbegin(); it != e->operands.rend(); ++it) {
      ExprPtr op = pushTransposes(*it, true);
      if (op->kind == Expr::Product && (*it)->kind == Expr::Product)
        operands.insert(operands.end(), op->operands.begin(),
                        op->operands.end());
      else
        operands.push_back(op);
    }
    return make(Expr::Product, std::move(operands));
  }
  case Expr::Apply:
    if (!e->elementwise) {
      std::vector<ExprPtr> operands;
      for (const ExprPtr &op : e->operands)
        operands.push_back(pushTransposes(op, false));
      ExprPtr applied = make(Expr::Apply, std::move(operands), e->text);
      return transposed ? makeTranspose(applied) : applied;
    }
    [[fallthrough]];
  default: {
    std::vector<ExprPtr> operands;
    for (const ExprPtr &op : e->operands)
      operands.push_back(pushTransposes(op, transposed));
    return make(e->kind, std::move(operands), e->text, e->elementwise);
  }
  }
}

/// The row-convention expression `e` in the column convention: every batch
/// matrix M becomes (M_col)^T, then transposes go down to the leaves.
ExprPtr toColumn(const ExprPtr &e) {
  std::function<ExprPtr(const ExprPtr &)> substitute =
      [&](const ExprPtr &x) -> ExprPtr {
    if (x->kind == Expr::Leaf)
      return x->data ? make(Expr::Transpose, {x}) : x;
    std::vector<ExprPtr> operands;
    for (const ExprPtr &op : x->operands)
      operands.push_back(substitute(op));
    return make(x->kind, std::move(operands), x->text, x->elementwise);
  };
  return substitute(e);
}

bool needsParens(const ExprPtr &e) {
  switch (e->kind) {
  case Expr::Leaf:
  case Expr::Transpose:
  case Expr::Apply:
    return false;
  default:
    return true;
  }
}

std::string render(const ExprPtr &e);

std::string renderOperand(const ExprPtr &e) {
  std::string text = render(e);
  return needsParens(e) ? "(" + text + ")" : text;
}

std::string render(const ExprPtr &e) {
  switch (e->kind) {
  case Expr::Leaf:
    return e->text;
  case Expr::Transpose: {
    const ExprPtr &x = e->operands[0];
    if (x->kind == Expr::Leaf && !llvm::StringRef(x->text).contains('/'))
      return x->text + "^T";
    return "(" + render(x) + ")^T";
  }
  case Expr::Product:
  case Expr::Hadamard: {
    std::string separator = e->kind == Expr::Product ? " " : " \u2299 ";
    std::string text;
    for (const ExprPtr &op : e->operands)
      text += (text.empty() ? "" : separator) + renderOperand(op);
    return text;
  }
  case Expr::Sum:
    return render(e->operands[0]) + " + " + renderOperand(e->operands[1]);
  case Expr::Difference:
    return render(e->operands[0]) + " - " + renderOperand(e->operands[1]);
  case Expr::Negate:
    return "-" + renderOperand(e->operands[0]);
  case Expr::Quotient:
    return renderOperand(e->operands[0]) + " / " +
           renderOperand(e->operands[1]);
  case Expr::Scale:
    return renderOperand(e->operands[0]) + " " + renderOperand(e->operands[1]);
  case Expr::Apply: {
    std::string text = e->text + "(";
    for (auto [i, op] : llvm::enumerate(e->operands))
      text += (i ? ", " : "") + render(op);
    return text + ")";
  }
  }
  return "?";
}

void collectLeaves(const ExprPtr &e, std::vector<std::string> &leaves) {
  if (e->kind == Expr::Leaf) {
    if (!llvm::is_contained(leaves, e->text))
      leaves.push_back(e->text);
    return;
  }
  for (const ExprPtr &op : e->operands)
    collectLeaves(op, leaves);
}

//===----------------------------------------------------------------------===//
// Names of the primal values
//===----------------------------------------------------------------------===//

bool isSynthesized(Operation *op) {
  auto name = llvm::dyn_cast<NameLoc>(op->getLoc());
  return name && name.getName() == "grad";
}

StringRef stringAttr(DictionaryAttr dict, StringRef name) {
  if (auto value = dict ? dict.getAs<StringAttr>(name) : StringAttr())
    return value.getValue();
  return {};
}

std::string shapeOf(Value v) { return nn::formatShape(v.getType()); }

int64_t rankOf(Value v) {
  auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
  return type ? type.getRank() : 0;
}

/// Names the values of the gradient function, with a description of each.
class ValueNames {
public:
  explicit ValueNames(func::FuncOp func) : func(func) {
    nameArguments();
    nameLayers();
    nameStatements();
  }

  bool has(Value v) const { return names.count(v); }
  const std::string &get(Value v) const { return names.find(v)->second; }
  bool isParam(Value v) const { return params.contains(v); }
  /// What a symbol stands for, for the legend.
  const std::map<std::string, std::string> &getLegend() const {
    return legend;
  }
  void describe(const std::string &symbol, std::string text) {
    legend[symbol] = std::move(text);
  }

private:
  void set(Value v, std::string name, std::string description) {
    names[v] = name;
    legend[name] = std::move(description);
  }

  void nameArguments() {
    for (BlockArgument arg : func.getArguments()) {
      DictionaryAttr attrs = func.getArgAttrDict(arg.getArgNumber());
      std::string name =
          stringAttr(attrs, nn::NNDialect::kNameAttr).str();
      if (name.empty())
        name = "arg" + std::to_string(arg.getArgNumber());
      StringRef kind = stringAttr(attrs, nn::NNDialect::kKindAttr);
      if (kind == "param")
        params.insert(arg);
      std::string symbol = name;
      if (kind != "param" && rankOf(arg) >= 2)
        symbol[0] = llvm::toUpper(symbol[0]);
      set(arg, symbol,
          (kind.empty() ? "argument" : kind.str()) + " " + name + " " +
              shapeOf(arg));
    }
  }

  /// The bias operand of `add`, when `add` adds a parameter (or a reshaped
  /// parameter) to `value`.
  Value findBias(Operation *add, Value value) {
    if (!llvm::isa_and_nonnull<nn::AddOp>(add))
      return {};
    Value other = add->getOperand(0) == value ? add->getOperand(1)
                                              : add->getOperand(0);
    if (auto reshape = other.getDefiningOp<nn::ReshapeOp>())
      other = reshape.getInput();
    return params.contains(other) ? other : Value();
  }

  void nameLayers() {
    int layer = 0;
    for (Operation &op : func.getBody().front().without_terminator()) {
      if (isSynthesized(&op))
        continue;
      Value weight;
      StringRef what;
      if (auto mm = llvm::dyn_cast<nn::MatmulOp>(op)) {
        weight = mm.getRhs();
        what = "dense";
      } else if (auto conv = llvm::dyn_cast<nn::Conv2DOp>(op)) {
        weight = conv.getFilter();
        what = "conv2d";
      }
      if (weight && params.contains(weight) && !has(op.getResult(0))) {
        std::string k = std::to_string(++layer);
        std::string weightName = names[weight];
        set(weight, "W" + k, "weight of layer " + k + ", " + weightName +
                                 " " + shapeOf(weight));
        Value z = op.getResult(0);
        if (z.hasOneUse())
          if (Value bias = findBias(*z.getUsers().begin(), z)) {
            std::string biasName = names[bias];
            set(bias, "b" + k, "bias of layer " + k + ", " + biasName + " " +
                                   shapeOf(bias));
            z = z.getUsers().begin()->getResult(0);
          }
        set(z, "Z" + k, "output of layer " + k + " (" + what.str() + "), " +
                            shapeOf(z));
        layerOutputs[z] = k;
        continue;
      }
      // An elementwise activation of a layer output.
      if (llvm::isa<nn::ReluOp, nn::LeakyReluOp, nn::GeluOp, nn::SigmoidOp,
                    nn::TanhOp>(op)) {
        auto it = layerOutputs.find(op.getOperand(0));
        if (it != layerOutputs.end())
          set(op.getResult(0), "A" + it->second,
              op.getName().stripDialect().str() + "(Z" + it->second + ")");
      }
    }
  }

  /// The name a `.nn` statement assigns, read from its source line.
  std::string statementName(Location loc) {
    if (auto name = llvm::dyn_cast<NameLoc>(loc))
      return name.getName().str();
    auto file = llvm::dyn_cast<FileLineColLoc>(loc);
    if (!file)
      return {};
    StringRef path = file.getFilename().getValue();
    auto &lines = sources[path];
    if (lines.empty()) {
      if (auto buffer = llvm::MemoryBuffer::getFile(path)) {
        SmallVector<StringRef> split;
        (*buffer)->getBuffer().split(split, '\n');
        for (StringRef line : split)
          lines.push_back(line.str());
      }
      lines.push_back({}); // Remember failures as a non-empty cache.
    }
    unsigned line = file.getLine();
    if (line == 0 || line >= lines.size())
      return {};
    StringRef text = StringRef(lines[line - 1]).trim();
    text.consume_front("loss ");
    text = text.ltrim();
    StringRef name = text.take_while(
        [](char c) { return llvm::isAlnum(c) || c == '_'; });
    if (name.empty() || !text.drop_front(name.size()).ltrim().starts_with("="))
      return {};
    return name.str();
  }

  void nameStatements() {
    unsigned anonymous = 0;
    Block &body = func.getBody().front();
    for (Operation &op : body.without_terminator()) {
      if (isSynthesized(&op))
        continue;
      std::string stmt = statementName(op.getLoc());
      // The last op of a statement holds its value; earlier ones are parts.
      Operation *next = op.getNextNode();
      while (next && isSynthesized(next))
        next = next->getNextNode();
      bool last = !next || next == body.getTerminator() ||
                  next->getLoc() != op.getLoc();
      for (Value result : op.getResults()) {
        if (has(result))
          continue;
        std::string name =
            stmt.empty() ? "t" + std::to_string(++anonymous)
                         : (last ? stmt : stmt + "." +
                                              op.getName().stripDialect().str());
        if (op.getNumResults() > 1)
          name += "#" + std::to_string(llvm::cast<OpResult>(result)
                                           .getResultNumber());
        set(result, name,
            op.getName().getStringRef().str() + " " + shapeOf(result));
      }
    }
  }

  func::FuncOp func;
  DenseMap<Value, std::string> names;
  DenseSet<Value> params;
  DenseMap<Value, std::string> layerOutputs;
  std::map<std::string, std::string> legend;
  llvm::StringMap<std::vector<std::string>> sources;
};

//===----------------------------------------------------------------------===//
// From IR to expressions
//===----------------------------------------------------------------------===//

std::string formatScalar(Attribute attr) {
  auto dense = llvm::dyn_cast<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() ||
      !llvm::isa<FloatType>(dense.getElementType()))
    return "c";
  double value = dense.getSplatValue<APFloat>().convertToDouble();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

/// True when `from` and `to` have the same dims once the 1s are dropped:
/// a reshape or broadcast between them only adds or removes unit dims.
bool sameUpToUnitDims(Type from, Type to) {
  auto drop = [](Type t) {
    SmallVector<int64_t> dims;
    for (int64_t d : llvm::cast<RankedTensorType>(t).getShape())
      if (d != 1)
        dims.push_back(d);
    return dims;
  };
  return drop(from) == drop(to);
}

/// A symbol that stands for a long subexpression, printed on its own line.
struct Definition {
  std::string symbol;
  ExprPtr expr;
  /// A batch matrix: in the column convention, the symbol stands for the
  /// transpose of the row convention's.
  bool data;
};

class ExprBuilder {
public:
  /// Longer primal coefficients, and longer cotangents of named values,
  /// become definitions of their own.
  static constexpr size_t kCoefficientLimit = 24;
  static constexpr size_t kCotangentLimit = 60;

  ExprBuilder(const ValueNames &names,
              const DenseMap<Value, std::string> &boundaries,
              const DenseMap<Value, std::string> &cotangentNames)
      : names(names), boundaries(boundaries), cotangentNames(cotangentNames) {
  }

  ExprPtr build(Value v) {
    if (auto it = memo.find(v); it != memo.end())
      return it->second;
    ExprPtr e = compute(v);
    Operation *op = v.getDefiningOp();
    if (e->kind != Expr::Leaf && op && isSynthesized(op)) {
      size_t length = render(e).size();
      auto cotangent = cotangentNames.find(v);
      if (!e->dependsOnLoss && length > kCoefficientLimit)
        e = define(v, "c" + std::to_string(++coefficients), e);
      else if (cotangent != cotangentNames.end() && length > kCotangentLimit)
        e = define(v, cotangent->second, e);
    }
    memo[v] = e;
    return e;
  }

  const std::vector<Definition> &getDefinitions() const { return definitions; }

private:
  ExprPtr leafFor(Value v, const std::string &name, bool dependsOnLoss) {
    int64_t rank = rankOf(v);
    return makeLeaf(name, rank == 2 && !names.isParam(v), rank == 0,
                    dependsOnLoss);
  }

  ExprPtr define(Value v, const std::string &symbol, ExprPtr e) {
    ExprPtr leaf = leafFor(v, symbol, e->dependsOnLoss);
    definitions.push_back({symbol, e, leaf->data});
    return leaf;
  }

  ExprPtr compute(Value v) {
    if (auto it = boundaries.find(v); it != boundaries.end())
      return leafFor(v, it->second, true);
    Operation *op = v.getDefiningOp();
    if (auto c = llvm::dyn_cast_if_present<nn::ConstantOp>(op))
      return makeLeaf(formatScalar(c.getValue()), false, true);
    if (names.has(v) && (!op || !isSynthesized(op)))
      return leafFor(v, names.get(v), false);
    if (!op)
      return makeLeaf("?", false);

    if (auto mm = llvm::dyn_cast<nn::MatmulOp>(op)) {
      ExprPtr a = build(mm.getLhs()), b = build(mm.getRhs());
      return make(Expr::Product,
                  {mm.getTransposeA() ? makeTranspose(a) : a,
                   mm.getTransposeB() ? makeTranspose(b) : b});
    }
    if (llvm::isa<nn::MulOp>(op)) {
      ExprPtr a = build(op->getOperand(0)), b = build(op->getOperand(1));
      if (b->scalar)
        std::swap(a, b);
      if (a->scalar)
        return make(Expr::Scale, {a, b});
      return make(Expr::Hadamard, {a, b});
    }
    if (llvm::isa<nn::DivOp>(op))
      return make(Expr::Quotient,
                  {build(op->getOperand(0)), build(op->getOperand(1))});
    if (llvm::isa<nn::AddOp>(op))
      return make(Expr::Sum,
                  {build(op->getOperand(0)), build(op->getOperand(1))});
    if (llvm::isa<nn::SubOp>(op))
      return make(Expr::Difference,
                  {build(op->getOperand(0)), build(op->getOperand(1))});
    if (llvm::isa<nn::NegOp>(op))
      return make(Expr::Negate, {build(op->getOperand(0))});
    if (auto mask = llvm::dyn_cast<nn::ReluMaskOp>(op))
      return make(Expr::Apply, {build(mask.getInput())},
                  mask.getAlpha().isZero() ? "relu'" : "leaky_relu'", true);
    if (auto deriv = llvm::dyn_cast<nn::GeluDerivOp>(op))
      return make(Expr::Apply, {build(deriv.getInput())}, "gelu'", true);
    if (auto sum = llvm::dyn_cast<nn::SumOp>(op)) {
      ExprPtr x = build(sum.getInput());
      ArrayRef<int64_t> axes = sum.getAxes();
      if (rankOf(sum.getInput()) == 2 && axes.size() == 1) {
        ExprPtr ones = makeLeaf("1", false);
        return axes[0] == 0 ? make(Expr::Product, {makeTranspose(ones), x})
                            : make(Expr::Product, {x, ones});
      }
      std::string axesText;
      for (int64_t a : axes)
        axesText += (axesText.empty() ? "" : ",") + std::to_string(a);
      return make(Expr::Apply, {x}, "sum_{" + axesText + "}");
    }
    if (llvm::isa<nn::ReshapeOp, nn::BroadcastOp>(op) &&
        sameUpToUnitDims(op->getOperand(0).getType(), v.getType()))
      return build(op->getOperand(0));
    if (auto t = llvm::dyn_cast<nn::TransposeOp>(op))
      if (t.getPerm().size() == 2)
        return makeTranspose(build(t.getInput()));

    std::vector<ExprPtr> operands;
    for (Value operand : op->getOperands())
      if (llvm::isa<RankedTensorType>(operand.getType()))
        operands.push_back(build(operand));
    return make(Expr::Apply, std::move(operands),
                op->getName().stripDialect().str(),
                op->hasTrait<OpTrait::Elementwise>());
  }

  const ValueNames &names;
  const DenseMap<Value, std::string> &boundaries;
  const DenseMap<Value, std::string> &cotangentNames;
  DenseMap<Value, ExprPtr> memo;
  std::vector<Definition> definitions;
  unsigned coefficients = 0;
};

/// Collects the diagnostics emitted while it lives.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag << "\n";
          return success();
        }) {}
  std::string text;

private:
  ScopedDiagnosticHandler handler;
};

} // namespace

llvm::Expected<std::string> explainGradients(ModuleOp module,
                                             const ExplainOptions &options) {
  OwningOpRef<ModuleOp> copy = module.clone();
  GradientOptions gradientOptions;
  gradientOptions.functionName = options.functionName;
  gradientOptions.gradientName = "__explained_gradient";
  gradientOptions.includeInputs = false;
  AdjointTrace trace;
  FailureOr<func::FuncOp> gradient;
  {
    DiagnosticCollector diagnostics(module.getContext());
    gradient = buildGradientFunction(*copy, gradientOptions, &trace);
    if (failed(gradient))
      return llvm::createStringError("explain: cannot build the gradient:\n" +
                                     diagnostics.text);
  }

  ValueNames names(*gradient);
  Operation *terminator = gradient->getBody().front().getTerminator();

  // The expansion stops at the cotangents of the loss op's inputs.
  DenseMap<Value, std::string> boundaries;
  std::string lossText;
  for (unsigned i = 0; i < gradient->getNumResults(); ++i) {
    if (stringAttr(gradient->getResultAttrDict(i), nn::NNDialect::kKindAttr) !=
        "loss")
      continue;
    Operation *lossOp = terminator->getOperand(i).getDefiningOp();
    if (!lossOp)
      continue;
    std::vector<std::string> inputs;
    for (Value operand : lossOp->getOperands()) {
      if (!names.has(operand))
        continue;
      inputs.push_back(names.get(operand));
      Value cotangent = trace.cotangents.lookup(operand);
      if (!cotangent)
        continue;
      std::string symbol = "dL/d" + names.get(operand);
      boundaries[cotangent] = symbol;
      names.describe(symbol, "the gradient of the loss with respect to " +
                                 names.get(operand) + ", from " +
                                 lossOp->getName().getStringRef().str());
    }
    lossText = "L = " + lossOp->getName().stripDialect().str() + "(" +
               llvm::join(inputs, ", ") + ")";
  }

  bool column = options.convention == LayoutConvention::Column;
  std::string out;
  llvm::raw_string_ostream os(out);
  os << "Gradients of @" << options.functionName << ", "
     << (column ? "column convention (a column per sample: Z = W X + b)"
                : "row convention (a row per sample, as in the IR: "
                  "Z = X W^T + b)")
     << (lossText.empty() ? "" : ", " + lossText) << ":\n";

  // Cotangents of named primal values may stand for themselves.
  DenseMap<Value, std::string> cotangentNames;
  for (auto [primal, cotangent] : trace.cotangents)
    if (names.has(primal) && !boundaries.count(cotangent) &&
        !names.isParam(primal))
      cotangentNames.try_emplace(cotangent, "dL/d" + names.get(primal));

  ExprBuilder builder(names, boundaries, cotangentNames);
  std::vector<std::string> used;
  bool transposedVectors = false;
  for (BlockArgument arg : gradient->getArguments()) {
    if (!names.isParam(arg))
      continue;
    StringRef argName = stringAttr(gradient->getArgAttrDict(arg.getArgNumber()),
                                   nn::NNDialect::kNameAttr);
    std::optional<unsigned> index;
    for (unsigned i = 0; i < gradient->getNumResults(); ++i)
      if (stringAttr(gradient->getResultAttrDict(i),
                     nn::NNDialect::kNameAttr) == ("grad." + argName).str())
        index = i;
    if (!index)
      continue;
    ExprPtr e = builder.build(terminator->getOperand(*index));
    if (column) {
      // Row vectors of the row form (biases) are column vectors here.
      bool vector = rankOf(arg) == 1;
      transposedVectors |= vector;
      e = pushTransposes(toColumn(e), vector);
    }
    Value zeroProbe = terminator->getOperand(*index);
    bool zero = false;
    if (auto c = zeroProbe.getDefiningOp<nn::ConstantOp>())
      zero = formatScalar(c.getValue()) == "0";
    if (auto b = zeroProbe.getDefiningOp<nn::BroadcastOp>())
      if (auto c = b.getInput().getDefiningOp<nn::ConstantOp>())
        zero = formatScalar(c.getValue()) == "0";
    os << "  dL/d" << names.get(arg) << " = " << (zero ? "0" : render(e))
       << "\n";
    if (!llvm::is_contained(used, names.get(arg)))
      used.push_back(names.get(arg));
    collectLeaves(e, used);
  }

  if (!builder.getDefinitions().empty()) {
    os << "with\n";
    for (const Definition &d : builder.getDefinitions()) {
      ExprPtr e = d.expr;
      if (column)
        e = pushTransposes(toColumn(e), d.data);
      os << "  " << d.symbol << " = " << render(e) << "\n";
      collectLeaves(e, used);
    }
  }
  os << "where\n";
  const auto &legend = names.getLegend();
  for (const std::string &symbol : used)
    if (auto it = legend.find(symbol); it != legend.end())
      os << "  " << symbol << ": " << it->second << "\n";
  if (column)
    os << "  (batch matrices are the transposes of the row convention's, "
       << "[features, N]"
       << (transposedVectors ? "; biases are column vectors" : "") << ")\n";
  os << "  \u2299: elementwise (Hadamard) product; 1: a vector of ones; "
        "f'(Z): the derivative of f, elementwise\n";
  return out;
}

} // namespace adjoint::autodiff
