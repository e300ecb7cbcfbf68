//===- MPICommunicator.h - The trainer's collectives over MPI ----*- C++ -*-===//
//
// Data-parallel training across processes and machines with MPI (Open MPI
// from Debian): `mpirun -np K adjoint-run MODEL --train --distributed ...`.
// See docs/distributed.md.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_DISTRIBUTED_MPICOMMUNICATOR_H
#define ADJOINT_DISTRIBUTED_MPICOMMUNICATOR_H

#include "adjoint/Training/Communicator.h"

#include <memory>

namespace adjoint::distributed {

/// Initializes MPI (once per process) and returns a communicator over
/// MPI_COMM_WORLD; MPI is finalized when it is destroyed. Errors when MPI
/// cannot start (for example outside mpirun with no singleton support).
llvm::Expected<std::unique_ptr<training::Communicator>>
createMPICommunicator(int *argc, char ***argv);

} // namespace adjoint::distributed

#endif // ADJOINT_DISTRIBUTED_MPICOMMUNICATOR_H
