//===- NNDialect.cpp - The nn dialect -------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

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
    static const char *const argKinds[] = {"input", "param", "buffer", "seed"};
    static const char *const resultKinds[] = {"output", "loss", "grad",
                                              "buffer", "state"};
    bool known = isArgument ? llvm::is_contained(argKinds, kind.getValue())
                            : llvm::is_contained(resultKinds, kind.getValue());
    if (!known)
      return op->emitError() << "unknown " << (isArgument ? "argument" : "result")
                             << " kind '" << kind.getValue() << "'";
    return success();
  }
  if (name == NNDialect::kDimsAttr) {
    auto dims = llvm::dyn_cast<ArrayAttr>(value);
    auto tensor = llvm::dyn_cast<RankedTensorType>(valueType);
    if (!dims || !llvm::all_of(dims, llvm::IsaPred<StringAttr>))
      return op->emitError() << "'" << name << "' must be an array of strings";
    // Results are checked without their type; arguments against it.
    if (isArgument &&
        (!tensor || dims.size() != static_cast<size_t>(tensor.getRank())))
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
  Region &region = op->getRegion(regionIndex);
  Type type = region.empty() ? Type() : region.getArgument(argIndex).getType();
  return verifyValueAttr(op, attr, type, /*isArgument=*/true);
}

LogicalResult NNDialect::verifyRegionResultAttribute(Operation *op,
                                                     unsigned regionIndex,
                                                     unsigned resultIndex,
                                                     NamedAttribute attr) {
  return verifyValueAttr(op, attr, Type(), /*isArgument=*/false);
}
