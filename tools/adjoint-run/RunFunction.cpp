//===- RunFunction.cpp - Preparing the function that a run evaluates ------===//

#include "RunFunction.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::run;

bool run::hasModeDependentOps(func::FuncOp func) {
  return func
      .walk([](Operation *op) {
        return llvm::isa<nn::BatchNormOp, nn::DropoutOp>(op)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

void run::setTrainingMode(func::FuncOp func, bool training) {
  func.walk([&](Operation *op) {
    if (auto bn = llvm::dyn_cast<nn::BatchNormOp>(op))
      bn.setTraining(training);
    if (auto dropout = llvm::dyn_cast<nn::DropoutOp>(op))
      dropout.setTraining(training);
  });
}

func::FuncOp run::cloneFunction(func::FuncOp func, llvm::StringRef name) {
  func::FuncOp copy = func.clone();
  copy.setSymName(name);
  copy.setPrivate();
  OpBuilder builder(func->getContext());
  builder.setInsertionPointAfter(func);
  builder.insert(copy);
  return copy;
}

/// Makes `values` the results of `func`, with `attrs` as result attributes.
static void setResults(func::FuncOp func, llvm::ArrayRef<Value> values,
                       llvm::ArrayRef<DictionaryAttr> attrs) {
  Operation *terminator = func.getBody().front().getTerminator();
  terminator->setOperands(values);
  llvm::SmallVector<Type> types;
  for (Value value : values)
    types.push_back(value.getType());
  func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                 types));
  func.setAllResultAttrs(attrs);
}

static llvm::SmallVector<DictionaryAttr> getResultAttrs(func::FuncOp func) {
  llvm::SmallVector<DictionaryAttr> attrs;
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    DictionaryAttr dict = func.getResultAttrDict(i);
    attrs.push_back(dict ? dict : DictionaryAttr::get(func.getContext()));
  }
  return attrs;
}

void run::appendBufferUpdates(func::FuncOp func) {
  Block &body = func.getBody().front();
  llvm::SmallVector<Value> values(body.getTerminator()->getOperands());
  llvm::SmallVector<DictionaryAttr> attrs = getResultAttrs(func);
  Builder builder(func.getContext());
  func.walk([&](nn::BatchNormOp bn) {
    if (!bn.getTraining())
      return;
    std::pair<Value, Value> stats[] = {
        {bn.getNewRunningMean(), bn.getRunningMean()},
        {bn.getNewRunningVar(), bn.getRunningVar()}};
    for (auto [updated, buffer] : stats) {
      auto arg = llvm::dyn_cast<BlockArgument>(buffer);
      if (!arg || arg.getOwner() != &body)
        continue;
      auto kind = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                    nn::NNDialect::kKindAttr);
      auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                    nn::NNDialect::kNameAttr);
      if (!kind || kind.getValue() != "buffer" || !name)
        continue;
      values.push_back(updated);
      NamedAttribute entries[] = {
          builder.getNamedAttr(nn::NNDialect::kNameAttr, name),
          builder.getNamedAttr(nn::NNDialect::kKindAttr,
                               builder.getStringAttr("buffer"))};
      attrs.push_back(builder.getDictionaryAttr(entries));
    }
  });
  setResults(func, values, attrs);
}

void run::dropResults(func::FuncOp func, llvm::StringRef kind) {
  Block &body = func.getBody().front();
  llvm::SmallVector<Value> values;
  llvm::SmallVector<DictionaryAttr> attrs;
  llvm::SmallVector<DictionaryAttr> oldAttrs = getResultAttrs(func);
  for (auto [value, dict] :
       llvm::zip_equal(body.getTerminator()->getOperands(), oldAttrs)) {
    auto resultKind = dict.getAs<StringAttr>(nn::NNDialect::kKindAttr);
    if (resultKind && resultKind.getValue() == kind)
      continue;
    values.push_back(value);
    attrs.push_back(dict);
  }
  setResults(func, values, attrs);
  // Every nn op is pure, so the ops that only the dropped results used are
  // now trivially dead; erasing in reverse order frees their operands too.
  // (A std::reverse_iterator holds the op after the current one, so walk
  // back by hand.)
  Operation *op = body.getTerminator()->getPrevNode();
  while (op) {
    Operation *previous = op->getPrevNode();
    if (isOpTriviallyDead(op))
      op->erase();
    op = previous;
  }
}

llvm::Expected<func::FuncOp> run::getGradientFunction(ModuleOp module) {
  if (auto gradient = module.lookupSymbol<func::FuncOp>("gradient"))
    return gradient;

  std::string messages;
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error)
      return success();
    if (!messages.empty())
      messages += "; ";
    llvm::raw_string_ostream os(messages);
    // The first file location inside the op's (possibly named or fused) one.
    diag.getLocation()->walk([&](Location loc) {
      auto file = llvm::dyn_cast<FileLineColLoc>(loc);
      if (!file)
        return WalkResult::advance();
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn() << ": ";
      return WalkResult::interrupt();
    });
    os << diag.str();
    return success();
  });

  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  std::string parseErrors;
  llvm::raw_string_ostream errorStream(parseErrors);
  if (failed(parsePassPipeline("nn-adjoint", pm, errorStream)))
    return llvm::createStringError(
        "--grad needs the nn-adjoint pass, which this build of adjoint-run "
        "does not register");
  if (failed(pm.run(module)))
    return llvm::createStringError(
        "cannot build the gradient: " +
        (messages.empty() ? std::string("nn-adjoint failed") : messages));
  auto gradient = module.lookupSymbol<func::FuncOp>("gradient");
  if (!gradient)
    return llvm::createStringError(
        "nn-adjoint did not create a function @gradient");
  return gradient;
}
