//===- LayoutRules.cpp - Rules of matmul and the layout ops ---------------===//
//
// matmul is bilinear. Its transposes fold every transpose into the
// `transpose_a` / `transpose_b` flags instead of materializing one: for
// Z = op(A) op(B) with cotangent G,
//
//   dA = G op(B)^T   (A not transposed)    dA = op(B) G^T   (A transposed)
//   dB = op(A)^T G   (B not transposed)    dB = G^T op(A)   (B transposed)
//
// so the dense layer Z = X W^T gets dX = G W and dW = G^T X. Batch dims that
// an operand broadcast are summed away.
//
// transpose, reshape, broadcast, concat, slice and pad are linear; their
// transposes are the inverse permutation, the inverse reshape, a sum over the
// broadcast dims, slices, a zero padding, and slices.
//
//===----------------------------------------------------------------------===//

#include "Rules.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::autodiff;

namespace {

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

struct MatmulLinearize
    : LinearizeOpInterface::ExternalModel<MatmulLinearize, nn::MatmulOp> {
  FailureOr<SmallVector<Value>> linearize(Operation *op, OpBuilder &b,
                                          ValueRange tangents) const {
    auto mm = llvm::cast<nn::MatmulOp>(op);
    Location loc = op->getLoc();
    bool ta = mm.getTransposeA(), tb = mm.getTransposeB();
    Value lhs, rhs;
    if (tangents[0])
      lhs = nn::MatmulOp::create(b, loc, tangents[0], mm.getRhs(), ta, tb);
    if (tangents[1])
      rhs = nn::MatmulOp::create(b, loc, mm.getLhs(), tangents[1], ta, tb);
    Value tangent = addOrNull(b, loc, lhs, rhs);
    if (tangent && tangent.getType() != mm.getType())
      tangent = castToType(b, loc, tangent, mm.getType());
    return SmallVector<Value>{tangent};
  }
};

struct MatmulTranspose
    : TransposeOpInterface::ExternalModel<MatmulTranspose, nn::MatmulOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 2);
    if (linear[0] && linear[1])
      return op->emitError("nn.matmul is linear in one operand at a time, "
                           "not in both jointly");
    Value g = cots[0];
    if (!g)
      return success();
    auto mm = llvm::cast<nn::MatmulOp>(op);
    Location loc = op->getLoc();
    Value a = mm.getLhs(), bv = mm.getRhs();
    bool ta = mm.getTransposeA(), tb = mm.getTransposeB();
    if (linear[0]) {
      Value da;
      if (!ta)
        // dA = G op(B)^T: with B transposed, op(B)^T = B.
        da = nn::MatmulOp::create(b, loc, g, bv, false, !tb);
      else
        // dA = (G op(B)^T)^T = op(B) G^T.
        da = nn::MatmulOp::create(b, loc, bv, g, tb, true);
      out[0] = sumToType(b, loc, da, tensorType(a));
    }
    if (linear[1]) {
      Value db;
      if (!tb)
        // dB = op(A)^T G: with A transposed, op(A)^T = A.
        db = nn::MatmulOp::create(b, loc, a, g, !ta, false);
      else
        // dB = (op(A)^T G)^T = G^T op(A).
        db = nn::MatmulOp::create(b, loc, g, a, true, ta);
      out[1] = sumToType(b, loc, db, tensorType(bv));
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// transpose, reshape, broadcast
//===----------------------------------------------------------------------===//

struct TransposeTranspose
    : TransposeOpInterface::ExternalModel<TransposeTranspose,
                                          nn::TransposeOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto tr = llvm::cast<nn::TransposeOp>(op);
    ArrayRef<int64_t> perm = tr.getPerm();
    SmallVector<int64_t> inverse(perm.size());
    for (size_t i = 0; i < perm.size(); ++i)
      inverse[perm[i]] = i;
    Value t = nn::TransposeOp::create(b, op->getLoc(), cots[0], inverse);
    out[0] = castToType(b, op->getLoc(), t, tensorType(tr.getInput()));
    return success();
  }
};

struct ReshapeTranspose
    : TransposeOpInterface::ExternalModel<ReshapeTranspose, nn::ReshapeOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 0; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, op->getNumOperands());
    if (!cots[0])
      return success();
    auto reshape = llvm::cast<nn::ReshapeOp>(op);
    Value input = reshape.getInput();
    out[0] = nn::ReshapeOp::create(b, op->getLoc(), input.getType(), cots[0],
                                   getDynamicSizes(b, op->getLoc(), input));
    return success();
  }
};

struct BroadcastTranspose
    : TransposeOpInterface::ExternalModel<BroadcastTranspose,
                                          nn::BroadcastOp> {
  bool isLinearIn(Operation *, unsigned index) const { return index == 0; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, op->getNumOperands());
    if (cots[0])
      out[0] = sumToType(b, op->getLoc(), cots[0],
                         tensorType(op->getOperand(0)));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// concat, slice, pad
//===----------------------------------------------------------------------===//

struct ConcatTranspose
    : TransposeOpInterface::ExternalModel<ConcatTranspose, nn::ConcatOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool> linear,
                          SmallVectorImpl<Value> &out) const {
    resetCotangents(out, op->getNumOperands());
    if (!cots[0])
      return success();
    auto concat = llvm::cast<nn::ConcatOp>(op);
    int64_t axis = concat.getAxis();
    int64_t offset = 0;
    for (auto [i, input] : llvm::enumerate(concat.getInputs())) {
      int64_t size = tensorType(input).getDimSize(axis);
      if (ShapedType::isDynamic(size)) {
        // A slice needs static bounds; only operands before the first dynamic
        // one could be cut out, and none after it.
        if (llvm::any_of(linear.drop_front(i), [](bool l) { return l; }))
          return op->emitError("cannot transpose nn.concat along axis ")
                 << axis << ", where operand #" << i << " has a dynamic size";
        break;
      }
      if (linear[i])
        out[i] = nn::SliceOp::create(b, op->getLoc(), input.getType(), cots[0],
                                     axis, offset);
      offset += size;
    }
    return success();
  }
};

struct SliceTranspose
    : TransposeOpInterface::ExternalModel<SliceTranspose, nn::SliceOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto slice = llvm::cast<nn::SliceOp>(op);
    RankedTensorType inputType = tensorType(slice.getInput());
    int64_t axis = slice.getAxis(), start = slice.getStart();
    int64_t full = inputType.getDimSize(axis);
    if (ShapedType::isDynamic(full))
      return op->emitError("cannot transpose nn.slice of axis ")
             << axis << ", which has a dynamic size";
    int64_t size = slice.getType().getDimSize(axis);
    SmallVector<int64_t> low(inputType.getRank(), 0), high(low);
    low[axis] = start;
    high[axis] = full - start - size;
    Value padded = nn::PadOp::create(b, op->getLoc(), cots[0], low, high);
    out[0] = castToType(b, op->getLoc(), padded, inputType);
    return success();
  }
};

struct PadTranspose
    : TransposeOpInterface::ExternalModel<PadTranspose, nn::PadOp> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto pad = llvm::cast<nn::PadOp>(op);
    RankedTensorType inputType = tensorType(pad.getInput());
    Value current = cots[0];
    for (int64_t axis = 0; axis < inputType.getRank(); ++axis) {
      if (pad.getLow()[axis] == 0 && pad.getHigh()[axis] == 0)
        continue;
      if (inputType.isDynamicDim(axis))
        return op->emitError("cannot transpose nn.pad of axis ")
               << axis << ", which has a dynamic size";
      SmallVector<int64_t> shape(tensorType(current).getShape());
      shape[axis] = inputType.getDimSize(axis);
      auto type = RankedTensorType::get(shape, inputType.getElementType());
      current = nn::SliceOp::create(b, op->getLoc(), type, current, axis,
                                    pad.getLow()[axis]);
    }
    out[0] = castToType(b, op->getLoc(), current, inputType);
    return success();
  }
};

} // namespace

void adjoint::autodiff::attachLayoutRules(MLIRContext *context) {
  nn::MatmulOp::attachInterface<MatmulLinearize, MatmulTranspose>(*context);
  nn::TransposeOp::attachInterface<TransposeTranspose>(*context);
  nn::ReshapeOp::attachInterface<ReshapeTranspose>(*context);
  nn::BroadcastOp::attachInterface<BroadcastTranspose>(*context);
  nn::ConcatOp::attachInterface<ConcatTranspose>(*context);
  nn::SliceOp::attachInterface<SliceTranspose>(*context);
  nn::PadOp::attachInterface<PadTranspose>(*context);
}
