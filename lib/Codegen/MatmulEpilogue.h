//===- MatmulEpilogue.h - Elementwise ops run per chunk of a product -*- C++ -*-===//
//
// Used by adjoint-matmul-microkernels: the ops that consume a product's
// result and run, chunk by chunk, on the thread that computed the chunk.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CODEGEN_MATMULEPILOGUE_H
#define ADJOINT_LIB_CODEGEN_MATMULEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace adjoint {

/// The `linalg.generic` ops on buffers that consume the result C of a
/// `linalg.matmul` and can run a chunk of rows or columns of C at a time,
/// right after the kernel computed that chunk: a layer's bias and
/// activation, the backward pass's activation masks and bias gradients, the
/// optimizer's update of a weight from its gradient.
///
/// They are found by a walk of the ops after the matmul in its block: a
/// generic with two loops joins when it reads C or the result of an earlier
/// member with the identity map, and every buffer that the product or the
/// members write is accessed by all of them with the identity map only (so
/// that every element depends on the same element of the others: chunks
/// are independent). The ops between the matmul and the last member stay
/// in place; the product and the members move down to the last member, so
/// the walk stops at the first op that touches a buffer they write, or
/// writes one they read (C, its operands A and B, the members' other
/// operands), or whose memory effects are unknown.
///
/// Buffers alias when they are views of the same buffer, or may when one is
/// not an allocation of the function; views of the C interface's arguments
/// are told apart by the argument and byte range (the arguments are
/// `restrict`: docs/codegen.md).
class MatmulEpilogue {
public:
  explicit MatmulEpilogue(mlir::linalg::MatmulOp matmul);

  bool empty() const { return ops.empty(); }
  unsigned size() const { return ops.size(); }
  /// Whether a member writes memory that the function did not allocate: its
  /// results (the optimizer's new weights), which the next call reads.
  bool writesOutsideAllocations() const;
  /// The last member, after which the product and the members are emitted
  /// (the matmul itself when there is none).
  mlir::Operation *getLastOp() const;
  /// How many members, from the first, can run on chunks of C's `dim` (0:
  /// rows, 1: columns): their loop over that dim is parallel.
  unsigned getChunkedCount(unsigned dim) const;
  /// Emits the first `count` members on [begin, end) of C's `dim`: each on
  /// subviews of its operands.
  void emitChunk(mlir::OpBuilder &b, unsigned count, unsigned dim,
                 mlir::Value begin, mlir::Value end) const;
  /// Emits the members from `from` on, whole.
  void emitWhole(mlir::OpBuilder &b, unsigned from) const;
  /// Erases the members where they were.
  void erase();

private:
  llvm::SmallVector<mlir::linalg::GenericOp> ops;
};

} // namespace adjoint

#endif // ADJOINT_LIB_CODEGEN_MATMULEPILOGUE_H
