//===- TrainingFiles.cpp - Optimizer state, CSV log and plot files --------===//

#include "adjoint/Training/Trainer.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Runtime/Npy.h"
#include "adjoint/Training/SvgPlot.h"
#include "adjoint/Training/TrainStep.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;

static constexpr llvm::StringLiteral kEpochFile = "trainer.epoch.npy";
static constexpr llvm::StringLiteral kStepFile = "trainer.step.npy";

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// DIR/<name without the "optimizer." prefix>.npy
static std::string getStatePath(StringRef dir, StringRef name) {
  llvm::SmallString<256> path(dir);
  StringRef shortName = name;
  shortName.consume_front(kStatePrefix);
  llvm::sys::path::append(path, shortName + ".npy");
  return path.str().str();
}

llvm::Error adjoint::training::saveOptimizerState(StringRef dir,
                                                  const TrainingState &state) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return makeError(dir + ": cannot create the directory: " + ec.message());
  for (const auto &entry : state.optimizer)
    if (llvm::Error err =
            writeNpyFile(getStatePath(dir, entry.getKey()), entry.getValue()))
      return err;
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, kEpochFile);
  if (llvm::Error err = writeNpyFile(
          path, HostTensor::fromValues<int64_t>({}, {state.epochsDone})))
    return err;
  path = dir;
  llvm::sys::path::append(path, kStepFile);
  return writeNpyFile(path,
                      HostTensor::fromValues<int64_t>({}, {state.stepsDone}));
}

/// Reads a 0-d i64 counter file if it exists.
static llvm::Error readCounter(StringRef dir, StringRef file, int64_t &value) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, file);
  if (!llvm::sys::fs::exists(path))
    return llvm::Error::success();
  llvm::Expected<HostTensor> t = readNpyFile(path);
  if (!t)
    return t.takeError();
  if (t->getDType() != DType::I64 || t->getRank() != 0 ||
      t->getValues<int64_t>()[0] < 0)
    return makeError(path + ": expected a non-negative 0-d int64 counter");
  value = t->getValues<int64_t>()[0];
  return llvm::Error::success();
}

llvm::Error adjoint::training::loadOptimizerState(StringRef dir,
                                                  ModuleOp module,
                                                  TrainingState &state) {
  if (!llvm::sys::fs::is_directory(dir))
    return llvm::Error::success();
  auto step = module.lookupSymbol<func::FuncOp>(kTrainStepFuncName);
  if (!step)
    return makeError("the module has no @train_step");
  // The state that @train_step expects: all of it, or none (a directory
  // saved by another optimizer) must be there.
  SmallVector<std::pair<std::string, RankedTensorType>> expected;
  for (unsigned i = 0, e = step.getNumArguments(); i < e; ++i) {
    DictionaryAttr attrs = step.getArgAttrDict(i);
    auto kind = attrs ? attrs.getAs<StringAttr>(nn::NNDialect::kKindAttr)
                      : StringAttr();
    auto name = attrs ? attrs.getAs<StringAttr>(nn::NNDialect::kNameAttr)
                      : StringAttr();
    if (kind && name && kind.getValue() == kStateKind)
      expected.push_back({name.getValue().str(),
                          llvm::cast<RankedTensorType>(
                              step.getArgumentTypes()[i])});
  }
  SmallVector<std::string> missing;
  for (const auto &[name, type] : expected)
    if (!llvm::sys::fs::exists(getStatePath(dir, name)))
      missing.push_back(getStatePath(dir, name));
  if (!missing.empty() && missing.size() != expected.size())
    return makeError(missing.front() +
                     ": missing (the optimizer state in " + dir +
                     " is incomplete)");
  if (missing.empty()) {
    for (const auto &[name, type] : expected) {
      std::string path = getStatePath(dir, name);
      llvm::Expected<HostTensor> t = readNpyFile(path);
      if (!t)
        return t.takeError();
      if (t->getShape() != type.getShape() || t->getDType() != DType::F32)
        return makeError(path + ": " + getDTypeName(t->getDType()) +
                         formatShape(t->getShape()) +
                         " does not match optimizer state '" + name +
                         "' of type f32" + formatShape(type.getShape()));
      state.optimizer[name] = std::move(*t);
    }
  }
  if (llvm::Error err = readCounter(dir, kEpochFile, state.epochsDone))
    return err;
  return readCounter(dir, kStepFile, state.stepsDone);
}

/// A number for the CSV log: enough digits to tell runs apart.
static void writeCsvNumber(llvm::raw_ostream &os, std::optional<double> v) {
  if (v)
    os << llvm::format("%.8g", *v);
}

void adjoint::training::writeTrainingCsv(llvm::raw_ostream &os,
                                         ArrayRef<EpochStats> epochs) {
  os << "epoch,loss,accuracy,val_loss,val_accuracy\n";
  for (const EpochStats &s : epochs) {
    os << s.epoch << ",";
    writeCsvNumber(os, s.loss);
    os << ",";
    writeCsvNumber(os, s.accuracy);
    os << ",";
    writeCsvNumber(os, s.valLoss);
    os << ",";
    writeCsvNumber(os, s.valAccuracy);
    os << "\n";
  }
}

void adjoint::training::writeTrainingPlot(llvm::raw_ostream &os,
                                          ArrayRef<EpochStats> epochs) {
  auto series = [&](StringRef name, StringRef color, bool dashed,
                    auto getter) {
    PlotSeries s{name.str(), color.str(), dashed, {}};
    for (const EpochStats &e : epochs)
      if (std::optional<double> v = getter(e))
        s.points.push_back({double(e.epoch), *v});
    return s;
  };
  PlotPanel loss{"Loss", "epoch", "loss", true, {}};
  loss.series.push_back(series("training", "#1f77b4", false,
                               [](const EpochStats &e) {
                                 return std::optional<double>(e.loss);
                               }));
  bool hasVal = llvm::any_of(epochs, [](auto &e) { return e.valLoss; });
  if (hasVal)
    loss.series.push_back(series("validation", "#ff7f0e", true,
                                 [](const EpochStats &e) { return e.valLoss; }));
  std::vector<PlotPanel> panels{loss};
  if (llvm::any_of(epochs, [](auto &e) { return e.accuracy; })) {
    PlotPanel acc{"Accuracy", "epoch", "accuracy", true, {}};
    acc.series.push_back(series("training", "#1f77b4", false,
                                [](const EpochStats &e) { return e.accuracy; }));
    if (llvm::any_of(epochs, [](auto &e) { return e.valAccuracy; }))
      acc.series.push_back(
          series("validation", "#ff7f0e", true,
                 [](const EpochStats &e) { return e.valAccuracy; }));
    panels.push_back(acc);
  }
  writeSvgPlot(os, panels);
}
