//===- Communicator.h - Collectives for data-parallel training --*- C++ -*-===//
//
// What the trainer needs from the processes of a data-parallel job: its rank
// among them, their number, a sum over all of them, and a way to stop them
// all. The trainer is written against this interface alone;
// lib/Distributed implements it with MPI (createMPICommunicator), and tests
// may implement it in process.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_COMMUNICATOR_H
#define ADJOINT_TRAINING_COMMUNICATOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace adjoint::training {

class Communicator {
public:
  virtual ~Communicator() = default;

  /// This process's rank, in [0, getSize()).
  virtual int getRank() const = 0;
  /// The number of processes.
  virtual int getSize() const = 0;

  /// Replaces `values` on every process by their element-wise sum over all
  /// processes (in double precision). Every process must call it with the
  /// same number of values.
  virtual llvm::Error allreduceSum(llvm::MutableArrayRef<double> values) = 0;

  /// Stops every process of the job with exit code `code` after this one
  /// printed `message`; does not return.
  [[noreturn]] virtual void abort(llvm::StringRef message, int code) = 0;
};

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_COMMUNICATOR_H
