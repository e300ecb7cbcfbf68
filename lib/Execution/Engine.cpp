//===- Engine.cpp - The interpreter and the JIT engines -------------------===//
//
// The JIT lowers a copy of the module with the same pipelines as adjointc,
// compiles it with mlir::ExecutionEngine, and calls the C-ABI wrappers
// through their packed form (`_mlir_<symbol>(void **args)`): arguments are
// checked and symbolic dims bound from the tensors, parameters copied into
// one struct, results allocated with the shapes that the ABI gives.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Execution/Engine.h"

#include "adjoint/Conversion/CInterface/ABI.h"
#include "adjoint/Interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/DynamicLibrary.h"

#include <cstring>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::abi;

Engine::~Engine() = default;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// The interpreter
//===----------------------------------------------------------------------===//

namespace {

class InterpreterEngine : public Engine {
public:
  explicit InterpreterEngine(ModuleOp module) : module(module) {}

  llvm::Expected<llvm::SmallVector<HostTensor>>
  run(llvm::StringRef function, llvm::ArrayRef<HostTensor> arguments) override {
    auto func = module.lookupSymbol<func::FuncOp>(function);
    if (!func)
      return makeError("the model has no function '" + function + "'");
    if (func.getNumArguments() != arguments.size())
      return makeError(function + " takes " +
                       llvm::Twine(func.getNumArguments()) +
                       " arguments, got " + llvm::Twine(arguments.size()));
    return interp::evaluate(func, arguments);
  }

  llvm::StringRef getName() const override { return "interp"; }

private:
  ModuleOp module;
};

} // namespace

std::unique_ptr<Engine> adjoint::createInterpreterEngine(ModuleOp module) {
  return std::make_unique<InterpreterEngine>(module);
}

//===----------------------------------------------------------------------===//
// Lowering
//===----------------------------------------------------------------------===//

llvm::Error adjoint::lowerToLLVMDialect(ModuleOp module,
                                        const LoweringOptions &options) {
  std::string diagnostics;
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    if (!diagnostics.empty())
      os << "\n";
    os << diag.getLocation() << ": " << diag;
    for (const Diagnostic &note : diag.getNotes())
      os << "\n  note: " << note;
    return success();
  });
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  buildLowerToLinalgPipeline(pm, options);
  buildLowerToLLVMPipeline(pm, options);
  if (failed(pm.run(module)))
    return makeError("compiling the model failed" +
                     (diagnostics.empty() ? "" : ":\n" + diagnostics));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// The JIT
//===----------------------------------------------------------------------===//

namespace {

class JitEngine : public Engine {
public:
  JitEngine(NetworkABI abi, std::unique_ptr<ExecutionEngine> engine)
      : abi(std::move(abi)), engine(std::move(engine)) {}
  /// Frees the workspaces that the compiled functions keep between calls
  /// (adjoint-reuse-arena), before their code and globals go away.
  ~JitEngine() override {
    llvm::Expected<void *> release =
        engine->lookup(getReleaseWorkspaceSymbol(this->abi.network));
    if (!release) {
      llvm::consumeError(release.takeError());
      return;
    }
    reinterpret_cast<void (*)()>(*release)();
  }

  llvm::Expected<llvm::SmallVector<HostTensor>>
  run(llvm::StringRef function, llvm::ArrayRef<HostTensor> arguments) override;

  llvm::StringRef getName() const override { return "jit"; }

private:
  NetworkABI abi;
  std::unique_ptr<ExecutionEngine> engine;
};

/// The state struct, 64-byte aligned.
struct StateBuffer {
  explicit StateBuffer(int64_t bytes)
      : storage(static_cast<size_t>(bytes) + 64, std::byte{0}) {}
  std::byte *data() {
    auto address = reinterpret_cast<uintptr_t>(storage.data());
    return storage.data() + ((64 - address % 64) % 64);
  }
  std::vector<std::byte> storage;
};

/// Checks `tensor` against the ABI type `t` and binds its symbolic dims.
llvm::Error bindArgument(llvm::StringRef function, const Tensor &t,
                         const HostTensor &tensor,
                         llvm::StringMap<int64_t> &bindings,
                         llvm::StringMap<std::string> &origins) {
  auto describe = [&] {
    return (function + ": " + t.kind + " '" + t.name + "'").str();
  };
  if (tensor.getDType() != t.dtype)
    return makeError(describe() + " must be " + getDTypeName(t.dtype) +
                     ", got " + getDTypeName(tensor.getDType()));
  llvm::ArrayRef<int64_t> shape = tensor.getShape();
  if (shape.size() != t.shape.size())
    return makeError(describe() + " has shape " + formatShape(shape) +
                     ", expected " + t.formatShape());
  for (size_t d = 0; d < shape.size(); ++d) {
    const Dim &dim = t.shape[d];
    if (!dim.isSymbolic()) {
      if (shape[d] != dim.size)
        return makeError(describe() + " has shape " + formatShape(shape) +
                         ", expected " + t.formatShape());
      continue;
    }
    auto [it, inserted] = bindings.try_emplace(dim.symbol, shape[d]);
    if (inserted) {
      origins[dim.symbol] = describe();
      continue;
    }
    if (it->second != shape[d])
      return makeError(describe() + " has shape " + formatShape(shape) +
                       ", where " + dim.symbol + " = " +
                       llvm::Twine(shape[d]) + ", but " + origins[dim.symbol] +
                       " gives " + dim.symbol + " = " +
                       llvm::Twine(it->second));
  }
  return llvm::Error::success();
}

llvm::Expected<llvm::SmallVector<HostTensor>>
JitEngine::run(llvm::StringRef function, llvm::ArrayRef<HostTensor> arguments) {
  const Function *f = abi.lookup(function);
  if (!f)
    return makeError("the model has no function '" + function + "'");
  if (f->arguments.size() != arguments.size())
    return makeError(function + " takes " + llvm::Twine(f->arguments.size()) +
                     " arguments, got " + llvm::Twine(arguments.size()));

  // Check the arguments, bind the symbolic dims, fill the state struct.
  llvm::StringMap<int64_t> bindings;
  llvm::StringMap<std::string> origins;
  for (auto [t, tensor] : llvm::zip_equal(f->arguments, arguments))
    if (llvm::Error err = bindArgument(function, t, tensor, bindings, origins))
      return std::move(err);
  StateBuffer state(abi.stateBytes), grad(abi.stateBytes),
      newState(abi.stateBytes);
  for (auto [i, field] : llvm::enumerate(f->argumentFields)) {
    if (field < 0)
      continue;
    const StateField &s = abi.state[field];
    std::memcpy(state.data() + s.offset, arguments[i].getData(),
                arguments[i].getNumBytes());
  }

  // Results, with their shapes from the bound dims.
  llvm::SmallVector<HostTensor> results;
  for (const Tensor &t : f->results) {
    llvm::SmallVector<int64_t, 4> shape;
    for (const Dim &d : t.shape) {
      if (!d.isSymbolic()) {
        shape.push_back(d.size);
        continue;
      }
      auto it = bindings.find(d.symbol);
      if (it == bindings.end())
        return makeError(function + ": result '" + t.name + "' depends on " +
                         d.symbol + ", which no argument gives");
      shape.push_back(it->second);
    }
    llvm::Expected<HostTensor> result = HostTensor::create(t.dtype, shape);
    if (!result)
      return result.takeError();
    results.push_back(std::move(*result));
  }

  // The packed call: a pointer to each argument, then to the status.
  llvm::SmallVector<void *> pointers(f->params.size());
  llvm::SmallVector<int64_t> integers(f->params.size());
  llvm::SmallVector<void *> packed;
  for (auto [i, p] : llvm::enumerate(f->params)) {
    switch (p.kind) {
    case ParamKind::State:
      pointers[i] = state.data();
      break;
    case ParamKind::Grad:
      pointers[i] = grad.data();
      break;
    case ParamKind::NewState:
      pointers[i] = newState.data();
      break;
    case ParamKind::Input:
      pointers[i] = const_cast<void *>(arguments[p.index].getData());
      break;
    case ParamKind::Result:
      pointers[i] = results[p.index].getData();
      break;
    case ParamKind::Dim: {
      auto it = bindings.find(abi.symbols[p.index]);
      integers[i] = it == bindings.end() ? 0 : it->second;
      break;
    }
    case ParamKind::Seed:
      integers[i] = arguments[p.index].getValues<int64_t>()[0];
      break;
    }
    packed.push_back(p.kind == ParamKind::Dim || p.kind == ParamKind::Seed
                         ? static_cast<void *>(&integers[i])
                         : static_cast<void *>(&pointers[i]));
  }
  int32_t status = -1;
  packed.push_back(&status);
  if (llvm::Error err = engine->invokePacked(f->symbol, packed))
    return std::move(err);
  if (status != 0)
    return makeError(function + ": run-time check failed (status " +
                     llvm::Twine(status) + "): " + f->describeStatus(status));

  // Results that live in the grad and new-state structs.
  for (auto [j, field] : llvm::enumerate(f->resultFields)) {
    if (field < 0)
      continue;
    const StateField &s = abi.state[field];
    StateBuffer &from =
        f->resultStructs[j] == ParamKind::Grad ? grad : newState;
    std::memcpy(results[j].getData(), from.data() + s.offset,
                results[j].getNumBytes());
  }
  return results;
}

} // namespace

/// Loads libomp into the process for good, with its symbols global: the JIT
/// resolves the compiled code's calls (__kmpc_*) among the process's symbols,
/// and libomp's worker threads outlive any one engine. Then sets its thread
/// count; 0 keeps libomp's default, one thread per core (or OMP_NUM_THREADS).
static llvm::Error setOpenMPThreads(unsigned threads) {
  llvm::StringRef path = getOpenMPLibraryPath();
  if (path.empty())
    return llvm::createStringError(
        "--threads: this build of Adjoint has no OpenMP runtime (install "
        "libomp-22-dev and configure again), so compiled code runs on one "
        "thread; give --threads 1");
  std::string message;
  auto library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.str().c_str(),
                                                     &message);
  if (!library.isValid())
    return llvm::createStringError("cannot load the OpenMP runtime '" + path +
                                   "': " + message);
  if (threads == 0)
    return llvm::Error::success();
  auto setNumThreads = reinterpret_cast<void (*)(int)>(
      library.getAddressOfSymbol("omp_set_num_threads"));
  if (!setNumThreads)
    return llvm::createStringError("the OpenMP runtime '" + path +
                                   "' has no omp_set_num_threads");
  setNumThreads(static_cast<int>(threads));
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Engine>>
adjoint::createJitEngine(ModuleOp module, const JitOptions &options) {
  OwningOpRef<ModuleOp> lowered(llvm::cast<ModuleOp>(module->clone()));
  LoweringOptions lowering = options.lowering;
  llvm::Expected<int64_t> vectorWidth =
      getMatmulVectorWidth(options.codegen, lowering.matmulVectorWidth);
  if (!vectorWidth)
    return vectorWidth.takeError();
  lowering.matmulVectorWidth = *vectorWidth;
  bool threaded = options.threads != 1;
  if (threaded) {
    if (llvm::Error err = setOpenMPThreads(options.threads))
      return std::move(err);
    lowering.threads = true;
  }
  if (llvm::Error err = lowerToLLVMDialect(*lowered, lowering))
    return std::move(err);
  llvm::Expected<NetworkABI> abi = readABI(*lowered);
  if (!abi)
    return abi.takeError();

  auto machine = createTargetMachine(options.codegen);
  if (!machine)
    return machine.takeError();
  auto optimize = makeOptimizingTransformer(options.codegen.optLevel,
                                            /*sizeLevel=*/0, machine->get());
  // Tell the IR optimizer about the CPU, as the AOT path does.
  std::string cpu = (*machine)->getTargetCPU().str();
  std::string features = (*machine)->getTargetFeatureString().str();
  std::function<llvm::Error(llvm::Module *)> transformer =
      [&](llvm::Module *llvmModule) {
        for (llvm::Function &fn : *llvmModule) {
          if (fn.isDeclaration())
            continue;
          fn.addFnAttr("target-cpu", cpu);
          if (!features.empty())
            fn.addFnAttr("target-features", features);
        }
        return optimize(llvmModule);
      };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = (*machine)->getOptLevel();
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = false;
  auto engine =
      ExecutionEngine::create(*lowered, engineOptions, std::move(*machine));
  if (!engine)
    return engine.takeError();
  // Compile every function now (the JIT would on the first call), so that
  // the first run is not slower than the others and compile errors show here.
  for (const Function &f : abi->functions)
    if (auto fn = (*engine)->lookupPacked(f.symbol); !fn)
      return fn.takeError();
  return std::make_unique<JitEngine>(std::move(*abi), std::move(*engine));
}
