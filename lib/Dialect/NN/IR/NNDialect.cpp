//===- NNDialect.cpp - The nn dialect -------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace adjoint::nn;

#include "adjoint/Dialect/NN/IR/NNOpsDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "adjoint/Dialect/NN/IR/NNOps.cpp.inc"
      >();
}

Operation *NNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

/// Checks the discardable `nn.*` attributes of a function argument or result.
static LogicalResult verifyValueAttr(Operation *op, NamedAttribute attr,
                                     Type valueType, bool isArgument) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == NNDialect::kNameAttr || name == NNDialect::kInitAttr) {
    if (!llvm::isa<StringAttr>(value))
      return op->emitError() << "'" << name << "' must be a string";
    return success();
  }
  if (name == NNDialect::kKindAttr) {
    auto kind = llvm::dyn_cast<StringAttr>(value);
    if (!kind)
      return op->emitError() << "'" << name << "' must be a string";
    // "state": optimizer state of @train_step; its results return the new
    // parameters as "param". "grad": the gradients that @apply_update takes.
    static const char *const argKinds[] = {"input", "param", "buffer", "seed",
                                           "state", "grad"};
    static const char *const resultKinds[] = {"output", "loss", "grad",
                                              "buffer", "state", "param"};
    bool known = isArgument ? llvm::is_contained(argKinds, kind.getValue())
                            : llvm::is_contained(resultKinds, kind.getValue());
    if (!known)
      return op->emitError() << "unknown " << (isArgument ? "argument" : "result")
                             << " kind '" << kind.getValue() << "'";
    return success();
  }
  if (name == NNDialect::kDimsAttr) {
    auto dims = llvm::dyn_cast<ArrayAttr>(value);
    auto tensor = llvm::dyn_cast_if_present<RankedTensorType>(valueType);
    if (!dims || !llvm::all_of(dims, llvm::IsaPred<StringAttr>))
      return op->emitError() << "'" << name << "' must be an array of strings";
    // A value whose type is unknown (an op that is not a function) is only
    // checked for the form of the attribute.
    if (!valueType)
      return success();
    if (!tensor || dims.size() != static_cast<size_t>(tensor.getRank()))
      return op->emitError() << "'" << name
                             << "' must name one symbol per dim of " << valueType;
    return success();
  }
  return op->emitError() << "unknown nn attribute '" << name << "'";
}

LogicalResult NNDialect::verifyRegionArgAttribute(Operation *op,
                                                  unsigned regionIndex,
                                                  unsigned argIndex,
                                                  NamedAttribute attr) {
  // Take the type from the function type, which a declaration (an empty
  // region) has too.
  Type type;
  if (auto fn = llvm::dyn_cast<FunctionOpInterface>(op))
    type = fn.getArgumentTypes()[argIndex];
  else if (!op->getRegion(regionIndex).empty())
    type = op->getRegion(regionIndex).getArgument(argIndex).getType();
  return verifyValueAttr(op, attr, type, /*isArgument=*/true);
}

LogicalResult NNDialect::verifyRegionResultAttribute(Operation *op,
                                                     unsigned regionIndex,
                                                     unsigned resultIndex,
                                                     NamedAttribute attr) {
  Type type;
  if (auto fn = llvm::dyn_cast<FunctionOpInterface>(op))
    type = fn.getResultTypes()[resultIndex];
  return verifyValueAttr(op, attr, type, /*isArgument=*/false);
}
