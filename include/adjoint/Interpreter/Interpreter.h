//===- Interpreter.h - Reference evaluator of nn IR -------------*- C++ -*-===//
//
// Plain, obviously correct loops that evaluate a function of nn IR (and the few
// upstream ops the adjoint pass emits for shapes: arith constants and index
// arithmetic, tensor.dim / tensor.from_elements / tensor.extract,
// func.return / func.call) on HostTensors, in f32 or f64. It is the oracle for
// the gradient rules and for the compiled code. An op of another dialect that
// implements DecomposableOpInterface (a plugin's op) is evaluated through its
// expansion.
//
// Values: a tensor-typed SSA value is a HostTensor of its element type; a
// scalar (index, i64, i32, f32, f64) is a 0-d HostTensor (index as I64).
// Every op's result is checked against its type (rank, static dims, dtype).
//
// Errors are llvm::StringError values of the form
//   evaluate: nn.add at net.nn:7:5: dynamic dims differ: [4, 128] vs [3, 128]
// (the op's name and the first file location found in its location).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_INTERPRETER_INTERPRETER_H
#define ADJOINT_INTERPRETER_INTERPRETER_H

#include "adjoint/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace adjoint::interp {

struct InterpreterOptions {
  /// When set, every float tensor (arguments, constants, intermediate
  /// values) is computed in f64, whatever the IR's element type says; results
  /// are returned as f64. Used for finite-difference checks.
  bool computeInF64 = false;
};

/// Evaluates `func` on `arguments` (one per function argument, in order;
/// shapes must agree with the argument types, dynamic dims are taken from the
/// tensors). An argument's dtype must be the element type of its IR type
/// (index and i64 scalars: I64); with `computeInF64`, float arguments may
/// be f32 or f64 and are converted to f64. Returns one HostTensor per function
/// result. On failure (shape mismatch at run time, out-of-range index,
/// unsupported op) returns an error whose message names the op and its
/// location.
llvm::Expected<llvm::SmallVector<HostTensor>>
evaluate(mlir::func::FuncOp func, llvm::ArrayRef<HostTensor> arguments,
         const InterpreterOptions &options = {});

/// Like the above, but an argument may be null: it is then unbound, which is
/// fine as long as no evaluated op reads it; an op that does fails with a
/// message naming the argument (`operand #1 reads argument #1 ('label'),
/// which was not given`). Used to run a model without the inputs that only
/// its (erased) loss reads.
llvm::Expected<llvm::SmallVector<HostTensor>>
evaluate(mlir::func::FuncOp func, llvm::ArrayRef<const HostTensor *> arguments,
         const InterpreterOptions &options = {});

/// The dropout mask, as `nn.dropout` defines it in training mode: element
/// `index` (row-major position in the op's input) is kept, and scaled by
/// 1 / (1 - p), exactly when `u >= p`, where u in [0, 1) is number `index` of
/// the random stream (seed, "nn.dropout.<stream>") of adjoint/Runtime/Random.h:
///   key  = splitMix64(splitMix64(seed + G) ^ fnv1a("nn.dropout.<stream>"))
///   bits = splitMix64(key + (index + 1) * G),  G = 0x9e3779b97f4a7c15
///   u    = (bits >> 11) * 2^-53
/// The compiled code must compute the same mask.
bool isDropoutKept(uint64_t seed, int64_t stream, uint64_t index, double p);

/// The name of the random stream of the dropout op with `stream` number.
std::string getDropoutStreamName(int64_t stream);

} // namespace adjoint::interp

#endif // ADJOINT_INTERPRETER_INTERPRETER_H
