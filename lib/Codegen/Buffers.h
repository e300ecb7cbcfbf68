//===- Buffers.h - Where a memref's memory comes from -----------*- C++ -*-===//
//
// Shared by the passes that reason about which buffers ops read and write.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CODEGEN_BUFFERS_H
#define ADJOINT_LIB_CODEGEN_BUFFERS_H

#include "mlir/IR/Value.h"

namespace adjoint {

/// The buffer that `value` is a view of: through subviews, reshapes and
/// other view-like ops, and memref.cast.
mlir::Value getRootBuffer(mlir::Value value);

} // namespace adjoint

#endif // ADJOINT_LIB_CODEGEN_BUFFERS_H
