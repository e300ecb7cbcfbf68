//===- Differentiator.cpp - Activity, linearization, transposition --------===//

#include "Differentiator.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Interfaces/AutodiffInterfaces.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace adjoint::autodiff {

bool isDifferentiable(Value value) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  return type && llvm::isa<FloatType>(type.getElementType());
}

Location getGradLoc(Operation *op) {
  return NameLoc::get(StringAttr::get(op->getContext(), "grad"), op->getLoc());
}

/// The values an op reads: its operands and the values its regions capture.
static SmallVector<Value> getReadValues(Operation *op) {
  SmallVector<Value> values(op->getOperands());
  if (op->getNumRegions() != 0) {
    llvm::SetVector<Value> captured;
    for (Region &region : op->getRegions())
      getUsedValuesDefinedAbove(region, captured);
    values.append(captured.begin(), captured.end());
  }
  return values;
}

Differentiator::Differentiator(func::FuncOp func, ArrayRef<Value> wrt,
                               ArrayRef<Value> targets)
    : func(func), body(&func.getBody().front()), wrt(wrt), targets(targets) {
  for (Operation &op : *body)
    originalOps.insert(&op);
}

LogicalResult Differentiator::analyze() {
  for (Value v : wrt)
    varied.insert(v);
  for (Operation &op : body->without_terminator()) {
    if (llvm::none_of(getReadValues(&op),
                      [&](Value v) { return varied.contains(v); }))
      continue;
    for (Value result : op.getResults())
      if (isDifferentiable(result))
        varied.insert(result);
  }
  for (Value v : targets)
    useful.insert(v);
  for (Operation &op : llvm::reverse(body->without_terminator())) {
    if (llvm::none_of(op.getResults(),
                      [&](Value v) { return useful.contains(v); }))
      continue;
    for (Value v : getReadValues(&op))
      useful.insert(v);
  }

  bool ok = true;
  for (Operation &op : body->without_terminator()) {
    if (llvm::none_of(op.getResults(), [&](Value v) { return isActive(v); }))
      continue;
    activeOps.push_back(&op);
    if (op.getNumRegions() != 0) {
      op.emitError() << "no gradient rule for '" << op.getName()
                     << "': ops with regions cannot be differentiated";
      ok = false;
      continue;
    }
    if (llvm::isa<LinearizeOpInterface>(op))
      continue;
    auto linear = llvm::dyn_cast<TransposeOpInterface>(op);
    if (!linear) {
      op.emitError() << "no gradient rule for '" << op.getName()
                     << "': it implements neither LinearizeOpInterface nor "
                        "TransposeOpInterface";
      ok = false;
      continue;
    }
    for (OpOperand &operand : op.getOpOperands()) {
      if (!varied.contains(operand.get()) ||
          linear.isLinearIn(operand.getOperandNumber()))
        continue;
      op.emitError() << "no gradient rule for '" << op.getName()
                     << "': it has no linearization and is not linear in "
                        "operand #"
                     << operand.getOperandNumber();
      ok = false;
      break;
    }
  }
  return success(ok);
}

LogicalResult Differentiator::linearize(ArrayRef<Value> seedValues,
                                        bool forReverse) {
  for (auto [primal, seed] : llvm::zip_equal(wrt, seedValues)) {
    tangents[primal] = seed;
    tangentValues.insert(seed);
    shadows[seed] = primal;
    seeds.push_back(seed);
  }
  bool ok = true;
  for (Operation *op : activeOps)
    ok &= succeeded(linearizeOp(op));
  if (!ok)
    return failure();
  return forReverse ? checkTransposable() : success();
}

LogicalResult Differentiator::linearizeOp(Operation *op) {
  Location loc = getGradLoc(op);
  OpBuilder builder(op->getContext());
  builder.setInsertionPointAfter(op);
  Operation *next = op->getNextNode();

  SmallVector<Value> operandTangents;
  for (Value operand : op->getOperands())
    operandTangents.push_back(tangents.lookup(operand));

  SmallVector<Value> resultTangents;
  if (auto rule = llvm::dyn_cast<LinearizeOpInterface>(op)) {
    FailureOr<SmallVector<Value>> built =
        rule.linearize(builder, operandTangents);
    if (failed(built))
      return failure();
    if (built->size() != op->getNumResults())
      return op->emitError() << "the linearization of '" << op->getName()
                             << "' returned " << built->size()
                             << " tangents for " << op->getNumResults()
                             << " results";
    resultTangents = std::move(*built);
  } else {
    // Jointly linear: apply the op to the tangents of its linear operands.
    auto linear = llvm::cast<TransposeOpInterface>(op);
    IRMapping mapping;
    for (OpOperand &operand : op->getOpOperands()) {
      Value value = operand.get();
      if (!isDifferentiable(value) ||
          !linear.isLinearIn(operand.getOperandNumber()))
        continue;
      Value tangent = operandTangents[operand.getOperandNumber()];
      mapping.map(value,
                  tangent ? tangent : createZerosLike(builder, loc, value));
    }
    Operation *clone = builder.clone(*op, mapping);
    for (auto [result, tangent] :
         llvm::zip_equal(op->getResults(), clone->getResults())) {
      resultTangents.push_back(isDifferentiable(result) ? tangent : Value());
      shadows[tangent] = result;
    }
  }

  for (auto [result, tangent] :
       llvm::zip_equal(op->getResults(), resultTangents)) {
    if (!tangent || !isActive(result))
      continue;
    if (tangent.getType() != result.getType())
      tangent = broadcastLike(builder, loc, tangent, result);
    tangents[result] = tangent;
  }

  // The new ops lie between `op` and `next`, in order. Those that read a
  // tangent form the tangent program; the others compute coefficients.
  for (Operation *it = op->getNextNode(); it != next; it = it->getNextNode()) {
    it->setLoc(loc);
    if (llvm::isa<tensor::DimOp>(it))
      continue;
    if (llvm::none_of(it->getOperands(),
                      [&](Value v) { return isTangentValue(v); }))
      continue;
    tangentOps.push_back(it);
    tangentOpSet.insert(it);
    for (Value result : it->getResults())
      tangentValues.insert(result);
  }

  for (Value result : op->getResults()) {
    Value tangent = tangents.lookup(result);
    if (!tangent)
      continue;
    if (!isTangentValue(tangent))
      return op->emitError()
             << "the linearization of '" << op->getName()
             << "' returned a tangent that does not depend on the operand "
                "tangents";
    shadows.try_emplace(tangent, result);
  }
  return success();
}

LogicalResult Differentiator::checkTransposable() {
  bool ok = true;
  for (Operation *op : tangentOps) {
    auto rule = llvm::dyn_cast<TransposeOpInterface>(op);
    if (!rule) {
      op->emitError() << "the linearization emitted '" << op->getName()
                      << "', which has no transpose rule";
      ok = false;
      continue;
    }
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isTangentValue(operand.get()) ||
          rule.isLinearIn(operand.getOperandNumber()))
        continue;
      op->emitError() << "the linearization emitted '" << op->getName()
                      << "' with a tangent in operand #"
                      << operand.getOperandNumber()
                      << ", in which it is not linear";
      ok = false;
      break;
    }
  }
  return success(ok);
}

LogicalResult Differentiator::accumulate(OpBuilder &builder, Location loc,
                                         Value value, Value cotangent) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  auto cotType = llvm::dyn_cast<RankedTensorType>(cotangent.getType());
  if (cotType != type) {
    bool compatible = cotType && cotType.getRank() == type.getRank() &&
                      cotType.getElementType() == type.getElementType();
    for (int64_t i = 0; compatible && i < type.getRank(); ++i)
      compatible = type.isDynamicDim(i) || cotType.isDynamicDim(i) ||
                   type.getDimSize(i) == cotType.getDimSize(i);
    if (!compatible)
      return emitError(loc) << "a transpose rule built a cotangent of type "
                            << cotangent.getType() << " for a value of type "
                            << type;
    cotangent = castToType(builder, loc, cotangent, type);
  }
  Value &slot = cotangents[value];
  slot = slot ? nn::AddOp::create(builder, loc, slot, cotangent).getResult()
              : cotangent;
  return success();
}

FailureOr<SmallVector<Value>>
Differentiator::transpose(ArrayRef<Value> targetCotangents,
                          AdjointTrace *trace) {
  Operation *terminator = body->getTerminator();
  OpBuilder builder(terminator);
  for (auto [target, cotangent] : llvm::zip_equal(targets, targetCotangents)) {
    Value tangent = tangents.lookup(target);
    if (tangent &&
        failed(accumulate(builder, cotangent.getLoc(), tangent, cotangent)))
      return failure();
  }

  for (Operation *op : llvm::reverse(tangentOps)) {
    SmallVector<Value> resultCotangents;
    for (Value result : op->getResults())
      resultCotangents.push_back(cotangents.lookup(result));
    if (llvm::all_of(resultCotangents, [](Value v) { return !v; }))
      continue;
    if (trace)
      for (auto [result, cotangent] :
           llvm::zip_equal(op->getResults(), resultCotangents))
        if (Value primal = shadows.lookup(result);
            primal && cotangent && tangents.lookup(primal) == result)
          trace->cotangents[primal] = cotangent;

    SmallVector<bool> linear;
    for (Value operand : op->getOperands())
      linear.push_back(isTangentValue(operand));
    Operation *last = terminator->getPrevNode();
    SmallVector<Value> operandCotangents;
    if (failed(llvm::cast<TransposeOpInterface>(op).transpose(
            builder, resultCotangents, linear, operandCotangents)))
      return failure();
    for (Operation *it = last ? last->getNextNode() : &body->front();
         it != terminator; it = it->getNextNode())
      it->setLoc(op->getLoc());
    if (operandCotangents.size() != op->getNumOperands())
      return op->emitError() << "the transpose of '" << op->getName()
                             << "' returned " << operandCotangents.size()
                             << " cotangents for " << op->getNumOperands()
                             << " operands";
    for (auto [operand, isLinear, cotangent] :
         llvm::zip_equal(op->getOperands(), linear, operandCotangents))
      if (isLinear && cotangent &&
          failed(accumulate(builder, op->getLoc(), operand, cotangent)))
        return failure();
  }

  SmallVector<Value> result;
  for (auto [primal, seed] : llvm::zip_equal(wrt, seeds)) {
    Value cotangent = cotangents.lookup(seed);
    result.push_back(cotangent);
    if (trace && cotangent)
      trace->cotangents[primal] = cotangent;
  }
  return result;
}

LogicalResult Differentiator::eraseTangentProgram() {
  OpBuilder builder(func.getContext());
  SmallVector<Value> values(seeds);
  for (Operation *op : tangentOps)
    llvm::append_range(values, op->getResults());

  // Shape queries on tangents that something outside the tangent program
  // uses are rebuilt from primal values; the others die with the program.
  llvm::SetVector<Operation *> doomed(tangentOps.begin(), tangentOps.end());
  for (Value value : values) {
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
      Operation *user = use.getOwner();
      if (tangentOpSet.contains(user) || doomed.contains(user))
        continue;
      auto dim = llvm::dyn_cast<tensor::DimOp>(user);
      std::optional<int64_t> index =
          dim ? dim.getConstantIndex() : std::nullopt;
      if (!index)
        return user->emitError()
               << "internal error: '" << user->getName()
               << "' reads a value of the tangent program outside of it";
      bool usedOutside = llvm::any_of(dim->getUsers(), [&](Operation *u) {
        return !tangentOpSet.contains(u);
      });
      if (!usedOutside) {
        doomed.insert(dim);
        continue;
      }
      builder.setInsertionPoint(dim);
      Value size = resolveDim(builder, dim.getLoc(), value, *index);
      dim.replaceAllUsesWith(size);
      dim.erase();
    }
  }
  for (Operation *op : doomed)
    op->dropAllReferences();
  for (Operation *op : doomed) {
    if (!op->use_empty())
      return op->emitError() << "internal error: a value of the tangent "
                                "program is still used";
    op->erase();
  }
  tangentOps.clear();
  tangentOpSet.clear();
  return success();
}

void Differentiator::removeDeadAddedOps(ArrayRef<Value> keep) {
  DenseSet<Operation *> kept;
  for (Value v : keep)
    if (v)
      kept.insert(v.getDefiningOp());
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (!originalOps.contains(&op) && !kept.contains(&op) &&
        isOpTriviallyDead(&op))
      op.erase();
}

} // namespace adjoint::autodiff
