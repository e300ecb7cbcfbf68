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
/// With `im2col`, convolutions whose output has static spatial dims become
/// an im2col copy and a linalg.matmul; otherwise linalg's convolution ops.
/// With `directConv`, stride-1 convolutions with few terms per output
/// (C kh kw) and static sizes but the batch become vector loops over the
/// output rows instead, forward and filter gradient.
void populateNNToLinalgConversionPatterns(mlir::RewritePatternSet &patterns,
                                          bool im2col = true,
                                          bool directConv = true);

} // namespace adjoint

#endif // ADJOINT_CONVERSION_NNTOLINALG_NNTOLINALG_H
