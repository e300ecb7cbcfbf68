//===- NNToLinalg.h - nn to linalg on tensors --------------------*- C++ -*-===//
//
// Patterns that rewrite every nn op into linalg (named ops where upstream has
// one: matmul, batch_matmul, conv_2d_nchw_fchw, pooling_nchw_max/sum,
// transpose; linalg.generic otherwise), tensor, arith and math ops, on
// tensors. Run-time conditions (dynamic dims that must agree, ids in range)
// become `cf.assert` ops at the top level of the function; see
// docs/codegen.md.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define ADJOINT_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace adjoint {

/// Adds the patterns that convert every nn op to linalg/tensor/arith/math.
void populateNNToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

} // namespace adjoint

#endif // ADJOINT_CONVERSION_NNTOLINALG_NNTOLINALG_H
