//===- Trainer.cpp - The training loop ------------------------------------===//

#include "adjoint/Training/Trainer.h"

#include "Progress.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Training/Batching.h"
#include "adjoint/Training/Communicator.h"
#include "adjoint/Training/TrainStep.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"

#include <chrono>
#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;

namespace {

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// One argument or result of a function, as the trainer sees it.
struct Slot {
  std::string kind;
  std::string name;
  RankedTensorType type;
};

/// The signature of @train_step or @eval_step.
struct FunctionInfo {
  std::string name;
  std::vector<Slot> args;
  std::vector<Slot> results;
  int64_t lossResult = -1;
  std::optional<int64_t> logitsResult;
  std::optional<int64_t> labelsArg;
};

std::string getString(DictionaryAttr attrs, StringRef key) {
  if (attrs)
    if (auto str = attrs.getAs<StringAttr>(key))
      return str.getValue().str();
  return "";
}

llvm::Expected<FunctionInfo> getFunctionInfo(ModuleOp module, StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    return makeError("the module has no @" + name +
                     " (the nn-train-step pass builds it)");
  FunctionInfo info;
  info.name = name.str();
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    DictionaryAttr attrs = func.getArgAttrDict(i);
    info.args.push_back({getString(attrs, nn::NNDialect::kKindAttr),
                         getString(attrs, nn::NNDialect::kNameAttr),
                         llvm::dyn_cast<RankedTensorType>(
                             func.getArgumentTypes()[i])});
  }
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    DictionaryAttr attrs = func.getResultAttrDict(i);
    info.results.push_back({getString(attrs, nn::NNDialect::kKindAttr),
                            getString(attrs, nn::NNDialect::kNameAttr),
                            llvm::dyn_cast<RankedTensorType>(
                                func.getResultTypes()[i])});
    if (info.results.back().kind == "loss")
      info.lossResult = i;
  }
  if (info.lossResult < 0)
    return makeError("@" + name + " returns no loss");
  if (auto acc = func->getAttrOfType<DictionaryAttr>(kAccuracyAttrName)) {
    auto logits = acc.getAs<IntegerAttr>("logits");
    auto labels = acc.getAs<IntegerAttr>("labels");
    if (logits && labels) {
      info.logitsResult = logits.getInt();
      info.labelsArg = labels.getInt();
    }
  }
  return info;
}

std::optional<DType> getDType(RankedTensorType type) {
  if (!type)
    return std::nullopt;
  Type et = type.getElementType();
  if (et.isF32())
    return DType::F32;
  if (et.isF64())
    return DType::F64;
  if (et.isInteger(64) || et.isIndex())
    return DType::I64;
  if (et.isInteger(32))
    return DType::I32;
  return std::nullopt;
}

/// A zero tensor for a state argument (which has a static shape).
llvm::Expected<HostTensor> makeZeroState(const Slot &slot) {
  std::optional<DType> dtype = getDType(slot.type);
  if (!dtype || !slot.type.hasStaticShape())
    return makeError("optimizer state '" + slot.name +
                     "' needs a static shape and a number type");
  return HostTensor(*dtype, slot.type.getShape());
}

/// The number of samples of the inputs of `info` in `data`, checking that
/// every input is there with the right dtype and that they agree.
llvm::Expected<int64_t> getNumSamples(const FunctionInfo &info,
                                      const DataSet &data,
                                      StringRef dataName) {
  int64_t n = -1;
  std::string first;
  for (const Slot &arg : info.args) {
    if (arg.kind != "input")
      continue;
    auto it = data.find(arg.name);
    if (it == data.end())
      return makeError("no " + dataName + " for input '" + arg.name + "'");
    const HostTensor &t = it->second;
    if (t.getRank() == 0)
      return makeError(dataName + " for input '" + arg.name +
                       "' is 0-d; dim 0 must count the samples");
    std::optional<DType> dtype = getDType(arg.type);
    if (dtype && *dtype != t.getDType())
      return makeError(dataName + " for input '" + arg.name + "' is " +
                       getDTypeName(t.getDType()) + ", the model expects " +
                       getDTypeName(*dtype));
    if (n < 0) {
      n = t.getShape()[0];
      first = arg.name;
    } else if (t.getShape()[0] != n) {
      return makeError(dataName + " inputs disagree in their number of "
                       "samples: '" + first + "' has " + llvm::Twine(n) +
                       ", '" + arg.name + "' has " +
                       llvm::Twine(t.getShape()[0]));
    }
  }
  if (n < 0)
    return makeError("the model has no inputs to train on");
  if (n == 0)
    return makeError("the " + dataName + " has no samples");
  return n;
}

/// The arguments of one call of `info` on the rows `rows` of `data`. Params
/// and buffers are copied from `state` (they stay valid if the call fails).
llvm::Expected<SmallVector<HostTensor>>
makeArguments(const FunctionInfo &info, const DataSet &data,
              ArrayRef<int64_t> rows, const TrainingState &state,
              int64_t stepSeed) {
  SmallVector<HostTensor> args;
  for (const Slot &arg : info.args) {
    if (arg.kind == "input") {
      args.push_back(gatherRows(data.find(arg.name)->second, rows));
    } else if (arg.kind == "param" || arg.kind == "buffer") {
      auto it = state.values.find(arg.name);
      if (it == state.values.end())
        return makeError("no value for " +
                         llvm::Twine(arg.kind == "param" ? "parameter"
                                                         : "buffer") +
                         " '" + arg.name + "'");
      args.push_back(it->second);
    } else if (arg.kind == "seed") {
      args.push_back(HostTensor::fromValues<int64_t>({}, {stepSeed}));
    } else if (arg.kind == kStateKind) {
      auto it = state.optimizer.find(arg.name);
      if (it != state.optimizer.end()) {
        args.push_back(it->second);
        continue;
      }
      llvm::Expected<HostTensor> zero = makeZeroState(arg);
      if (!zero)
        return zero.takeError();
      args.push_back(std::move(*zero));
    } else {
      return makeError("argument '" + arg.name + "' of @" + info.name +
                       " has unknown kind '" + arg.kind + "'");
    }
  }
  return args;
}

double getScalar(const HostTensor &t) { return t.getElementAsDouble(0); }

/// Prints an epoch's line.
void printEpoch(llvm::raw_ostream &out, const EpochStats &s, int64_t epochs) {
  out << "epoch " << s.epoch << "/" << epochs << "  loss "
      << llvm::format("%.4f", s.loss);
  if (s.accuracy)
    out << "  accuracy " << llvm::format("%.4f", *s.accuracy);
  if (s.valLoss)
    out << "  val_loss " << llvm::format("%.4f", *s.valLoss);
  if (s.valAccuracy)
    out << "  val_accuracy " << llvm::format("%.4f", *s.valAccuracy);
  double rate = s.seconds > 0 ? double(s.samples) / s.seconds : 0;
  out << "  (" << llvm::format("%.0f", rate) << " samples/s)\n";
  out.flush();
}

/// What one training step reports to the epoch's statistics.
struct StepOutcome {
  /// The mean loss of the global batch.
  double loss = 0;
  /// Correct predictions in the global batch.
  int64_t correct = 0;
};

/// A data-parallel step: @gradient on this process's shard, a weighted sum
/// of gradients, loss, correct predictions and new buffers over the
/// processes, then @apply_update.
class DataParallelStep {
public:
  static llvm::Expected<DataParallelStep> create(ModuleOp module,
                                                 Communicator &comm) {
    llvm::Expected<FunctionInfo> gradient =
        getFunctionInfo(module, kGradientFuncName);
    if (!gradient)
      return gradient.takeError();
    auto update = module.lookupSymbol<func::FuncOp>(kApplyUpdateFuncName);
    if (!update)
      return makeError("data-parallel training needs @" +
                       kApplyUpdateFuncName + " (the nn-train-step pass "
                       "builds it)");
    // Accuracy: @train_step knows the logits and labels of the loss; the
    // labels are the same argument of @gradient, the logits the output of
    // the same name.
    if (auto stepFunc = module.lookupSymbol<func::FuncOp>(kTrainStepFuncName))
      if (llvm::Expected<FunctionInfo> stepInfo =
              getFunctionInfo(module, kTrainStepFuncName)) {
        if (stepInfo->logitsResult) {
          const Slot &logits = stepInfo->results[*stepInfo->logitsResult];
          for (auto [j, slot] : llvm::enumerate(gradient->results))
            if (slot.kind == logits.kind && slot.name == logits.name)
              gradient->logitsResult = j;
          if (gradient->logitsResult)
            gradient->labelsArg = stepInfo->labelsArg;
        }
      } else {
        llvm::consumeError(stepInfo.takeError());
      }
    DataParallelStep step(comm, std::move(*gradient));
    for (unsigned i = 0, e = update.getNumArguments(); i < e; ++i) {
      DictionaryAttr attrs = update.getArgAttrDict(i);
      step.updateArgs.push_back(
          {getString(attrs, nn::NNDialect::kKindAttr),
           getString(attrs, nn::NNDialect::kNameAttr),
           llvm::dyn_cast<RankedTensorType>(update.getArgumentTypes()[i])});
    }
    for (unsigned i = 0, e = update.getNumResults(); i < e; ++i) {
      DictionaryAttr attrs = update.getResultAttrDict(i);
      step.updateResults.push_back(
          {getString(attrs, nn::NNDialect::kKindAttr),
           getString(attrs, nn::NNDialect::kNameAttr),
           llvm::dyn_cast<RankedTensorType>(update.getResultTypes()[i])});
    }
    return step;
  }

  const FunctionInfo &getGradientInfo() const { return gradient; }

  llvm::Expected<StepOutcome> run(const Executor &executor,
                                  const DataSet &data,
                                  ArrayRef<int64_t> batch,
                                  TrainingState &state, int64_t stepSeed) {
    const int rank = comm.getRank(), size = comm.getSize();
    SmallVector<int64_t> shard;
    for (size_t i = rank; i < batch.size(); i += size)
      shard.push_back(batch[i]);
    const double weight = double(shard.size()) / double(batch.size());

    // The values to sum: loss, correct, then the gradients of the
    // parameters and the new buffers, in @gradient's result order.
    SmallVector<int64_t> summed; // result indices
    for (auto [j, slot] : llvm::enumerate(gradient.results))
      if ((slot.kind == "grad" && state.values.count(
                                      StringRef(slot.name).drop_front(5))) ||
          slot.kind == "buffer")
        summed.push_back(j);
    SmallVector<HostTensor> results;
    std::vector<double> values(2, 0.0);
    if (!shard.empty()) {
      llvm::Expected<SmallVector<HostTensor>> args =
          makeArguments(gradient, data, shard, state, stepSeed);
      if (!args)
        return args.takeError();
      auto out = executor(gradient.name, *args);
      if (!out)
        return out.takeError();
      results = std::move(*out);
      values[0] = getScalar(results[gradient.lossResult]) * weight;
      if (gradient.logitsResult)
        values[1] = double(countCorrect(results[*gradient.logitsResult],
                                        (*args)[*gradient.labelsArg]));
    }
    for (int64_t j : summed) {
      const Slot &slot = gradient.results[j];
      if (!slot.type || !slot.type.hasStaticShape())
        return makeError("data-parallel training: '" + slot.name +
                         "' needs a static shape");
      int64_t count = slot.type.getNumElements();
      if (shard.empty()) {
        values.insert(values.end(), count, 0.0);
        continue;
      }
      const HostTensor &t = results[j];
      for (int64_t k = 0; k < count; ++k)
        values.push_back(t.getElementAsDouble(k) * weight);
    }
    if (llvm::Error err = comm.allreduceSum(values))
      return std::move(err);

    // Unpack: the summed gradients go to @apply_update, the buffers to the
    // state.
    llvm::StringMap<HostTensor> grads;
    size_t offset = 2;
    for (int64_t j : summed) {
      const Slot &slot = gradient.results[j];
      std::optional<DType> dtype = getDType(slot.type);
      if (!dtype)
        return makeError("'" + slot.name + "' has an unsupported type");
      HostTensor sum(DType::F64, slot.type.getShape());
      llvm::MutableArrayRef<double> elements = sum.getMutableValues<double>();
      std::copy_n(values.begin() + offset, elements.size(), elements.begin());
      offset += elements.size();
      HostTensor t = sum.convertTo(*dtype);
      if (slot.kind == "buffer")
        state.values[slot.name] = std::move(t);
      else
        grads[slot.name] = std::move(t);
    }

    SmallVector<HostTensor> updateArgs;
    for (const Slot &arg : this->updateArgs) {
      llvm::StringMap<HostTensor> *from = arg.kind == "param" ? &state.values
                                          : arg.kind == "grad" ? &grads
                                                               : &state.optimizer;
      auto it = from->find(arg.name);
      if (it != from->end()) {
        updateArgs.push_back(it->second);
        continue;
      }
      if (arg.kind != kStateKind)
        return makeError("no value for '" + arg.name + "' of @" +
                         kApplyUpdateFuncName);
      llvm::Expected<HostTensor> zero = makeZeroState(arg);
      if (!zero)
        return zero.takeError();
      updateArgs.push_back(std::move(*zero));
    }
    auto updated = executor(kApplyUpdateFuncName, updateArgs);
    if (!updated)
      return updated.takeError();
    for (auto [slot, value] : llvm::zip(updateResults, *updated)) {
      if (slot.kind == "param")
        state.values[slot.name] = std::move(value);
      else if (slot.kind == kStateKind)
        state.optimizer[slot.name] = std::move(value);
    }
    StepOutcome outcome;
    outcome.loss = values[0];
    outcome.correct = static_cast<int64_t>(std::llround(values[1]));
    return outcome;
  }

private:
  DataParallelStep(Communicator &comm, FunctionInfo gradient)
      : comm(comm), gradient(std::move(gradient)) {}

  Communicator &comm;
  FunctionInfo gradient;
  std::vector<Slot> updateArgs, updateResults;
};

} // namespace

llvm::Expected<Evaluation>
adjoint::training::evaluate(ModuleOp module, const Executor &executor,
                            const DataSet &data, const TrainingState &state,
                            int64_t batchSize) {
  llvm::Expected<FunctionInfo> info =
      getFunctionInfo(module, kEvalStepFuncName);
  if (!info)
    return info.takeError();
  llvm::Expected<int64_t> n = getNumSamples(*info, data, "validation data");
  if (!n)
    return n.takeError();
  double lossSum = 0;
  int64_t correct = 0;
  std::vector<int64_t> order = getEpochOrder(*n, 0, 0, /*shuffle=*/false);
  for (int64_t begin = 0; begin < *n; begin += batchSize) {
    ArrayRef<int64_t> rows =
        ArrayRef<int64_t>(order).slice(begin, std::min(batchSize, *n - begin));
    llvm::Expected<SmallVector<HostTensor>> args =
        makeArguments(*info, data, rows, state, 0);
    if (!args)
      return args.takeError();
    auto results = executor(info->name, *args);
    if (!results)
      return makeError("validation: " + llvm::toString(results.takeError()));
    lossSum += getScalar((*results)[info->lossResult]) * double(rows.size());
    if (info->logitsResult)
      correct += countCorrect((*results)[*info->logitsResult],
                              (*args)[*info->labelsArg]);
  }
  Evaluation result;
  result.loss = lossSum / double(*n);
  if (info->logitsResult)
    result.accuracy = double(correct) / double(*n);
  return result;
}

llvm::Expected<std::vector<EpochStats>>
adjoint::training::train(ModuleOp module, const Executor &executor,
                         const DataSet &data, const DataSet *validation,
                         TrainingState &state, const TrainerOptions &options,
                         llvm::raw_ostream &out) {
  if (options.epochs < 0)
    return makeError("the number of epochs must not be negative");
  if (options.batchSize <= 0)
    return makeError("the batch size must be positive");
  std::optional<DataParallelStep> dataParallel;
  if (options.communicator) {
    llvm::Expected<DataParallelStep> created =
        DataParallelStep::create(module, *options.communicator);
    if (!created)
      return created.takeError();
    dataParallel.emplace(std::move(*created));
  }
  llvm::Expected<FunctionInfo> info =
      dataParallel ? dataParallel->getGradientInfo()
                   : getFunctionInfo(module, kTrainStepFuncName);
  if (!info)
    return info.takeError();
  llvm::Expected<int64_t> numSamples = getNumSamples(*info, data, "data");
  if (!numSamples)
    return numSamples.takeError();
  if (validation) {
    if (!module.lookupSymbol<func::FuncOp>(kEvalStepFuncName))
      return makeError("validation needs @eval_step, which the model lacks "
                       "(it has no loss in @forward)");
  }
  const int64_t n = *numSamples;
  const int64_t stepsPerEpoch = getNumBatches(n, options.batchSize);
  const int64_t lastEpoch = state.epochsDone + options.epochs;

  bool isRankZero =
      !options.communicator || options.communicator->getRank() == 0;
  bool showBar = isRankZero &&
                 (options.progress == ProgressMode::Bar ||
                  (options.progress == ProgressMode::Auto &&
                   llvm::sys::Process::StandardErrIsDisplayed()));
  ProgressBar bar(llvm::errs(), showBar, stepsPerEpoch * options.epochs);
  std::vector<EpochStats> history;
  int64_t samplesDone = 0;

  for (int64_t e = 0; e < options.epochs; ++e) {
    auto epochStart = std::chrono::steady_clock::now();
    EpochStats stats;
    stats.epoch = state.epochsDone + 1;
    std::vector<int64_t> order =
        getEpochOrder(n, options.seed, state.epochsDone, options.shuffle);
    double lossSum = 0;
    int64_t correct = 0;
    for (int64_t step = 0; step < stepsPerEpoch; ++step) {
      int64_t begin = step * options.batchSize;
      ArrayRef<int64_t> rows = ArrayRef<int64_t>(order).slice(
          begin, std::min(options.batchSize, n - begin));
      int64_t stepSeed = getStepSeed(options.seed, state.stepsDone);
      if (dataParallel) {
        llvm::Expected<StepOutcome> outcome =
            dataParallel->run(executor, data, rows, state, stepSeed);
        if (!outcome) {
          bar.clear();
          return makeError("epoch " + llvm::Twine(stats.epoch) + ", step " +
                           llvm::Twine(step + 1) + ": " +
                           llvm::toString(outcome.takeError()));
        }
        lossSum += outcome->loss * double(rows.size());
        correct += outcome->correct;
        ++state.stepsDone;
        samplesDone += int64_t(rows.size());
        bar.update(stats.epoch, lastEpoch, step + 1, stepsPerEpoch,
                   lossSum / double(begin + rows.size()), samplesDone);
        continue;
      }
      llvm::Expected<SmallVector<HostTensor>> args =
          makeArguments(*info, data, rows, state, stepSeed);
      if (!args)
        return args.takeError();
      auto results = executor(info->name, *args);
      if (!results) {
        bar.clear();
        return makeError("epoch " + llvm::Twine(stats.epoch) + ", step " +
                         llvm::Twine(step + 1) + ": " +
                         llvm::toString(results.takeError()));
      }
      if (results->size() != info->results.size())
        return makeError("@train_step returned " +
                         llvm::Twine(results->size()) + " values, expected " +
                         llvm::Twine(info->results.size()));
      double loss = getScalar((*results)[info->lossResult]);
      lossSum += loss * double(rows.size());
      if (info->logitsResult)
        correct += countCorrect((*results)[*info->logitsResult],
                                (*args)[*info->labelsArg]);
      for (auto [slot, value] : llvm::zip(info->results, *results)) {
        if (slot.kind == "param" || slot.kind == "buffer")
          state.values[slot.name] = std::move(value);
        else if (slot.kind == kStateKind)
          state.optimizer[slot.name] = std::move(value);
      }
      ++state.stepsDone;
      samplesDone += int64_t(rows.size());
      bar.update(stats.epoch, lastEpoch, step + 1, stepsPerEpoch,
                 lossSum / double(begin + rows.size()), samplesDone);
    }
    stats.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - epochStart)
                        .count();
    stats.samples = n;
    stats.loss = lossSum / double(n);
    if (info->logitsResult)
      stats.accuracy = double(correct) / double(n);
    ++state.epochsDone;
    if (validation) {
      llvm::Expected<Evaluation> val =
          evaluate(module, executor, *validation, state, options.batchSize);
      if (!val) {
        bar.clear();
        return val.takeError();
      }
      stats.valLoss = val->loss;
      stats.valAccuracy = val->accuracy;
    }
    bar.clear();
    if (isRankZero)
      printEpoch(out, stats, lastEpoch);
    history.push_back(stats);
  }
  return history;
}
