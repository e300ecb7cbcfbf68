//===- Pipelines.h - The lowering pipelines of Adjoint -----------*- C++ -*-===//
//
// Each stage of the lowering is one function that fills a pass manager, used
// by adjointc, adjoint-run and the JIT, and registered for adjoint-opt as a
// named pipeline (IREE style): one source of truth.
//
//   adjoint-lower-to-linalg   nn -> linalg, tensor, arith, math on tensors
//   adjoint-lower-to-llvm     linalg on tensors -> C wrappers -> one-shot
//                             bufferization -> loops -> the LLVM dialect
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_PIPELINES_PIPELINES_H
#define ADJOINT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace adjoint {

struct LoweringOptions {
  /// Wrap the public functions into C-callable functions
  /// (adjoint-generate-c-interface). Without it the functions keep their
  /// memref signatures, which only the lit tests look at.
  bool cInterface = true;
  /// The prefix of the C symbols; empty: the module's name.
  std::string prefix;
  /// Lower f32 matmuls with adjoint-matmul-microkernels (packed,
  /// register-blocked vector code); otherwise they become scalar loops.
  bool matmulMicrokernels = true;
  /// Fuse chains of elementwise linalg ops on tensors
  /// (linalg-fuse-elementwise-ops) at the end of the linalg pipeline.
  bool fuseElementwise = true;
  /// Place the temporaries of a function body in one allocation
  /// (adjoint-temporaries-arena).
  bool temporariesArena = true;
  /// Lower convolutions whose output has static spatial dims as an im2col
  /// copy and a matmul (convert-nn-to-linalg{im2col}), for the matmul
  /// micro-kernels; otherwise linalg's convolution ops, as scalar loops.
  bool im2col = true;
  /// Lower stride-1 convolutions with few terms per output as vector loops
  /// over the output rows (convert-nn-to-linalg{direct-conv}), forward and
  /// filter gradient; the rest as `im2col` says.
  bool directConv = true;
  /// With `threads`, run the elementwise ops that consume a product's
  /// result on each thread's chunk of it, right after the kernel
  /// (adjoint-matmul-microkernels{epilogues}).
  bool matmulEpilogues = true;
  /// Split large matmuls over threads: scf.parallel -> OpenMP. The code then
  /// calls libomp (__kmpc_*, omp_get_max_threads), so the JIT must load
  /// libomp and a library must link it; the thread count is libomp's
  /// (OMP_NUM_THREADS, omp_set_num_threads).
  bool threads = false;
  /// The lanes of the matmul kernels' f32 vectors; 0: the pass's default
  /// (8). The tools take it from the target CPU (getMatmulVectorWidth in
  /// adjoint/Execution/Codegen.h): 16 with AVX-512, else 8.
  int64_t matmulVectorWidth = 0;
};

/// nn -> linalg/tensor/arith/math on tensors, canonicalized.
void buildLowerToLinalgPipeline(mlir::OpPassManager &pm,
                                const LoweringOptions &options);

/// Linalg on tensors -> the LLVM dialect: C wrappers, one-shot
/// bufferization, buffer deallocation, loops, and the conversions to LLVM.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LoweringOptions &options);

/// Registers the dialects, external models and LLVM IR translations that
/// the pipelines need.
void registerLoweringDialects(mlir::DialectRegistry &registry);

/// Registers the conversion passes, the upstream passes the pipelines use,
/// and the named pipelines for adjoint-opt.
void registerLoweringPasses();

} // namespace adjoint

#endif // ADJOINT_PIPELINES_PIPELINES_H
