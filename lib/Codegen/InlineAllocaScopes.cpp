//===- InlineAllocaScopes.cpp - Drop stack scopes that allocate nothing ---===//
//
// The adjoint-inline-alloca-scopes pass (include/adjoint/Codegen/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace adjoint {
#define GEN_PASS_DEF_INLINEALLOCASCOPES
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// Whether `op` itself may allocate in the enclosing stack scope. A call
/// may not: what the callee allocates on the stack is freed when it
/// returns.
bool mayAllocateOnStack(Operation *op) {
  if (llvm::isa<func::CallOp>(op))
    return false;
  auto effects = llvm::dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return llvm::isa<MemoryEffects::Allocate>(e.getEffect()) &&
           llvm::isa<SideEffects::AutomaticAllocationScopeResource>(
               e.getResource());
  });
}

/// Moves the body of `scope` before it.
void inlineScope(memref::AllocaScopeOp scope) {
  Block &body = scope.getBodyRegion().front();
  auto terminator = llvm::cast<memref::AllocaScopeReturnOp>(body.getTerminator());
  scope->replaceAllUsesWith(terminator.getResults());
  terminator.erase();
  scope->getBlock()->getOperations().splice(Block::iterator(scope),
                                            body.getOperations());
  scope.erase();
}

struct InlineAllocaScopesPass
    : adjoint::impl::InlineAllocaScopesBase<InlineAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk([&](memref::AllocaScopeOp scope) {
      bool allocates =
          scope.getBodyRegion()
              .walk([&](Operation *op) {
                // Nested scopes and functions free their own allocations.
                if (op->hasTrait<OpTrait::AutomaticAllocationScope>())
                  return WalkResult::skip();
                return mayAllocateOnStack(op) ? WalkResult::interrupt()
                                              : WalkResult::advance();
              })
              .wasInterrupted();
      if (!allocates && scope.getBodyRegion().hasOneBlock())
        scopes.push_back(scope);
    });
    for (memref::AllocaScopeOp scope : scopes)
      inlineScope(scope);
  }
};

} // namespace
