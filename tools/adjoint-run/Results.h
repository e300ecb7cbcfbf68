//===- Results.h - What a run produced, and writing it -----------*- C++ -*-===//
//
// The results of the evaluated function, sorted by their nn.kind
// attributes (never by position), and the files adjoint-run writes:
//   OUT/outputs/NAME.npy, OUT/loss.npy, OUT/grad/P.npy   (--out OUT)
//   DIR/P.npy for every parameter and buffer             (--save-params DIR)
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TOOLS_ADJOINT_RUN_RESULTS_H
#define ADJOINT_TOOLS_ADJOINT_RUN_RESULTS_H

#include "ModelArguments.h"

#include "adjoint/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace adjoint::run {

struct RunResults {
  /// Results of kind "output" (or without a kind), by nn.name.
  std::vector<std::pair<std::string, HostTensor>> outputs;
  std::optional<HostTensor> loss;
  /// Results of kind "grad", by the name of what they are the gradient of
  /// (nn.name without its "grad." prefix).
  std::vector<std::pair<std::string, HostTensor>> grads;
  /// Results of kind "buffer": updated buffers, by buffer name.
  std::vector<std::pair<std::string, HostTensor>> buffers;
};

/// Sorts `values`, the results of `func`, by their kinds. Errors: two loss
/// results, a result kind adjoint-run does not know, a loss that is not 0-d.
llvm::Expected<RunResults> sortResults(mlir::func::FuncOp func,
                                       llvm::SmallVectorImpl<HostTensor> &values);

/// Writes the outputs, loss and gradients under `outDir`.
llvm::Error writeResults(llvm::StringRef outDir, const RunResults &results);

/// Writes every parameter and buffer to `dir`/NAME.npy: the updated value of
/// a buffer where the run returned one, else the value the run used.
llvm::Error saveParameters(llvm::StringRef dir,
                           llvm::ArrayRef<ArgumentInfo> arguments,
                           const ArgumentValues &values,
                           const RunResults &results);

/// Prints a summary (without --out): each output's type and the loss.
void printResults(llvm::raw_ostream &os, const RunResults &results);

} // namespace adjoint::run

#endif // ADJOINT_TOOLS_ADJOINT_RUN_RESULTS_H
