//===- Kernels.h - Per-op evaluation functions of the interpreter -*- C++ -*-===//
//
// Internal to lib/Interpreter. Each eval function computes the results of one
// op (or one family of ops) from its operand values, as plain loops. The
// driver (Interpreter.cpp) binds operands, dispatches, and checks every result
// against its IR type.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_INTERPRETER_KERNELS_H
#define ADJOINT_LIB_INTERPRETER_KERNELS_H

#include "adjoint/Interpreter/Interpreter.h"
#include "adjoint/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace adjoint::interp {

using Shape = llvm::SmallVector<int64_t, 4>;
using OpResults = llvm::SmallVector<HostTensor, 1>;

/// Formats the first file location inside `loc` as "file:line:col", or ""
/// when it holds none.
std::string formatLocation(mlir::Location loc);

/// The view an eval function has of the op it evaluates.
class OpEnv {
public:
  OpEnv(mlir::Operation *op, llvm::ArrayRef<const HostTensor *> operands,
        const InterpreterOptions &options)
      : op(op), operands(operands), options(options) {}

  mlir::Operation *getOp() const { return op; }
  const HostTensor &operand(unsigned i) const { return *operands[i]; }
  unsigned getNumOperands() const { return operands.size(); }
  const InterpreterOptions &getOptions() const { return options; }

  /// An error "evaluate: OPNAME at LOC: MESSAGE".
  llvm::Error error(const llvm::Twine &message) const;

  /// The dtype that values of element (or scalar) type `type` have at run
  /// time: f32 -> F32 (F64 with computeInF64), f64 -> F64, i64 and index ->
  /// I64, i32 -> I32. An error for other types.
  llvm::Expected<DType> getDType(mlir::Type type) const;

  /// The run-time dtype of result `i`.
  llvm::Expected<DType> getResultDType(unsigned i = 0) const;

  /// The IR type of result `i` as a ranked tensor (null for a scalar).
  mlir::RankedTensorType getResultType(unsigned i = 0) const;

  /// A zero tensor, or an error naming the op when the shape is invalid or
  /// too large.
  llvm::Expected<HostTensor> allocate(DType dtype,
                                      llvm::ArrayRef<int64_t> shape) const;

  /// A zero tensor of result `i`'s dtype.
  llvm::Expected<HostTensor> allocateResult(llvm::ArrayRef<int64_t> shape,
                                            unsigned i = 0) const;

  /// Operand `i`, a 0-d index or integer value, as int64.
  int64_t getIndexOperand(unsigned i) const;

private:
  mlir::Operation *op;
  llvm::ArrayRef<const HostTensor *> operands;
  const InterpreterOptions &options;
};

/// Calls `fn(T{})` with T = float or double for a float dtype.
template <typename Fn>
auto dispatchFloat(DType dtype, Fn &&fn) {
  if (dtype == DType::F64)
    return fn(double{});
  assert(dtype == DType::F32 && "not a float dtype");
  return fn(float{});
}

/// Calls `fn(T{})` with T = int64_t or int32_t for an integer dtype.
template <typename Fn>
auto dispatchInt(DType dtype, Fn &&fn) {
  if (dtype == DType::I32)
    return fn(int32_t{});
  assert(dtype == DType::I64 && "not an integer dtype");
  return fn(int64_t{});
}

inline bool isFloatDType(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64;
}

/// Row-major strides of `shape`.
Shape getStrides(llvm::ArrayRef<int64_t> shape);

/// The multi-index of row-major position `flat` in `shape`.
void unflattenIndex(int64_t flat, llvm::ArrayRef<int64_t> shape,
                    llvm::MutableArrayRef<int64_t> index);

/// The run-time result shape of broadcasting `lhs` and `rhs`, run-time
/// shapes whose IR types have shapes `lhsType` and `rhsType`. A dim broadcasts
/// only where its IR type has a static 1 (or lacks the dim); other dims must
/// be equal. The error message is "dynamic dims differ: [4, 128] vs [3, 128]".
llvm::Expected<Shape> broadcastRuntimeShapes(const OpEnv &env,
                                             llvm::ArrayRef<int64_t> lhs,
                                             llvm::ArrayRef<int64_t> lhsType,
                                             llvm::ArrayRef<int64_t> rhs,
                                             llvm::ArrayRef<int64_t> rhsType);

/// Maps the row-major position of an element of a tensor of `resultShape` to
/// the position of the element of `operandShape` that NumPy broadcasting
/// reads there (the operand aligned to the trailing dims, size-1 dims
/// repeated).
class BroadcastIndexer {
public:
  BroadcastIndexer(llvm::ArrayRef<int64_t> operandShape,
                   llvm::ArrayRef<int64_t> resultShape);
  int64_t operator()(int64_t resultPosition) const;

private:
  Shape resultShape;
  /// Per result dim: the operand's stride, 0 where the dim is broadcast.
  Shape strides;
};

// Elementwise.cpp
llvm::Expected<HostTensor> evalConstant(mlir::ElementsAttr value,
                                        const OpEnv &env);
llvm::Expected<HostTensor> evalUnary(const OpEnv &env);
llvm::Expected<HostTensor> evalBinary(const OpEnv &env);

// Layout.cpp
llvm::Expected<HostTensor> evalTranspose(const OpEnv &env);
llvm::Expected<HostTensor> evalReshape(const OpEnv &env);
llvm::Expected<HostTensor> evalBroadcast(const OpEnv &env);
llvm::Expected<HostTensor> evalConcat(const OpEnv &env);
llvm::Expected<HostTensor> evalSlice(const OpEnv &env);
llvm::Expected<HostTensor> evalPad(const OpEnv &env);

// Reductions.cpp
llvm::Expected<HostTensor> evalMatmul(const OpEnv &env);
llvm::Expected<HostTensor> evalReduction(const OpEnv &env);
llvm::Expected<HostTensor> evalSize(const OpEnv &env);

// Normalization.cpp
llvm::Expected<HostTensor> evalSoftmax(const OpEnv &env);
llvm::Expected<HostTensor> evalLayerNorm(const OpEnv &env);
llvm::Expected<OpResults> evalBatchNorm(const OpEnv &env);
llvm::Expected<HostTensor> evalDropout(const OpEnv &env);

// ConvPool.cpp
llvm::Expected<HostTensor> evalConv2D(const OpEnv &env);
llvm::Expected<HostTensor> evalConv2DBackwardInput(const OpEnv &env);
llvm::Expected<HostTensor> evalConv2DBackwardFilter(const OpEnv &env);
llvm::Expected<HostTensor> evalPool2D(const OpEnv &env);
llvm::Expected<HostTensor> evalAvgPool2DBackward(const OpEnv &env);
llvm::Expected<HostTensor> evalMaxPool2DJvp(const OpEnv &env);
llvm::Expected<HostTensor> evalMaxPool2DVjp(const OpEnv &env);

// Lookup.cpp
llvm::Expected<HostTensor> evalEmbedding(const OpEnv &env);
llvm::Expected<HostTensor> evalEmbeddingBackward(const OpEnv &env);
llvm::Expected<HostTensor> evalOneHot(const OpEnv &env);

// Losses.cpp
llvm::Expected<HostTensor> evalMse(const OpEnv &env);
llvm::Expected<HostTensor> evalSoftmaxCrossEntropy(const OpEnv &env);
llvm::Expected<HostTensor> evalBceWithLogits(const OpEnv &env);

// Upstream.cpp: arith and tensor ops on scalars and shapes.
llvm::Expected<OpResults> evalUpstreamOp(const OpEnv &env);

} // namespace adjoint::interp

#endif // ADJOINT_LIB_INTERPRETER_KERNELS_H
