//===- TrainCommand.cpp - adjoint-run --train -----------------------------===//

#include "adjoint/Training/TrainCommand.h"

#include "adjoint/Runtime/Npy.h"
#include "adjoint/Training/Communicator.h"
#include "adjoint/Training/TrainStep.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <memory>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;
namespace cl = llvm::cl;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Builds @train_step and @eval_step, turning the diagnostics into an error.
static llvm::Error buildSteps(ModuleOp module, const OptimizerSpec &spec) {
  std::string messages;
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      messages += (messages.empty() ? "" : "; ") + diag.str();
    return success();
  });
  if (failed(buildTrainStep(module, spec)) ||
      failed(buildApplyUpdate(module, spec)) || failed(buildEvalStep(module)))
    return makeError(messages.empty() ? "cannot build the training step"
                                      : messages);
  return llvm::Error::success();
}

/// Reads --val-input files; each must name an input of @train_step.
static llvm::Expected<DataSet>
loadValidation(ModuleOp module,
               llvm::ArrayRef<std::pair<std::string, std::string>> pairs) {
  auto step = module.lookupSymbol<func::FuncOp>(kTrainStepFuncName);
  llvm::StringSet<> inputNames;
  for (unsigned i = 0, e = step.getNumArguments(); i < e; ++i) {
    DictionaryAttr attrs = step.getArgAttrDict(i);
    auto kind = attrs ? attrs.getAs<StringAttr>("nn.kind") : StringAttr();
    auto name = attrs ? attrs.getAs<StringAttr>("nn.name") : StringAttr();
    if (kind && name && kind.getValue() == "input")
      inputNames.insert(name.getValue());
  }
  DataSet validation;
  for (const auto &[name, file] : pairs) {
    if (!inputNames.contains(name))
      return makeError("--val-input '" + name + "=" + file +
                       "': the model has no input '" + name + "'");
    if (validation.count(name))
      return makeError("--val-input '" + name + "' given twice");
    llvm::Expected<HostTensor> tensor = readNpyFile(file);
    if (!tensor)
      return tensor.takeError();
    validation[name] = std::move(*tensor);
  }
  return validation;
}

/// Writes a text file atomically.
static llvm::Error
writeTextFile(llvm::StringRef path,
              const std::function<void(llvm::raw_ostream &)> &write) {
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    write(os);
    return llvm::Error::success();
  });
}

llvm::Error adjoint::training::runTrainCommand(
    ModuleOp module, const TrainCommandOptions &options,
    llvm::StringMap<HostTensor> values, const DataSet &data,
    const ExecutorFactory &makeExecutor, llvm::raw_ostream &out) {
  llvm::Expected<OptimizerSpec> spec =
      getModuleOptimizer(module, options.optimizer);
  if (!spec)
    return spec.takeError();
  if (llvm::Error err = buildSteps(module, *spec))
    return err;

  std::optional<DataSet> validation;
  if (!options.validationInputs.empty()) {
    llvm::Expected<DataSet> loaded =
        loadValidation(module, options.validationInputs);
    if (!loaded)
      return loaded.takeError();
    validation = std::move(*loaded);
  }

  TrainingState state;
  state.values = std::move(values);
  if (!options.paramsDir.empty()) {
    llvm::SmallString<256> optimizerDir(options.paramsDir);
    llvm::sys::path::append(optimizerDir, "optimizer");
    if (llvm::Error err = loadOptimizerState(optimizerDir, module, state))
      return err;
  }

  llvm::Expected<Executor> executor = makeExecutor(module);
  if (!executor)
    return executor.takeError();
  llvm::Expected<std::vector<EpochStats>> history =
      train(module, *executor, data, validation ? &*validation : nullptr,
            state, options.trainer, out);
  if (!history)
    return history.takeError();
  // In a data-parallel job every rank holds the same parameters; rank 0
  // alone reports and writes.
  if (options.trainer.communicator &&
      options.trainer.communicator->getRank() != 0)
    return llvm::Error::success();
  if (!history->empty() && history->back().valLoss) {
    const EpochStats &last = history->back();
    out << "validation: loss " << llvm::format("%.4f", *last.valLoss);
    if (last.valAccuracy)
      out << "  accuracy " << llvm::format("%.4f", *last.valAccuracy);
    out << "\n";
    out.flush();
  }

  if (!options.logPath.empty())
    if (llvm::Error err = writeTextFile(options.logPath, [&](auto &os) {
          writeTrainingCsv(os, *history);
        }))
      return err;
  if (!options.plotPath.empty())
    if (llvm::Error err = writeTextFile(options.plotPath, [&](auto &os) {
          writeTrainingPlot(os, *history);
        }))
      return err;
  if (!options.saveParamsDir.empty()) {
    NpyWriteOptions writeOptions;
    writeOptions.createParentDirectories = true;
    for (const auto &entry : state.values) {
      llvm::SmallString<256> path(options.saveParamsDir);
      llvm::sys::path::append(path, entry.getKey() + ".npy");
      if (llvm::Error err =
              writeNpyFile(path, entry.getValue(), writeOptions))
        return err;
    }
    llvm::SmallString<256> optimizerDir(options.saveParamsDir);
    llvm::sys::path::append(optimizerDir, "optimizer");
    if (llvm::Error err = saveOptimizerState(optimizerDir, state))
      return err;
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Command-line options
//===----------------------------------------------------------------------===//

namespace {
struct TrainCLOptions {
  explicit TrainCLOptions(cl::OptionCategory &cat)
      : train("train",
              cl::desc("Train on the inputs, which hold the whole data set "
                       "(dim 0 = samples)"),
              cl::cat(cat)),
        epochs("epochs", cl::init(1), cl::value_desc("E"),
               cl::desc("With --train: the number of epochs (default 1)"),
               cl::cat(cat)),
        batchSize("batch-size", cl::init(32), cl::value_desc("B"),
                  cl::desc("With --train: samples per step (default 32); the "
                           "last batch of an epoch may be smaller"),
                  cl::cat(cat)),
        noShuffle("no-shuffle",
                  cl::desc("With --train: take the minibatches in order"),
                  cl::cat(cat)),
        optimizer("optimizer", cl::value_desc("SPEC"),
                  cl::desc("With --train: the update rule, e.g. "
                           "'sgd(lr=0.1, momentum=0.9)' or 'adam(lr=0.001)'; "
                           "overrides the model's"),
                  cl::cat(cat)),
        valInputs("val-input", cl::value_desc("NAME=FILE.npy"),
                  cl::desc("With --train: held-out data for an input, "
                           "evaluated after each epoch (repeat for each)"),
                  cl::cat(cat)),
        logPath("log", cl::value_desc("FILE.csv"),
                cl::desc("With --train: write the loss and accuracy of each "
                         "epoch as CSV"),
                cl::cat(cat)),
        plotPath("plot", cl::value_desc("FILE.svg"),
                 cl::desc("With --train: plot loss and accuracy per epoch as "
                          "SVG"),
                 cl::cat(cat)) {}

  cl::opt<bool> train;
  cl::opt<unsigned> epochs;
  cl::opt<unsigned> batchSize;
  cl::opt<bool> noShuffle;
  cl::opt<std::string> optimizer;
  cl::list<std::string> valInputs;
  cl::opt<std::string> logPath;
  cl::opt<std::string> plotPath;
};

std::unique_ptr<TrainCLOptions> &getCLOptions() {
  static std::unique_ptr<TrainCLOptions> options;
  return options;
}
} // namespace

void adjoint::training::registerTrainCLOptions(cl::OptionCategory &category) {
  if (!getCLOptions())
    getCLOptions() = std::make_unique<TrainCLOptions>(category);
}

bool adjoint::training::isTrainRequested() {
  return getCLOptions() && getCLOptions()->train;
}

llvm::Expected<TrainCommandOptions> adjoint::training::getTrainCLOptions() {
  TrainCommandOptions result;
  TrainCLOptions *opts = getCLOptions().get();
  if (!opts)
    return result;
  if (!opts->train) {
    cl::Option *trainingOnly[] = {&opts->epochs,   &opts->batchSize,
                                  &opts->noShuffle, &opts->optimizer,
                                  std::addressof(opts->valInputs), &opts->logPath,
                                  &opts->plotPath};
    for (cl::Option *opt : trainingOnly)
      if (opt->getNumOccurrences())
        return makeError("--" + opt->ArgStr + " needs --train");
    return result;
  }
  if (opts->batchSize == 0)
    return makeError("--batch-size must be positive");
  result.trainer.epochs = opts->epochs;
  result.trainer.batchSize = opts->batchSize;
  result.trainer.shuffle = !opts->noShuffle;
  result.optimizer = opts->optimizer;
  result.logPath = opts->logPath;
  result.plotPath = opts->plotPath;
  for (const std::string &text : opts->valInputs) {
    auto [name, file] = llvm::StringRef(text).split('=');
    if (name.empty() || file.empty())
      return makeError("--val-input '" + text + "': expected NAME=FILE.npy");
    result.validationInputs.emplace_back(name.str(), file.str());
  }
  return result;
}
