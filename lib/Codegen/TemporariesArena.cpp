//===- TemporariesArena.cpp - One allocation for a block's temporaries ----===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace adjoint {
#define GEN_PASS_DEF_TEMPORARIESARENA
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

/// Whether `value` is available at the start of `block`, possibly after
/// moving the side-effect free ops of `block` that compute it; collects
/// those ops (operands first) into `toMove`. They need not be speculatable
/// (a division by a computed block count is not): they move up within the
/// block, which runs them anyway.
bool isAvailableAtStart(Value value, Block *block, DominanceInfo &dominance,
                        llvm::SetVector<Operation *> &toMove, int depth = 0) {
  if (auto arg = llvm::dyn_cast<BlockArgument>(value))
    if (arg.getOwner() == block)
      return true;
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != block)
    return dominance.properlyDominates(value, &block->front());
  if (toMove.contains(def))
    return true;
  if (depth > 16 || def->getNumRegions() != 0 ||
      !isMemoryEffectFree(def))
    return false;
  for (Value operand : def->getOperands())
    if (!isAvailableAtStart(operand, block, dominance, toMove, depth + 1))
      return false;
  toMove.insert(def);
  return true;
}

struct Candidate {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
};

void processBlock(Block *block, DominanceInfo &dominance) {
  SmallVector<Candidate> candidates;
  llvm::SetVector<Operation *> toMove;
  for (Operation &op : *block) {
    auto alloc = llvm::dyn_cast<memref::AllocOp>(op);
    if (!alloc || !alloc.getSymbolOperands().empty())
      continue;
    MemRefType type = alloc.getType();
    if (!type.getLayout().isIdentity() || type.getMemorySpace())
      continue;
    Type element = type.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
      continue;
    memref::DeallocOp dealloc;
    bool single = true;
    for (Operation *user : alloc->getUsers()) {
      auto d = llvm::dyn_cast<memref::DeallocOp>(user);
      if (!d)
        continue;
      if (dealloc || d->getBlock() != block)
        single = false;
      dealloc = d;
    }
    if (!single || !dealloc)
      continue;
    llvm::SetVector<Operation *> moves = toMove;
    if (!llvm::all_of(alloc.getDynamicSizes(), [&](Value size) {
          return isAvailableAtStart(size, block, dominance, moves);
        }))
      continue;
    toMove = std::move(moves);
    candidates.push_back({alloc, dealloc});
  }
  if (candidates.size() < 2)
    return;

  // The size computations move to the start of the block, in dependence
  // order (SetVector keeps operands before their users).
  Operation *anchor = &block->front();
  while (toMove.contains(anchor))
    anchor = anchor->getNextNode();
  for (Operation *op : toMove)
    op->moveBefore(anchor);

  // Offsets and sizes fold to constants where the shapes are static.
  OpBuilder b(anchor);
  Location loc = candidates.front().alloc.getLoc();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value offset = constant(0);
  SmallVector<Value> offsets;
  for (Candidate &c : candidates) {
    MemRefType type = c.alloc.getType();
    int64_t staticBytes = type.getElementTypeBitWidth() / 8;
    for (int64_t d : type.getShape())
      if (!ShapedType::isDynamic(d))
        staticBytes *= d;
    Value aligned;
    if (c.alloc.getDynamicSizes().empty()) {
      aligned = constant(llvm::divideCeil(staticBytes, kAlignment) * kAlignment);
    } else {
      Value bytes = constant(staticBytes);
      for (Value size : c.alloc.getDynamicSizes())
        bytes = b.createOrFold<arith::MulIOp>(loc, bytes, size);
      Value c64 = constant(kAlignment);
      aligned = b.createOrFold<arith::MulIOp>(
          loc, b.createOrFold<arith::CeilDivSIOp>(loc, bytes, c64), c64);
    }
    offsets.push_back(offset);
    offset = b.createOrFold<arith::AddIOp>(loc, offset, aligned);
  }
  auto arenaType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type());
  Value arena = memref::AllocOp::create(b, loc, arenaType, ValueRange{offset},
                                        b.getI64IntegerAttr(kAlignment));

  // The arena is freed where the last of the temporaries was.
  Operation *lastDealloc = candidates.front().dealloc;
  for (Candidate &c : candidates)
    if (lastDealloc->isBeforeInBlock(c.dealloc))
      lastDealloc = c.dealloc;
  b.setInsertionPointAfter(lastDealloc);
  memref::DeallocOp::create(b, loc, arena);

  for (auto [c, at] : llvm::zip(candidates, offsets)) {
    b.setInsertionPoint(c.alloc);
    Value view = memref::ViewOp::create(b, c.alloc.getLoc(), c.alloc.getType(),
                                        arena, at, c.alloc.getDynamicSizes());
    c.dealloc.erase();
    c.alloc.replaceAllUsesWith(view);
    c.alloc.erase();
  }
}

struct TemporariesArenaPass
    : adjoint::impl::TemporariesArenaBase<TemporariesArenaPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) { blocks.push_back(block); });
    DominanceInfo dominance(getOperation());
    for (Block *block : blocks)
      processBlock(block, dominance);
  }
};

} // namespace
