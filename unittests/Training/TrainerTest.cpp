//===- TrainerTest.cpp - Tests of the training loop -----------------------===//
//
// Trains a softmax regression (hand-written @gradient) with the interpreter
// as the executor and compares the parameters with a reference written here
// in double precision, following torch.optim's update rules step by step.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Training/Trainer.h"

#include "TestModel.h"

#include "adjoint/InitAll.h"
#include "adjoint/Interpreter/Interpreter.h"
#include "adjoint/Runtime/Npy.h"
#include "adjoint/Training/Batching.h"
#include "adjoint/Training/OptimizerSpec.h"
#include "adjoint/Training/TrainStep.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;

using namespace adjoint::training::testmodel;

namespace {


constexpr int64_t kSamples = 10, kFeatures = 4, kClasses = 3;

class TrainerTest : public ::testing::Test {
protected:
  void SetUp() override {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    module = parseSourceString<ModuleOp>(kSoftmaxRegression, &context);
    ASSERT_TRUE(module);

    // A small data set: x in [-1, 1], labels from a fixed rule.
    std::vector<float> x(kSamples * kFeatures);
    std::vector<int64_t> labels(kSamples);
    for (int64_t i = 0; i < kSamples; ++i) {
      for (int64_t j = 0; j < kFeatures; ++j)
        x[i * kFeatures + j] = std::sin(float(1 + i * kFeatures + j));
      labels[i] = (i * 7) % kClasses;
    }
    data["x"] = HostTensor::fromValues<float>({kSamples, kFeatures}, x);
    data["label"] = HostTensor::fromValues<int64_t>({kSamples}, labels);
    std::vector<float> w(kClasses * kFeatures), b(kClasses);
    for (size_t i = 0; i < w.size(); ++i)
      w[i] = 0.3f * std::cos(float(i));
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = 0.1f * float(i);
    initial.values["h.weight"] =
        HostTensor::fromValues<float>({kClasses, kFeatures}, w);
    initial.values["h.bias"] = HostTensor::fromValues<float>({kClasses}, b);

    executor = [this](llvm::StringRef name, llvm::ArrayRef<HostTensor> args)
        -> llvm::Expected<llvm::SmallVector<HostTensor>> {
      ++calls[name.str()];
      return interp::evaluate(module->lookupSymbol<func::FuncOp>(name), args);
    };
  }

  void build(llvm::StringRef optimizer) {
    llvm::Expected<OptimizerSpec> spec = parseOptimizerSpec(optimizer);
    ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    ASSERT_TRUE(succeeded(buildTrainStep(*module, *spec)));
    ASSERT_TRUE(succeeded(buildEvalStep(*module)));
  }

  llvm::Expected<std::vector<EpochStats>>
  run(TrainingState &state, int64_t epochs, int64_t batchSize, bool shuffle,
      const DataSet *validation = nullptr, std::string *log = nullptr) {
    TrainerOptions options;
    options.epochs = epochs;
    options.batchSize = batchSize;
    options.seed = 11;
    options.shuffle = shuffle;
    options.progress = ProgressMode::Lines;
    std::string text;
    llvm::raw_string_ostream out(text);
    auto result = train(*module, executor, data, validation, state, options, out);
    if (log)
      *log = text;
    return result;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  DataSet data;
  TrainingState initial;
  Executor executor;
  std::map<std::string, int> calls;
};

/// The reference: the same model and updates in double precision.
struct Reference {
  std::vector<double> w, b;
  std::vector<double> mw, mb, vw, vb;
  double t = 0;
  std::vector<double> losses;

  explicit Reference(const TrainingState &s) {
    for (float v : s.values.find("h.weight")->second.getValues<float>())
      w.push_back(v);
    for (float v : s.values.find("h.bias")->second.getValues<float>())
      b.push_back(v);
    mw.assign(w.size(), 0);
    vw.assign(w.size(), 0);
    mb.assign(b.size(), 0);
    vb.assign(b.size(), 0);
  }

  /// Gradients and loss on the rows `rows`.
  double gradient(const DataSet &data, llvm::ArrayRef<int64_t> rows,
                  std::vector<double> &gw, std::vector<double> &gb) {
    auto x = data.find("x")->second.getValues<float>();
    auto label = data.find("label")->second.getValues<int64_t>();
    gw.assign(w.size(), 0);
    gb.assign(b.size(), 0);
    double loss = 0, n = double(rows.size());
    for (int64_t r : rows) {
      double logits[kClasses], maxLogit = -1e300, sum = 0;
      for (int64_t c = 0; c < kClasses; ++c) {
        logits[c] = b[c];
        for (int64_t j = 0; j < kFeatures; ++j)
          logits[c] += w[c * kFeatures + j] * x[r * kFeatures + j];
        maxLogit = std::max(maxLogit, logits[c]);
      }
      for (int64_t c = 0; c < kClasses; ++c)
        sum += std::exp(logits[c] - maxLogit);
      loss += (std::log(sum) + maxLogit - logits[label[r]]) / n;
      for (int64_t c = 0; c < kClasses; ++c) {
        double d = (std::exp(logits[c] - maxLogit) / sum -
                    (c == label[r] ? 1 : 0)) / n;
        gb[c] += d;
        for (int64_t j = 0; j < kFeatures; ++j)
          gw[c * kFeatures + j] += d * x[r * kFeatures + j];
      }
    }
    return loss;
  }

  void sgd(const DataSet &data, llvm::ArrayRef<int64_t> rows,
           const OptimizerSpec &spec) {
    std::vector<double> gw, gb;
    losses.push_back(gradient(data, rows, gw, gb));
    auto update = [&](std::vector<double> &p, std::vector<double> &g,
                      std::vector<double> &buf) {
      for (size_t i = 0; i < p.size(); ++i) {
        double gi = g[i] + spec.weightDecay * p[i];
        buf[i] = spec.momentum * buf[i] + gi;
        p[i] -= spec.lr * (spec.momentum != 0 ? buf[i] : gi);
      }
    };
    update(w, gw, mw);
    update(b, gb, mb);
  }

  void adam(const DataSet &data, llvm::ArrayRef<int64_t> rows,
            const OptimizerSpec &spec) {
    std::vector<double> gw, gb;
    losses.push_back(gradient(data, rows, gw, gb));
    t += 1;
    double bc1 = 1 - std::pow(spec.beta1, t), bc2 = 1 - std::pow(spec.beta2, t);
    auto update = [&](std::vector<double> &p, std::vector<double> &g,
                      std::vector<double> &m, std::vector<double> &v) {
      for (size_t i = 0; i < p.size(); ++i) {
        double gi = g[i] + spec.weightDecay * p[i];
        m[i] = spec.beta1 * m[i] + (1 - spec.beta1) * gi;
        v[i] = spec.beta2 * v[i] + (1 - spec.beta2) * gi * gi;
        p[i] -= spec.lr / bc1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bc2) + spec.eps);
      }
    };
    update(w, gw, mw, vw);
    update(b, gb, mb, vb);
  }
};

void expectNear(const HostTensor &actual, const std::vector<double> &expected,
                double tolerance, llvm::StringRef what) {
  auto values = actual.getValues<float>();
  ASSERT_EQ(values.size(), expected.size()) << what.str();
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_NEAR(values[i], expected[i], tolerance * (1 + std::fabs(expected[i])))
        << what.str() << "[" << i << "]";
}

/// Runs the reference over `epochs` epochs with the trainer's batching.
void runReference(Reference &ref, const DataSet &data, int64_t epochs,
                  int64_t batchSize, bool shuffle, const OptimizerSpec &spec) {
  for (int64_t e = 0; e < epochs; ++e) {
    std::vector<int64_t> order = getEpochOrder(kSamples, 11, e, shuffle);
    for (int64_t begin = 0; begin < kSamples; begin += batchSize) {
      llvm::ArrayRef<int64_t> rows = llvm::ArrayRef<int64_t>(order).slice(
          begin, std::min(batchSize, kSamples - begin));
      if (spec.kind == OptimizerSpec::Kind::SGD)
        ref.sgd(data, rows, spec);
      else
        ref.adam(data, rows, spec);
    }
  }
}

TEST_F(TrainerTest, SgdWithMomentumAndWeightDecayMatchesTheReference) {
  const char *text = "sgd(lr=0.5, momentum=0.9, weight_decay=0.01)";
  build(text);
  TrainingState state = initial;
  std::string log;
  // 10 samples in batches of 4: 4, 4 and a last batch of 2.
  auto history = run(state, 2, 4, /*shuffle=*/true, nullptr, &log);
  ASSERT_TRUE(static_cast<bool>(history)) << llvm::toString(history.takeError());
  EXPECT_EQ(calls["train_step"], 6);
  EXPECT_EQ(state.epochsDone, 2);
  EXPECT_EQ(state.stepsDone, 6);

  Reference ref(initial);
  runReference(ref, data, 2, 4, true, *parseOptimizerSpec(text));
  expectNear(state.values["h.weight"], ref.w, 1e-5, "h.weight");
  expectNear(state.values["h.bias"], ref.b, 1e-5, "h.bias");
  expectNear(state.optimizer["optimizer.h.weight.momentum_buffer"], ref.mw,
             1e-5, "momentum buffer");

  // The epoch's loss is the mean over samples: batches weighted by size.
  ASSERT_EQ(history->size(), 2u);
  double expected = (4 * ref.losses[3] + 4 * ref.losses[4] + 2 * ref.losses[5]) / 10;
  EXPECT_NEAR((*history)[1].loss, expected, 1e-5);
  EXPECT_EQ((*history)[1].epoch, 2);
  ASSERT_TRUE((*history)[0].accuracy.has_value());
  EXPECT_FALSE((*history)[0].valLoss.has_value());
  EXPECT_NE(log.find("epoch 1/2  loss "), std::string::npos) << log;
  EXPECT_NE(log.find("epoch 2/2  loss "), std::string::npos) << log;
  EXPECT_NE(log.find("  accuracy "), std::string::npos) << log;
  EXPECT_NE(log.find(" samples/s)\n"), std::string::npos) << log;
}

TEST_F(TrainerTest, PlainSgdInOrderMatchesTheReference) {
  const char *text = "sgd(lr=0.3)";
  build(text);
  TrainingState state = initial;
  auto history = run(state, 3, 3, /*shuffle=*/false);
  ASSERT_TRUE(static_cast<bool>(history)) << llvm::toString(history.takeError());
  EXPECT_TRUE(state.optimizer.empty());
  Reference ref(initial);
  runReference(ref, data, 3, 3, false, *parseOptimizerSpec(text));
  expectNear(state.values["h.weight"], ref.w, 1e-5, "h.weight");
  expectNear(state.values["h.bias"], ref.b, 1e-5, "h.bias");
}

TEST_F(TrainerTest, AdamMatchesTheReference) {
  const char *text = "adam(lr=0.05, beta1=0.8, weight_decay=0.1)";
  build(text);
  TrainingState state = initial;
  auto history = run(state, 3, 4, /*shuffle=*/true);
  ASSERT_TRUE(static_cast<bool>(history)) << llvm::toString(history.takeError());
  Reference ref(initial);
  runReference(ref, data, 3, 4, true, *parseOptimizerSpec(text));
  expectNear(state.values["h.weight"], ref.w, 1e-5, "h.weight");
  expectNear(state.values["h.bias"], ref.b, 1e-5, "h.bias");
  expectNear(state.optimizer["optimizer.h.bias.exp_avg_sq"], ref.vb, 1e-5,
             "exp_avg_sq");
  EXPECT_EQ(state.optimizer["optimizer.step"].getValues<float>()[0], 9.0f);
}

TEST_F(TrainerTest, ResumingReproducesAnUninterruptedRun) {
  build("adam(lr=0.05)");
  TrainingState straight = initial;
  ASSERT_TRUE(static_cast<bool>(run(straight, 3, 4, true)));

  TrainingState first = initial;
  ASSERT_TRUE(static_cast<bool>(run(first, 1, 4, true)));
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("trainer-test", dir));
  llvm::SmallString<128> optDir(dir);
  llvm::sys::path::append(optDir, "optimizer");
  ASSERT_FALSE(static_cast<bool>(saveOptimizerState(optDir, first)));

  TrainingState resumed;
  resumed.values = first.values;
  llvm::Error err = loadOptimizerState(optDir, *module, resumed);
  ASSERT_FALSE(static_cast<bool>(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(resumed.epochsDone, 1);
  EXPECT_EQ(resumed.stepsDone, 3);
  std::string log;
  ASSERT_TRUE(static_cast<bool>(run(resumed, 2, 4, true, nullptr, &log)));
  EXPECT_NE(log.find("epoch 3/3"), std::string::npos) << log;
  for (llvm::StringRef name : {"h.weight", "h.bias"})
    EXPECT_TRUE(resumed.values[name].isBitwiseEqual(straight.values[name]))
        << name.str();
  EXPECT_TRUE(resumed.optimizer["optimizer.h.weight.exp_avg"].isBitwiseEqual(
      straight.optimizer["optimizer.h.weight.exp_avg"]));

  // A state directory written for another optimizer holds none of the
  // expected files: training starts from zero state. A partial one is an
  // error that names the missing file.
  llvm::SmallString<128> stepFile(optDir);
  llvm::sys::path::append(stepFile, "step.npy");
  ASSERT_FALSE(llvm::sys::fs::remove(stepFile));
  TrainingState partial;
  err = loadOptimizerState(optDir, *module, partial);
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_EQ(llvm::toString(std::move(err)),
            (stepFile + ": missing (the optimizer state in " + optDir +
             " is incomplete)").str());
  llvm::sys::fs::remove_directories(dir);
}

TEST_F(TrainerTest, SameSeedSameNumbersOtherSeedOtherOrder) {
  build("sgd(lr=0.5, momentum=0.5)");
  TrainingState a = initial, b = initial;
  ASSERT_TRUE(static_cast<bool>(run(a, 2, 3, true)));
  ASSERT_TRUE(static_cast<bool>(run(b, 2, 3, true)));
  EXPECT_TRUE(a.values["h.weight"].isBitwiseEqual(b.values["h.weight"]));
  TrainerOptions options;
  options.epochs = 2;
  options.batchSize = 3;
  options.seed = 12;
  options.progress = ProgressMode::Lines;
  TrainingState c = initial;
  std::string text;
  llvm::raw_string_ostream out(text);
  ASSERT_TRUE(static_cast<bool>(train(*module, executor, data, nullptr, c,
                                      options, out)));
  EXPECT_FALSE(a.values["h.weight"].isBitwiseEqual(c.values["h.weight"]));
}

TEST_F(TrainerTest, ValidationRunsTheEvalStepOverTheHeldOutSet) {
  build("sgd(lr=0.1)");
  DataSet validation;
  validation["x"] = gatherRows(data["x"], {7, 8, 9});
  validation["label"] = gatherRows(data["label"], {7, 8, 9});
  TrainingState state = initial;
  std::string log;
  auto history = run(state, 1, 2, false, &validation, &log);
  ASSERT_TRUE(static_cast<bool>(history)) << llvm::toString(history.takeError());
  // Two validation batches (2 + 1 samples) after the epoch.
  EXPECT_EQ(calls["eval_step"], 2);
  Reference ref(state);
  std::vector<double> gw, gb;
  double expectedLoss = ref.gradient(validation, {0, 1, 2}, gw, gb);
  ASSERT_TRUE((*history)[0].valLoss.has_value());
  EXPECT_NEAR(*(*history)[0].valLoss, expectedLoss, 1e-5);
  ASSERT_TRUE((*history)[0].valAccuracy.has_value());
  double acc = *(*history)[0].valAccuracy;
  EXPECT_TRUE(acc == 0 || acc == 1.0 / 3 || acc == 2.0 / 3 || acc == 1) << acc;
  EXPECT_NE(log.find("  val_loss "), std::string::npos) << log;
  EXPECT_NE(log.find("  val_accuracy "), std::string::npos) << log;

  llvm::Expected<Evaluation> eval =
      evaluate(*module, executor, validation, state, 100);
  ASSERT_TRUE(static_cast<bool>(eval));
  EXPECT_NEAR(eval->loss, expectedLoss, 1e-5);
}

TEST_F(TrainerTest, Errors) {
  build("sgd(lr=0.1)");
  auto expectError = [&](DataSet d, TrainingState s, int64_t batch,
                         llvm::StringRef message) {
    std::swap(d, data);
    auto result = run(s, 1, batch, false);
    std::swap(d, data);
    ASSERT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(llvm::toString(result.takeError()), message.str());
  };
  DataSet noLabel = data;
  noLabel.erase("label");
  expectError(noLabel, initial, 4, "no data for input 'label'");
  DataSet shortLabel = data;
  shortLabel["label"] = gatherRows(data["label"], {0, 1});
  expectError(shortLabel, initial, 4,
              "data inputs disagree in their number of samples: 'x' has 10, "
              "'label' has 2");
  DataSet wrongType = data;
  wrongType["label"] = data["label"].convertTo(DType::I32);
  expectError(wrongType, initial, 4,
              "data for input 'label' is i32, the model expects i64");
  TrainingState noBias = initial;
  noBias.values.erase("h.bias");
  expectError(data, noBias, 4, "no value for parameter 'h.bias'");
  expectError(data, initial, 0, "the batch size must be positive");
  DataSet empty = data;
  empty["x"] = HostTensor(DType::F32, {0, 4});
  empty["label"] = HostTensor(DType::I64, {0});
  expectError(empty, initial, 4, "the data has no samples");

  // The executor's errors name the epoch and step.
  Executor failing = [](llvm::StringRef, llvm::ArrayRef<HostTensor>)
      -> llvm::Expected<llvm::SmallVector<HostTensor>> {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "boom");
  };
  TrainingState s = initial;
  std::string text;
  llvm::raw_string_ostream out(text);
  TrainerOptions options;
  options.progress = ProgressMode::Lines;
  auto result = train(*module, failing, data, nullptr, s, options, out);
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(llvm::toString(result.takeError()), "epoch 1, step 1: boom");
}

TEST(TrainingFiles, CsvHasAHeaderAndARowPerEpoch) {
  std::vector<EpochStats> epochs(2);
  epochs[0].epoch = 1;
  epochs[0].loss = 0.5;
  epochs[0].accuracy = 0.75;
  epochs[1].epoch = 2;
  epochs[1].loss = 0.25;
  epochs[1].accuracy = 0.875;
  epochs[1].valLoss = 0.3;
  epochs[1].valAccuracy = 0.8;
  std::string text;
  llvm::raw_string_ostream os(text);
  writeTrainingCsv(os, epochs);
  EXPECT_EQ(text, "epoch,loss,accuracy,val_loss,val_accuracy\n"
                  "1,0.5,0.75,,\n"
                  "2,0.25,0.875,0.3,0.8\n");
}

TEST(TrainingFiles, PlotHasLossAndAccuracyPanels) {
  std::vector<EpochStats> epochs(3);
  for (int i = 0; i < 3; ++i) {
    epochs[i].epoch = i + 1;
    epochs[i].loss = 1.0 / (i + 1);
    epochs[i].accuracy = 0.5 + 0.1 * i;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  writeTrainingPlot(os, epochs);
  EXPECT_NE(text.find(">Loss</text>"), std::string::npos);
  EXPECT_NE(text.find(">Accuracy</text>"), std::string::npos);
  EXPECT_EQ(text.find(">validation</text>"), std::string::npos);
  // Without accuracies, one panel.
  for (EpochStats &e : epochs)
    e.accuracy.reset();
  text.clear();
  writeTrainingPlot(os, epochs);
  EXPECT_EQ(text.find(">Accuracy</text>"), std::string::npos);
}

} // namespace
