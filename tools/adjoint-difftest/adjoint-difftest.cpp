//===- adjoint-difftest.cpp - Compiled code against the interpreter -------===//
//
// `adjoint-difftest FILE.mlir [options]` runs every public function of an nn
// module (optionally after nn-adjoint has added @gradient) with the reference
// interpreter and with the JIT on the same seeded random arguments, and
// compares every result: |jit - interp| <= atol + rtol |interp|, NaN where
// NaN. Symbolic dims get their sizes from --dims. It prints one line per
// result with the worst error and exits 1 on any mismatch, or when one engine
// fails and the other does not. With --expect-error both engines must fail;
// their messages are printed for FileCheck.
//
// Integer arguments (ids, labels) are drawn in [0, limit), the limit read
// from the ops that use them (embedding table rows, logits classes, one-hot
// classes), 10 otherwise.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Passes.h"
#include "adjoint/Autodiff/Rules.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Execution/Engine.h"
#include "adjoint/Pipelines/Pipelines.h"
#include "adjoint/Runtime/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
namespace cl = llvm::cl;

namespace {

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<module.mlir>"),
                                   cl::init("-"));
cl::list<std::string> functions("function",
                                cl::desc("Compare only this function "
                                         "(repeatable; default: all public)"));
cl::opt<bool> grad("grad", cl::desc("Run nn-adjoint on @forward first"));
cl::list<std::string> dims("dims", cl::CommaSeparated,
                           cl::desc("Sizes of the symbolic dims: N=7,T=3"));
cl::opt<unsigned> seed("seed", cl::init(0), cl::desc("Seed of the arguments"));
cl::opt<double> rtol("rtol", cl::init(1e-4), cl::desc("Relative tolerance"));
cl::opt<double> atol("atol", cl::init(1e-5), cl::desc("Absolute tolerance"));
cl::opt<double> low("low", cl::init(-1.0),
                    cl::desc("Float arguments are drawn in [low, high)"));
cl::opt<double> high("high", cl::init(1.0),
                     cl::desc("Float arguments are drawn in [low, high)"));
cl::opt<bool> expectError("expect-error",
                          cl::desc("Both engines must fail; print their "
                                   "messages"));
cl::opt<unsigned> optLevel("O", cl::Prefix, cl::init(2),
                           cl::desc("LLVM optimization level"));
cl::list<std::string> disable(
    "disable", cl::CommaSeparated, cl::value_desc("PASS,..."),
    cl::desc("Compile the JIT side without these optimizations, to check "
             "that each preserves behaviour: matmul-microkernels, "
             "fuse-elementwise, temporaries-arena, im2col, direct-conv, "
             "matmul-epilogues"));
cl::opt<unsigned> jitThreads(
    "jit-threads", cl::init(1),
    cl::desc("Worker threads of the JIT side (more than 1 splits large "
             "matmuls and elementwise ops over OpenMP threads)"));
cl::opt<int64_t> matmulVectorWidth(
    "matmul-vector-width", cl::init(0), cl::value_desc("0|4|8|16"),
    cl::desc("The lanes of the JIT's matmul kernels (default 0: 16 on a CPU "
             "with AVX-512, else 8)"));
cl::list<std::string> overrides(
    "set", cl::desc("Fix an argument: NAME=V1,V2,... (row-major)"));

/// The exclusive upper bound of the values an integer argument may take.
int64_t getIdLimit(Value value) {
  int64_t limit = -1;
  auto tighten = [&](int64_t l) {
    if (l > 0 && !ShapedType::isDynamic(l))
      limit = limit < 0 ? l : std::min(limit, l);
  };
  SmallVector<Value> worklist = {value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (auto op = llvm::dyn_cast<nn::EmbeddingOp>(user))
        tighten(op.getWeight().getType().getDimSize(0));
      else if (auto op = llvm::dyn_cast<nn::EmbeddingBackwardOp>(user))
        tighten(op.getType().getDimSize(0));
      else if (auto op = llvm::dyn_cast<nn::SoftmaxCrossEntropyOp>(user))
        tighten(op.getLogits().getType().getDimSize(1));
      else if (auto op = llvm::dyn_cast<nn::OneHotOp>(user))
        tighten(op.getType().getShape().back());
      else if (llvm::isa<nn::ReshapeOp, nn::TransposeOp, nn::BroadcastOp>(user))
        worklist.push_back(user->getResult(0));
    }
  }
  return limit < 0 ? 10 : limit;
}

/// Random arguments for `func`.
llvm::Expected<SmallVector<HostTensor>>
makeArguments(func::FuncOp func, const llvm::StringMap<int64_t> &sizes) {
  SmallVector<HostTensor> arguments;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto type = llvm::cast<RankedTensorType>(func.getArgumentTypes()[i]);
    auto dimNames = func.getArgAttrOfType<ArrayAttr>(i, nn::NNDialect::kDimsAttr);
    auto nameAttr = func.getArgAttrOfType<StringAttr>(i, nn::NNDialect::kNameAttr);
    std::string name = nameAttr ? nameAttr.str() : "arg" + std::to_string(i);
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d)) {
        shape.push_back(type.getDimSize(d));
        continue;
      }
      std::string symbol;
      if (dimNames && d < static_cast<int64_t>(dimNames.size()))
        symbol = llvm::cast<StringAttr>(dimNames[d]).str();
      auto it = sizes.find(symbol);
      if (symbol.empty() || it == sizes.end())
        return llvm::createStringError(
            "argument '" + name + "' dim " + std::to_string(d) +
            " is dynamic: give its symbol ('" + symbol + "') a size with --dims");
      shape.push_back(it->second);
    }
    Type elementType = type.getElementType();
    RandomStream random(seed, func.getName().str() + "." + name);
    HostTensor tensor;
    if (elementType.isF32() || elementType.isF64()) {
      tensor = HostTensor(elementType.isF32() ? DType::F32 : DType::F64, shape);
      for (int64_t k = 0; k < tensor.getNumElements(); ++k) {
        double v = low + (high - low) * random.getUniform(k);
        if (elementType.isF32())
          tensor.getMutableValues<float>()[k] = static_cast<float>(v);
        else
          tensor.getMutableValues<double>()[k] = v;
      }
    } else if (elementType.isInteger(64) || elementType.isInteger(32)) {
      bool isSeed = func.getArgAttrOfType<StringAttr>(i, nn::NNDialect::kKindAttr) ==
                    StringAttr::get(func.getContext(), "seed");
      int64_t limit = getIdLimit(func.getArgument(i));
      tensor = HostTensor(elementType.isInteger(64) ? DType::I64 : DType::I32,
                          shape);
      for (int64_t k = 0; k < tensor.getNumElements(); ++k) {
        uint64_t bits = random.getBits(k);
        int64_t v = isSeed ? static_cast<int64_t>(bits >> 1)
                           : static_cast<int64_t>(bits % limit);
        if (elementType.isInteger(64))
          tensor.getMutableValues<int64_t>()[k] = v;
        else
          tensor.getMutableValues<int32_t>()[k] = static_cast<int32_t>(v);
      }
    } else {
      return llvm::createStringError("argument '" + name +
                                     "' has an unsupported element type");
    }
    for (const std::string &o : overrides) {
      auto [key, values] = llvm::StringRef(o).split('=');
      if (key != name)
        continue;
      SmallVector<llvm::StringRef> items;
      values.split(items, ',');
      for (auto [k, item] : llvm::enumerate(items)) {
        if (static_cast<int64_t>(k) >= tensor.getNumElements())
          break;
        double v = 0;
        if (item.trim().getAsDouble(v))
          return llvm::createStringError("bad value in --set " + o);
        switch (tensor.getDType()) {
        case DType::F32:
          tensor.getMutableValues<float>()[k] = static_cast<float>(v);
          break;
        case DType::F64:
          tensor.getMutableValues<double>()[k] = v;
          break;
        case DType::I64:
          tensor.getMutableValues<int64_t>()[k] = static_cast<int64_t>(v);
          break;
        case DType::I32:
          tensor.getMutableValues<int32_t>()[k] = static_cast<int32_t>(v);
          break;
        }
      }
    }
    arguments.push_back(std::move(tensor));
  }
  return arguments;
}

/// Compares one result; prints a line; returns whether it matches.
bool compare(llvm::StringRef function, unsigned index, llvm::StringRef name,
             const HostTensor &expected, const HostTensor &actual) {
  llvm::outs() << function << ": result " << index << " '" << name << "' "
               << formatShape(expected.getShape()) << ": ";
  if (expected.getDType() != actual.getDType() ||
      expected.getShape() != actual.getShape()) {
    llvm::outs() << "MISMATCH: jit gives " << getDTypeName(actual.getDType())
                 << formatShape(actual.getShape()) << ", interp "
                 << getDTypeName(expected.getDType())
                 << formatShape(expected.getShape()) << "\n";
    return false;
  }
  double worst = 0, worstExcess = 0;
  int64_t worstIndex = -1, bad = 0;
  for (int64_t k = 0; k < expected.getNumElements(); ++k) {
    double e = expected.getElementAsDouble(k), a = actual.getElementAsDouble(k);
    bool ok;
    double err = 0;
    if (std::isnan(e) || std::isnan(a)) {
      ok = std::isnan(e) && std::isnan(a);
      err = ok ? 0 : INFINITY;
    } else if (std::isinf(e) || std::isinf(a)) {
      ok = e == a;
      err = ok ? 0 : INFINITY;
    } else {
      err = std::fabs(a - e);
      ok = err <= atol + rtol * std::fabs(e);
    }
    double excess = err - (atol + rtol * std::fabs(e));
    if (!ok)
      ++bad;
    if (err > worst)
      worst = err;
    if (worstIndex < 0 || excess > worstExcess) {
      worstExcess = excess;
      worstIndex = k;
    }
  }
  if (bad == 0) {
    llvm::outs() << "ok (max abs error " << llvm::format("%.3g", worst)
                 << ")\n";
    return true;
  }
  llvm::outs() << "MISMATCH in " << bad << " of " << expected.getNumElements()
               << " elements; worst at " << worstIndex << ": jit "
               << actual.getElementAsDouble(worstIndex) << ", interp "
               << expected.getElementAsDouble(worstIndex) << "\n";
  return false;
}

int run() {
  DialectRegistry registry;
  registry.insert<nn::NNDialect>();
  registerLoweringDialects(registry);
  registerNNAutodiffModels(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::string error;
  auto file = openInputFile(inputFilename, &error);
  if (!file) {
    llvm::WithColor::error() << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (grad) {
    PassManager pm(&context, ModuleOp::getOperationName());
    pm.addPass(createNNAdjoint());
    if (failed(pm.run(*module)))
      return 1;
  }

  llvm::StringMap<int64_t> sizes;
  for (const std::string &d : dims) {
    auto [name, value] = llvm::StringRef(d).split('=');
    int64_t size;
    if (value.getAsInteger(10, size)) {
      llvm::WithColor::error() << "bad --dims entry '" << d << "'\n";
      return 1;
    }
    sizes[name] = size;
  }

  std::unique_ptr<Engine> interp = createInterpreterEngine(*module);
  JitOptions jitOptions;
  jitOptions.codegen.optLevel = optLevel;
  jitOptions.threads = jitThreads;
  jitOptions.lowering.matmulVectorWidth = matmulVectorWidth;
  for (const std::string &name : disable) {
    LoweringOptions &lowering = jitOptions.lowering;
    bool *flag = llvm::StringSwitch<bool *>(name)
                     .Case("matmul-microkernels", &lowering.matmulMicrokernels)
                     .Case("fuse-elementwise", &lowering.fuseElementwise)
                     .Case("temporaries-arena", &lowering.temporariesArena)
                     .Case("im2col", &lowering.im2col)
                     .Case("direct-conv", &lowering.directConv)
                     .Case("matmul-epilogues", &lowering.matmulEpilogues)
                     .Default(nullptr);
    if (!flag) {
      llvm::WithColor::error()
          << "--disable: unknown optimization '" << name
          << "' (matmul-microkernels, fuse-elementwise, temporaries-arena, "
             "im2col, direct-conv, matmul-epilogues)\n";
      return 1;
    }
    *flag = false;
  }
  llvm::Expected<std::unique_ptr<Engine>> jit =
      createJitEngine(*module, jitOptions);
  if (!jit) {
    llvm::WithColor::error() << llvm::toString(jit.takeError()) << "\n";
    return 1;
  }

  bool allOk = true;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (!functions.empty() && !llvm::is_contained(functions, func.getName()))
      continue;
    llvm::Expected<SmallVector<HostTensor>> arguments =
        makeArguments(func, sizes);
    if (!arguments) {
      llvm::WithColor::error() << llvm::toString(arguments.takeError()) << "\n";
      return 1;
    }
    auto expected = interp->run(func.getName(), *arguments);
    auto actual = (*jit)->run(func.getName(), *arguments);
    if (expectError) {
      bool bothFailed = !expected && !actual;
      llvm::outs() << func.getName() << ": interp error: "
                   << (expected ? "none" : llvm::toString(expected.takeError()))
                   << "\n";
      llvm::outs() << func.getName() << ": jit error: "
                   << (actual ? "none" : llvm::toString(actual.takeError()))
                   << "\n";
      allOk &= bothFailed;
      continue;
    }
    if (!expected || !actual) {
      llvm::outs() << func.getName() << ": MISMATCH: interp "
                   << (expected ? "succeeds"
                                : "fails: " + llvm::toString(expected.takeError()))
                   << "; jit "
                   << (actual ? "succeeds"
                              : "fails: " + llvm::toString(actual.takeError()))
                   << "\n";
      allOk = false;
      continue;
    }
    for (unsigned j = 0; j < expected->size(); ++j) {
      auto nameAttr =
          func.getResultAttrOfType<StringAttr>(j, nn::NNDialect::kNameAttr);
      allOk &= compare(func.getName(), j, nameAttr ? nameAttr.getValue() : "",
                       (*expected)[j], (*actual)[j]);
    }
  }
  return allOk ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Runs an nn module with the interpreter and the JIT and compares\n");
  return run();
}
