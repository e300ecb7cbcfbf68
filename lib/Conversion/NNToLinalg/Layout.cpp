//===- Layout.cpp - transpose, reshape, broadcast, concat, slice, pad -----===//
//
// Ops that move elements: linalg.transpose, tensor.collapse_shape /
// expand_shape (or tensor.reshape when the reshape is neither), a broadcasting
// linalg.generic, tensor.insert_slice into an empty tensor for concat,
// tensor.extract_slice and tensor.pad.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

struct TransposeLowering : OpConversionPattern<nn::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    for (int64_t p : op.getPerm())
      sizes.push_back(inputSizes[p]);
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value init = createEmpty(rewriter, loc, sizes, type.getElementType());
    Value result = linalg::TransposeOp::create(rewriter, loc, input, init,
                                               op.getPerm())
                       .getResult()[0];
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<nn::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    auto outType = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> inSizes = getSizes(rewriter, loc, input);
    bool dynamic = !inType.hasStaticShape() || !outType.hasStaticShape();

    // The result sizes: static dims, then the given sizes or the one dim
    // inferred from the element count.
    SmallVector<OpFoldResult> outSizes;
    ValueRange given = adaptor.getDynamicSizes();
    Value count;
    if (dynamic)
      count = product(rewriter, loc, inSizes);
    int64_t staticPart = 1;
    for (int64_t d : outType.getShape())
      if (!ShapedType::isDynamic(d))
        staticPart *= d;
    unsigned next = 0;
    for (int64_t d : outType.getShape()) {
      if (!ShapedType::isDynamic(d)) {
        outSizes.push_back(rewriter.getIndexAttr(d));
        continue;
      }
      if (!given.empty()) {
        outSizes.push_back(given[next++]);
        continue;
      }
      if (staticPart == 0) {
        // Checked below: the element count must then be 0 too; any size
        // works, take 0.
        outSizes.push_back(rewriter.getIndexAttr(0));
        continue;
      }
      // One dynamic dim in and out with the same static rest (a flatten, a
      // regrouping of static dims): the inferred dim is the input's, which
      // keeps it expressible by the input's symbol.
      if (inType.getNumDynamicDims() == 1) {
        int64_t inStatic = 1, dynamicDim = 0;
        for (auto [d, size] : llvm::enumerate(inType.getShape())) {
          if (ShapedType::isDynamic(size))
            dynamicDim = d;
          else
            inStatic *= size;
        }
        if (inStatic == staticPart) {
          outSizes.push_back(inSizes[dynamicDim]);
          continue;
        }
      }
      Value known = indexConstant(rewriter, loc, staticPart);
      Value rem = arith::RemSIOp::create(rewriter, loc, count, known);
      Value zero = indexConstant(rewriter, loc, 0);
      Value divides = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, rem, zero);
      createCheck(rewriter, loc, op, divides,
                  "the element count is not a multiple of " +
                      Twine(staticPart));
      outSizes.push_back(
          arith::DivSIOp::create(rewriter, loc, count, known).getResult());
    }
    if (dynamic) {
      for (OpFoldResult size : outSizes) {
        if (getConstantIntValue(size))
          continue;
        Value nonNegative = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::sge, toValue(rewriter, loc, size),
            indexConstant(rewriter, loc, 0));
        createCheck(rewriter, loc, op, nonNegative, "negative size");
      }
      checkEqual(rewriter, loc, op, count, product(rewriter, loc, outSizes),
                 "the element counts of the operand and the result differ");
    }

    rewriter.replaceOp(op, buildReshape(rewriter, loc, input, outType,
                                        outSizes));
    return success();
  }

private:
  static Value buildReshape(OpBuilder &b, Location loc, Value input,
                            RankedTensorType outType,
                            ArrayRef<OpFoldResult> outSizes) {
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    if (inType.getRank() > outType.getRank()) {
      if (auto groups = getReassociationIndicesForCollapse(
              inType.getShape(), outType.getShape())) {
        auto collapsed = tensor::CollapseShapeOp::create(b, loc, input, *groups);
        if (collapsed.getType() == outType)
          return collapsed;
        collapsed.erase();
      }
    } else if (inType.getRank() < outType.getRank()) {
      if (auto groups = getReassociationIndicesForCollapse(
              outType.getShape(), inType.getShape())) {
        if (tensor::CollapseShapeOp::inferCollapsedType(outType, *groups) ==
            inType)
          return createExpandShape(b, loc, outType, input, *groups,
                                   outSizes);
      }
    }
    if (inType == outType)
      return input;
    // The general case: tensor.reshape with a shape operand.
    SmallVector<Value> shapeValues;
    for (OpFoldResult size : outSizes)
      shapeValues.push_back(toValue(b, loc, size));
    auto shapeType = RankedTensorType::get(
        {static_cast<int64_t>(shapeValues.size())}, b.getIndexType());
    Value shape =
        tensor::FromElementsOp::create(b, loc, shapeType, shapeValues);
    return tensor::ReshapeOp::create(b, loc, outType, input, shape);
  }
};

struct BroadcastLowering : OpConversionPattern<nn::BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    auto outType = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> sizes;
    unsigned next = 0;
    for (int64_t d : outType.getShape())
      sizes.push_back(ShapedType::isDynamic(d)
                          ? OpFoldResult(adaptor.getDynamicSizes()[next++])
                          : OpFoldResult(rewriter.getIndexAttr(d)));
    int64_t offset = outType.getRank() - inType.getRank();
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      if (inType.getDimSize(i) == 1 && outType.getDimSize(offset + i) != 1)
        continue;
      checkEqual(rewriter, loc, op, sizes[offset + i],
                 tensor::getMixedSize(rewriter, loc, input, i),
                 "cannot broadcast operand dim " + Twine(i) +
                     " to a different size");
    }
    Value result = buildElementwise(
        rewriter, loc, outType, sizes, input,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<nn::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    ValueRange inputs = adaptor.getInputs();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, inputs.front());
    // Other dims: from the first operand, checked against the rest.
    for (Value input : inputs.drop_front())
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis)
          checkEqual(rewriter, loc, op, sizes[d],
                     tensor::getMixedSize(rewriter, loc, input, d),
                     "the operands differ at dim " + Twine(d));
    SmallVector<OpFoldResult> axisSizes;
    for (Value input : inputs)
      axisSizes.push_back(tensor::getMixedSize(rewriter, loc, input, axis));
    if (!type.isDynamicDim(axis)) {
      sizes[axis] = rewriter.getIndexAttr(type.getDimSize(axis));
    } else {
      Value total = indexConstant(rewriter, loc, 0);
      for (OpFoldResult s : axisSizes)
        total = arith::AddIOp::create(rewriter, loc, total,
                                      toValue(rewriter, loc, s));
      sizes[axis] = total;
    }
    Value result = createEmpty(rewriter, loc, sizes, type.getElementType());
    OpFoldResult offset = rewriter.getIndexAttr(0);
    SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
    for (auto [input, axisSize] : llvm::zip_equal(inputs, axisSizes)) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, inputSizes, ones);
      std::optional<int64_t> a = getConstantIntValue(offset);
      std::optional<int64_t> s = getConstantIntValue(axisSize);
      if (a && s)
        offset = rewriter.getIndexAttr(*a + *s);
      else
        offset = arith::AddIOp::create(rewriter, loc,
                                       toValue(rewriter, loc, offset),
                                       toValue(rewriter, loc, axisSize))
                     .getResult();
    }
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<nn::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = llvm::cast<RankedTensorType>(input.getType());
    auto type = llvm::cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis(), start = op.getStart();
    int64_t rank = type.getRank();
    int64_t length = type.getDimSize(axis);
    if (inType.isDynamicDim(axis)) {
      Value end = indexConstant(rewriter, loc, start + length);
      Value fits = arith::CmpIOp::create(rewriter, loc,
                                         arith::CmpIPredicate::sle, end,
                                         getDim(rewriter, loc, input, axis));
      createCheck(rewriter, loc, op, fits,
                  "the slice [" + Twine(start) + ", " + Twine(start + length) +
                      ") is out of bounds");
    }
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    sizes[axis] = rewriter.getIndexAttr(length);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    offsets[axis] = rewriter.getIndexAttr(start);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    Value result = tensor::ExtractSliceOp::create(rewriter, loc, input, offsets,
                                                  sizes, strides);
    if (result.getType() != type)
      result = tensor::CastOp::create(rewriter, loc, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpConversionPattern<nn::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> low, high;
    for (int64_t v : op.getLow())
      low.push_back(rewriter.getIndexAttr(v));
    for (int64_t v : op.getHigh())
      high.push_back(rewriter.getIndexAttr(v));
    Value zero = floatConstant(rewriter, loc, type.getElementType(), 0.0);
    Value result = tensor::PadOp::create(rewriter, loc, type,
                                         adaptor.getInput(), low, high, zero);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void nn_to_linalg::populateLayoutPatterns(RewritePatternSet &patterns) {
  patterns.add<TransposeLowering, ReshapeLowering, BroadcastLowering,
               ConcatLowering, SliceLowering, PadLowering>(
      patterns.getContext());
}
