//===- Trainer.h - The training loop ----------------------------*- C++ -*-===//
//
// Runs @train_step (built by nn-train-step) over a data set for a number of
// epochs, and @eval_step over held-out data after each epoch. The trainer
// does not compile or evaluate anything itself: it calls an Executor, which
// runs a function of the module by name on HostTensors (the interpreter, or
// compiled code), so that it works with every engine.
//
// What it does, in order, for epoch e (0-based, counted across resumed runs):
//   order = getEpochOrder(n, seed, e, shuffle)           (Batching.h)
//   for each batch of `batchSize` consecutive entries of order (the last one
//   smaller when batchSize does not divide n):
//     run @train_step on the batch's rows of every input, the parameters,
//     buffers and optimizer state, and the step seed getStepSeed(seed, s)
//     (s counts steps across epochs); keep the new parameters, buffers and
//     state; accumulate loss * batch size and correct predictions.
//   The epoch's loss is the mean over samples (batches weighted by size), its
//   accuracy the fraction of samples classified correctly before their step's
//   update. Then @eval_step runs over the validation set in order.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_TRAINER_H
#define ADJOINT_TRAINING_TRAINER_H

#include "adjoint/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace adjoint::training {

/// Runs the function `name` of the module on `args` (one per argument, in
/// argument order) and returns its results in order.
using Executor = std::function<llvm::Expected<llvm::SmallVector<HostTensor>>(
    llvm::StringRef name, llvm::ArrayRef<HostTensor> args)>;

/// Everything a training run updates, by name.
struct TrainingState {
  /// Parameters and buffers ("h.weight", "bn.running_mean").
  llvm::StringMap<HostTensor> values;
  /// Optimizer state by its IR name ("optimizer.h.weight.exp_avg",
  /// "optimizer.step"). Missing entries start at zero.
  llvm::StringMap<HostTensor> optimizer;
  /// Epochs and steps completed (by earlier runs when resuming).
  int64_t epochsDone = 0;
  int64_t stepsDone = 0;
};

/// What the trainer shows while it runs.
enum class ProgressMode {
  /// A progress bar when stderr is a terminal, else nothing but epoch lines.
  Auto,
  /// Always the bar (on stderr).
  Bar,
  /// Epoch lines only.
  Lines,
};

class Communicator;

struct TrainerOptions {
  int64_t epochs = 1;
  int64_t batchSize = 32;
  uint64_t seed = 0;
  bool shuffle = true;
  ProgressMode progress = ProgressMode::Auto;
  /// Data-parallel training when not null: each step, this process runs
  /// @gradient on its shard of the global batch (the rows r, r + K, ... of
  /// it, for rank r of K), the gradients, the loss, the correct predictions
  /// and the new buffers are summed over the processes (each weighted by its
  /// shard's share of the batch), and @apply_update applies the update. The
  /// parameters then equal a single process's on the same global batches, up
  /// to float rounding. Only rank 0 shows progress; every rank evaluates.
  Communicator *communicator = nullptr;
};

/// The numbers of one epoch. Accuracies are present when the loss is a
/// softmax cross-entropy; validation numbers when a validation set is given.
struct EpochStats {
  /// 1-based, counted across resumed runs.
  int64_t epoch = 0;
  double loss = 0;
  std::optional<double> accuracy;
  std::optional<double> valLoss;
  std::optional<double> valAccuracy;
  int64_t samples = 0;
  double seconds = 0;
};

/// A data set: one tensor per model input, dim 0 = samples.
using DataSet = llvm::StringMap<HostTensor>;

/// Trains: runs `options.epochs` epochs of @train_step over `data`, updating
/// `state`, and evaluates @eval_step on `validation` after each epoch when it
/// is not null. Prints one line per epoch to `out`:
///   epoch 3/20  loss 0.2345  accuracy 0.9312  val_loss 0.3100  val_accuracy 0.9000  (1234 samples/s)
/// Errors: a missing function, input, parameter or buffer; inputs that
/// disagree in their number of samples; an empty data set; errors of the
/// executor (prefixed with the epoch and step).
llvm::Expected<std::vector<EpochStats>>
train(mlir::ModuleOp module, const Executor &executor, const DataSet &data,
      const DataSet *validation, TrainingState &state,
      const TrainerOptions &options, llvm::raw_ostream &out);

/// Loss and accuracy of @eval_step over `data` in batches of `batchSize`,
/// in order.
struct Evaluation {
  double loss = 0;
  std::optional<double> accuracy;
};
llvm::Expected<Evaluation> evaluate(mlir::ModuleOp module,
                                    const Executor &executor,
                                    const DataSet &data,
                                    const TrainingState &state,
                                    int64_t batchSize);

/// Writes the optimizer state and the trainer's counters under `dir`:
/// DIR/<name without "optimizer.">.npy for each state tensor, and
/// DIR/trainer.epoch.npy, DIR/trainer.step.npy (0-d i64).
llvm::Error saveOptimizerState(llvm::StringRef dir, const TrainingState &state);

/// Reads what saveOptimizerState wrote, if `dir` exists; state tensors that
/// `module`'s @train_step expects must then all be there, with their shapes.
llvm::Error loadOptimizerState(llvm::StringRef dir, mlir::ModuleOp module,
                               TrainingState &state);

/// The CSV log: a header "epoch,loss,accuracy,val_loss,val_accuracy" and a
/// row per epoch (empty fields where a number does not apply).
void writeTrainingCsv(llvm::raw_ostream &os, llvm::ArrayRef<EpochStats> epochs);

/// The SVG plot: loss per epoch (training and validation), and accuracy per
/// epoch when there is one.
void writeTrainingPlot(llvm::raw_ostream &os, llvm::ArrayRef<EpochStats> epochs);

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_TRAINER_H
