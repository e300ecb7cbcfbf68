//===- adjointc.cpp - The Adjoint compiler driver -------------------------===//
//
// Compiles a `.nn` network through an ordered list of stages; `--emit=`
// names the stage whose result is written, and `--after-<stage>=PIPELINE`
// runs a pass pipeline on the module after that stage:
//
//   1. frontend     .nn text -> nn dialect          --emit=nn
//   2. autodiff     adjoint synthesis (gradient)    --emit=grad
//   3. optimize     fusion, lowering to linalg      --emit=linalg
//   4. llvm         lowering to the LLVM dialect    --emit=llvm
//   5. codegen      native code                     --emit=llvm-ir|asm|obj|
//                                                          lib|header
//
// Each stage is one function below (run<Stage>Stage); adding a stage means
// filling in its function. The driver writes its output file only when every
// stage succeeded (llvm::ToolOutputFile is kept only then).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Explain.h"
#include "adjoint/Autodiff/Passes.h"
#include "adjoint/Autodiff/VerifyGrad.h"
#include "adjoint/Analysis/MemoryReport.h"
#include "adjoint/Conversion/CInterface/ABI.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNFunctions.h"
#include "adjoint/Execution/Codegen.h"
#include "adjoint/Execution/Header.h"
#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Pipelines/Pipelines.h"
#include "adjoint/Training/Passes.h"
#include "adjoint/Support/CommandLine.h"
#include "adjoint/Frontend/Frontend.h"
#include "adjoint/Frontend/ONNX/OnnxImporter.h"
#include "adjoint/InitAll.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

/// The stages of a compilation, in order; `--emit=` picks where to stop.
enum class Stage {
  NN,     // the frontend's nn dialect
  Grad,   // after adjoint synthesis
  Linalg, // after optimization and lowering to linalg on tensors
  LLVM,   // the LLVM dialect
  LLVMIR, // textual LLVM IR
  Asm,    // assembly
  Obj,    // an object file
  Lib,    // a shared library
  Header, // the C header of the library
};

cl::OptionCategory driverCategory("adjointc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                   cl::desc("<model.nn | model.onnx>"),
                                   cl::cat(driverCategory));

cl::opt<std::string> outputFilename("o", cl::init("-"),
                                    cl::desc("Output file ('-' for stdout, "
                                             "the default)"),
                                    cl::value_desc("file"),
                                    cl::cat(driverCategory));

cl::opt<Stage> emitStage(
    "emit", cl::init(Stage::NN), cl::desc("What to produce:"),
    cl::values(
        clEnumValN(Stage::NN, "nn", "the nn dialect from the frontend"),
        clEnumValN(Stage::Grad, "grad",
                   "the nn dialect after adjoint synthesis (forward, "
                   "gradient and training step)"),
        clEnumValN(Stage::Linalg, "linalg",
                   "MLIR after lowering to linalg on tensors"),
        clEnumValN(Stage::LLVM, "llvm", "MLIR in the LLVM dialect"),
        clEnumValN(Stage::LLVMIR, "llvm-ir", "textual LLVM IR"),
        clEnumValN(Stage::Asm, "asm", "assembly"),
        clEnumValN(Stage::Obj, "obj", "an object file"),
        clEnumValN(Stage::Lib, "lib", "a shared library"),
        clEnumValN(Stage::Header, "header",
                   "the C header of the shared library")),
    cl::cat(driverCategory));

cl::list<std::string> dimDefinitions(
    "D", cl::Prefix,
    cl::desc("Fix a symbolic dim to a size, e.g. -D N=128 (unfixed dims stay "
             "dynamic)"),
    cl::value_desc("NAME=SIZE"), cl::cat(driverCategory));

cl::opt<char> optLevel("O", cl::Prefix, cl::init('2'),
                       cl::desc("Optimization level: -O0, -O1, -O2 (the "
                                "default) or -O3"),
                       cl::cat(driverCategory));

cl::opt<std::string>
    optimizerSpec("optimizer", cl::value_desc("SPEC"),
                  cl::desc("The update rule of @train_step, in the syntax of "
                           "the .nn optimizer statement (e.g. 'sgd(lr=0.1, "
                           "momentum=0.9)'); overrides the model's"),
                  cl::cat(driverCategory));

cl::opt<bool> openmp(
    "openmp",
    cl::desc("Split large matmuls over OpenMP threads: the code calls "
             "libomp, which --emit=lib links (with --emit=obj, link -lomp); "
             "the thread count is libomp's (OMP_NUM_THREADS)"),
    cl::cat(driverCategory));

cl::opt<std::string> mcpu("mcpu", cl::value_desc("cpu"),
                          cl::desc("The CPU to generate code for (default: "
                                   "the host's, with its features)"),
                          cl::cat(driverCategory));

cl::opt<int64_t> matmulVectorWidth(
    "matmul-vector-width", cl::init(0), cl::value_desc("0|4|8|16"),
    cl::desc("The lanes of the matmul kernels' f32 vectors (default 0: 16 "
             "when the target CPU has AVX-512, else 8)"),
    cl::cat(driverCategory));

cl::opt<std::string>
    lossKind("loss", cl::init("none"), cl::value_desc("mse|softmax_cross_entropy"),
             cl::desc("For an ONNX model without a loss: add one on its "
                      "first output, with a new input `target` (mse) or "
                      "`label` (softmax_cross_entropy)"),
             cl::cat(driverCategory));

cl::opt<bool> explain("explain",
                      cl::desc("Print the gradient formula of every "
                               "parameter, in matrix notation"),
                      cl::cat(driverCategory));

cl::opt<adjoint::autodiff::LayoutConvention> explainConvention(
    "explain-convention",
    cl::init(adjoint::autodiff::LayoutConvention::Row),
    cl::desc("The layout convention of --explain:"),
    cl::values(clEnumValN(adjoint::autodiff::LayoutConvention::Row, "row",
                          "a row per sample, Z = X W^T + b (the default)"),
               clEnumValN(adjoint::autodiff::LayoutConvention::Column,
                          "column",
                          "a column per sample, Z = W X + b (textbooks)")),
    cl::cat(driverCategory));

cl::opt<bool> remat(
    "remat",
    cl::desc("Recompute cheap activations (relu, its mask, sigmoid, ...) in "
             "the backward pass instead of keeping them from the forward "
             "pass"),
    cl::cat(driverCategory));

cl::opt<bool> memoryReport(
    "memory-report",
    cl::desc("Print the peak bytes of live tensors of every function and the "
             "activations the backward pass keeps, per layer (alone: instead "
             "of the module; with --emit: on stderr)"),
    cl::cat(driverCategory));

cl::opt<bool> verifyGrad("verify-grad",
                         cl::desc("Check every gradient rule the model uses "
                                  "numerically and report its worst error"),
                         cl::cat(driverCategory));

cl::list<std::string> dialectPlugins(
    "load-dialect-plugin", cl::value_desc("PATH"),
    cl::desc("Load an MLIR dialect plugin (mlirGetDialectPluginInfo): its "
             "ops, and their gradient rules as external models"),
    cl::cat(driverCategory));

cl::list<std::string>
    passPlugins("load-pass-plugin",
                cl::desc("Load an MLIR pass plugin (mlirGetPassPluginInfo)"),
                cl::value_desc("path"), cl::cat(driverCategory));

cl::opt<std::string>
    afterFrontend("after-frontend",
                  cl::desc("Run a pass pipeline on the module after stage 1, "
                           "the frontend (e.g. 'canonicalize,cse')"),
                  cl::value_desc("pipeline"), cl::cat(driverCategory));

cl::opt<std::string>
    afterAutodiff("after-autodiff",
                  cl::desc("Run a pass pipeline on the module after stage 2, "
                           "adjoint synthesis"),
                  cl::value_desc("pipeline"), cl::cat(driverCategory));

cl::opt<std::string>
    afterOptimize("after-optimize",
                  cl::desc("Run a pass pipeline on the module after stage 3, "
                           "optimization and lowering to linalg"),
                  cl::value_desc("pipeline"), cl::cat(driverCategory));

const char *const kOverview = R"(Adjoint compiler driver

Compiles a network (.nn) in stages; --emit=STAGE writes the result of one:
  1. frontend   --emit=nn       (then --after-frontend=PIPELINE runs)
  2. autodiff   --emit=grad     (then --after-autodiff=PIPELINE runs)
  3. optimize   --emit=linalg   (then --after-optimize=PIPELINE runs)
  4. llvm       --emit=llvm
  5. codegen    --emit=llvm-ir, asm, obj, lib, header
)";

/// Everything a compilation carries from stage to stage.
struct Compilation {
  MLIRContext &context;
  llvm::SourceMgr &sourceMgr;
  OwningOpRef<ModuleOp> module;
};

/// Prints `error: MESSAGE` and returns failure.
LogicalResult fail(const llvm::Twine &message) {
  llvm::WithColor::error() << message << "\n";
  return failure();
}

//===----------------------------------------------------------------------===//
// Options and plugins
//===----------------------------------------------------------------------===//

LogicalResult checkOptions(adjoint::FrontendOptions &frontendOptions) {
  if (!adjoint::parseOnnxLossKind(lossKind))
    return fail("invalid --loss='" + lossKind +
                "'; expected mse or softmax_cross_entropy");
  if (optLevel < '0' || optLevel > '3')
    return fail(llvm::Twine("invalid optimization level '-O") +
                llvm::Twine(optLevel.getValue()) +
                "'; expected -O0, -O1, -O2 or -O3");
  for (const std::string &definition : dimDefinitions)
    if (llvm::Error err =
            adjoint::addDimDefinition(definition, frontendOptions))
      return fail(llvm::toString(std::move(err)));
  return success();
}

LogicalResult loadPassPlugins() {
  for (const std::string &path : passPlugins) {
    llvm::Expected<PassPlugin> plugin = PassPlugin::load(path);
    if (!plugin)
      return fail("cannot load the pass plugin '" + path +
                  "': " + llvm::toString(plugin.takeError()));
    plugin->registerPassRegistryCallbacks();
  }
  return success();
}

/// Runs the textual pipeline `pipeline` (of option `option`) on the module,
/// anchored on it; `builtin.module(...)` around it is optional.
LogicalResult runUserPipeline(Compilation &c, llvm::StringRef pipeline,
                              llvm::StringRef option) {
  if (pipeline.empty())
    return success();
  llvm::StringRef text = pipeline.trim();
  if (text.consume_front("builtin.module(") && !text.consume_back(")"))
    return fail("invalid --" + option + " pipeline '" + pipeline +
                "': unbalanced parentheses");
  PassManager pm(&c.context, ModuleOp::getOperationName());
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(text, pm, errorStream)))
    return fail("invalid --" + option + " pipeline '" + pipeline + "': " +
                llvm::StringRef(errors).trim());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  if (failed(pm.run(*c.module)))
    return fail("the --" + option + " pipeline failed");
  return success();
}

//===----------------------------------------------------------------------===//
// Stages
//===----------------------------------------------------------------------===//

/// Stage 1: the network file becomes the nn dialect.
LogicalResult runFrontendStage(Compilation &c,
                               const adjoint::FrontendOptions &options) {
  if (adjoint::isOnnxFile(inputFilename)) {
    adjoint::OnnxImportOptions onnxOptions;
    onnxOptions.addLoss = *adjoint::parseOnnxLossKind(lossKind);
    for (const auto &[name, value] : options.fixedDims)
      onnxOptions.dimValues[name] = value;
    c.module = adjoint::importOnnxFile(inputFilename, c.context, onnxOptions);
    if (!c.module)
      return failure();
    return runUserPipeline(c, afterFrontend, "after-frontend");
  }
  if (llvm::Error err = adjoint::openNetworkFile(inputFilename, c.sourceMgr))
    return fail(llvm::toString(std::move(err)));
  c.module = adjoint::importNetworkFile(c.sourceMgr, c.context, options);
  if (!c.module)
    return failure();
  return runUserPipeline(c, afterFrontend, "after-frontend");
}

/// True when @forward returns a loss.
bool hasLoss(ModuleOp module) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward)
    return false;
  return adjoint::nn::hasResultOfKind(forward, "loss");
}

/// Stage 2: adjoint synthesis adds @gradient and @train_step. --explain and
/// --verify-grad report on the forward function first.
LogicalResult runAutodiffStage(Compilation &c) {
  if (explain) {
    adjoint::autodiff::ExplainOptions options;
    options.convention = explainConvention;
    llvm::Expected<std::string> text =
        adjoint::autodiff::explainGradients(*c.module, options);
    if (!text)
      return fail(llvm::toString(text.takeError()));
    llvm::outs() << *text;
  }
  if (verifyGrad) {
    adjoint::autodiff::VerifyGradOptions options;
    llvm::Expected<std::vector<adjoint::autodiff::RuleCheck>> checks =
        adjoint::autodiff::verifyModelGradients(*c.module, options);
    if (!checks)
      return fail(llvm::toString(checks.takeError()));
    if (!adjoint::autodiff::printRuleChecks(llvm::outs(), *checks, options))
      return fail("--verify-grad: some gradient rules fail their checks");
  }
  if (emitStage == Stage::NN && !memoryReport)
    return success();
  // An inference-only model (no loss) compiles its forward pass alone.
  if (!hasLoss(*c.module) && (emitStage > Stage::Grad || memoryReport))
    return success();
  // @gradient, then @train_step when the model has an optimizer.
  PassManager pm(&c.context, ModuleOp::getOperationName());
  adjoint::AutodiffPipelineOptions autodiff;
  autodiff.rematerialize = remat;
  adjoint::buildAutodiffPipeline(pm, autodiff);
  adjoint::training::TrainStepOptions trainStep;
  trainStep.optional = true;
  trainStep.optimizer = optimizerSpec;
  pm.addPass(adjoint::training::createTrainStep(trainStep));
  if (failed(applyPassManagerCLOptions(pm)) || failed(pm.run(*c.module)))
    return failure();
  return success();
}

/// --memory-report: on stdout alone, on stderr beside a module.
void printMemoryReport(Compilation &c) {
  adjoint::analysis::printMemoryReport(
      emitStage == Stage::NN ? llvm::outs() : llvm::errs(),
      adjoint::analysis::analyzeMemory(*c.module));
}

/// The lowering options of the command line.
adjoint::LoweringOptions getLoweringOptions() {
  adjoint::LoweringOptions lowering;
  lowering.threads = openmp;
  return lowering;
}

/// Runs `build`'s pipeline on the module.
LogicalResult
runPipeline(Compilation &c,
            llvm::function_ref<void(OpPassManager &,
                                    const adjoint::LoweringOptions &)>
                build,
            const adjoint::LoweringOptions &lowering) {
  PassManager pm(&c.context, ModuleOp::getOperationName());
  build(pm, lowering);
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  return pm.run(*c.module);
}

/// Stage 3: optimization and lowering to linalg on tensors.
LogicalResult runOptimizeStage(Compilation &c) {
  return runPipeline(c, adjoint::buildLowerToLinalgPipeline,
                     getLoweringOptions());
}

/// Stage 4: lowering to the LLVM dialect, with the C wrappers; the matmul
/// kernels' vector width is the target CPU's (--mcpu) unless given.
LogicalResult runLLVMStage(Compilation &c) {
  adjoint::LoweringOptions lowering = getLoweringOptions();
  adjoint::CodegenOptions target;
  target.cpu = mcpu;
  llvm::Expected<int64_t> vectorWidth =
      adjoint::getMatmulVectorWidth(target, matmulVectorWidth);
  if (!vectorWidth)
    return fail(llvm::toString(vectorWidth.takeError()));
  lowering.matmulVectorWidth = *vectorWidth;
  return runPipeline(c, adjoint::buildLowerToLLVMPipeline, lowering);
}

/// Opens the output file (atomically: it appears when kept).
std::unique_ptr<llvm::ToolOutputFile> openOutput() {
  std::string error;
  auto output = openOutputFile(outputFilename, &error);
  if (!output)
    (void)fail(error);
  return output;
}

/// Stage 5: native code, written in the form --emit asks for.
LogicalResult runCodegenStage(Compilation &c) {
  adjoint::CodegenOptions options;
  options.optLevel = optLevel - '0';
  options.cpu = mcpu;
  options.linkOpenMP = openmp;
  if (emitStage == Stage::Lib) {
    if (outputFilename == "-")
      return fail("--emit=lib needs an output file (-o FILE.so)");
    if (llvm::Error err = adjoint::emitSharedLibrary(*c.module,
                                                     outputFilename, options))
      return fail(llvm::toString(std::move(err)));
    return success();
  }
  if (emitStage == Stage::Obj && outputFilename == "-" &&
      llvm::sys::Process::StandardOutIsDisplayed())
    return fail("--emit=obj writes binary data; give -o FILE.o");

  std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
  if (!output)
    return failure();
  llvm::Error err = llvm::Error::success();
  switch (emitStage) {
  case Stage::LLVMIR:
    err = adjoint::emitLLVMIR(*c.module, output->os(), options);
    break;
  case Stage::Asm:
  case Stage::Obj:
    err = adjoint::emitMachineCode(*c.module, output->os(),
                                   emitStage == Stage::Obj, options);
    break;
  case Stage::Header: {
    llvm::Expected<adjoint::abi::NetworkABI> abi =
        adjoint::abi::readABI(*c.module);
    if (!abi) {
      err = abi.takeError();
      break;
    }
    output->os() << adjoint::generateHeader(*abi);
    break;
  }
  default:
    llvm_unreachable("not a codegen stage");
  }
  if (err)
    return fail(llvm::toString(std::move(err)));
  output->keep();
  return success();
}

/// Writes the module as MLIR text to the output file.
LogicalResult writeModule(Compilation &c) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output)
    return fail(error);
  c.module->print(output->os());
  output->os() << "\n";
  output->keep();
  return success();
}

LogicalResult compile(Compilation &c,
                      const adjoint::FrontendOptions &frontendOptions) {
  if (failed(runFrontendStage(c, frontendOptions)))
    return failure();
  if (emitStage == Stage::NN && !explain && !verifyGrad && !memoryReport)
    return writeModule(c);

  if (failed(runAutodiffStage(c)))
    return failure();
  if (memoryReport)
    printMemoryReport(c);
  if (emitStage == Stage::NN)
    return success(); // --explain, --verify-grad or --memory-report only
  if (failed(runUserPipeline(c, afterAutodiff, "after-autodiff")))
    return failure();
  if (emitStage == Stage::Grad)
    return writeModule(c);

  if (failed(runOptimizeStage(c)) ||
      failed(runUserPipeline(c, afterOptimize, "after-optimize")))
    return failure();
  if (emitStage == Stage::Linalg)
    return writeModule(c);

  if (failed(runLLVMStage(c)))
    return failure();
  if (emitStage == Stage::LLVM)
    return writeModule(c);

  return runCodegenStage(c);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  adjoint::registerAllPasses();
  cl::HideUnrelatedOptions(driverCategory);
  if (!adjoint::parseCommandLine(argc, argv, kOverview))
    return 1;

  adjoint::FrontendOptions frontendOptions;
  if (failed(checkOptions(frontendOptions)) || failed(loadPassPlugins()))
    return 1;

  DialectRegistry registry;
  adjoint::registerAllDialects(registry);
  if (!adjoint::loadDialectPlugins(dialectPlugins, registry))
    return 1;
  MLIRContext context(registry);
  // Errors point into the network file; the IR is no help to its author.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  adjoint::NetworkDiagnosticHandler diagHandler(sourceMgr, &context);
  Compilation compilation{context, sourceMgr, nullptr};
  return failed(compile(compilation, frontendOptions)) ? 1 : 0;
}
