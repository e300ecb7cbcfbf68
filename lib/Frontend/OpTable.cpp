//===- OpTable.cpp - The ops of the .nn language --------------------------===//
//
// The signature of every op (network-format.md) and the emitter that builds
// it. Parameter names are the keywords a call may use.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Frontend/OpEmitters.h"

using namespace mlir;
using namespace adjoint::frontend;

static llvm::ArrayRef<OpDef> getOpDefs() {
  static const OpDef defs[] = {
      // Elementwise.
      {{"add", {{"a"}, {"b"}}}, emitBinaryOp},
      {{"sub", {{"a"}, {"b"}}}, emitBinaryOp},
      {{"mul", {{"a"}, {"b"}}}, emitBinaryOp},
      {{"div", {{"a"}, {"b"}}}, emitBinaryOp},
      {{"neg", {{"x"}}}, emitUnaryOp},
      {{"exp", {{"x"}}}, emitUnaryOp},
      {{"log", {{"x"}}}, emitUnaryOp},
      {{"sqrt", {{"x"}}}, emitUnaryOp},
      {{"relu", {{"x"}}}, emitUnaryOp},
      {{"sigmoid", {{"x"}}}, emitUnaryOp},
      {{"tanh", {{"x"}}}, emitUnaryOp},
      {{"gelu", {{"x"}}}, emitUnaryOp},
      {{"leaky_relu", {{"x"}, {"alpha", "0.01"}}}, emitLeakyRelu},
      {{"softmax", {{"x"}, {"axis", "-1"}}}, emitSoftmax},
      {{"log_softmax", {{"x"}, {"axis", "-1"}}}, emitSoftmax},
      {{"dropout", {{"x"}, {"p"}}}, emitDropout},
      // Linear algebra, layout and reductions.
      {{"matmul", {{"a"}, {"b"}}}, emitMatmul},
      {{"transpose", {{"x"}, {"perm", "[..., -1, -2]"}}}, emitTranspose},
      {{"sum", {{"x"}, {"axis", "all"}, {"keepdims", "false"}}}, emitReduction},
      {{"mean", {{"x"}, {"axis", "all"}, {"keepdims", "false"}}},
       emitReduction},
      {{"reshape", {{"x"}, {"shape"}}}, emitReshape},
      {{"flatten", {{"x"}}}, emitFlatten},
      {{"concat", {{"axis", "0"}}, /*variadic=*/true}, emitConcat},
      // Layers.
      {{"dense", {{"x"}, {"units"}, {"bias", "true"}}}, emitDense},
      {{"conv2d",
        {{"x"},
         {"out"},
         {"kernel"},
         {"stride", "1"},
         {"padding", "0"},
         {"bias", "true"}}},
       emitConv2D},
      {{"max_pool2d", {{"x"}, {"kernel"}, {"stride", "kernel"}}}, emitPool2D},
      {{"avg_pool2d", {{"x"}, {"kernel"}, {"stride", "kernel"}}}, emitPool2D},
      {{"layernorm", {{"x"}, {"eps", "1e-5"}}}, emitLayerNorm},
      {{"batchnorm", {{"x"}, {"eps", "1e-5"}, {"momentum", "0.1"}}},
       emitBatchNorm},
      {{"embedding", {{"ids"}, {"num"}, {"dim"}}}, emitEmbedding},
      // Losses.
      {{"mse", {{"pred"}, {"target"}}}, emitMse},
      {{"softmax_cross_entropy", {{"logits"}, {"labels"}}},
       emitSoftmaxCrossEntropy},
      {{"binary_cross_entropy_with_logits", {{"logits"}, {"targets"}}},
       emitBceWithLogits},
  };
  return defs;
}

const OpDef *adjoint::frontend::lookupOp(llvm::StringRef name) {
  for (const OpDef &def : getOpDefs())
    if (def.signature.name == name)
      return &def;
  return nullptr;
}

llvm::SmallVector<llvm::StringRef> adjoint::frontend::getOpNames() {
  llvm::SmallVector<llvm::StringRef> names;
  for (const OpDef &def : getOpDefs())
    names.push_back(def.signature.name);
  return names;
}

//===----------------------------------------------------------------------===//
// OpContext
//===----------------------------------------------------------------------===//

FailureOr<TensorValue> OpContext::getTensor(unsigned index) {
  const Expr *expr = args.get(index);
  assert(expr && "a required argument is missing after binding");
  return net.getTensor(args, *expr, args.getParamName(index));
}

void OpContext::errorNotFloat(unsigned index, const TensorValue &value) {
  const Expr *expr = args.get(index);
  error(index, "expects an f32 tensor, got " + describeExpr(*expr) +
                   " of type " + value.describeType());
}

FailureOr<TensorValue> OpContext::getFloatTensor(unsigned index) {
  FailureOr<TensorValue> value = getTensor(index);
  if (failed(value))
    return failure();
  if (!value->isFloat()) {
    errorNotFloat(index, *value);
    return failure();
  }
  return value;
}

FailureOr<int64_t> OpContext::normalizeAxis(int64_t axis, unsigned index,
                                            const TensorValue &value) {
  int64_t rank = value.shape.size();
  if (axis < -rank || axis >= rank) {
    error(index, "axis " + llvm::Twine(axis) + " is out of range for shape " +
                     formatShape(value.shape));
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}
