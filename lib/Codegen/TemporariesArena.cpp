//===- TemporariesArena.cpp - One allocation for a block's temporaries ----===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "Arena.h"
#include "Threads.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
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
/// moving the side-effect free ops of `block` that compute it (and the
/// thread count's call, which only reads libomp's settings); collects
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
      !(isMemoryEffectFree(def) || def->hasAttr(adjoint::kThreadCountAttr)))
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
  /// The positions in the block of the allocation and of the last op that
  /// uses the buffer or a view of it.
  unsigned begin = 0, end = 0;
};

/// Ops whose memref result is a view of their memref operand.
bool isAlias(Operation *op) {
  return llvm::isa<ViewLikeOpInterface, memref::CastOp,
                   memref::ReinterpretCastOp, memref::ExpandShapeOp,
                   memref::CollapseShapeOp, memref::TransposeOp>(op);
}

/// The position of the last op of `block` that uses `alloc` or a view of
/// it (through isAlias ops), where the uses are known to end there: not
/// when a view is yielded, returned, or passed to an op with memref
/// results that is not a view. Calls only use their operands (the
/// function bodies here call the matmul kernels and libm).
std::optional<unsigned>
getLastUse(memref::AllocOp alloc, memref::DeallocOp dealloc, Block *block,
           const DenseMap<Operation *, unsigned> &position) {
  unsigned last = position.lookup(alloc);
  SmallVector<Value> worklist{alloc.getResult()};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (user == dealloc.getOperation())
        continue;
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!ancestor)
        return std::nullopt;
      last = std::max(last, position.lookup(ancestor));
      if (isAlias(user)) {
        worklist.append(user->result_begin(), user->result_end());
        continue;
      }
      if (user->hasTrait<OpTrait::IsTerminator>() ||
          llvm::isa<memref::DeallocOp>(user) ||
          llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
        return std::nullopt;
    }
  }
  return last;
}

/// The size of dim `i` of `memref` in terms of the sizes of allocations and
/// views, through `memref.collapse_shape`s and `memref.expand_shape`s, built
/// at `b`'s insertion point; null if it is not known so.
Value resolveDim(OpBuilder &b, Location loc, Value memref, int64_t i) {
  auto type = llvm::dyn_cast<MemRefType>(memref.getType());
  if (!type || i < 0 || i >= type.getRank())
    return {};
  if (!type.isDynamicDim(i))
    return arith::ConstantIndexOp::create(b, loc, type.getDimSize(i));
  Operation *def = memref.getDefiningOp();
  if (auto alloc = llvm::dyn_cast_or_null<memref::AllocOp>(def))
    return alloc.getDynamicSizes()[type.getDynamicDimIndex(i)];
  if (auto view = llvm::dyn_cast_or_null<memref::ViewOp>(def))
    return view.getSizes()[type.getDynamicDimIndex(i)];
  if (auto expand = llvm::dyn_cast_or_null<memref::ExpandShapeOp>(def))
    return getValueOrCreateConstantIndexOp(b, loc,
                                           expand.getMixedOutputShape()[i]);
  auto collapse = llvm::dyn_cast_or_null<memref::CollapseShapeOp>(def);
  if (!collapse)
    return {};
  SmallVector<ReassociationIndices> groups =
      collapse.getReassociationIndices();
  Value product;
  for (int64_t j : groups[i]) {
    Value size = resolveDim(b, loc, collapse.getSrc(), j);
    if (!size)
      return {};
    product = product ? b.createOrFold<arith::MulIOp>(loc, product, size)
                      : size;
  }
  return product;
}

void processBlock(Block *block, DominanceInfo &dominance) {
  // Sizes read off other temporaries (the rows of a collapsed im2col
  // matrix) become computations on the sizes of their allocations, which
  // are known at the start of the block.
  SmallVector<memref::DimOp> dims;
  for (Operation &op : *block)
    if (auto dim = llvm::dyn_cast<memref::DimOp>(op))
      dims.push_back(dim);
  for (memref::DimOp dim : dims) {
    std::optional<int64_t> index = dim.getConstantIndex();
    if (!index)
      continue;
    OpBuilder b(dim);
    if (Value size = resolveDim(b, dim.getLoc(), dim.getSource(), *index)) {
      dim.replaceAllUsesWith(size);
      dim.erase();
    }
  }

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
    // Booleans (the C interface's checks) take a byte each, as LLVM stores
    // them, and index 8 (the shapes of reshapes); other widths that are not
    // whole bytes are left alone.
    if (!element.isIndex() &&
        (!element.isIntOrFloat() || (element.getIntOrFloatBitWidth() % 8 != 0 &&
                                     !element.isInteger(1))))
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
  // One temporary gains from an arena only where adjoint-reuse-arena keeps
  // the arena between calls.
  bool oncePerCall = adjoint::getFunctionRunningOnce(block) != nullptr;
  if (candidates.empty() || (candidates.size() < 2 && !oncePerCall))
    return;

  // Lifetimes: from the allocation to the last use, or to the dealloc (the
  // end of the block, where the deallocation pipeline puts it) when the
  // uses are not all known.
  DenseMap<Operation *, unsigned> position;
  for (auto [i, op] : llvm::enumerate(*block))
    position[&op] = i;
  for (Candidate &c : candidates) {
    c.begin = position.lookup(c.alloc);
    c.end = getLastUse(c.alloc, c.dealloc, block, position)
                .value_or(position.lookup(c.dealloc));
  }

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
  // Each temporary's size in bytes, rounded up to the alignment.
  auto alignedBytes = [&](memref::AllocOp alloc) -> Value {
    MemRefType type = alloc.getType();
    // (index is 64 bits on the hosts Adjoint compiles for.)
    Type element = type.getElementType();
    int64_t bits = element.isIndex() ? 64 : element.getIntOrFloatBitWidth();
    int64_t staticBytes = llvm::divideCeil(bits, 8);
    for (int64_t d : type.getShape())
      if (!ShapedType::isDynamic(d))
        staticBytes *= d;
    if (alloc.getDynamicSizes().empty())
      return constant(llvm::divideCeil(staticBytes, kAlignment) * kAlignment);
    Value bytes = constant(staticBytes);
    for (Value size : alloc.getDynamicSizes())
      bytes = b.createOrFold<arith::MulIOp>(loc, bytes, size);
    Value c64 = constant(kAlignment);
    return b.createOrFold<arith::MulIOp>(
        loc, b.createOrFold<arith::CeilDivSIOp>(loc, bytes, c64), c64);
  };

  // Temporaries whose lifetimes do not overlap share memory: each goes to
  // the first slot whose last temporary is dead by then (candidates are in
  // program order), and a slot is as large as its largest temporary.
  struct Slot {
    unsigned end;
    Value bytes;
  };
  SmallVector<Slot> slots;
  SmallVector<unsigned> slotOf;
  for (Candidate &c : candidates) {
    Value bytes = alignedBytes(c.alloc);
    auto *slot = llvm::find_if(slots, [&](Slot &s) { return s.end < c.begin; });
    if (slot == slots.end()) {
      slots.push_back({c.end, bytes});
      slotOf.push_back(slots.size() - 1);
      continue;
    }
    slot->end = c.end;
    slot->bytes = b.createOrFold<arith::MaxUIOp>(loc, slot->bytes, bytes);
    slotOf.push_back(slot - slots.begin());
  }
  // One allocation per slot, marked for adjoint-reuse-arena. Distinct
  // allocations (rather than offsets into one) let LLVM see that
  // temporaries in different slots do not alias, which it needs to
  // vectorize loops over them without run-time checks.
  auto slotType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type());
  SmallVector<Value> slotAllocs;
  for (Slot &slot : slots) {
    auto alloc = memref::AllocOp::create(b, loc, slotType,
                                         ValueRange{slot.bytes},
                                         b.getI64IntegerAttr(kAlignment));
    alloc->setAttr("adjoint.arena", b.getUnitAttr());
    slotAllocs.push_back(alloc);
  }
  Value zero = constant(0);

  // The slots are freed where the last of the temporaries was.
  Operation *lastDealloc = candidates.front().dealloc;
  for (Candidate &c : candidates)
    if (lastDealloc->isBeforeInBlock(c.dealloc))
      lastDealloc = c.dealloc;
  b.setInsertionPointAfter(lastDealloc);
  for (Value alloc : slotAllocs)
    memref::DeallocOp::create(b, loc, alloc);

  for (auto [c, slot] : llvm::zip(candidates, slotOf)) {
    b.setInsertionPoint(c.alloc);
    Value view = memref::ViewOp::create(b, c.alloc.getLoc(), c.alloc.getType(),
                                        slotAllocs[slot], zero,
                                        c.alloc.getDynamicSizes());
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
