//===- Engine.h - Running network functions on host tensors ------*- C++ -*-===//
//
// One interface over the two ways Adjoint runs a network: the reference
// interpreter, and native code compiled in memory (the JIT). Both take and
// return one HostTensor per argument and result of the nn function, so that
// tools and tests switch engines without other changes. The JIT calls the
// same C-ABI wrappers that the AOT library exports.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_EXECUTION_ENGINE_H
#define ADJOINT_EXECUTION_ENGINE_H

#include "adjoint/Execution/Codegen.h"
#include "adjoint/Pipelines/Pipelines.h"
#include "adjoint/Runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace adjoint {

class Engine {
public:
  virtual ~Engine();

  /// Runs the network function `function` ("forward", "gradient") on
  /// `arguments`, one per function argument in order (dynamic dims are taken
  /// from the tensors), and returns one tensor per result. Errors name the
  /// function and what is wrong: an argument of the wrong dtype or shape, a
  /// failed run-time check (an id out of range, ...).
  virtual llvm::Expected<llvm::SmallVector<HostTensor>>
  run(llvm::StringRef function, llvm::ArrayRef<HostTensor> arguments) = 0;

  /// "interp" or "jit".
  virtual llvm::StringRef getName() const = 0;
};

/// The reference interpreter over `module` (nn IR), which must outlive the
/// engine.
std::unique_ptr<Engine> createInterpreterEngine(mlir::ModuleOp module);

struct JitOptions {
  LoweringOptions lowering;
  CodegenOptions codegen;
  /// Worker threads of the compiled code: 1 runs it on the calling thread
  /// alone; N > 1 (or 0, all cores) splits large matmuls over OpenMP threads
  /// (LoweringOptions::threads), with libomp loaded into the process. The
  /// split is by columns of the result, so results do not depend on N.
  unsigned threads = 1;
};

/// Compiles a copy of `module` (nn IR with its forward, gradient, ...
/// functions) to native code in memory. Errors carry the compiler's
/// diagnostics.
llvm::Expected<std::unique_ptr<Engine>>
createJitEngine(mlir::ModuleOp module, const JitOptions &options = {});

/// Runs the lowering pipelines (adjoint-lower-to-linalg, then
/// adjoint-lower-to-llvm) on `module` in place; errors carry the
/// diagnostics.
llvm::Error lowerToLLVMDialect(mlir::ModuleOp module,
                               const LoweringOptions &options);

} // namespace adjoint

#endif // ADJOINT_EXECUTION_ENGINE_H
