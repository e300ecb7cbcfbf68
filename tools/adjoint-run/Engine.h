//===- Engine.h - The engines adjoint-run evaluates with ---------*- C++ -*-===//
//
// `--engine=jit` (the default) compiles the functions a run needs to native
// code in memory (lib/Execution); `--engine=interp` evaluates them with the
// reference interpreter. Both see a module reduced to those functions, so a
// plain run does not pay for compiling the gradient, and training compiles
// @train_step and @eval_step only.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TOOLS_ADJOINT_RUN_ENGINE_H
#define ADJOINT_TOOLS_ADJOINT_RUN_ENGINE_H

#include "adjoint/Execution/Engine.h"
#include "adjoint/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace adjoint::run {

enum class EngineKind { Jit, Interp };

struct EngineOptions {
  /// Worker threads (0: all cores).
  unsigned threads = 0;
  /// LLVM's optimization level for the JIT.
  unsigned optLevel = 2;
  /// Print the JIT's compile time on stderr (--time-compile).
  bool timeCompile = false;
  /// The lanes of the matmul kernels' vectors; 0: from the host CPU.
  int64_t matmulVectorWidth = 0;
};

/// An engine over a private copy of a module that keeps only some of its
/// functions, each made public.
class ModelEngine {
public:
  /// Copies `module`, keeps the functions `names` (and what they call), and
  /// prepares `kind` over the copy: the JIT compiles it here. With `rename`,
  /// the one function kept is called that in the copy (and in messages).
  static llvm::Expected<std::unique_ptr<ModelEngine>>
  create(EngineKind kind, mlir::ModuleOp module,
         llvm::ArrayRef<llvm::StringRef> names, const EngineOptions &options,
         llvm::StringRef rename = "");

  /// Runs the function `name` on `arguments` (one per argument, in order).
  llvm::Expected<llvm::SmallVector<HostTensor>>
  run(llvm::StringRef name, llvm::ArrayRef<HostTensor> arguments) {
    return engine->run(name, arguments);
  }

private:
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<Engine> engine;
};

/// Evaluates `func` of its module on `arguments` with `kind`, returning one
/// tensor per result. `displayName` is the function's name in messages.
llvm::Expected<llvm::SmallVector<HostTensor>>
runFunction(EngineKind kind, mlir::func::FuncOp func,
            llvm::ArrayRef<HostTensor> arguments, const EngineOptions &options,
            llvm::StringRef displayName = "");

} // namespace adjoint::run

#endif // ADJOINT_TOOLS_ADJOINT_RUN_ENGINE_H
