//===- OpEmitters.h - The ops of the .nn language ---------------*- C++ -*-===//
//
// The op table: for each op of the language its signature (parameters and
// defaults) and the emitter that checks a call's arguments and shapes and
// builds its IR. Emitters are grouped by family, one file each:
// ElementwiseOps.cpp, ShapeOps.cpp, LayerOps.cpp, LossOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_OPEMITTERS_H
#define ADJOINT_FRONTEND_OPEMITTERS_H

#include "adjoint/Frontend/Arguments.h"
#include "adjoint/Frontend/NetworkBuilder.h"

namespace adjoint::frontend {

/// What an emitter works with: the bound call and the name it defines.
struct OpContext {
  NetworkBuilder &net;
  const CallArguments &args;
  /// The name the statement defines (`h` in `h = dense(x, 8)`); layers name
  /// their parameters after it (`h.weight`).
  llvm::StringRef target;
  /// The location of the op call, which every op built gets.
  mlir::Location loc;

  mlir::OpBuilder &builder() { return net.getOpBuilder(); }
  llvm::StringRef getOpName() const { return args.getCallee(); }

  /// Argument `index` as a value.
  mlir::FailureOr<TensorValue> getTensor(unsigned index);
  /// Argument `index` as an f32 value; reports integer values.
  mlir::FailureOr<TensorValue> getFloatTensor(unsigned index);
  /// Reports that the value of argument `index` must be f32.
  void errorNotFloat(unsigned index, const TensorValue &value);

  /// Reports "OP: MESSAGE" at the op call, or at argument `index`.
  void error(const llvm::Twine &message) { args.error(message); }
  void error(unsigned index, const llvm::Twine &message) {
    args.error(index, message);
  }

  /// Normalizes an axis in [-rank, rank) to [0, rank); reports others.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, unsigned index,
                                         const TensorValue &value);

  /// A TensorValue for the result `value` of an op with shape `shape`.
  TensorValue make(mlir::Value value, SymShape shape) {
    return TensorValue{value, std::move(shape)};
  }
  mlir::RankedTensorType getType(llvm::ArrayRef<SymDim> shape,
                                 mlir::Type elementType) {
    return getTensorType(shape, elementType);
  }
};

using OpEmitter = mlir::FailureOr<TensorValue> (*)(OpContext &);

struct OpDef {
  Signature signature;
  OpEmitter emit;
};

/// The op called `name`, or null.
const OpDef *lookupOp(llvm::StringRef name);
/// The names of all ops, for hints.
llvm::SmallVector<llvm::StringRef> getOpNames();

// ElementwiseOps.cpp
mlir::FailureOr<TensorValue> emitBinaryOp(OpContext &ctx);
mlir::FailureOr<TensorValue> emitUnaryOp(OpContext &ctx);
mlir::FailureOr<TensorValue> emitLeakyRelu(OpContext &ctx);
mlir::FailureOr<TensorValue> emitSoftmax(OpContext &ctx);
mlir::FailureOr<TensorValue> emitDropout(OpContext &ctx);

// ShapeOps.cpp
mlir::FailureOr<TensorValue> emitMatmul(OpContext &ctx);
mlir::FailureOr<TensorValue> emitTranspose(OpContext &ctx);
mlir::FailureOr<TensorValue> emitReduction(OpContext &ctx);
mlir::FailureOr<TensorValue> emitReshape(OpContext &ctx);
mlir::FailureOr<TensorValue> emitFlatten(OpContext &ctx);
mlir::FailureOr<TensorValue> emitConcat(OpContext &ctx);

// LayerOps.cpp
mlir::FailureOr<TensorValue> emitDense(OpContext &ctx);
mlir::FailureOr<TensorValue> emitConv2D(OpContext &ctx);
mlir::FailureOr<TensorValue> emitPool2D(OpContext &ctx);
mlir::FailureOr<TensorValue> emitLayerNorm(OpContext &ctx);
mlir::FailureOr<TensorValue> emitBatchNorm(OpContext &ctx);
mlir::FailureOr<TensorValue> emitEmbedding(OpContext &ctx);

// LossOps.cpp
mlir::FailureOr<TensorValue> emitMse(OpContext &ctx);
mlir::FailureOr<TensorValue> emitSoftmaxCrossEntropy(OpContext &ctx);
mlir::FailureOr<TensorValue> emitBceWithLogits(OpContext &ctx);

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_OPEMITTERS_H
