//===- SwishDialect.cpp - The swish dialect and its expansion -------------===//

#include "Swish.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace swish;

#include "SwishDialect.cpp.inc"

void SwishDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "SwishOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "SwishOps.cpp.inc"

/// swish(x) = x * sigmoid(x), in nn ops: how the interpreter evaluates the op
/// and how the lowering (nn-decompose, then convert-nn-to-linalg) compiles it.
FailureOr<SmallVector<Value>> SwishOp::decompose(OpBuilder &builder) {
  Location loc = getLoc();
  Value sigmoid = adjoint::nn::SigmoidOp::create(builder, loc, getInput());
  Value product = adjoint::nn::MulOp::create(builder, loc, getInput(), sigmoid);
  return SmallVector<Value>{product};
}

void swish::registerSwishDialect(DialectRegistry &registry) {
  registry.insert<SwishDialect>();
  registry.addExtension(
      +[](MLIRContext *context, SwishDialect *) { attachSwishRules(context); });
}
