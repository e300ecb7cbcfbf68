//===- adjoint-run.cpp - Run and differentiate a network ------------------===//
//
// `adjoint-run MODEL [options]`: evaluates a network (a `.nn` file, an `.onnx`
// model, or an `.mlir` file holding an nn module with @forward) on inputs
// from `.npy` files, and with --grad also its loss and gradient, then writes
// the results as `.npy` files (spec/tools.md). The functions are compiled to
// native code in memory (--engine=jit, the default) or evaluated by the
// reference interpreter (--engine=interp). With --train the inputs hold a
// data set, and the training command (lib/Training/TrainCommand.cpp) runs
// @train_step over it.
//
//   OUT/outputs/NAME.npy   every output
//   OUT/loss.npy           the loss (0-d), when the model has one and its
//                          inputs are given
//   OUT/grad/P.npy         with --grad: every parameter and f32 input
//
// A plain run evaluates a private copy of @forward in the chosen mode
// (batchnorm and dropout get or lose `training`); in training mode it also
// returns the updated batchnorm statistics, for --save-params. In eval mode
// the inputs that only the loss reads may be left out: the copy then drops
// the loss and the ops that only it used, and each input it no longer reads
// is passed as a zero placeholder (so that every engine gets a full argument
// list). --grad evaluates @gradient, which the nn-adjoint pass builds (or the
// module's own, when an .mlir file has one), and finds its results by their
// nn.kind / nn.name attributes.
//
// An ONNX model carries its parameter values; they are used when no --params
// is given (docs/onnx.md). --loss adds a loss to an ONNX model without one.
//
// Nothing is written until everything succeeded; each file is written
// atomically. Every error is one line `error: ...` on stderr, exit code 1.
//
//===----------------------------------------------------------------------===//

#include "Engine.h"
#include "ModelArguments.h"
#include "Results.h"
#include "RunFunction.h"

#include "adjoint/Distributed/MPICommunicator.h"
#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/Frontend.h"
#include "adjoint/Frontend/ONNX/OnnxImporter.h"
#include "adjoint/InitAll.h"
#include "adjoint/Support/CommandLine.h"
#include "adjoint/Support/InputFile.h"
#include "adjoint/Training/TrainCommand.h"
#include "adjoint/Training/TrainStep.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::run;
namespace cl = llvm::cl;

namespace {

enum class Mode { Default, Train, Eval };

cl::OptionCategory category("adjoint-run options");

cl::list<std::string> dialectPlugins(
    "load-dialect-plugin", cl::value_desc("PATH"),
    cl::desc("Load an MLIR dialect plugin (mlirGetDialectPluginInfo): its "
             "ops, and their gradient rules as external models"),
    cl::cat(category));

cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<MODEL.nn | MODEL.onnx | MODEL.mlir>"),
                               cl::cat(category));

cl::opt<std::string>
    paramsDir("params", cl::value_desc("DIR"),
              cl::desc("Load every parameter and buffer P from DIR/P.npy "
                       "(default: initialize them from the model's rules)"),
              cl::cat(category));

cl::opt<uint64_t> seed("seed", cl::init(0), cl::value_desc("S"),
                       cl::desc("Seed of initialization and dropout "
                                "(default 0)"),
                       cl::cat(category));

/// --threads N. libLLVM already registers a global `--threads`, so the tool
/// cannot define its own option of that name: it takes the option out of
/// argv before parsing (extractThreads) and lists the registered one in its
/// --help with its own description (adoptThreadsOption). 0: all cores.
unsigned threads = 0;

cl::list<std::string> inputs("input", cl::value_desc("NAME=FILE.npy"),
                             cl::desc("A model input (repeat for each)"),
                             cl::cat(category));

cl::opt<bool> grad("grad",
                   cl::desc("Also compute the loss and its gradient with "
                            "respect to every parameter and f32 input"),
                   cl::cat(category));

cl::opt<Mode> mode(
    "mode", cl::init(Mode::Default),
    cl::desc("The mode of batchnorm and dropout (default: train with --grad, "
             "else eval)"),
    cl::values(clEnumValN(Mode::Train, "train", "training mode"),
               clEnumValN(Mode::Eval, "eval", "inference mode")),
    cl::cat(category));

cl::opt<EngineKind> engine(
    "engine", cl::init(EngineKind::Jit),
    cl::desc("How the model is evaluated"),
    cl::values(clEnumValN(EngineKind::Jit, "jit",
                          "native code compiled in memory (the default)"),
               clEnumValN(EngineKind::Interp, "interp",
                          "the reference interpreter")),
    cl::cat(category));

cl::opt<unsigned> optLevel("opt-level", cl::init(2), cl::value_desc("0-3"),
                           cl::desc("LLVM's optimization level for the JIT "
                                    "(default 2)"),
                           cl::cat(category));

cl::opt<int64_t> matmulVectorWidth(
    "matmul-vector-width", cl::init(0), cl::value_desc("0|4|8|16"),
    cl::desc("The lanes of the matmul kernels' f32 vectors (default 0: 16 "
             "on a CPU with AVX-512, else 8)"),
    cl::cat(category));

cl::opt<bool> timeCompile(
    "time-compile",
    cl::desc("Print on stderr how long the JIT took to compile each set of "
             "functions (lowering, LLVM's optimizer and code generator)"),
    cl::cat(category));

cl::opt<std::string> lossOption(
    "loss", cl::init("none"), cl::value_desc("mse|softmax_cross_entropy"),
    cl::desc("For an ONNX model without a loss: add one on its first output, "
             "with a new input `target` (mse) or `label` "
             "(softmax_cross_entropy)"),
    cl::cat(category));

cl::opt<std::string> outDir("out", cl::value_desc("DIR"),
                            cl::desc("Write DIR/outputs/NAME.npy, "
                                     "DIR/loss.npy and DIR/grad/P.npy"),
                            cl::cat(category));

cl::opt<std::string>
    saveParamsDir("save-params", cl::value_desc("DIR"),
                  cl::desc("Write every parameter and buffer after the run "
                           "as DIR/P.npy"),
                  cl::cat(category));

cl::opt<bool> distributed(
    "distributed",
    cl::desc("With --train under mpirun: data-parallel training, each rank "
             "on its shard of every batch, gradients summed over MPI; rank 0 "
             "alone prints and writes (docs/distributed.md)"),
    cl::cat(category));

/// Loads MODEL into `context`: an ONNX model also fills `initialValues`.
/// Errors in the file are printed through the diagnostics
/// (FILE:LINE:COL: error: ...) and give null.
OwningOpRef<ModuleOp> loadModel(llvm::StringRef path, MLIRContext &context,
                                llvm::SourceMgr &sourceMgr,
                                OnnxInitialValues &initialValues) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  std::optional<OnnxLossKind> loss = parseOnnxLossKind(lossOption);
  if (!loss) {
    llvm::errs() << "error: --loss=" << lossOption
                 << ": expected none, mse or softmax_cross_entropy\n";
    return nullptr;
  }
  if (extension != ".onnx" && *loss != OnnxLossKind::None) {
    llvm::errs() << "error: --loss applies to ONNX models only\n";
    return nullptr;
  }
  if (extension == ".onnx") {
    // FILE:LINE:COL: error: ..., as adjointc prints them.
    NetworkDiagnosticHandler handler(sourceMgr, &context);
    OnnxImportOptions options;
    options.addLoss = *loss;
    return importOnnxFile(path, context, options, &initialValues);
  }
  if (extension == ".mlir") {
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        openTextInput(path, /*refuseBinary=*/true);
    if (!buffer) {
      llvm::errs() << "error: " << llvm::toString(buffer.takeError()) << "\n";
      return nullptr;
    }
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    ParserConfig config(&context);
    return parseSourceFile<ModuleOp>(sourceMgr, config);
  }
  if (llvm::Error err = openNetworkFile(path, sourceMgr)) {
    llvm::errs() << "error: " << llvm::toString(std::move(err)) << "\n";
    return nullptr;
  }
  NetworkDiagnosticHandler handler(sourceMgr, &context);
  FrontendOptions options;
  return importNetworkFile(sourceMgr, context, options);
}

/// Removes `--threads N` / `--threads=N` (one or two dashes) from `args` and
/// stores N in `threads`. Fails on a value that is not a number.
llvm::Error extractThreads(std::vector<const char *> &args) {
  std::vector<const char *> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (i == 0 || !arg.consume_front("-")) {
      rest.push_back(args[i]);
      continue;
    }
    arg.consume_front("-");
    llvm::StringRef value;
    if (arg == "threads") {
      if (i + 1 == args.size())
        return llvm::createStringError("--threads needs a value");
      value = args[++i];
    } else if (arg.consume_front("threads=")) {
      value = arg;
    } else {
      rest.push_back(args[i]);
      continue;
    }
    if (value.getAsInteger(10, threads))
      return llvm::createStringError("--threads=" + value +
                                     ": expected a number of threads");
  }
  args = std::move(rest);
  return llvm::Error::success();
}

/// Shows the `--threads` option that libLLVM registers as adjoint-run's.
void adoptThreadsOption() {
  auto options = cl::getRegisteredOptions();
  auto it = options.find("threads");
  if (it == options.end())
    return;
  it->second->setDescription("Worker threads of the compiled code (default "
                             "0: all cores; results do not depend on it)");
  it->second->setValueStr("N");
  it->second->addCategory(category);
}

/// Splits the --input values into (NAME, FILE) pairs.
llvm::Expected<std::vector<std::pair<std::string, std::string>>>
parseInputs() {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string &text : inputs) {
    auto [name, file] = llvm::StringRef(text).split('=');
    if (name.empty() || file.empty() || !llvm::StringRef(text).contains('='))
      return llvm::createStringError("--input '" + text +
                                     "': expected NAME=FILE.npy");
    pairs.emplace_back(name.str(), file.str());
  }
  return pairs;
}

/// --train: the inputs hold the whole data set.
llvm::Error trainModel(ModuleOp module, llvm::ArrayRef<ArgumentInfo> arguments,
                       ArgumentValues &values,
                       const EngineOptions &engineOptions) {
  if (grad)
    return llvm::createStringError("--grad and --train exclude each other");
  if (mode == Mode::Eval)
    return llvm::createStringError("--train runs in training mode; "
                                   "--mode=eval does not apply");
  if (!outDir.empty())
    return llvm::createStringError(
        "--out does not apply to --train; use --save-params DIR");
  llvm::Expected<training::TrainCommandOptions> options =
      training::getTrainCLOptions();
  if (!options)
    return options.takeError();
  options->trainer.seed = seed;
  options->paramsDir = paramsDir;
  options->saveParamsDir = saveParamsDir;

  llvm::StringMap<HostTensor> state;
  training::DataSet data;
  for (const ArgumentInfo &arg : arguments) {
    std::optional<HostTensor> &value = values.values[arg.index];
    if (arg.isParamOrBuffer()) {
      state[arg.name] = std::move(*value);
    } else if (arg.isInput()) {
      if (!value)
        return llvm::createStringError("missing input '" + arg.name +
                                       "' (give --input " + arg.name +
                                       "=FILE.npy)");
      data[arg.name] = std::move(*value);
    }
  }
  if (llvm::Expected<func::FuncOp> gradient = getGradientFunction(module);
      !gradient)
    return gradient.takeError();

  std::unique_ptr<training::Communicator> communicator;
  if (distributed) {
    llvm::Expected<std::unique_ptr<training::Communicator>> created =
        distributed::createMPICommunicator(nullptr, nullptr);
    if (!created)
      return created.takeError();
    communicator = std::move(*created);
    options->trainer.communicator = communicator.get();
  }

  std::shared_ptr<ModelEngine> compiled;
  training::ExecutorFactory makeExecutor =
      [&](ModuleOp stepModule) -> llvm::Expected<training::Executor> {
    // Data-parallel steps run the gradient and the update separately.
    llvm::SmallVector<llvm::StringRef, 3> names;
    if (communicator)
      names = {training::kGradientFuncName, training::kApplyUpdateFuncName};
    else
      names = {training::kTrainStepFuncName};
    // @eval_step only runs on validation data: compile it only then.
    if (!options->validationInputs.empty() &&
        stepModule.lookupSymbol(training::kEvalStepFuncName))
      names.push_back(training::kEvalStepFuncName);
    llvm::Expected<std::unique_ptr<ModelEngine>> created =
        ModelEngine::create(engine, stepModule, names, engineOptions);
    if (!created)
      return created.takeError();
    compiled = std::move(*created);
    return training::Executor(
        [engine = compiled](llvm::StringRef name,
                            llvm::ArrayRef<HostTensor> args) {
          return engine->run(name, args);
        });
  };
  llvm::Error err = training::runTrainCommand(
      module, *options, std::move(state), data, makeExecutor, llvm::outs());
  // A rank that fails stops the job: the others would wait in the next
  // allreduce forever.
  if (err && communicator && communicator->getSize() > 1)
    communicator->abort("error: rank " +
                            std::to_string(communicator->getRank()) + ": " +
                            llvm::toString(std::move(err)),
                        1);
  return err;
}

/// The run after the model is loaded.
llvm::Error runModel(ModuleOp module, const OnnxInitialValues &initialValues) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal())
    return llvm::createStringError("the model has no function @forward");
  llvm::Expected<std::vector<ArgumentInfo>> arguments =
      describeArguments(forward);
  if (!arguments)
    return arguments.takeError();

  ArgumentSources sources;
  llvm::Expected<std::vector<std::pair<std::string, std::string>>> pairs =
      parseInputs();
  if (!pairs)
    return pairs.takeError();
  sources.inputs = std::move(*pairs);
  sources.paramsDir = paramsDir;
  sources.seed = seed;
  sources.initialValues = &initialValues;
  llvm::Expected<ArgumentValues> values = loadArguments(*arguments, sources);
  if (!values)
    return values.takeError();

  EngineOptions engineOptions;
  engineOptions.threads = threads;
  engineOptions.optLevel = optLevel;
  engineOptions.timeCompile = timeCompile;
  engineOptions.matmulVectorWidth = matmulVectorWidth;
  if (training::isTrainRequested())
    return trainModel(module, *arguments, *values, engineOptions);
  if (distributed)
    return llvm::createStringError("--distributed needs --train");

  bool training = mode == Mode::Train || (mode == Mode::Default && grad);
  func::FuncOp func;
  if (grad) {
    if (!training && hasModeDependentOps(forward))
      return llvm::createStringError(
          "--grad with --mode=eval is not supported for a model with "
          "batchnorm or dropout: its gradient is taken in training mode");
    llvm::Expected<func::FuncOp> gradient = getGradientFunction(module);
    if (!gradient)
      return gradient.takeError();
    func = *gradient;
  } else {
    func = cloneFunction(forward, "__adjoint_run_forward");
    setTrainingMode(func, training);
    if (training)
      appendBufferUpdates(func);
    bool missing = llvm::any_of(*arguments, [&](const ArgumentInfo &arg) {
      return arg.isInput() && !values->values[arg.index];
    });
    // In eval mode the loss is computed only when all its inputs are given.
    if (missing && !training)
      dropResults(func, "loss");
  }

  // Every input that the function reads must be given; the others get a
  // placeholder. The given ones are moved into the list and back after the
  // run (--save-params reads them), never copied: they may be large.
  llvm::SmallVector<HostTensor> argumentList;
  llvm::SmallVector<std::pair<size_t, unsigned>> lent;
  for (const ArgumentInfo &arg : *arguments) {
    if (values->values[arg.index]) {
      lent.emplace_back(argumentList.size(), arg.index);
      argumentList.push_back(std::move(*values->values[arg.index]));
      continue;
    }
    if (!func.getArgument(arg.index).use_empty())
      return llvm::createStringError("missing input '" + arg.name +
                                     "' (give --input " + arg.name +
                                     "=FILE.npy)");
    argumentList.push_back(makePlaceholder(arg, values->bindings));
  }

  llvm::Expected<llvm::SmallVector<HostTensor>> resultValues =
      runFunction(engine, func, argumentList, engineOptions,
                  grad ? "gradient" : "forward");
  for (auto [position, index] : lent)
    values->values[index] = std::move(argumentList[position]);
  if (!resultValues)
    return resultValues.takeError();
  llvm::Expected<RunResults> results = sortResults(func, *resultValues);
  if (!results)
    return results.takeError();

  if (!outDir.empty()) {
    if (llvm::Error err = writeResults(outDir, *results))
      return err;
  } else {
    printResults(llvm::outs(), *results);
  }
  if (!saveParamsDir.empty())
    if (llvm::Error err =
            saveParameters(saveParamsDir, *arguments, *values, *results))
      return err;
  return llvm::Error::success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  adoptThreadsOption();
  training::registerTrainCLOptions(category);
  cl::HideUnrelatedOptions(category);
  std::vector<const char *> args(argv, argv + argc);
  if (llvm::Error err = extractThreads(args)) {
    llvm::errs() << "error: " << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  if (!parseCommandLine(
          static_cast<int>(args.size()), args.data(),
          "adjoint-run: run, differentiate and train a network\n\n"
          "  adjoint-run MODEL --input x=x.npy [--grad] --out DIR\n"
          "  adjoint-run MODEL --input x=X.npy --input label=Y.npy --train "
          "--epochs E --batch-size B\n"))
    return 1;

  if (llvm::Expected<training::TrainCommandOptions> trainOptions =
          training::getTrainCLOptions();
      !trainOptions) {
    llvm::errs() << "error: " << llvm::toString(trainOptions.takeError())
                 << "\n";
    return 1;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  if (!loadDialectPlugins(dialectPlugins, registry))
    return 1;
  registerAllPasses();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  llvm::SourceMgr sourceMgr;
  OnnxInitialValues initialValues;
  OwningOpRef<ModuleOp> module =
      loadModel(modelPath, context, sourceMgr, initialValues);
  if (!module)
    return 1;
  if (llvm::Error err = runModel(*module, initialValues)) {
    llvm::errs() << "error: " << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
