//===- MatmulEpilogue.cpp - Elementwise ops run per chunk of a product ----===//
//
// See MatmulEpilogue.h and the description of adjoint-matmul-microkernels
// in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "MatmulEpilogue.h"

#include "Buffers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <optional>

using namespace mlir;
using adjoint::getRootBuffer;

namespace {

/// Whether `root` is allocated by the function.
bool isAllocation(Value root) {
  return root.getDefiningOp<memref::AllocOp>() ||
         root.getDefiningOp<memref::AllocaOp>();
}

/// A view of the memory of a C interface argument: the function argument
/// and the byte range from its address (no size when it is not static).
struct ArgumentRange {
  BlockArgument argument;
  int64_t offset;
  std::optional<int64_t> bytes;
};

/// The argument range of a memref that the C interface built from a
/// pointer (an `llvm.insertvalue` chain cast to a memref, docs/codegen.md),
/// if `root` is one.
std::optional<ArgumentRange> getArgumentRange(Value root) {
  auto cast = root.getDefiningOp<UnrealizedConversionCastOp>();
  if (!cast || cast->getNumOperands() != 1)
    return std::nullopt;
  // The aligned pointer (field 1 of the descriptor) and the offset in
  // elements (field 2), which must be zero; the last insertion counts.
  Value pointer, elementOffset;
  for (auto insert = cast->getOperand(0).getDefiningOp<LLVM::InsertValueOp>();
       insert;
       insert = insert.getContainer().getDefiningOp<LLVM::InsertValueOp>()) {
    ArrayRef<int64_t> position = insert.getPosition();
    if (position == ArrayRef<int64_t>{1} && !pointer)
      pointer = insert.getValue();
    if (position == ArrayRef<int64_t>{2} && !elementOffset)
      elementOffset = insert.getValue();
  }
  if (!pointer || !elementOffset || !matchPattern(elementOffset, m_Zero()))
    return std::nullopt;
  int64_t offset = 0;
  if (auto gep = pointer.getDefiningOp<LLVM::GEPOp>()) {
    if (!gep.getDynamicIndices().empty() ||
        gep.getRawConstantIndices().size() != 1 ||
        !gep.getElemType().isInteger(8))
      return std::nullopt;
    offset = gep.getRawConstantIndices()[0];
    pointer = gep.getBase();
  }
  auto argument = llvm::dyn_cast<BlockArgument>(pointer);
  if (!argument)
    return std::nullopt;
  ArgumentRange range{argument, offset, std::nullopt};
  auto type = llvm::cast<MemRefType>(root.getType());
  if (type.hasStaticShape() && type.getLayout().isIdentity() &&
      type.getElementTypeBitWidth() % 8 == 0)
    range.bytes = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  return range;
}

/// Whether two memrefs may share memory.
bool mayAlias(Value x, Value y) {
  Value rx = getRootBuffer(x), ry = getRootBuffer(y);
  if (rx == ry)
    return true;
  if (isAllocation(rx) || isAllocation(ry))
    return false;
  std::optional<ArgumentRange> ax = getArgumentRange(rx),
                               ay = getArgumentRange(ry);
  if (!ax || !ay)
    return true;
  if (ax->argument != ay->argument)
    return false;
  bool xBefore = ax->bytes && ax->offset + *ax->bytes <= ay->offset;
  bool yBefore = ay->bytes && ay->offset + *ay->bytes <= ax->offset;
  return !xBefore && !yBefore;
}

/// One operand of the product or of a member.
struct Access {
  Value buffer;
  bool write;
  /// Read or written with the identity map over C's (row, column) loops.
  bool identity;
};

/// Whether two accesses are safe when the ops run chunk by chunk: they do
/// not share memory, or neither writes, or both are the identity on the
/// same buffer.
bool compatible(const Access &x, const Access &y) {
  if (!x.write && !y.write)
    return true;
  if (x.buffer == y.buffer && x.identity && y.identity)
    return true;
  return !mayAlias(x.buffer, y.buffer);
}

/// Whether `op` can stay before the product and the members in `group`
/// (the ops between them keep their place; the group moves below them).
bool commutes(Operation *op, ArrayRef<Access> group) {
  std::optional<SmallVector<MemoryEffects::EffectInstance>> effects =
      getEffectsRecursively(op);
  if (!effects)
    return false;
  for (const MemoryEffects::EffectInstance &effect : *effects) {
    if (llvm::isa<MemoryEffects::Allocate>(effect.getEffect()))
      continue;
    Value value = effect.getValue();
    if (!value || !llvm::isa<MemRefType>(value.getType()))
      return false;
    bool writes = !llvm::isa<MemoryEffects::Read>(effect.getEffect());
    for (const Access &access : group)
      if ((writes || access.write) && mayAlias(value, access.buffer))
        return false;
  }
  return true;
}

/// The accesses of a member candidate, or nothing when it is not one: a
/// generic on buffers with two loops, projected permutation maps (those of
/// its outputs over every parallel loop) and a body without memory effects
/// or loop indices (which would be relative to the chunk).
std::optional<SmallVector<Access>> getAccesses(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() != 2)
    return std::nullopt;
  for (Operation &bodyOp : op.getBlock()->without_terminator())
    if (llvm::isa<linalg::IndexOp>(bodyOp) || !isMemoryEffectFree(&bodyOp))
      return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<Access> accesses;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation() ||
        !llvm::isa<MemRefType>(operand.get().getType()))
      return std::nullopt;
    for (unsigned d = 0; op.isDpsInit(&operand) && d < iterators.size(); ++d)
      if (linalg::isParallelIterator(iterators[d]) && !map.isFunctionOfDim(d))
        return std::nullopt;
    accesses.push_back(
        {operand.get(), op.isDpsInit(&operand), map.isIdentity()});
  }
  return accesses;
}

} // namespace

adjoint::MatmulEpilogue::MatmulEpilogue(linalg::MatmulOp matmul) {
  Value c = matmul.getDpsInits()[0];
  // The product writes each element of C once per chunk: as the identity.
  SmallVector<Access> group{{matmul.getDpsInputs()[0], false, false},
                            {matmul.getDpsInputs()[1], false, false},
                            {c, true, true}};
  // The buffers of C's shape that the group writes with the identity map.
  llvm::SmallPtrSet<Value, 8> results{c};
  for (Operation *op = matmul->getNextNode();
       op && !op->hasTrait<OpTrait::IsTerminator>(); op = op->getNextNode()) {
    auto generic = llvm::dyn_cast<linalg::GenericOp>(op);
    std::optional<SmallVector<Access>> accesses;
    if (generic)
      accesses = getAccesses(generic);
    bool joins =
        accesses && llvm::any_of(*accesses, [&](const Access &access) {
          return !access.write && access.identity &&
                 results.contains(access.buffer);
        });
    for (unsigned i = 0; joins && i < accesses->size(); ++i) {
      const Access &access = (*accesses)[i];
      joins = llvm::all_of(group,
                           [&](const Access &other) {
                             return compatible(access, other);
                           }) &&
              llvm::all_of(ArrayRef(*accesses).drop_front(i + 1),
                           [&](const Access &other) {
                             return compatible(access, other);
                           });
    }
    if (joins) {
      ops.push_back(generic);
      group.append(*accesses);
      for (const Access &access : *accesses)
        if (access.write && access.identity)
          results.insert(access.buffer);
      continue;
    }
    if (!commutes(op, group))
      break;
  }
}

bool adjoint::MatmulEpilogue::writesOutsideAllocations() const {
  for (linalg::GenericOp op : ops)
    for (Value init : linalg::GenericOp(op).getDpsInits())
      if (!isAllocation(getRootBuffer(init)))
        return true;
  return false;
}

Operation *adjoint::MatmulEpilogue::getLastOp() const {
  return ops.empty() ? nullptr : linalg::GenericOp(ops.back()).getOperation();
}

unsigned adjoint::MatmulEpilogue::getChunkedCount(unsigned dim) const {
  unsigned count = 0;
  while (count < ops.size() &&
         linalg::isParallelIterator(
             linalg::GenericOp(ops[count]).getIteratorTypesArray()[dim]))
    ++count;
  return count;
}

void adjoint::MatmulEpilogue::emitChunk(OpBuilder &b, unsigned count,
                                        unsigned dim, Value begin,
                                        Value end) const {
  for (linalg::GenericOp op : ArrayRef(ops).take_front(count)) {
    Location loc = op.getLoc();
    SmallVector<Value> operands;
    for (OpOperand &operand : op->getOpOperands()) {
      Value buffer = operand.get();
      AffineMap map = op.getMatchingIndexingMap(&operand);
      SmallVector<OpFoldResult> offsets, sizes,
          strides(map.getNumResults(), b.getIndexAttr(1));
      for (unsigned i = 0; i < map.getNumResults(); ++i) {
        if (map.getDimPosition(i) == dim) {
          offsets.push_back(begin);
          sizes.push_back(
              arith::SubIOp::create(b, loc, end, begin).getResult());
        } else {
          offsets.push_back(b.getIndexAttr(0));
          sizes.push_back(memref::getMixedSize(b, loc, buffer, i));
        }
      }
      operands.push_back(
          memref::SubViewOp::create(b, loc, buffer, offsets, sizes, strides));
    }
    Operation *chunk = b.clone(*op.getOperation());
    chunk->setOperands(operands);
  }
}

void adjoint::MatmulEpilogue::emitWhole(OpBuilder &b, unsigned from) const {
  for (linalg::GenericOp op : ArrayRef(ops).drop_front(from))
    b.clone(*op.getOperation());
}

void adjoint::MatmulEpilogue::erase() {
  for (linalg::GenericOp op : llvm::reverse(ops))
    op.erase();
  ops.clear();
}
