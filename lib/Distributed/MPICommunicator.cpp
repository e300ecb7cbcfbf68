//===- MPICommunicator.cpp - The trainer's collectives over MPI -----------===//
//
// Sums are MPI_Allreduce over doubles on MPI_COMM_WORLD; MPI's errors return
// (MPI_ERRORS_RETURN) so that they become llvm::Errors, and a rank that fails
// calls MPI_Abort, which stops the whole job instead of leaving the other
// ranks waiting in a collective.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Distributed/MPICommunicator.h"

#include "llvm/Support/raw_ostream.h"

// The C API only: no MPI C++ bindings (which need libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <string>

using namespace adjoint;
using namespace adjoint::distributed;

namespace {

std::string getMPIErrorString(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    return "MPI error " + std::to_string(code);
  return std::string(text, length);
}

class MPICommunicator : public training::Communicator {
public:
  MPICommunicator(int rank, int size) : rank(rank), size(size) {}
  ~MPICommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized)
      MPI_Finalize();
  }

  int getRank() const override { return rank; }
  int getSize() const override { return size; }

  llvm::Error allreduceSum(llvm::MutableArrayRef<double> values) override {
    int count = static_cast<int>(values.size());
    if (static_cast<size_t>(count) != values.size())
      return llvm::createStringError("allreduce of more than 2^31 values");
    int code = MPI_Allreduce(MPI_IN_PLACE, values.data(), count, MPI_DOUBLE,
                             MPI_SUM, MPI_COMM_WORLD);
    if (code != MPI_SUCCESS)
      return llvm::createStringError("MPI_Allreduce failed: " +
                                     getMPIErrorString(code));
    return llvm::Error::success();
  }

  [[noreturn]] void abort(llvm::StringRef message, int code) override {
    llvm::errs() << message << "\n";
    llvm::errs().flush();
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code); // MPI_Abort does not return; this is for the compiler.
  }

private:
  int rank, size;
};

} // namespace

llvm::Expected<std::unique_ptr<training::Communicator>>
distributed::createMPICommunicator(int *argc, char ***argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized && MPI_Init(argc, argv) != MPI_SUCCESS)
    return llvm::createStringError("cannot initialize MPI");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return std::make_unique<MPICommunicator>(rank, size);
}
