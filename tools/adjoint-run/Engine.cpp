//===- Engine.cpp - The engines adjoint-run evaluates with ----------------===//

#include "Engine.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::run;

llvm::Expected<std::unique_ptr<ModelEngine>>
ModelEngine::create(EngineKind kind, ModuleOp module,
                    llvm::ArrayRef<llvm::StringRef> names,
                    const EngineOptions &options, llvm::StringRef rename) {
  auto result = std::unique_ptr<ModelEngine>(new ModelEngine());
  result->module = llvm::cast<ModuleOp>(module->clone());
  ModuleOp copy = *result->module;
  // Keep the functions asked for, public; drop the other public ones and the
  // private ones nothing calls any more.
  for (func::FuncOp func :
       llvm::make_early_inc_range(copy.getOps<func::FuncOp>())) {
    if (llvm::is_contained(names, func.getSymName()))
      func.setPublic();
    else if (func.isPublic())
      func.erase();
  }
  bool erased = true;
  while (erased) {
    erased = false;
    for (func::FuncOp func :
         llvm::make_early_inc_range(copy.getOps<func::FuncOp>())) {
      if (func.isPublic() || !SymbolTable::symbolKnownUseEmpty(func, copy))
        continue;
      func.erase();
      erased = true;
    }
  }
  for (llvm::StringRef name : names)
    if (!copy.lookupSymbol<func::FuncOp>(name))
      return llvm::createStringError("the model has no function @" + name);
  if (!rename.empty() && names.size() == 1 && rename != names.front()) {
    if (Operation *other = copy.lookupSymbol(rename))
      other->erase();
    copy.lookupSymbol<func::FuncOp>(names.front()).setSymName(rename);
  }

  switch (kind) {
  case EngineKind::Interp:
    result->engine = createInterpreterEngine(copy);
    break;
  case EngineKind::Jit: {
    JitOptions jitOptions;
    jitOptions.codegen.optLevel = options.optLevel;
    jitOptions.threads = options.threads;
    jitOptions.lowering.matmulVectorWidth = options.matmulVectorWidth;
    // The C symbols need a prefix; an ONNX model may have no module name.
    jitOptions.lowering.prefix = "adjoint_run";
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<std::unique_ptr<Engine>> jit =
        createJitEngine(copy, jitOptions);
    if (!jit)
      return jit.takeError();
    if (options.timeCompile) {
      std::chrono::duration<double> seconds =
          std::chrono::steady_clock::now() - start;
      llvm::errs() << "adjoint-run: compiled @"
                   << llvm::join(names.begin(), names.end(), ", @") << " in "
                   << llvm::format("%.3f", seconds.count()) << " s (-O"
                   << options.optLevel << ")\n";
    }
    result->engine = std::move(*jit);
    break;
  }
  }
  return result;
}

llvm::Expected<llvm::SmallVector<HostTensor>>
run::runFunction(EngineKind kind, func::FuncOp func,
                 llvm::ArrayRef<HostTensor> arguments,
                 const EngineOptions &options, llvm::StringRef displayName) {
  auto module = func->getParentOfType<ModuleOp>();
  llvm::StringRef name = func.getSymName();
  if (displayName.empty())
    displayName = name;
  llvm::Expected<std::unique_ptr<ModelEngine>> engine =
      ModelEngine::create(kind, module, {name}, options, displayName);
  if (!engine)
    return engine.takeError();
  return (*engine)->run(displayName, arguments);
}
