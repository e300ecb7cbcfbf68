//===- ReductionRules.cpp - Rules of sum, mean and size -------------------===//
//
// sum and mean are linear. Their transposes broadcast the cotangent back over
// the reduced axes (mean also divides by the number of elements reduced,
// nn.size of the broadcast cotangent). nn.size only reads a shape, so its
// derivative is zero.
//
//===----------------------------------------------------------------------===//

#include "Rules.h"

#include "adjoint/Autodiff/RuleUtils.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::autodiff;

namespace {

RankedTensorType tensorType(Value value) {
  return llvm::cast<RankedTensorType>(value.getType());
}

/// Broadcasts the cotangent `cot` of a reduction of `input` over `axes` back
/// to `input`'s shape.
Value unreduce(OpBuilder &b, Location loc, Value cot, Value input,
               ArrayRef<int64_t> axes, bool keepdims) {
  RankedTensorType inputType = tensorType(input);
  if (axes.empty())
    return castToType(b, loc, cot, inputType);
  if (!keepdims) {
    // Put the reduced axes back as size-1 dims; the kept dims keep their
    // sizes, which the cotangent has.
    SmallVector<int64_t> shape;
    SmallVector<Value> sizes;
    int64_t cotDim = 0;
    for (int64_t i = 0; i < inputType.getRank(); ++i) {
      if (llvm::is_contained(axes, i)) {
        shape.push_back(1);
        continue;
      }
      int64_t size = inputType.getDimSize(i);
      shape.push_back(size);
      if (ShapedType::isDynamic(size))
        sizes.push_back(tensor::DimOp::create(b, loc, cot, cotDim));
      ++cotDim;
    }
    auto type = RankedTensorType::get(shape, inputType.getElementType());
    cot = nn::ReshapeOp::create(b, loc, type, cot, sizes);
  }
  return broadcastLike(b, loc, cot, input);
}

template <typename Derived, typename OpT>
struct ReductionTranspose
    : TransposeOpInterface::ExternalModel<Derived, OpT> {
  bool isLinearIn(Operation *, unsigned) const { return true; }
  LogicalResult transpose(Operation *op, OpBuilder &b, ValueRange cots,
                          ArrayRef<bool>, SmallVectorImpl<Value> &out) const {
    resetCotangents(out, 1);
    if (!cots[0])
      return success();
    auto reduction = llvm::cast<OpT>(op);
    Location loc = op->getLoc();
    Value spread = unreduce(b, loc, cots[0], reduction.getInput(),
                            reduction.getAxes(), reduction.getKeepdims());
    out[0] = Derived::scale(reduction, b, loc, spread);
    return success();
  }
};

struct SumTranspose : ReductionTranspose<SumTranspose, nn::SumOp> {
  static Value scale(nn::SumOp, OpBuilder &, Location, Value spread) {
    return spread;
  }
};

struct MeanTranspose : ReductionTranspose<MeanTranspose, nn::MeanOp> {
  static Value scale(nn::MeanOp op, OpBuilder &b, Location loc, Value spread) {
    if (op.getAxes().empty())
      return spread;
    Value count = nn::SizeOp::create(b, loc, spread, op.getAxes());
    return nn::DivOp::create(b, loc, spread, count);
  }
};

} // namespace

void adjoint::autodiff::attachReductionRules(MLIRContext *context) {
  nn::SumOp::attachInterface<SumTranspose>(*context);
  nn::MeanOp::attachInterface<MeanTranspose>(*context);
  nn::SizeOp::attachInterface<ZeroLinearize<nn::SizeOp>>(*context);
}
