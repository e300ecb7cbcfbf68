//===- MatmulVariants.h - The transpose variants of linalg.matmul -*- C++ -*-===//
//
// Shared by adjoint-matmul-microkernels and adjoint-matmul-orientation.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CODEGEN_MATMULVARIANTS_H
#define ADJOINT_LIB_CODEGEN_MATMULVARIANTS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace adjoint {

/// Which operands of a linalg.matmul are transposed (A as [K, M], B as
/// [N, K]), from its indexing maps over loops (m, n, k); failure for maps
/// that are not one of the four plain variants.
mlir::FailureOr<std::pair<bool, bool>>
getMatmulTransposes(mlir::linalg::MatmulOp op);

/// The indexing maps of the variant with the given transposes.
llvm::SmallVector<mlir::Attribute> getMatmulMaps(mlir::MLIRContext *context,
                                                 bool transA, bool transB);

} // namespace adjoint

#endif // ADJOINT_LIB_CODEGEN_MATMULVARIANTS_H
