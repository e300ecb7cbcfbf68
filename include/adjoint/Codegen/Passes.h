//===- Passes.h - CPU code generation passes of Adjoint ----------*- C++ -*-===//

#ifndef ADJOINT_CODEGEN_PASSES_H
#define ADJOINT_CODEGEN_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace adjoint {

#define GEN_PASS_DECL
#include "adjoint/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "adjoint/Codegen/Passes.h.inc"

} // namespace adjoint

#endif // ADJOINT_CODEGEN_PASSES_H
