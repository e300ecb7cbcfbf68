//===- Passes.h - Adjoint synthesis passes -----------------------*- C++ -*-===//

#ifndef ADJOINT_AUTODIFF_PASSES_H
#define ADJOINT_AUTODIFF_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <memory>

namespace adjoint {

#define GEN_PASS_DECL
#include "adjoint/Autodiff/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Autodiff/Passes.h.inc"

struct AutodiffPipelineOptions {
  /// Also compute the gradients of the f32 inputs.
  bool includeInputs = true;
  /// Recompute cheap activations in the backward pass instead of keeping
  /// them (nn-rematerialize).
  bool rematerialize = false;
};

/// Stage 2 of the compiler: nn-adjoint, then canonicalize and cse to clean
/// up what the rules built (zeros, identity reshapes, repeated
/// coefficients).
void buildAutodiffPipeline(mlir::OpPassManager &pm,
                           const AutodiffPipelineOptions &options);

/// Registers buildAutodiffPipeline as the pipeline `adjoint-autodiff` (for
/// adjoint-opt and textual pipelines).
void registerAutodiffPipelines();

} // namespace adjoint

#endif // ADJOINT_AUTODIFF_PASSES_H
