//===- TrainCommandTest.cpp - Tests of adjoint-run's training command -----===//

#include "adjoint/Training/TrainCommand.h"

#include "TestModel.h"

#include "adjoint/InitAll.h"
#include "adjoint/Interpreter/Interpreter.h"
#include "adjoint/Runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::training;
using namespace adjoint::training::testmodel;

namespace {

class TrainCommandTest : public ::testing::Test {
protected:
  void SetUp() override {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("train-command", dir));

    std::vector<float> x(12 * 4), w(12), b(3, 0);
    std::vector<int64_t> labels(12);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = std::sin(float(i));
    for (size_t i = 0; i < labels.size(); ++i)
      labels[i] = int64_t(i % 3);
    for (size_t i = 0; i < w.size(); ++i)
      w[i] = 0.2f * std::cos(float(i));
    data["x"] = HostTensor::fromValues<float>({12, 4}, x);
    data["label"] = HostTensor::fromValues<int64_t>({12}, labels);
    values["h.weight"] = HostTensor::fromValues<float>({3, 4}, w);
    values["h.bias"] = HostTensor::fromValues<float>({3}, b);
    ASSERT_FALSE(static_cast<bool>(writeNpyFile(path("val_x.npy"), data["x"])));
    ASSERT_FALSE(
        static_cast<bool>(writeNpyFile(path("val_label.npy"), data["label"])));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return p.str().str();
  }

  OwningOpRef<ModuleOp> parseModel() {
    return parseSourceString<ModuleOp>(kSoftmaxRegression, &context);
  }

  TrainCommandOptions makeOptions() {
    TrainCommandOptions options;
    options.trainer.epochs = 2;
    options.trainer.batchSize = 5;
    options.trainer.progress = ProgressMode::Lines;
    options.optimizer = "adam(lr=0.1)";
    return options;
  }

  /// Runs the command on a fresh copy of the model; returns the output.
  llvm::Expected<std::string> run(const TrainCommandOptions &options,
                                  const llvm::StringMap<HostTensor> &start) {
    OwningOpRef<ModuleOp> module = parseModel();
    ExecutorFactory factory = [](ModuleOp m) -> llvm::Expected<Executor> {
      return Executor([m](llvm::StringRef name,
                          llvm::ArrayRef<HostTensor> args) mutable {
        return interp::evaluate(m.lookupSymbol<func::FuncOp>(name), args);
      });
    };
    std::string text;
    llvm::raw_string_ostream out(text);
    if (llvm::Error err =
            runTrainCommand(*module, options, start, data, factory, out))
      return std::move(err);
    return text;
  }

  MLIRContext context;
  llvm::SmallString<128> dir;
  DataSet data;
  llvm::StringMap<HostTensor> values;
};

TEST_F(TrainCommandTest, WritesParamsStateLogAndPlot) {
  TrainCommandOptions options = makeOptions();
  options.validationInputs = {{"x", path("val_x.npy")},
                              {"label", path("val_label.npy")}};
  options.logPath = path("log.csv");
  options.plotPath = path("plot.svg");
  options.saveParamsDir = path("saved");
  llvm::Expected<std::string> out = run(options, values);
  ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
  EXPECT_NE(out->find("epoch 2/2  loss "), std::string::npos) << *out;
  EXPECT_NE(out->find("validation: loss "), std::string::npos) << *out;

  for (llvm::StringRef file :
       {"saved/h.weight.npy", "saved/h.bias.npy", "saved/optimizer/step.npy",
        "saved/optimizer/h.weight.exp_avg.npy",
        "saved/optimizer/h.bias.exp_avg_sq.npy",
        "saved/optimizer/trainer.epoch.npy", "saved/optimizer/trainer.step.npy",
        "log.csv", "plot.svg"})
    EXPECT_TRUE(llvm::sys::fs::exists(path(file))) << file.str();
  llvm::Expected<HostTensor> step = readNpyFile(path("saved/optimizer/step.npy"));
  ASSERT_TRUE(static_cast<bool>(step));
  EXPECT_EQ(step->getValues<float>()[0], 6.0f); // 2 epochs of 3 steps

  auto csv = llvm::MemoryBuffer::getFile(path("log.csv"));
  ASSERT_TRUE(static_cast<bool>(csv));
  llvm::SmallVector<llvm::StringRef> lines;
  (*csv)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "epoch,loss,accuracy,val_loss,val_accuracy");
  llvm::SmallVector<llvm::StringRef> fields;
  lines[2].split(fields, ',');
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0], "2");
  for (llvm::StringRef f : llvm::ArrayRef(fields).drop_front())
    EXPECT_FALSE(f.empty());
}

TEST_F(TrainCommandTest, ResumingFromSavedParamsMatchesOneLongRun) {
  TrainCommandOptions straight = makeOptions();
  straight.trainer.epochs = 3;
  straight.saveParamsDir = path("straight");
  ASSERT_TRUE(static_cast<bool>(run(straight, values)));

  TrainCommandOptions first = makeOptions();
  first.trainer.epochs = 1;
  first.saveParamsDir = path("first");
  ASSERT_TRUE(static_cast<bool>(run(first, values)));

  llvm::StringMap<HostTensor> resumedValues;
  for (llvm::StringRef name : {"h.weight", "h.bias"})
    resumedValues[name] = *readNpyFile(path(("first/" + name + ".npy").str()));
  TrainCommandOptions second = makeOptions();
  second.trainer.epochs = 2;
  second.paramsDir = path("first");
  second.saveParamsDir = path("second");
  llvm::Expected<std::string> out = run(second, resumedValues);
  ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
  EXPECT_NE(out->find("epoch 2/3"), std::string::npos) << *out;
  for (llvm::StringRef file :
       {"h.weight.npy", "h.bias.npy", "optimizer/h.weight.exp_avg_sq.npy"}) {
    llvm::Expected<HostTensor> a = readNpyFile(path(("straight/" + file).str()));
    llvm::Expected<HostTensor> b = readNpyFile(path(("second/" + file).str()));
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->isBitwiseEqual(*b)) << file.str();
  }
}

TEST_F(TrainCommandTest, ErrorsWriteNothing) {
  TrainCommandOptions options = makeOptions();
  options.saveParamsDir = path("saved");
  options.logPath = path("log.csv");
  options.validationInputs = {{"y", path("val_x.npy")}};
  llvm::Expected<std::string> out = run(options, values);
  ASSERT_FALSE(static_cast<bool>(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "--val-input 'y=" + path("val_x.npy") +
                "': the model has no input 'y'");
  EXPECT_FALSE(llvm::sys::fs::exists(path("saved")));
  EXPECT_FALSE(llvm::sys::fs::exists(path("log.csv")));

  options.validationInputs.clear();
  options.optimizer = "adam(lr=0.1, momentum=0.9)";
  out = run(options, values);
  ASSERT_FALSE(static_cast<bool>(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "optimizer 'adam(lr=0.1, momentum=0.9)': unknown keyword "
            "'momentum' for adam (expected lr, beta1, beta2, eps, "
            "weight_decay)");

  // A model without an optimizer statement needs --optimizer.
  options.optimizer = "";
  out = run(options, values);
  ASSERT_FALSE(static_cast<bool>(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "the model has no optimizer statement; give one with "
            "--optimizer=SPEC (for example --optimizer='sgd(lr=0.1)')");
  EXPECT_FALSE(llvm::sys::fs::exists(path("saved")));
}

} // namespace
