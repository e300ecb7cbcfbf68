//===- Codegen.h - LLVM IR, assembly, objects, shared libraries --*- C++ -*-===//
//
// The last stage of adjointc: a module in the LLVM dialect (after
// adjoint-lower-to-llvm) becomes LLVM IR, optimized by LLVM's pipeline for
// the target machine, then assembly or an object file (position independent
// code, so that the same object links into an executable or a shared
// library). A shared library is made by invoking the system C compiler
// (`cc -shared`) on that object.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_EXECUTION_CODEGEN_H
#define ADJOINT_EXECUTION_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace adjoint {

struct CodegenOptions {
  /// 0 to 3: LLVM's -O level for the IR optimizer and the code generator.
  unsigned optLevel = 2;
  /// The target CPU (`--mcpu`); empty: the host CPU with its features.
  std::string cpu;
  /// Extra target features ("+avx2,-fma"), added to the CPU's.
  std::string features;
  /// Link shared libraries against libomp (getOpenMPLibraryPath()), for code
  /// lowered with LoweringOptions::threads.
  bool linkOpenMP = false;
};

/// The libomp that threaded code needs (LLVM 22's, found when Adjoint was
/// configured), or empty when it was not found.
llvm::StringRef getOpenMPLibraryPath();

/// A target machine for the host triple and `options.cpu` (PIC). Fails with
/// a message for an unknown CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const CodegenOptions &options);

/// The lanes of the matmul kernels' f32 vectors for the target of
/// `options`: 16 where it has AVX-512 (full 512-bit FMAs on AVX-512 CPUs
/// such as AMD Zen 5 double the peak of 8-lane AVX2 code), else 8.
/// `requested` other than 0 is returned as it is, if 4, 8 or 16.
llvm::Expected<int64_t> getMatmulVectorWidth(const CodegenOptions &options,
                                             int64_t requested = 0);

/// Translates `module` (LLVM dialect) to LLVM IR for `targetMachine` and
/// runs LLVM's optimization pipeline at options.optLevel.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &targetMachine,
                     const CodegenOptions &options);

/// Writes the optimized LLVM IR of `module` as text.
llvm::Error emitLLVMIR(mlir::ModuleOp module, llvm::raw_ostream &os,
                       const CodegenOptions &options);

/// Writes assembly (`object` false) or an ELF object file (`object` true).
llvm::Error emitMachineCode(mlir::ModuleOp module, llvm::raw_pwrite_stream &os,
                            bool object, const CodegenOptions &options);

/// Compiles `module` to an object file and links it into the shared library
/// `outputPath` with the C compiler (`$CC`, else `cc`) and `-lm` (and libomp,
/// with its directory as the rpath, with options.linkOpenMP). The library
/// appears at `outputPath` only when everything succeeded.
llvm::Error emitSharedLibrary(mlir::ModuleOp module, llvm::StringRef outputPath,
                              const CodegenOptions &options);

} // namespace adjoint

#endif // ADJOINT_EXECUTION_CODEGEN_H
