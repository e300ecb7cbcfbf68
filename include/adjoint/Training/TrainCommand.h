//===- TrainCommand.h - adjoint-run --train ---------------------*- C++ -*-===//
//
// What `adjoint-run --train` does once the model and its arguments are
// loaded: build @train_step and @eval_step, load the optimizer state when
// resuming, run the trainer, then write the parameters, buffers and optimizer
// state (--save-params), the CSV log (--log) and the SVG plot (--plot). No
// file is written unless training succeeded; each file is written atomically.
//
// The command-line options live here too, registered into the tool's option
// category, so that adjoint-run needs only a small hook:
//   --train --epochs E --batch-size B --no-shuffle --optimizer=SPEC
//   --val-input NAME=FILE.npy --log FILE.csv --plot FILE.svg
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_TRAINCOMMAND_H
#define ADJOINT_TRAINING_TRAINCOMMAND_H

#include "adjoint/Training/Trainer.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/CommandLine.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace adjoint::training {

/// The options of a training run.
struct TrainCommandOptions {
  TrainerOptions trainer;
  /// --optimizer=SPEC ("" for the model's own).
  std::string optimizer;
  /// --val-input NAME=FILE pairs.
  std::vector<std::pair<std::string, std::string>> validationInputs;
  /// --log and --plot ("" for none).
  std::string logPath;
  std::string plotPath;
  /// --params DIR: resume the optimizer state from DIR/optimizer/ if there.
  std::string paramsDir;
  /// --save-params DIR: write DIR/P.npy and DIR/optimizer/*.npy.
  std::string saveParamsDir;
};

/// Makes the executor for a module that holds @train_step and @eval_step
/// (for example by compiling it).
using ExecutorFactory =
    std::function<llvm::Expected<Executor>(mlir::ModuleOp module)>;

/// Runs a training command on `module`, which must hold @gradient.
/// `values` holds every parameter and buffer, `data` every input (dim 0 =
/// samples). Epoch lines and the final validation line go to `out`.
llvm::Error runTrainCommand(mlir::ModuleOp module,
                            const TrainCommandOptions &options,
                            llvm::StringMap<HostTensor> values,
                            const DataSet &data,
                            const ExecutorFactory &makeExecutor,
                            llvm::raw_ostream &out);

/// Registers the training options in `category`. Call once, before
/// llvm::cl::ParseCommandLineOptions.
void registerTrainCLOptions(llvm::cl::OptionCategory &category);

/// True when --train was given (false before registerTrainCLOptions).
bool isTrainRequested();

/// The parsed options (without paramsDir, saveParamsDir and the seed, which
/// belong to the tool). Errors: training options without --train, a batch
/// size of 0, a malformed --val-input.
llvm::Expected<TrainCommandOptions> getTrainCLOptions();

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_TRAINCOMMAND_H
